"""Deploy every diagram and form of an installation and record the versions Zeebe gave them."""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from pathlib import Path

from pyzeebe import ZeebeClient
from pyzeebe.errors import ZeebeBackPressureError, ZeebeGatewayUnavailableError
from sqlalchemy.orm import Session

from alur.coroutines import run_coroutine
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


def owner_edited(session: Session, path: Path) -> str | None:
    """The newest deployed text of ``path`` when a process owner deployed it after the file.

    A diagram file that was deployed once and then superseded by a version deployed from the
    modeler must not come back at the next start: the owner's version stays current. A file
    changed since (a new release) is deployed as it is.
    """
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix != ".bpmn" or not deployments.shipped_already(
        session, "process", path.name, digest
    ):
        return None
    newest = deployments.latest_of_resource(session, "process", path.name)
    if newest is None or newest.sha256 == digest or not newest.content:
        return None
    return newest.content


def deploy_all(settings: Settings, deployed_by: str) -> list[Deployed]:
    """Deploy ``bpmn_dir`` and ``forms_dir`` in one request; store new versions."""
    engine = make_engine(settings.database_url)
    try:
        sessions = make_sessionmaker(engine)
        with tempfile.TemporaryDirectory(prefix="alur-deploy-") as staging:
            paths = []
            with sessions() as session:
                for path in resources_in(settings.bpmn_dir, settings.forms_dir):
                    edited = owner_edited(session, path)
                    if edited is not None:
                        path = Path(staging) / path.name
                        path.write_text(edited, encoding="utf-8")
                    paths.append(path)
            result = run_coroutine(lambda: _deploy(settings.zeebe_address, paths))
        with sessions() as session:
            deployments.record(session, result, deployed_by)
    finally:
        engine.dispose()
    return result
