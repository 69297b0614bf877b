"""Talking to Zeebe from synchronous code (the web app) over gRPC."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pyzeebe.proto.gateway_pb2 import (
    CreateProcessInstanceRequest,
    DeployResourceRequest,
    Resource,
)
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from alur.engine import sync_channel
from storage.deployments import Deployed


class SyncGateway:
    """A blocking gRPC channel to the Zeebe gateway, one per app process."""

    def __init__(self, address: str) -> None:
        self.channel = sync_channel(address)
        self.stub = GatewayStub(self.channel)

    def close(self) -> None:
        self.channel.close()


@dataclass(frozen=True)
class Started:
    """A new process instance and the deployed version it runs on."""

    instance_key: int
    definition_key: int
    version: int


class Starter(SyncGateway):
    """Creates instances of the latest version of a process."""

    def start(self, bpmn_process_id: str, variables: dict[str, Any]) -> Started:
        """The new instance. Raises ``grpc.RpcError`` when Zeebe refuses or is away."""
        response = self.stub.CreateProcessInstance(
            CreateProcessInstanceRequest(
                bpmnProcessId=bpmn_process_id, version=-1, variables=json.dumps(variables)
            ),
            timeout=10,
        )
        return Started(
            int(response.processInstanceKey),
            int(response.processDefinitionKey),
            int(response.version),
        )


class Deployer(SyncGateway):
    """Deploys a diagram a process owner edited in the browser."""

    def deploy_process(self, resource_name: str, content: str) -> Deployed:
        """The version Zeebe gave the diagram (an unchanged text keeps its version).

        Raises ``grpc.RpcError`` when Zeebe rejects the diagram (``INVALID_ARGUMENT`` with
        the reason in ``details()``) or is away.
        """
        data = content.encode("utf-8")
        response = self.stub.DeployResource(
            DeployResourceRequest(resources=[Resource(name=resource_name, content=data)]),
            timeout=30,
        )
        for item in response.deployments:
            if item.HasField("process"):
                process = item.process
                return Deployed(
                    "process",
                    process.bpmnProcessId,
                    process.resourceName,
                    int(process.version),
                    int(process.processDefinitionKey),
                    hashlib.sha256(data).hexdigest(),
                    content,
                )
        raise ValueError(f"{resource_name} holds no process Zeebe could deploy")
