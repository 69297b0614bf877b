"""``kill -9`` of the worker process at each risky point of a letter's life, then a fresh
worker: the case still ends, with one register number per register, one letter (one row,
one object in S3), one e-mail (one Message-ID) and every timeline entry once.

The workers are the real ``python -m workers`` process; ``alur.faults`` kills it at the named
point. The killed worker's jobs return when their timeout ends on the broker's clock, which
the test moves on.
"""

from __future__ import annotations

import pytest

from alur import faults
from features.support.engine import Engine, advance_until
from features.support.letterworld import (
    PROCESS_ID,
    SPEC,
    World,
    letter_effects,
    new_case,
)
from features.support.tally import Tally
from features.support.testjobs import Reports
from stack.local import Stack
from stack.procs import Managed, wait_until
from stack.zeebe import BrokerClock

pytestmark = [pytest.mark.platform, pytest.mark.faults]

#: Where the worker dies: after the number is given, after S3 took the PDF (no row yet),
#: after the SMTP server took the e-mail (not marked sent), before Zeebe hears "completed".
POINTS = [
    "letter.after_number",
    "letter.after_pdf_stored",
    "mail.after_smtp",
    "job.before_complete",
]


def start_workers(stack: Stack, world: World, name: str, point: str | None = None) -> Managed:
    extra = {faults.VARIABLE: point} if point else {}
    return stack.start_workers(world.deps.settings, name=name, extra_env=extra)


@pytest.mark.parametrize("point", POINTS)
def test_a_worker_killed_mid_letter_leaves_everything_exactly_once(
    point: str,
    world: World,
    stack: Stack,
    engine: Engine,
    clock: BrokerClock,
    reports: Reports,
    tally: Tally,
):
    case = new_case(world)
    doomed = start_workers(stack, world, f"workers-{point}-doomed", point)
    variables = {"caseId": case.id, "surat": SPEC, "hasilAkhir": "Selesai."}
    instance = engine.start(PROCESS_ID, variables)
    wait_until(lambda: not doomed.alive(), timeout=60, what=f"the worker to die at {point}")
    killed = doomed.popen.returncode == -9
    stack.supervisor.stop(doomed)
    fresh = start_workers(stack, world, f"workers-{point}-fresh")
    try:
        advance_until(  # the killed worker's job comes back after its 60 s timeout
            clock,
            30_000,
            lambda: reports.event(instance).wait(1),
            timeout=90,
            interval=2,
            what="the case to finish after the crash",
        )
    finally:
        stack.supervisor.stop(fresh)
    found = letter_effects(world, case.id)
    # Every version S3 holds under the letter's key (the bucket is shared by the whole test
    # session, whose databases reuse case ids, so the key, not the case prefix, is precise).
    versions = [
        version
        for doc in found["letters"]
        for version in world.deps.s3.list_objects(
            doc.bucket, prefix=doc.object_key, include_version=True
        )
    ]
    [outbox] = found["mails"] or [None]
    sent = [m for m in stack.smtp.messages() if outbox and m["Message-ID"] == outbox.message_id]
    message_ids = {m["Message-ID"] for m in sent}
    repeated = [title for title in set(found["titles"]) if found["titles"].count(title) > 1]

    survived = killed and reports.counts[instance] == 1
    tally.add("faults", 1, int(survived))
    tally.add("cases", 1, int(reports.counts[instance] == 1))
    tally.add("numbers", 2, len(found["entries"]))
    tally.add("letters", 1, min(len(found["letters"]), len(versions)))
    tally.add("emails", 1, len(message_ids))
    tally.add("lost", 4, found["gaps"] + len(repeated))

    assert killed, f"the worker was not killed at {point}: {doomed.log_tail()}"
    assert reports.counts[instance] == 1
    assert sorted(e.register for e in found["entries"]) == ["pengaduan", "surat-keluar"]
    assert found["gaps"] == 0, "a register number was given and then lost"
    assert len(found["letters"]) == 1 and len(versions) == 1, (found["letters"], versions)
    assert outbox is not None and outbox.status == "sent"
    assert len(message_ids) == 1, "the e-mail went out under more than one Message-ID"
    assert not repeated, f"timeline entries repeated: {repeated}"
