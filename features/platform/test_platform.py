"""Scenarios of platform.feature: smoke chain and time travel on the real broker."""

from __future__ import annotations

from pytest_bdd import given, scenarios, then

from alur import engine, settings
from features.support.testjobs import Reports
from stack.local import Stack

scenarios("platform/platform.feature")


@given("a worker handles the test job types")
def _(reports: Reports) -> None:
    assert reports is not None


@then("the instance is still waiting for its timer")
def _(reports: Reports, instance_key: int) -> None:
    # The worker answers within milliseconds once the timer fires; a second is generous.
    assert not reports.event(instance_key).wait(1.0)


@then("the instance reports that it finished")
def _(reports: Reports, instance_key: int) -> None:
    assert reports.event(instance_key).wait(30), "the timer did not fire after the clock moved"


@then("the broker reports the Zeebe version of ALUR_ZEEBE_VERSION")
def _(stack: Stack) -> None:
    topology = engine.rest_topology(stack.zeebe.rest_url)
    versions = {broker["version"] for broker in topology["brokers"]}
    assert versions == {settings.load_stack().zeebe_version}, topology
