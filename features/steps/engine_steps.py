"""Steps about the engine itself: deploying, starting instances, moving the broker clock."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_bdd import given, parsers, then, when

from features.support.engine import Engine
from stack.zeebe import BrokerClock

FEATURES = Path(__file__).resolve().parent.parent
DAY_MS = 24 * 60 * 60 * 1000


@given(parsers.parse('the diagram "{path}" is deployed'), target_fixture="deployed")
def _(engine: Engine, path: str) -> Any:
    result = engine.deploy([FEATURES / path])
    assert result, f"Zeebe deployed nothing from {path}"
    return result


@when(parsers.parse('an instance of "{process_id}" starts'), target_fixture="instance_key")
def _(engine: Engine, process_id: str) -> int:
    return engine.start(process_id)


@when(
    parsers.parse('an instance of "{process_id}" runs to its end with {variables}'),
    target_fixture="result_variables",
)
def _(engine: Engine, process_id: str, variables: str) -> dict[str, Any]:
    return engine.start_and_wait(process_id, json.loads(variables))


@when(parsers.parse("the broker clock moves forward {days:d} days"))
def _(clock: BrokerClock, days: int) -> None:
    before = clock.now_ms()
    after = clock.add(days * DAY_MS)
    assert after - before >= days * DAY_MS


@then(parsers.parse('the instance ends with "{name}" = {value}'))
def _(result_variables: dict[str, Any], name: str, value: str) -> None:
    assert result_variables.get(name) == json.loads(value)
