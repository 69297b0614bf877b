"""A broker restart (stopped and started on the same data directory) with cases in flight:
the worker process and the test's own workers reconnect by themselves, the letter cases finish
with everything once, and timers set before the restart still fire.

The broker's controlled clock starts again at the system time after a restart; the test puts
it back where it was, so the session's clock still only moves forward.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from features.support.endings import restart_broker
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
from stack.procs import wait_until
from stack.zeebe import BrokerClock

pytestmark = [pytest.mark.platform, pytest.mark.faults, pytest.mark.restarts_broker]
TIMER_DIAGRAM = (
    Path(__file__).resolve().parent.parent / "platform" / "diagrams" / "uji_timer_dua_bulan.bpmn"
)
DAY_MS = 24 * 60 * 60 * 1000


def test_cases_and_timers_survive_a_broker_restart(
    world: World,
    stack: Stack,
    engine: Engine,
    clock: BrokerClock,
    reports: Reports,
    tally: Tally,
):
    engine.deploy([TIMER_DIAGRAM])
    workers = stack.start_workers(world.deps.settings, name="workers-restart")
    try:
        waiting = [engine.start("Uji_TimerDuaBulan") for _ in range(3)]
        letter_cases = [new_case(world) for _ in range(2)]
        letters = [
            engine.start(PROCESS_ID, {"caseId": c.id, "surat": SPEC, "hasilAkhir": "Selesai."})
            for c in letter_cases
        ]
        restart_broker(stack, clock)
        assert workers.alive(), "the worker process must ride out the restart"

        advance_until(  # retries of jobs that failed while the broker was away
            clock,
            10_000,
            lambda: all(reports.event(key).is_set() for key in letters),
            timeout=120,
            what="the letter cases to finish",
        )
        clock.add(62 * DAY_MS)  # past the two-month timers set before the restart
        wait_until(
            lambda: all(reports.event(key).is_set() for key in waiting),
            timeout=60,
            what="the timers set before the restart to fire",
        )
    finally:
        stack.supervisor.stop(workers)
    effects = [letter_effects(world, c.id) for c in letter_cases]
    finished = [reports.counts[key] for key in [*letters, *waiting]]
    tally.add("faults", 1, int(all(count == 1 for count in finished)))
    tally.add("cases", len(finished), sum(count == 1 for count in finished))
    tally.add("numbers", 2 * len(effects), sum(len(e["entries"]) for e in effects))
    tally.add("letters", len(effects), sum(len(e["letters"]) for e in effects))
    tally.add("lost", len(effects), sum(e["gaps"] for e in effects))
    assert finished == [1] * len(finished)
    for effect in effects:
        assert sorted(e.register for e in effect["entries"]) == ["pengaduan", "surat-keluar"]
        assert len(effect["letters"]) == 1 and effect["gaps"] == 0
        [outbox] = effect["mails"]
        assert outbox.status == "sent"
        titles = effect["titles"]
        assert len(titles) == len(set(titles)), titles
