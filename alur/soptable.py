"""The SOP as the office prints it (No., activity, executor, requirements, time, output),
generated from the diagram: a process owner edits the diagram and the printed SOP follows.

Rows follow the normal flow from the start event (escalations behind timers are left out):
the executor is the element's lane, the requirements the fields of its form (or the
service's checklist for the start), the time the limit of the SLA task that feeds the task's
due date, the output what the step produces (a letter, a register entry, a decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from alur import forms, letters, numbering, services

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
STEPS = ("startEvent", "userTask", "serviceTask", "exclusiveGateway", "endEvent")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class Row:
    number: int
    activity: str
    executor: str
    requirements: str
    time: str
    output: str


@dataclass(frozen=True)
class SopTable:
    process_id: str
    title: str
    legal_basis: str
    rows: tuple[Row, ...]
    agency: str = ""


def _q(name: str, ns: str = BPMN) -> str:
    return f"{{{ns}}}{name}"


def _headers(node: etree._Element) -> dict[str, str]:
    return {h.get("key", ""): h.get("value", "") for h in node.iter(_q("header", ZEEBE))}


def _form_labels(forms_dir: Path) -> dict[str, list[str]]:
    """The labels of each form's fields, by form id."""
    labels: dict[str, list[str]] = {}
    for form_id, schema in forms.schemas(forms_dir).items():
        try:
            components = forms.parse_form(schema).components
        except forms.FormError:
            continue
        labels[form_id] = [c.label for c in components if c.label]
    return labels


def table(xml: bytes, forms_dir: Path) -> SopTable:
    """The SOP table of the (first) process in ``xml``."""
    root = etree.fromstring(xml, _PARSER)
    process = root.find(_q("process"))
    if process is None:
        raise ValueError("the diagram has no process")
    nodes = {n.get("id"): n for n in process if isinstance(n.tag, str) and n.get("id")}
    lane_of = {
        ref.text: lane.get("name", "")
        for lane in process.iter(_q("lane"))
        for ref in lane.iter(_q("flowNodeRef"))
    }
    outgoing: dict[str, list[tuple[str, str]]] = {}
    for flow in process.iter(_q("sequenceFlow")):
        target = (str(flow.get("targetRef")), flow.get("name") or "")
        outgoing.setdefault(str(flow.get("sourceRef")), []).append(target)
    limits = {
        _headers(n).get("variabel", ""): _headers(n).get("batas", "")
        for n in nodes.values()
        if etree.QName(n).localname == "serviceTask" and _headers(n).get("batas")
    }
    forms = _form_labels(forms_dir)
    service = services.by_process(services.CATALOG, str(process.get("id")))
    order: list[tuple[str, str]] = []
    starts = [key for key, n in nodes.items() if etree.QName(n).localname == "startEvent"]
    todo = [(key, "") for key in reversed(starts)]
    while todo:  # depth first along the normal flow: each branch read to its end
        current, branch = todo.pop()
        if current in {key for key, _ in order}:
            continue
        order.append((current, branch))
        todo += reversed(outgoing.get(current, []))
    rows: list[Row] = []
    for key, branch in order:
        node = nodes[key]
        kind = etree.QName(node).localname
        if kind not in STEPS:
            continue
        rows.append(
            Row(
                number=len(rows) + 1,
                activity=(f"Jika {branch.lower()}: " if branch else "") + (node.get("name") or key),
                executor=lane_of.get(key, ""),
                requirements=_requirements(node, kind, forms, service),
                time=_time(node, limits),
                output=_output(node, kind),
            )
        )
    doc = process.find(_q("documentation"))
    return SopTable(
        process_id=str(process.get("id")),
        title=process.get("name") or str(process.get("id")),
        legal_basis=_legal_basis(doc.text if doc is not None else ""),
        rows=tuple(rows),
        agency=service.agency if service else "",
    )


def _requirements(
    node: etree._Element, kind: str, forms: dict[str, list[str]], service: services.Service | None
) -> str:
    if kind == "startEvent" and service is not None:
        return "; ".join(r.label for r in service.requirements)
    form = node.find(f"{_q('extensionElements')}/{_q('formDefinition', ZEEBE)}")
    if form is not None:
        return "; ".join(forms.get(form.get("formId", ""), []))
    return "-"


def _time(node: etree._Element, limits: dict[str, str]) -> str:
    schedule = node.find(f"{_q('extensionElements')}/{_q('taskSchedule', ZEEBE)}")
    if schedule is not None and (schedule.get("dueDate") or "").startswith("="):
        return limits.get(schedule.get("dueDate", "")[1:], "-")
    return "-"


def _output(node: etree._Element, kind: str) -> str:
    headers = _headers(node)
    task = node.find(f"{_q('extensionElements')}/{_q('taskDefinition', ZEEBE)}")
    job_type = task.get("type") if task is not None else None
    if job_type == "alur.surat.terbitkan" and headers.get("jenis") in letters.KINDS:
        return letters.KINDS[headers["jenis"]].title
    if job_type == "alur.surat.kirim":
        return "Dokumen terkirim ke e-mail pemohon"
    if job_type == "alur.register.catat":
        try:
            return numbering.register(headers.get("instansi", ""), headers["register"]).title
        except KeyError:
            return "Catatan register"
    if job_type == "alur.sla.hitung":
        return f"Tenggat {headers.get('batas', '')}"
    if job_type == "alur.perkara.status":
        return f"Status permohonan: {headers.get('status', '')}"
    if kind == "exclusiveGateway":
        return "Keputusan"
    if kind == "userTask":
        return "Formulir terisi"
    return "-"


def _legal_basis(text: str | None) -> str:
    for line in (text or "").splitlines():
        if line.strip().lower().startswith("dasar hukum"):
            return line.split(":", 1)[-1].strip()
    return "-"


def render_pdf(sop: SopTable) -> bytes:
    return letters.render_pdf("sop.html", {"sop": sop, "letterhead": letters.DEFAULT_LETTERHEAD})


def render_html(sop: SopTable) -> str:
    return letters.render_html("sop.html", {"sop": sop, "letterhead": letters.DEFAULT_LETTERHEAD})
