"""A command the broker refuses with back-pressure is sent again, not lost.

Zeebe answers RESOURCE_EXHAUSTED when a partition has too many requests in flight, and 8.5
also when its log's write queue is full ("the writer buffer is full") — then even a job
completion is refused, and without a retry that job waits for its timeout (a minute) before
it is worked again. Alur's channels send such a command again (``alur.backpressure``, the
back-pressure half of Zeebe's own retry policy). Proven on a broker of its own whose request
limit is 1.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc

from alur import backpressure
from alur.coroutines import run_coroutine
from alur.engine import aio_channel, sync_channel
from stack import zeebe as zeebe_server
from stack.local import Stack
from stack.ports import free_ports
from stack.procs import Supervisor

pytestmark = pytest.mark.platform
DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "uji_timer_dua_bulan.bpmn"
PROCESS_ID = "Uji_TimerDuaBulan"
REQUESTS = 40
#: Callers at once: enough that a limit of 1 refuses some, few enough that five attempts
#: spread over four seconds get through on a loaded machine (40 at once did not, once).
CALLERS = 8
#: Callers at once where every creation must get through Alur's retries: 8 did not, once, in
#: a clean-clone CI (2026-12-05, one creation refused five times); the raw channel's test keeps
#: 8, which is what makes the broker refuse.
RETRIED_CALLERS = 4
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
        # Not into the session's database: its records would take the session broker's
        # (partition, position) keys in engine_record (see ZeebeConfig.exporter).
        exporter=None,
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


def create_many(channel: grpc.Channel, callers: int = CALLERS) -> list[str]:
    """``REQUESTS`` creations from ``callers`` threads; the status code of each answer."""
    request = pb.CreateProcessInstanceRequest(bpmnProcessId=PROCESS_ID, version=-1)
    with channel:
        stub = pb_grpc.GatewayStub(channel)

        def one(_: int) -> str:
            try:
                stub.CreateProcessInstance(request, timeout=30)
            except grpc.RpcError as error:
                return str(error.code().name)
            return "OK"

        with ThreadPoolExecutor(callers) as pool:
            return list(pool.map(one, range(REQUESTS)))


def test_without_retries_the_tight_broker_refuses_some(tight_broker: str):
    answers = create_many(grpc.insecure_channel(tight_broker))
    assert "RESOURCE_EXHAUSTED" in answers, answers
    assert set(answers) <= {"OK", "RESOURCE_EXHAUSTED"}


def test_alurs_channel_sends_refused_commands_again_until_taken(tight_broker: str):
    assert create_many(sync_channel(tight_broker), RETRIED_CALLERS) == ["OK"] * REQUESTS


def test_alurs_async_channel_sends_them_again_too(tight_broker: str):
    async def many() -> list[str]:
        request = pb.CreateProcessInstanceRequest(bpmnProcessId=PROCESS_ID, version=-1)
        async with aio_channel(tight_broker) as channel:
            stub = pb_grpc.GatewayStub(channel)
            gate = asyncio.Semaphore(RETRIED_CALLERS)

            async def one() -> str:
                async with gate:
                    try:
                        await stub.CreateProcessInstance(request, timeout=30)
                    except grpc.aio.AioRpcError as error:
                        return str(error.code().name)
                    return "OK"

            return list(await asyncio.gather(*(one() for _ in range(REQUESTS))))

    assert run_coroutine(many) == ["OK"] * REQUESTS


def test_the_retried_methods_are_methods_the_gateway_has():
    """A misspelt method would silently go without retries."""
    methods = pb.DESCRIPTOR.services_by_name["Gateway"].methods_by_name
    assert sorted(m for m in backpressure.RETRIED if m not in methods) == []
    assert backpressure.retried("/gateway_protocol.Gateway/CompleteJob")
    assert not backpressure.retried("/gateway_protocol.Gateway/StreamActivatedJobs")


def test_the_pauses_follow_zeebes_policy():
    pauses = list(backpressure.delays())
    assert len(pauses) == backpressure.ATTEMPTS - 1
    for pause, step in zip(pauses, (0.1, 0.3, 0.9, 2.7), strict=True):
        assert step / 2 <= pause <= step
