"""S3 away while a letter is being issued: the job retries, an incident tells staff why, and
the case finishes by itself once S3 is back — one number, one letter, nothing half-written."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from features.support.engine import Engine, advance_until
from features.support.letterworld import (
    PROCESS_ID,
    SPEC,
    World,
    letter_effects,
    new_case,
    open_incident,
)
from features.support.tally import Tally
from features.support.testjobs import Reports
from stack import seaweed as seaweed_server
from stack.local import Stack
from stack.zeebe import BrokerClock
from storage import s3
from storage.models import JobIncident

pytestmark = [pytest.mark.platform, pytest.mark.faults]


def bring_back_s3(stack: Stack) -> None:
    client = stack.s3_client()
    stack.children["seaweedfs"] = seaweed_server.start(
        stack.seaweed, stack.supervisor, lambda: s3.is_reachable(client)
    )


def test_s3_away_opens_an_incident_and_the_case_resumes_when_it_returns(
    world: World,
    stack: Stack,
    engine: Engine,
    clock: BrokerClock,
    reports: Reports,
    tally: Tally,
):
    settings = replace(world.deps.settings, job_incident_retry_ms=30_000)
    workers = stack.start_workers(settings, name="workers-s3-away")
    case = new_case(world)

    try:
        stack.supervisor.stop(stack.children.pop("seaweedfs"))
        instance = engine.start(PROCESS_ID, {"caseId": case.id, "surat": SPEC})

        advance_until(  # the quick retries' backoff runs on the broker's clock
            clock,
            5_000,
            lambda: open_incident(world, case.id) is not None,
            timeout=120,
            what="the S3 incident",
        )
        assert not reports.event(instance).is_set()
        bring_back_s3(stack)

        advance_until(
            clock,
            30_000,
            lambda: reports.event(instance).wait(1),
            timeout=120,
            what="the case to resume",
        )
    finally:
        stack.supervisor.stop(workers)
        if "seaweedfs" not in stack.children:  # the rest of the session needs it
            bring_back_s3(stack)
    found = letter_effects(world, case.id)
    with world.sessions() as db:
        every = list(db.scalars(select(JobIncident).where(JobIncident.case_id == case.id)))
    reasons = [i.reason for i in every]
    resolved = open_incident(world, case.id) is None
    tally.add("faults", 1, int(reports.counts[instance] == 1 and resolved))
    tally.add("letters", 1, len(found["letters"]))
    tally.add("numbers", 2, len(found["entries"]))
    tally.add("lost", 1, found["gaps"])
    assert reports.counts[instance] == 1
    assert every and all("S3" in reason for reason in reasons), reasons
    assert resolved, "the incident stays open after the case resumed"
    assert len(found["letters"]) == 1 and found["gaps"] == 0
    assert sorted(e.register for e in found["entries"]) == ["pengaduan", "surat-keluar"]
    assert any(t.startswith("Gangguan teknis pada langkah") for t in found["titles"])
    assert any(t.endswith("teratasi") for t in found["titles"])
