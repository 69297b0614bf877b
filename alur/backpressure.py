"""Commands the broker refused with back-pressure are sent again: gRPC channels for Alur.

Zeebe answers RESOURCE_EXHAUSTED when a partition has too many requests in flight, and 8.5
also when its log's write queue is full ("the writer buffer is full"): then even a job
completion is refused, and without another attempt that job waits for its timeout (a minute)
before it is worked again. Such a command was never written to the log, so sending it again is
safe. The attempts follow Zeebe's own retry policy (``gateway-service-config.json`` of
zeebe-gateway-protocol-impl, the Java client's ``useDefaultRetryPolicy``): five attempts,
0.1 s first, times 3, at most 5 s, jittered. Only its back-pressure half: UNAVAILABLE is not
retried, so a web request fails at once while the broker is away.

This is an interceptor, not gRPC's own retry policy in the service config: with retries
enabled in grpc-core, Alur's worker lost user-task jobs in the SOP 1 browser scenario (a
completion answered NOT_FOUND, a task never reaching the inbox), twice out of two runs.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import grpc

#: Gateway methods whose refused attempts are sent again.
RETRIED = frozenset(
    {
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
    }
)
SERVICE = "/gateway_protocol.Gateway/"
ATTEMPTS = 5
FIRST_DELAY_S, FACTOR, MAX_DELAY_S = 0.1, 3.0, 5.0


def delays() -> Iterator[float]:
    """The pauses before attempts 2..ATTEMPTS, each jittered to 50-100 % of its step."""
    step = FIRST_DELAY_S
    for _ in range(ATTEMPTS - 1):
        yield step * random.uniform(0.5, 1.0)
        step = min(step * FACTOR, MAX_DELAY_S)


def retried(method: str | bytes) -> bool:
    name = method.decode() if isinstance(method, bytes) else method
    return name.startswith(SERVICE) and name[len(SERVICE) :] in RETRIED


class AsyncRetry(grpc.aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], client_call_details: Any, request: Any
    ) -> Any:
        call = await continuation(client_call_details, request)
        if not retried(client_call_details.method):
            return call
        for pause in delays():
            if await call.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
                return call
            await asyncio.sleep(pause)
            call = await continuation(client_call_details, request)
        return call


class SyncRetry(grpc.UnaryUnaryClientInterceptor):
    def intercept_unary_unary(
        self, continuation: Callable[..., Any], client_call_details: Any, request: Any
    ) -> Any:
        outcome = continuation(client_call_details, request)
        if not retried(client_call_details.method):
            return outcome
        for pause in delays():
            if outcome.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
                return outcome
            time.sleep(pause)
            outcome = continuation(client_call_details, request)
        return outcome
