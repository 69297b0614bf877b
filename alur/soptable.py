"""The SOP as the office prints it (No., activity, executor, requirements, time, output),
generated from the diagram: a process owner edits the diagram and the printed SOP follows.

Rows follow the normal flow from the start event (escalations behind timers are left out):
the executor is the element's lane, the requirements the fields of its form (or the
service's checklist for the start), the time the limit of the SLA task that feeds the task's
due date, the output what the step produces (a letter, a register entry, a decision).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from alur import (
    agency_file,
    bpmn,
    contract,
    forms,
    letter_kinds,
    letter_parts,
    letters,
    services,
    sops,
    workdays,
)

STEPS = ("startEvent", "userTask", "serviceTask", "exclusiveGateway", "endEvent")


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


def table(
    xml: bytes, forms_dir: Path, registers: Mapping[tuple[str, str], str] | None = None
) -> SopTable:
    """The SOP table of the (first) process in ``xml``; ``registers`` titles each register by
    (agency, code) (default: as ``deploy/agencies.toml`` has them)."""
    if registers is None:
        shipped = agency_file.shipped()
        registers = {key: shipped.register(*key).title for key in shipped.register_keys}
    processes = bpmn.read(xml).processes
    if not processes:
        raise ValueError("the diagram has no process")
    process = processes[0]
    nodes = {n.id: n for n in process.nodes if n.parent is None}
    lane_of = {ref: lane.name for lane in process.lanes for ref in lane.nodes}
    outgoing: dict[str, list[tuple[str, str]]] = {}
    for flow in process.flows:
        outgoing.setdefault(flow.source, []).append((flow.target, flow.name))
    limits = {
        n.headers.get("variabel", ""): _limit(n)
        for n in nodes.values()
        if n.kind == "serviceTask" and _limit(n)
    }
    forms = _form_labels(forms_dir)
    service = services.by_process(sops.CATALOG, process.id)
    order: list[tuple[str, str]] = []
    starts = [key for key, n in nodes.items() if n.kind == "startEvent"]
    todo = [(key, "") for key in reversed(starts)]
    while todo:  # depth first along the normal flow: each branch read to its end
        current, branch = todo.pop()
        if current in {key for key, _ in order}:
            continue
        order.append((current, branch))
        todo += reversed(outgoing.get(current, []))
    rows: list[Row] = []
    for key, branch in order:
        node = nodes.get(key)
        if node is None or node.kind not in STEPS:
            continue
        if node.kind == "exclusiveGateway" and len(outgoing.get(key, [])) <= 1:
            continue  # where paths merge: no decision, no step
        kind = node.kind
        rows.append(
            Row(
                number=len(rows) + 1,
                activity=(f"Jika {branch.lower()}: " if branch else "") + (node.name or key),
                executor=lane_of.get(key, ""),
                requirements=_requirements(node, kind, forms, service),
                time=_time(node, limits),
                output=_output(node, kind, registers, service.agency if service else ""),
            )
        )
    return SopTable(
        process_id=process.id,
        title=process.name or process.id,
        legal_basis=_legal_basis(process.documentation),
        rows=tuple(rows),
        agency=service.agency if service else "",
    )


def _requirements(
    node: bpmn.Node, kind: str, forms: dict[str, list[str]], service: services.Service | None
) -> str:
    if kind == "startEvent" and service is not None:
        return "; ".join(r.label for r in service.requirements)
    if node.form_id is not None:
        return "; ".join(forms.get(node.form_id, []))
    return "-"


def _time(node: bpmn.Node, limits: dict[str, str]) -> str:
    if node.due_date.startswith("="):
        limit = limits.get(node.due_date[1:], "-")
        return "Hari yang sama" if _same_day(limit) else limit
    return "-"


def _same_day(limit: str) -> bool:
    """Whether a ``batas`` header is "hari yang sama" (in whatever case it is written)."""
    try:
        return isinstance(workdays.parse_limit(limit), workdays.SameDay)
    except ValueError:
        return False


def _limit(node: bpmn.Node) -> str:
    """The limit a due date is computed with: the header ``batas``, or, when the process sets
    it (the variable ``batas``), the header ``keterangan`` that says how."""
    return node.headers.get("batas") or node.headers.get("keterangan", "")


def _output(
    node: bpmn.Node, kind: str, registers: Mapping[tuple[str, str], str], agency: str = ""
) -> str:
    """What a step produces; ``agency`` is the SOP's, for a task without ``instansi`` (the
    case's agency runs it: the SOP's registers are titled as the SOP's agency titles them)."""
    headers = node.headers
    job_type = node.job_type
    if job_type == contract.LETTER_ISSUE and headers.get("jenis") in letter_kinds.KINDS:
        title = letter_kinds.KINDS[headers["jenis"]].title
        signed = headers.get(contract.HEADER_DRAFT)
        return f"{title} bertanda tangan elektronik" if signed else title
    if job_type == contract.LETTER_DRAFT and headers.get("jenis") in letter_kinds.KINDS:
        return f"Draf {letter_kinds.KINDS[headers['jenis']].title}"
    stage = headers.get(contract.HEADER_DRAFT_STAGE)
    if kind == "userTask" and stage == "paraf":
        return "Draf diparaf atau dikembalikan"
    if kind == "userTask" and stage == "tandatangan":
        return "Draf disetujui untuk ditandatangani atau dikembalikan"
    if job_type == contract.LETTER_SEND:
        return "Dokumen terkirim ke e-mail pemohon"
    if job_type == contract.DOCUMENTS_REQUEST:
        return "Permintaan kelengkapan berkas kepada pemohon"
    if job_type == contract.REGISTER_RECORD:
        key = (
            headers.get(contract.HEADER_AGENCY, agency),
            headers.get(contract.HEADER_REGISTER, ""),
        )
        return registers.get(key, "Catatan register")
    if job_type == contract.SLA_COMPUTE:
        limit = _limit(node)
        return "Tenggat hari yang sama" if _same_day(limit) else f"Tenggat {limit}"
    if job_type == contract.CASE_STATUS:
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
    return letters.render_pdf(
        "sop.html", {"sop": sop, "letterhead": letter_parts.DEFAULT_LETTERHEAD}
    )


def render_html(sop: SopTable) -> str:
    return letters.render_html(
        "sop.html", {"sop": sop, "letterhead": letter_parts.DEFAULT_LETTERHEAD}
    )
