"""The connection to Zeebe and deploying diagrams and forms.

gRPC channels are bound to the event loop that creates them: create one inside the running
loop (``async with connect(...)``), never at import time.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import grpc
from pyzeebe import ZeebeClient
from pyzeebe.grpc_internals.types import DeployResourceResponse

from alur import backpressure
from storage.deployments import Deployed

# Keepalive like Zeebe's own clients; reconnect quickly after a broker restart.
CHANNEL_OPTIONS = (
    ("grpc.keepalive_time_ms", 45_000),
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 5_000),
)


def aio_channel(address: str) -> grpc.aio.Channel:
    """A channel for asyncio code that sends a command refused with back-pressure again."""
    return grpc.aio.insecure_channel(
        address, options=CHANNEL_OPTIONS, interceptors=[backpressure.AsyncRetry()]
    )


def sync_channel(address: str) -> grpc.Channel:
    """The same for blocking code (the web app)."""
    return grpc.intercept_channel(
        grpc.insecure_channel(address, options=CHANNEL_OPTIONS), backpressure.SyncRetry()
    )


@asynccontextmanager
async def connect(address: str) -> AsyncIterator[grpc.aio.Channel]:
    channel = aio_channel(address)
    try:
        yield channel
    finally:
        await channel.close()


def resources_in(*folders: Path) -> list[Path]:
    """Every ``.bpmn`` and ``.form`` file of the folders, in a stable order."""
    found: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.suffix in {".bpmn", ".form"})
    return found


async def deploy(client: ZeebeClient, paths: Iterable[Path]) -> list[Deployed]:
    """Deploy ``paths`` in one request: all are accepted together or none is.

    Zeebe gives an unchanged resource its existing version, so deploying at every start is
    harmless.
    """
    files = list(paths)
    if not files:
        return []
    texts = {p.name: p.read_bytes() for p in files}
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in texts.items()}
    response = await client.deploy_resource(*files)
    deployed = []
    for item in response.deployments:
        if isinstance(item, DeployResourceResponse.ProcessMetadata):
            deployed.append(
                Deployed(
                    "process",
                    item.bpmn_process_id,
                    item.resource_name,
                    item.version,
                    item.process_definition_key,
                    digests.get(item.resource_name, ""),
                    texts.get(item.resource_name, b"").decode("utf-8"),
                )
            )
        elif isinstance(item, DeployResourceResponse.FormMetadata):
            deployed.append(
                Deployed(
                    "form",
                    item.form_id,
                    item.resource_name,
                    item.version,
                    item.form_key,
                    digests.get(item.resource_name, ""),
                    texts.get(item.resource_name, b"").decode("utf-8"),
                )
            )
    return deployed


#: The gateway's REST topology: ``/v2`` since Zeebe 8.6, ``/v1`` on 8.5 (the default broker).
TOPOLOGY_PATHS = ("/v2/topology", "/v1/topology")


def rest_topology(rest_url: str, timeout: float = 10) -> Any:
    """The cluster topology from the gateway's REST API, on 8.5 and 8.6 alike."""
    for path in TOPOLOGY_PATHS:
        try:
            with urllib.request.urlopen(f"{rest_url}{path}", timeout=timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code != 404 or path == TOPOLOGY_PATHS[-1]:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
