"""The shipped diagrams keep the contract: every job type has a worker, every form exists,
every candidate group is a role, every element is documented, named readably and drawn."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from alur.roles import ROLES
from stack.local import REPO, Stack
from storage.db import make_engine, make_sessionmaker
from workers.audit import Steps
from workers.deps import Deps
from workers.registry import build_routers
from workers.runtime import job_limits

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
ZEEBE = "{http://camunda.org/schema/zeebe/1.0}"
DI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DIAGRAMS = sorted((REPO / "bpmn").glob("*.bpmn"))
NODES = (
    "startEvent", "endEvent", "userTask", "serviceTask", "exclusiveGateway",
    "parallelGateway", "boundaryEvent", "intermediateCatchEvent", "subProcess",
)  # fmt: skip
MACHINE_ID = re.compile(r"_[0-9a-z]{7}$")


@pytest.fixture(scope="module")
def job_types(stack: Stack) -> set[str]:
    settings = replace(stack.settings, database_url="sqlite://")
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    deps = Deps(settings, sessions, stack.s3_client(), job_limits(settings), Steps(sessions, 1))
    return {task.type for router in build_routers(deps) for task in router.tasks}


def form_ids() -> set[str]:
    return {json.loads(p.read_text())["id"] for p in (REPO / "forms").glob("*.form")}


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_the_diagram_keeps_its_contract(path: Path, job_types: set[str]):
    root = etree.parse(str(path)).getroot()
    drawn = {shape.get("bpmnElement") for shape in root.iter(f"{{{DI[1:-1]}}}*")}
    forms = form_ids()
    problems = []
    for node in root.iter(*(f"{BPMN}{kind}" for kind in NODES)):
        element = node.get("id")
        if MACHINE_ID.search(element) or not re.fullmatch(r"[A-Z][A-Za-z]+_[A-Za-z]+", element):
            problems.append(f"{element}: id is not readable")
        doc = node.find(f"{BPMN}documentation")
        if doc is None or "Seed" not in (doc.text or ""):
            problems.append(f"{element}: no seed step in its documentation")
        if element not in drawn:
            problems.append(f"{element}: no DI shape")
        task = node.find(f"{BPMN}extensionElements/{ZEEBE}taskDefinition")
        if task is not None and task.get("type") not in job_types:
            problems.append(f"{element}: job type {task.get('type')} has no worker")
        form = node.find(f"{BPMN}extensionElements/{ZEEBE}formDefinition")
        if form is not None and form.get("formId") not in forms:
            problems.append(f"{element}: form {form.get('formId')} is not in forms/")
        groups = node.find(f"{BPMN}extensionElements/{ZEEBE}assignmentDefinition")
        if groups is not None:
            for group in (groups.get("candidateGroups") or "").split(","):
                if group.strip() not in ROLES:
                    problems.append(f"{element}: candidate group {group!r} is no role")
    assert problems == []


def test_every_shipped_diagram_deploys_to_the_broker(engine):
    deployed = engine.deploy([*DIAGRAMS, *sorted((REPO / "forms").glob("*.form"))])
    assert {d.resource_name for d in deployed if d.kind == "process"} == {p.name for p in DIAGRAMS}
