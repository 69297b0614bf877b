"""Talking to Zeebe from synchronous code (the web app) over gRPC."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import grpc
from pyzeebe.proto.gateway_pb2 import CreateProcessInstanceRequest
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub


class SyncGateway:
    """A blocking gRPC channel to the Zeebe gateway, one per app process."""

    def __init__(self, address: str) -> None:
        self.channel = grpc.insecure_channel(address)
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
