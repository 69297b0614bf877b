# ruff: noqa: E501
"""``alur lint``: each class of defect is found in a diagram made for it; shipped diagrams pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from alur import lint
from alur.roles import ROLES
from stack.local import REPO
from workers.registry import JOB_TYPES

CONTEXT = lint.Context(
    job_types=JOB_TYPES, form_ids=lint.form_ids(REPO / "forms"), roles=frozenset(ROLES)
)
DOC = "<bpmn:documentation>Seed 000, langkah uji.</bpmn:documentation>"
GOOD_NODES = f"""
    <bpmn:startEvent id="Start_Masuk" name="Masuk">{DOC}<bpmn:outgoing>Flow_A</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_Periksa" name="Periksa">{DOC}
      <bpmn:extensionElements>
        <zeebe:formDefinition formId="kemenpanrb-konsultasi-analisis" />
        <zeebe:assignmentDefinition candidateGroups="kemenpanrb.petugas" />
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_A</bpmn:incoming><bpmn:outgoing>Flow_B</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="Gateway_Putusan" name="Dapat?" default="Flow_Tidak">{DOC}
      <bpmn:incoming>Flow_B</bpmn:incoming><bpmn:outgoing>Flow_Ya</bpmn:outgoing><bpmn:outgoing>Flow_Tidak</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:serviceTask id="Task_Status" name="Status">{DOC}
      <bpmn:extensionElements><zeebe:taskDefinition type="alur.perkara.status" /></bpmn:extensionElements>
      <bpmn:incoming>Flow_Ya</bpmn:incoming><bpmn:incoming>Flow_Tidak</bpmn:incoming><bpmn:outgoing>Flow_C</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:boundaryEvent id="Timer_Tenggat" cancelActivity="false" attachedToRef="Task_Periksa">{DOC}
      <bpmn:outgoing>Flow_D</bpmn:outgoing>
      <bpmn:timerEventDefinition id="TimerDef_Tenggat"><bpmn:timeDate>=tenggat</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="End_Eskalasi">{DOC}<bpmn:incoming>Flow_D</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="End_Selesai">{DOC}<bpmn:incoming>Flow_C</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_A" sourceRef="Start_Masuk" targetRef="Task_Periksa" />
    <bpmn:sequenceFlow id="Flow_B" sourceRef="Task_Periksa" targetRef="Gateway_Putusan" />
    <bpmn:sequenceFlow id="Flow_Ya" sourceRef="Gateway_Putusan" targetRef="Task_Status"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_Tidak" sourceRef="Gateway_Putusan" targetRef="Task_Status" />
    <bpmn:sequenceFlow id="Flow_C" sourceRef="Task_Status" targetRef="End_Selesai" />
    <bpmn:sequenceFlow id="Flow_D" sourceRef="Timer_Tenggat" targetRef="End_Eskalasi" />
"""
DRAWN = [
    "Start_Masuk", "Task_Periksa", "Gateway_Putusan", "Task_Status", "Timer_Tenggat",
    "End_Eskalasi", "End_Selesai", "Flow_A", "Flow_B", "Flow_Ya", "Flow_Tidak", "Flow_C", "Flow_D",
]  # fmt: skip


def diagram(tmp_path: Path, nodes: str = GOOD_NODES, drawn: list[str] = DRAWN) -> Path:
    shapes = "".join(
        f'<bpmndi:{"BPMNEdge" if d.startswith("Flow") else "BPMNShape"} id="DI_{d}" '
        f'bpmnElement="{d}" />'
        for d in drawn
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_Uji">
  <bpmn:process id="Uji_Lint" isExecutable="true">{nodes}</bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_Uji"><bpmndi:BPMNPlane id="Plane_Uji" bpmnElement="Uji_Lint">{shapes}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>"""
    path = tmp_path / "uji.bpmn"
    path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [f"{f.element}: {f.message}" for f in lint.lint_file(path, CONTEXT)]


def test_a_clean_diagram_has_no_findings(tmp_path: Path):
    assert messages(diagram(tmp_path)) == []


@pytest.mark.parametrize("path", sorted((REPO / "bpmn").glob("*.bpmn")), ids=lambda p: p.name)
def test_every_shipped_diagram_passes(path: Path):
    assert lint.lint_file(path, CONTEXT) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('type="alur.perkara.status"', 'type="alur.tidak.ada"', "Task_Status: tidak ada worker untuk job type 'alur.tidak.ada'"),
        ('formId="kemenpanrb-konsultasi-analisis"', 'formId="tidak-ada"', "Task_Periksa: formulir 'tidak-ada' tidak ada di forms/"),
        ('candidateGroups="kemenpanrb.petugas"', 'candidateGroups="kemenpanrb.petugas, satpam"', "Task_Periksa: candidate group 'satpam' bukan peran di alur/roles.py"),
        ('<zeebe:assignmentDefinition candidateGroups="kemenpanrb.petugas" />', "", "Task_Periksa: user task tanpa candidate groups (peran)"),
        ("<bpmn:timeDate>=tenggat</bpmn:timeDate>", "", "Timer_Tenggat: timer tanpa tanggal, durasi, atau siklus"),
        (' default="Flow_Tidak"', "", "Gateway_Putusan: gateway tanpa alur default"),
        (' default="Flow_Tidak"', "", "Flow_Tidak: alur gateway tanpa kondisi dan bukan default"),
        ('<bpmn:sequenceFlow id="Flow_A" sourceRef="Start_Masuk" targetRef="Task_Periksa" />', '<bpmn:sequenceFlow id="Flow_A" sourceRef="Start_Masuk" targetRef="End_Selesai" />', "Task_Periksa: tidak terjangkau: tidak ada jalur dari start event"),
        ('<bpmn:sequenceFlow id="Flow_C" sourceRef="Task_Status" targetRef="End_Selesai" />', "", "Task_Status: buntu: tidak ada alur keluar dan bukan end event"),
        ('id="End_Eskalasi"', 'id="End_Selesai"', "End_Selesai: id ganda (juga di baris"),
        ('id="Task_Status"', 'id="Activity_0x1f2ab"', "Activity_0x1f2ab: id tidak terbaca manusia (tulis misalnya Task_VerifikasiBerkas)"),
        (f'<bpmn:endEvent id="End_Selesai">{DOC}', '<bpmn:endEvent id="End_Selesai">', "End_Selesai: dokumentasi tidak mengutip langkah SOP (seed)"),
    ],
    ids=["job-type", "form", "role", "no-groups", "timer", "no-default", "no-condition", "unreachable", "dead-end", "duplicate-id", "machine-id", "no-seed-doc"],
)  # fmt: skip
def test_each_class_of_defect_is_found(tmp_path: Path, old: str, new: str, expected: str):
    assert old in GOOD_NODES
    found = messages(diagram(tmp_path, GOOD_NODES.replace(old, new)))
    assert [m for m in found if m.startswith(expected)], found


def test_an_element_without_di_is_found(tmp_path: Path):
    drawn = [d for d in DRAWN if d != "Task_Status"]
    assert messages(diagram(tmp_path, drawn=drawn)) == [
        "Task_Status: tidak ada DI: elemen ini tidak tergambar"
    ]


def test_findings_name_file_and_line(tmp_path: Path):
    path = diagram(tmp_path, GOOD_NODES.replace('type="alur.perkara.status"', 'type="x.y"'))
    [finding] = lint.lint_file(path, CONTEXT)
    assert str(finding).startswith(f"{path}:") and finding.line > 1


def test_the_job_types_match_the_routers(stack):
    from dataclasses import replace

    from storage.db import make_engine, make_sessionmaker
    from workers.audit import Steps
    from workers.deps import Deps
    from workers.registry import build_routers
    from workers.runtime import job_limits

    settings = replace(stack.settings, database_url="sqlite://")
    sessions = make_sessionmaker(make_engine(settings.database_url))
    deps = Deps(settings, sessions, stack.s3_client(), job_limits(settings), Steps(sessions, 1))
    assert {task.type for router in build_routers(deps) for task in router.tasks} == JOB_TYPES
