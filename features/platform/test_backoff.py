"""A job failed with a retry backoff is offered again, and a timer fires — every time, not
just usually.

Zeebe 8.6.0 with its default (scheduled tasks on their own actor) loses such jobs: the
"already written" cache of scheduled commands can keep a job's RECUR_AFTER_BACKOFF command
after it was processed, and from then on the job stays FAILED until the broker restarts
(camunda/camunda#29735). By hand, 15 of 20 jobs failed every second were stuck within a
minute. Timers (every SLA timer of an SOP) go through the same cache. Alur's brokers run
scheduled tasks on the processing actor (``stack.zeebe.BROKER_FIXES``); these tests fail the
same jobs over and over, and run short timers round and round, and check that nothing stays
behind.

The test drives the jobs itself through the gateway's gRPC API (pyzeebe's client cannot fail a
job with a backoff outside a worker) and uses a job type of its own.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc

from features.support.engine import Engine, offered_jobs
from features.support.testjobs import Reports
from stack.procs import wait_until

pytestmark = pytest.mark.platform
DIAGRAMS = Path(__file__).resolve().parent / "diagrams"
DIAGRAM = DIAGRAMS / "uji_coba_lagi.bpmn"
PROCESS_ID = "Uji_CobaLagi"
JOB_TYPE = "alur-uji.cobaLagi"
JOBS = 30
#: How long the jobs are failed again and again. Stuck jobs appeared after 10 to 15 s by hand.
CHURN_SECONDS = 25.0
BACKOFF_MS = 500


def activate(gateway: pb_grpc.GatewayStub) -> list[int]:
    return [job.key for job in offered_jobs(gateway, JOB_TYPE, "uji-backoff")]


def test_a_job_failed_with_a_backoff_always_comes_back(
    engine: Engine, gateway: pb_grpc.GatewayStub
) -> None:
    engine.deploy([DIAGRAM])
    for _ in range(JOBS):
        engine.start(PROCESS_ID)
    failures: dict[int, int] = {}
    deadline = time.monotonic() + CHURN_SECONDS
    while time.monotonic() < deadline:
        for key in activate(gateway):
            failures[key] = failures.get(key, 0) + 1
            fail = pb.FailJobRequest(
                jobKey=key, retries=3, errorMessage="uji", retryBackOff=BACKOFF_MS
            )
            gateway.FailJob(fail)
        time.sleep(0.05)
    assert len(failures) == JOBS, "every job was offered at least once"
    assert sum(failures.values()) > 3 * JOBS, "the jobs went round several times"

    completed: set[int] = set()

    def all_back() -> bool:
        for key in activate(gateway):
            gateway.CompleteJob(pb.CompleteJobRequest(jobKey=key))
            completed.add(key)
        return completed == set(failures)

    # A lost job never comes back; one that is merely in its backoff does within a second.
    wait_until(all_back, timeout=30, what=f"all {JOBS} failed jobs to be offered again")


def test_every_timer_fires_round_after_round(engine: Engine, reports: Reports) -> None:
    """40 instances each wait on a half-second timer 25 times, then report."""
    engine.deploy([DIAGRAMS / "uji_timer_berulang.bpmn"])
    instances = [
        engine.start("Uji_TimerBerulang", {"putaran": 0, "putaranMaks": 25}) for _ in range(40)
    ]
    # 25 rounds of half a second take under 15 s; a lost timer never fires at all.
    wait_until(
        lambda: all(reports.event(key).is_set() for key in instances),
        timeout=90,
        what="every instance to get through its 25 timers",
    )
    assert all(reports.counts[key] == 1 for key in instances)
