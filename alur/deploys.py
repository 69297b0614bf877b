"""Deploy every diagram and form of an installation and record the versions Zeebe gave them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pyzeebe import ZeebeClient
from pyzeebe.errors import ZeebeBackPressureError, ZeebeGatewayUnavailableError

from alur.engine import connect, deploy, resources_in
from alur.settings import Settings
from storage import deployments
from storage.db import make_engine, make_sessionmaker
from storage.deployments import Deployed


async def _deploy(address: str, paths: list[Path], attempts: int = 20) -> list[Deployed]:
    async with connect(address) as channel:
        client = ZeebeClient(channel)
        for _ in range(attempts - 1):
            try:
                return await deploy(client, paths)
            except (ZeebeBackPressureError, ZeebeGatewayUnavailableError):
                await asyncio.sleep(0.5)
        return await deploy(client, paths)


def deploy_all(settings: Settings, deployed_by: str) -> list[Deployed]:
    """Deploy ``bpmn_dir`` and ``forms_dir`` in one request; store new versions."""
    paths = resources_in(settings.bpmn_dir, settings.forms_dir)
    result = asyncio.run(_deploy(settings.zeebe_address, paths))
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            deployments.record(session, result, deployed_by)
    finally:
        engine.dispose()
    return result
