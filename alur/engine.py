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
from pyzeebe import ZeebeClient, create_insecure_channel
from pyzeebe.grpc_internals.types import DeployResourceResponse

from storage.deployments import Deployed

#: Commands sent again when the broker refuses them with back-pressure (RESOURCE_EXHAUSTED).
#: Such a command was never written to the log, so sending it again is safe; without this a
#: job completion refused under load waits for its job timeout (a minute) before the job is
#: worked again. Zeebe 8.5 refuses even completions when its log's write queue is full
#: ("the writer buffer is full"). The policy is the back-pressure half of Zeebe's own
#: (``gateway-service-config.json`` in zeebe-gateway-protocol-impl, the Java client's
#: ``useDefaultRetryPolicy``): UNAVAILABLE is left out so that a broker that is away still
#: fails a web request at once.
RETRIED_ON_BACKPRESSURE = (
    "BroadcastSignal",
    "CancelProcessInstance",
    "CompleteJob",
    "CreateProcessInstance",
    "DeployResource",
    "FailJob",
    "PublishMessage",
    "ResolveIncident",
    "SetVariables",
    "ThrowError",
    "UpdateJobRetries",
    "UpdateJobTimeout",
)
SERVICE_CONFIG = {
    "methodConfig": [
        {
            "name": [
                {"service": "gateway_protocol.Gateway", "method": method}
                for method in RETRIED_ON_BACKPRESSURE
            ],
            "retryPolicy": {
                "maxAttempts": 5,
                "initialBackoff": "0.1s",
                "maxBackoff": "5s",
                "backoffMultiplier": 3.0,
                "retryableStatusCodes": ["RESOURCE_EXHAUSTED"],
            },
        }
    ]
}

# Keepalive like Zeebe's own clients; reconnect quickly after a broker restart.
CHANNEL_OPTIONS = (
    ("grpc.keepalive_time_ms", 45_000),
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 5_000),
    ("grpc.enable_retries", 1),
    ("grpc.service_config", json.dumps(SERVICE_CONFIG)),
)


@asynccontextmanager
async def connect(address: str) -> AsyncIterator[grpc.aio.Channel]:
    channel = create_insecure_channel(address, channel_options=CHANNEL_OPTIONS)
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
