# ruff: noqa: E501
"""``alur lint``: each class of defect is found in a diagram made for it; shipped diagrams pass."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from alur import feelvars, intake, lint
from alur.roles import ROLES
from stack.local import REPO
from workers.registry import JOB_OUTPUTS, JOB_TYPES

CONTEXT = lint.Context(
    job_types=JOB_TYPES,
    form_ids=lint.form_ids(REPO / "forms"),
    roles=frozenset(ROLES),
    variables=lint.known_variables(REPO / "forms", JOB_OUTPUTS),
)
DOC = "<bpmn:documentation>Seed 000, langkah uji.</bpmn:documentation>"
GOOD_NODES = f"""
    <bpmn:startEvent id="Start_Masuk" name="Masuk">{DOC}<bpmn:outgoing>Flow_A</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_Periksa" name="Periksa">{DOC}
      <bpmn:extensionElements>
        <zeebe:formDefinition formId="kemenpanrb-konsultasi-analisis" />
        <zeebe:assignmentDefinition candidateGroups="kemenpanrb.petugas" />
        <zeebe:ioMapping><zeebe:input source="=now() + duration(&quot;P1D&quot;)" target="tenggat" /></zeebe:ioMapping>
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
    <bpmn:sequenceFlow id="Flow_Ya" sourceRef="Gateway_Putusan" targetRef="Task_Status"><bpmn:conditionExpression>=canBeHeld = "ya"</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_Tidak" sourceRef="Gateway_Putusan" targetRef="Task_Status" />
    <bpmn:sequenceFlow id="Flow_C" sourceRef="Task_Status" targetRef="End_Selesai" />
    <bpmn:sequenceFlow id="Flow_D" sourceRef="Timer_Tenggat" targetRef="End_Eskalasi" />
"""
DRAWN = [
    "Start_Masuk", "Task_Periksa", "Gateway_Putusan", "Task_Status", "Timer_Tenggat",
    "End_Eskalasi", "End_Selesai", "Flow_A", "Flow_B", "Flow_Ya", "Flow_Tidak", "Flow_C", "Flow_D",
]  # fmt: skip


def diagram(
    tmp_path: Path,
    nodes: str = GOOD_NODES,
    drawn: list[str] = DRAWN,
    process: str = "Uji_Lint",
    roots: str = "",
) -> Path:
    shapes = "".join(
        f'<bpmndi:{"BPMNEdge" if d.startswith("Flow") else "BPMNShape"} id="DI_{d}" '
        f'bpmnElement="{d}" />'
        for d in drawn
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_Uji">
  <bpmn:process id="{process}" isExecutable="true">{nodes}</bpmn:process>{roots}
  <bpmndi:BPMNDiagram id="Diagram_Uji"><bpmndi:BPMNPlane id="Plane_Uji" bpmnElement="{process}">{shapes}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
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


def test_a_coded_limit_is_checked(tmp_path: Path):
    """``kodeBatas`` names an installation's limit: only on alur.sla.hitung, well formed, and
    with the SOP's own limit beside it as the default."""
    status = '<zeebe:taskDefinition type="alur.perkara.status" />'
    cases = {
        '<zeebe:taskDefinition type="alur.perkara.status" /><zeebe:taskHeaders>'
        '<zeebe:header key="kodeBatas" value="uji.batas" /></zeebe:taskHeaders>': (
            "Task_Status: header kodeBatas hanya untuk alur.sla.hitung"
        ),
        '<zeebe:taskDefinition type="alur.sla.hitung" /><zeebe:taskHeaders>'
        '<zeebe:header key="batas" value="3 hari" /><zeebe:header key="kodeBatas" value="Uji" />'
        '<zeebe:header key="variabel" value="tenggat" /></zeebe:taskHeaders>': (
            "Task_Status: kodeBatas 'Uji': kata huruf kecil dipisah titik"
        ),
        '<zeebe:taskDefinition type="alur.sla.hitung" /><zeebe:taskHeaders>'
        '<zeebe:header key="kodeBatas" value="uji.batas" />'
        '<zeebe:header key="variabel" value="tenggat" /></zeebe:taskHeaders>': (
            "Task_Status: kodeBatas perlu header batas"
        ),
    }
    assert status in GOOD_NODES
    for n, (replacement, expected) in enumerate(cases.items()):
        found = messages(diagram(folder(tmp_path, str(n)), GOOD_NODES.replace(status, replacement)))
        assert [m for m in found if m.startswith(expected)], found
    fine = (
        '<zeebe:taskDefinition type="alur.sla.hitung" /><zeebe:taskHeaders>'
        '<zeebe:header key="batas" value="3 hari" /><zeebe:header key="kodeBatas" '
        'value="uji.batas" /><zeebe:header key="variabel" value="tenggat" /></zeebe:taskHeaders>'
    )
    found = messages(diagram(folder(tmp_path, "baik"), GOOD_NODES.replace(status, fine)))
    assert not [m for m in found if "kodeBatas" in m], found


def folder(root: Path, name: str) -> Path:
    made = root / name
    made.mkdir()
    return made


@pytest.mark.parametrize(
    ("headers", "job", "expected"),
    [
        ('<zeebe:header key="draf" value="jawaban" /><zeebe:header key="tahap" value="paraf" />', "alur.perkara.status", "Task_Periksa: draf 'jawaban' tidak dibuka oleh tugas alur.surat.draf"),
        ('<zeebe:header key="draf" value="jawaban" /><zeebe:header key="tahap" value="periksa" />', "alur.surat.draf", "Task_Periksa: header tahap='periksa' bukan tahap draf (susun, paraf, tandatangan)"),
        ('<zeebe:header key="draf" value="jawaban" /><zeebe:header key="tahap" value="paraf" />', "alur.surat.terbitkan", "Task_Status: draf 'jawaban' tidak dibuka oleh tugas alur.surat.draf"),
    ],
    ids=["not-opened", "unknown-stage", "issued-unopened"],
)  # fmt: skip
def test_a_review_chain_is_checked(tmp_path: Path, headers: str, job: str, expected: str):
    """The user task joins a review chain; the service task opens it, or issues it."""
    nodes = GOOD_NODES.replace(
        "<zeebe:assignmentDefinition",
        f"<zeebe:taskHeaders>{headers}</zeebe:taskHeaders><zeebe:assignmentDefinition",
    ).replace('type="alur.perkara.status" />', f'type="{job}" />{TASK_HEADERS[job]}')
    found = messages(diagram(tmp_path, nodes))
    assert [m for m in found if m.startswith(expected)], found


TASK_HEADERS = {
    "alur.perkara.status": "",
    "alur.surat.draf": '<zeebe:taskHeaders><zeebe:header key="draf" value="jawaban" /></zeebe:taskHeaders>',
    "alur.surat.terbitkan": '<zeebe:taskHeaders><zeebe:header key="draf" value="jawaban" /></zeebe:taskHeaders>',
}  # fmt: skip


def test_an_issued_draft_needs_a_signer(tmp_path: Path):
    nodes = GOOD_NODES.replace(
        "<zeebe:assignmentDefinition",
        '<zeebe:taskHeaders><zeebe:header key="draf" value="jawaban" />'
        '<zeebe:header key="tahap" value="paraf" /></zeebe:taskHeaders><zeebe:assignmentDefinition',
    ).replace(
        'type="alur.perkara.status" />',
        'type="alur.surat.terbitkan" />' + TASK_HEADERS["alur.surat.terbitkan"],
    )
    found = messages(diagram(tmp_path, nodes))
    assert "Task_Status: draf 'jawaban' diterbitkan tanpa langkah tahap=tandatangan" in found


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


# Variables an expression reads that nothing sets ################################################

UNSET = "ekspresi memakai variabel `{}` yang tidak diisi formulir, data permohonan, atau pekerja mana pun"
CONDITION = '<bpmn:conditionExpression>=canBeHeld = "ya"</bpmn:conditionExpression>'
PERIKSA_EXT = '<zeebe:assignmentDefinition candidateGroups="kemenpanrb.petugas" />'
STATUS_EXT = '<zeebe:taskDefinition type="alur.perkara.status" />'
LOOP = '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[canBeHeld, analysis]" inputElement="catatan" outputCollection="semuaCatatan" outputElement="=catatan" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>'


def condition(expression: str) -> str:
    return GOOD_NODES.replace(
        CONDITION, f"<bpmn:conditionExpression>{expression}</bpmn:conditionExpression>"
    )


def test_a_variable_no_form_sets_is_found(tmp_path: Path):
    found = messages(diagram(tmp_path, condition('=catatanX = "ya"')))
    assert found == [f"Flow_Ya: {UNSET.format('catatanX')}"]


def test_the_finding_names_the_line_of_the_expression(tmp_path: Path):
    path = diagram(tmp_path, condition("=catatanX"))
    [finding] = lint.lint_file(path, CONTEXT)
    assert "=catatanX" in path.read_text().splitlines()[finding.line - 1]


@pytest.mark.parametrize(
    ("nodes", "process"),
    [
        (condition("=analysis != null"), "Uji_Lint"),
        (condition("=trackingCode != null and receivedOn != null"), "Uji_Lint"),
        (condition('=topic = "kelembagaan"'), "KemenPANRB_KonsultasiSurat"),
        (condition("=dapat").replace(PERIKSA_EXT, PERIKSA_EXT + '<zeebe:ioMapping><zeebe:output source="=canBeHeld = &quot;ya&quot;" target="dapat" /></zeebe:ioMapping>'), "Uji_Lint"),
        (condition("=nomorRegister != null").replace("alur.perkara.status", "alur.register.catat"), "Uji_Lint"),
        (condition("=tenggatPutusan != null").replace(STATUS_EXT, '<zeebe:taskDefinition type="alur.sla.hitung" /><zeebe:taskHeaders><zeebe:header key="variabel" value="tenggatPutusan" /></zeebe:taskHeaders>'), "Uji_Lint"),
        (condition("=semuaCatatan != null").replace("</bpmn:serviceTask>", LOOP + "</bpmn:serviceTask>"), "Uji_Lint"),
    ],
    ids=["task-form", "case-variables", "intake-form", "output-mapping", "worker-output", "worker-output-from-header", "multi-instance"],
)  # fmt: skip
def test_a_variable_something_sets_is_no_finding(tmp_path: Path, nodes: str, process: str):
    assert messages(diagram(tmp_path, nodes, process=process)) == []


@pytest.mark.parametrize(
    ("nodes", "expected"),
    [
        (condition('=topic = "kelembagaan"'), "Flow_Ya: " + UNSET.format("topic")),  # no service starts Uji_Lint
        (condition("=sekarang != null").replace(STATUS_EXT, STATUS_EXT + '<zeebe:ioMapping><zeebe:input source="=now()" target="sekarang" /></zeebe:ioMapping>'), "Flow_Ya: " + UNSET.format("sekarang")),
        (GOOD_NODES.replace(PERIKSA_EXT, PERIKSA_EXT + '<zeebe:ioMapping><zeebe:output source="=analysis" target="analisis" /></zeebe:ioMapping>'), "Flow_Ya: " + UNSET.format("canBeHeld")),
        (condition("=tenggatPutusan != null").replace(STATUS_EXT, '<zeebe:taskDefinition type="alur.sla.hitung" /><zeebe:taskHeaders><zeebe:header key="variabel" value="tenggatLain" /></zeebe:taskHeaders>'), "Flow_Ya: " + UNSET.format("tenggatPutusan")),
        (GOOD_NODES.replace('candidateGroups="kemenpanrb.petugas" />', 'candidateGroups="kemenpanrb.petugas" assignee="=petugasX" />'), "Task_Periksa: " + UNSET.format("petugasX")),
        (GOOD_NODES.replace("=tenggat<", "=tenggatX<"), "Timer_Tenggat: " + UNSET.format("tenggatX")),
        (condition("=catatan != null").replace("</bpmn:serviceTask>", LOOP + "</bpmn:serviceTask>"), "Flow_Ya: " + UNSET.format("catatan")),
    ],
    ids=["intake-form-of-another-process", "input-of-another-element", "form-behind-output-mapping", "other-header", "assignment", "timer", "loop-element-elsewhere"],
)  # fmt: skip
def test_a_variable_set_elsewhere_or_under_another_name_is_found(
    tmp_path: Path, nodes: str, expected: str
):
    assert messages(diagram(tmp_path, nodes)) == [expected]


def test_a_message_correlation_key_is_checked_where_the_event_waits(tmp_path: Path):
    receive = '<bpmn:receiveTask id="Task_Status" name="Status" messageRef="Message_Balasan">'
    nodes = GOOD_NODES.replace('<bpmn:serviceTask id="Task_Status" name="Status">', receive)
    nodes = nodes.replace(f"<bpmn:extensionElements>{STATUS_EXT}</bpmn:extensionElements>", "")
    nodes = nodes.replace("</bpmn:serviceTask>", "</bpmn:receiveTask>")
    message = '<bpmn:message id="Message_Balasan" name="balasan"><bpmn:extensionElements><zeebe:subscription correlationKey="=nomorSuratX" /></bpmn:extensionElements></bpmn:message>'
    assert messages(diagram(tmp_path, nodes, roots=message)) == [
        f"Task_Status: {UNSET.format('nomorSuratX')}"
    ]
    fixed = message.replace("nomorSuratX", "trackingCode")
    assert messages(diagram(tmp_path, nodes, roots=fixed)) == []


def test_without_variables_in_the_context_expressions_are_not_checked(tmp_path: Path):
    context = lint.Context(CONTEXT.job_types, CONTEXT.form_ids, CONTEXT.roles)
    assert lint.lint_file(diagram(tmp_path, condition("=catatanX")), context) == []


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('=canBeHeld = "ya"', ["canBeHeld"]),
        ('"a + b: c" + d', ["d"]),
        (r'"say \"x\"" + y', ["y"]),
        ("a.b.c + d.e", ["a", "d"]),
        ("date and time(x) < now()", ["x"]),
        ("x and date and time(y)", ["x", "y"]),
        ("string length(s) > 3", ["s"]),
        ("substring(string: s, start position: 2)", ["s"]),
        ("for i in xs return i * k", ["xs", "k"]),
        ("for i in 1..n, j in ys return i + j + partial[-1]", ["n", "ys"]),
        ("some x in xs satisfies x > limit", ["xs", "limit"]),
        ("every x in xs satisfies x", ["xs"]),
        ("{a: 1, b: a + c}", ["c"]),
        ("{topic: topic, isian: {n: if letterNumber = null then trackingCode else letterNumber}}", ["topic", "letterNumber", "trackingCode"]),
        ("not(x)", ["x"]),
        ("not(true) or false or null", []),
        ("if p then [q, r] else s", ["p", "q", "r", "s"]),
        ("orders[amount > minimum].id", ["orders"]),
        ("function(a, b) a + b + c", ["c"]),
        ("x instance of list<string> and y", ["x", "y"]),
        ('@"2026-01-05T10:00:00@Asia/Jakarta" < d', ["d"]),
        ("a // b\n + c /* d */", ["a", "c"]),
        ("`nama lengkap` + 1", ["nama lengkap"]),
        ("nama lengkap", []),
        ("x between lo and hi", ["x", "lo", "hi"]),
    ],
)  # fmt: skip
def test_the_feel_scanner_finds_the_variables_read(expression: str, expected: list[str]):
    assert feelvars.variables(expression) == expected


def test_the_case_variables_are_what_the_intake_sets(fresh_db: sessionmaker[Session]):
    from storage.models import Case

    case = Case(id=1, tracking_code="X", unit_code=None, service_code="s", data={"topic": "t"}, created_at=datetime.now(UTC))  # fmt: skip
    with fresh_db() as db:  # a case without a receipt on record
        assert set(intake.variables_of(db, case)) == {"topic", *intake.CASE_VARIABLES}


def test_the_job_outputs_are_what_the_workers_return(monkeypatch: pytest.MonkeyPatch):
    """Each worker runs on a job without a broker; only what it stores or sends is faked."""
    from pyzeebe import Job, ZeebeTaskRouter

    from workers import cases, documents_request, letters, sla, units
    from workers.registry import build_routers
    from workers.runtime import JobLimits

    at = datetime(2026, 1, 5, 9, tzinfo=UTC)
    fakes: dict[tuple[Any, str], Any] = {
        (letters, "issue_letter"): lambda *a, **k: letters.Issued("konsultasi_jawaban", "1/2026", 7, "2026-01-05"),
        (letters, "send_documents"): lambda *a, **k: True,
        (letters, "open_draft"): lambda *a, **k: {letters.DRAFT_OUTPUT: {"nama": "x", "versi": 1, "sidik": "0" * 64}},
        (cases, "record_in_register"): lambda *a, **k: "1/2026",
        (cases, "set_status"): lambda *a, **k: None,
        (sla, "compute_due"): lambda *a, **k: at,
        (sla, "resume_due"): lambda *a, **k: (at, 60),
        (sla, "escalate"): lambda *a, **k: 1,
        (sla, "set_clock"): lambda *a, **k: None,
        (documents_request, "request_documents"): lambda *a, **k: 1,
        (units, "unit_options"): lambda *a, **k: [{"label": "Unit", "value": "unit"}],
    }  # fmt: skip
    for (module, name), fake in fakes.items():
        monkeypatch.setattr(module, name, fake)
    deps = SimpleNamespace(router=ZeebeTaskRouter, limits=JobLimits())
    headers = {"variabel": "tenggat", "status": "selesai", "langkah": "Periksa", "pengawas": "x"}
    variables = {"caseId": 1, "sekarang": at.isoformat(), "kirimDokumen": 7, "tenggat": at.isoformat(), "tenggatJedaMulai": at.isoformat(), "kekuranganBerkas": "Salinan KTP", "unitInduk": "unit"}  # fmt: skip
    tasks = [task for router in build_routers(deps) for task in router.tasks]  # type: ignore[arg-type]
    assert {task.type for task in tasks} == set(JOB_OUTPUTS)
    for task in tasks:
        job = Job(1, task.type, 1, "Uji_Lint", 1, 1, "Task_X", 1, headers, "uji", 3, 0, variables)
        returned = task.original_function(job)
        assert set(returned) == lint.job_outputs(JOB_OUTPUTS[task.type], headers), task.type
