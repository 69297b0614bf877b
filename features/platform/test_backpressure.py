"""A command the broker refuses with back-pressure is sent again, not lost.

Zeebe answers RESOURCE_EXHAUSTED when a partition has too many requests in flight, and 8.5
also when its log's write queue is full ("the writer buffer is full") — then even a job
completion is refused, and without a retry that job waits for its timeout (a minute) before
it is worked again. Alur's channels carry the back-pressure half of Zeebe's own retry policy
(``alur.engine.SERVICE_CONFIG``). Proven on a broker of its own whose request limit is 1.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc

from alur.engine import CHANNEL_OPTIONS, RETRIED_ON_BACKPRESSURE
from stack import zeebe as zeebe_server
from stack.local import Stack
from stack.ports import free_ports
from stack.procs import Supervisor

pytestmark = pytest.mark.platform
DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "uji_timer_dua_bulan.bpmn"
PROCESS_ID = "Uji_TimerDuaBulan"
REQUESTS = 40
#: One request in flight per partition: concurrent creations are refused at once.
TINY_LIMIT = (
    ("ZEEBE_BROKER_BACKPRESSURE_ENABLED", "true"),
    ("ZEEBE_BROKER_BACKPRESSURE_ALGORITHM", "fixed"),
    ("ZEEBE_BROKER_BACKPRESSURE_FIXED_LIMIT", "1"),
)


@pytest.fixture(scope="module")
def tight_broker(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("tight-broker")
    config = dataclasses.replace(
        stack.zeebe,
        data_dir=root / "data",
        ports=zeebe_server.ZeebePorts(*free_ports(5)),
        controlled_clock=False,
        extra=TINY_LIMIT,
    )
    supervisor = Supervisor(root / "logs")
    try:
        zeebe_server.start(config, supervisor)
        with grpc.insecure_channel(config.gateway_address) as channel:
            pb_grpc.GatewayStub(channel).DeployResource(
                pb.DeployResourceRequest(
                    resources=[pb.Resource(name=DIAGRAM.name, content=DIAGRAM.read_bytes())]
                ),
                timeout=30,
            )
        yield config.gateway_address
    finally:
        supervisor.stop_all()


def create_many(address: str, options: tuple[tuple[str, object], ...]) -> list[str]:
    """``REQUESTS`` concurrent creations; the status code of each answer."""
    request = pb.CreateProcessInstanceRequest(bpmnProcessId=PROCESS_ID, version=-1)
    with grpc.insecure_channel(address, options=options) as channel:
        stub = pb_grpc.GatewayStub(channel)

        def one(_: int) -> str:
            try:
                stub.CreateProcessInstance(request, timeout=30)
            except grpc.RpcError as error:
                return str(error.code().name)
            return "OK"

        with ThreadPoolExecutor(REQUESTS) as pool:
            return list(pool.map(one, range(REQUESTS)))


def test_without_the_policy_the_tight_broker_refuses_some(tight_broker: str):
    answers = create_many(tight_broker, ())
    assert "RESOURCE_EXHAUSTED" in answers, answers
    assert set(answers) <= {"OK", "RESOURCE_EXHAUSTED"}


def test_alurs_channel_sends_refused_commands_again_until_taken(tight_broker: str):
    assert create_many(tight_broker, CHANNEL_OPTIONS) == ["OK"] * REQUESTS


def test_the_policy_names_only_methods_the_gateway_has():
    """A misspelt method would silently go without retries."""
    methods = pb.DESCRIPTOR.services_by_name["Gateway"].methods_by_name
    assert [m for m in RETRIED_ON_BACKPRESSURE if m not in methods] == []
    config = json.loads(dict(CHANNEL_OPTIONS)["grpc.service_config"])  # type: ignore[arg-type]
    named = {n["method"] for c in config["methodConfig"] for n in c["name"]}
    assert named == set(RETRIED_ON_BACKPRESSURE)
