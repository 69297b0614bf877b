"""The SOP as the office prints it (No., activity, executor, requirements, time, output),
generated from the diagram: a process owner edits the diagram and the printed SOP follows.

Rows follow the flow from the start event, depth first (each branch of a gateway read to its
end, its first row headed "Jika <branch>: "; gateways where paths merge are no row): the
executor is the element's lane, the requirements the fields of its form (or the service's
checklist for the start), the time the limit of the SLA task that feeds the task's due date,
the output what the step produces (a letter, a register entry, a decision).

Events on an activity's border (boundary events):

- an escalation (a timer whose path starts with the ``alur.sla.terlambat`` job) is left out:
  the step carries on, the platform tells the supervisor; it is no step of the SOP;
- any other (the interrupting timer that cancels a proposal not followed up in two months,
  SOP 2) changes the course of the case, so its path is a branch like a gateway's: read after
  the activity's own continuation, its first row headed "Jika <event name>: ".

What the path does decides, not ``cancelActivity`` (which ``alur.bpmn`` does not keep): a
non-interrupting timer that reminds the applicant is a step of the SOP as well.

An embedded sub-process is printed as one row for the stage, then the stage's own steps from
its start event (by the same rules), then what follows the stage. The stage's row names it
and the steps it holds ("Tindak lanjut dan pembahasan teknis (langkah 4 s/d 9)"), its
executors are the lanes of those steps, its time the limit of the timer on its border: a rule
such as "the proposer follows up within two months, or the proposal is cancelled" belongs to
the stage, not to any one step, and without that row the table would have nowhere to say it
nor which steps it covers. The stage's start event is no row (the stage's row stands for it);
its end events are, as the process's are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
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
    xml: bytes,
    forms_dir: Path,
    registers: Mapping[tuple[str, str], str] | None = None,
    calendar_file: Path | None = None,
) -> SopTable:
    """The SOP table of the (first) process in ``xml``; ``registers`` titles each register by
    (agency, code) (default: as ``deploy/agencies.toml`` has them). With ``calendar_file``,
    a step whose limit has a code (``kodeBatas``) prints the limit the installation set for
    the SOP's agency there, as the workers count it."""
    if registers is None:
        shipped = agency_file.shipped()
        registers = {key: shipped.register(*key).title for key in shipped.register_keys}
    processes = bpmn.read(xml).processes
    if not processes:
        raise ValueError("the diagram has no process")
    process = processes[0]
    service = services.by_process(sops.CATALOG, process.id)
    overrides: Mapping[str, str] = {}
    if calendar_file is not None:
        this_year = datetime.now(UTC).year
        agency = service.agency if service else None
        overrides = workdays.calendar_for(calendar_file, agency, [this_year]).limits
    walk = _Walk(
        process,
        forms=_form_labels(forms_dir),
        service=service,
        registers=registers,
        overrides=overrides,
    )
    walk.scope(None)
    return SopTable(
        process_id=process.id,
        title=process.name or process.id,
        legal_basis=_legal_basis(process.documentation),
        rows=tuple(walk.rows),
        agency=service.agency if service else "",
    )


class _Walk:
    """The rows of one process, read depth first along its flows (see the module)."""

    def __init__(
        self,
        process: bpmn.Process,
        forms: dict[str, list[str]],
        service: services.Service | None,
        registers: Mapping[tuple[str, str], str],
        overrides: Mapping[str, str] | None = None,
    ) -> None:
        self.nodes = {n.id: n for n in process.nodes}
        self.lane_of = {ref: lane.name for lane in process.lanes for ref in lane.nodes}
        self.outgoing: dict[str, list[tuple[str, str]]] = {}
        incoming: set[str] = set()
        for flow in process.flows:
            self.outgoing.setdefault(flow.source, []).append((flow.target, flow.name))
            incoming.add(flow.target)
        self.incoming = frozenset(incoming)
        #: Each activity's boundary paths that are branches: (first node, branch), in order.
        self.boundaries: dict[str, list[tuple[str, str]]] = {}
        #: Each activity's boundary timers (escalations too): the stage's time limit.
        self.timers: dict[str, list[bpmn.Timer]] = {}
        for node in process.nodes:
            if node.kind != "boundaryEvent" or not node.attached_to:
                continue
            self.timers.setdefault(node.attached_to, []).extend(node.timers)
            if self._escalation(node):
                continue
            label = node.name or ("batas waktu terlampaui" if node.timers else "")
            self.boundaries.setdefault(node.attached_to, []).extend(
                (target, name or label) for target, name in self.outgoing.get(node.id, [])
            )
        self.limits = {
            n.headers.get("variabel", ""): _limit(n, overrides or {})
            for n in process.nodes
            if n.kind == "serviceTask" and _limit(n, overrides or {})
        }
        self.forms = forms
        self.service = service
        self.registers = registers
        self.overrides: Mapping[str, str] = overrides or {}
        self.seen: set[str] = set()
        self.rows: list[Row] = []
        self.stages: set[int] = set()  # the numbers of the stages' rows

    def _escalation(self, boundary: bpmn.Node) -> bool:
        """Whether the boundary event's path is an escalation (left out of the SOP)."""
        targets = [self.nodes.get(target) for target, _ in self.outgoing.get(boundary.id, [])]
        return bool(targets) and all(
            t is not None and t.job_type == contract.SLA_ESCALATE for t in targets
        )

    def scope(self, container: str | None) -> None:
        """The rows of the process (``None``) or of a sub-process, from its start events (an
        ad-hoc sub-process, which has none: from its activities without incoming flows)."""
        inside = [n for n in self.nodes.values() if n.parent == container]
        starts = [n.id for n in inside if n.kind == "startEvent"]
        if not starts and container is not None:
            starts = [
                n.id for n in inside if n.id not in self.incoming and n.kind != "boundaryEvent"
            ]
        todo = [(key, "") for key in reversed(starts)]
        while todo:  # depth first along the flow: each branch read to its end
            current, branch = todo.pop()
            if current in self.seen:
                continue
            self.seen.add(current)
            node = self.nodes.get(current)
            if node is not None and node.kind in bpmn.CONTAINERS:
                self.stage(node, branch)
            elif node is not None and self._step(node):
                self.rows.append(self.row(node, branch))
            following = self.outgoing.get(current, []) + self.boundaries.get(current, [])
            todo += reversed(following)

    def _step(self, node: bpmn.Node) -> bool:
        if node.kind not in STEPS:
            return False
        if node.kind == "startEvent" and node.parent is not None:
            return False  # a stage's start: the stage's row stands for it
        # Where paths merge a gateway decides nothing: no step.
        return node.kind != "exclusiveGateway" or len(self.outgoing.get(node.id, [])) > 1

    def row(self, node: bpmn.Node, branch: str) -> Row:
        agency = self.service.agency if self.service else ""
        return Row(
            number=len(self.rows) + 1,
            activity=_branch(branch) + (node.name or node.id),
            executor=self.executor(node),
            requirements=_requirements(node, node.kind, self.forms, self.service),
            time=_time(node, self.limits),
            output=_output(node, node.kind, self.registers, agency, self.overrides),
        )

    def executor(self, node: bpmn.Node) -> str:
        """The node's lane, or (a diagram whose lanes list only the sub-process) that of the
        nearest sub-process around it that has one."""
        current: bpmn.Node | None = node
        while current is not None:
            if current.id in self.lane_of:
                return self.lane_of[current.id]
            current = self.nodes.get(current.parent) if current.parent else None
        return ""

    def stage(self, node: bpmn.Node, branch: str) -> None:
        """The stage's row, then its steps."""
        index = len(self.rows)
        self.rows.append(self.row(node, branch))  # its number; filled in below
        self.scope(node.id)
        steps = self.rows[index + 1 :]
        held = ""
        if len(steps) == 1:
            held = f" (langkah {steps[0].number})"
        elif steps:
            held = f" (langkah {steps[0].number} s/d {steps[-1].number})"
        self.stages.add(index + 1)
        lanes = dict.fromkeys(
            r.executor for r in steps if r.executor and r.number not in self.stages
        )
        limits = [_timer_limit(t, self.limits) for t in self.timers.get(node.id, [])]
        self.rows[index] = Row(
            number=index + 1,
            activity=_branch(branch) + (node.name or node.id) + held,
            executor=", ".join(lanes) or self.executor(node),
            requirements="-",
            time="; ".join(dict.fromkeys(limit for limit in limits if limit)) or "-",
            output="-",
        )


def _branch(branch: str) -> str:
    # The branch's first letter only: "Disposisi ke UPT" reads "Jika disposisi ke UPT: ".
    return f"Jika {branch[:1].lower()}{branch[1:]}: " if branch else ""


def _timer_limit(timer: bpmn.Timer, limits: dict[str, str]) -> str:
    """The limit a timer waits for, as the table prints it ("" if it cannot say): the limit of
    the SLA task that sets its date, or its duration written in Bahasa."""
    for written in (timer.date, timer.duration):
        if written.startswith("="):
            limit = limits.get(written[1:].strip(), "")
            if limit:
                return "Hari yang sama" if _same_day(limit) else limit
        elif written:
            return _duration(written)
    return ""


_ISO_DURATION = re.compile(
    r"P(?:(?P<tahun>\d+)Y)?(?:(?P<bulan>\d+)M)?(?:(?P<minggu>\d+)W)?(?:(?P<hari>\d+)D)?"
    r"(?:T(?:(?P<jam>\d+)H)?(?:(?P<menit>\d+)M)?(?:(?P<detik>\d+)S)?)?"
)


def _duration(text: str) -> str:
    """An ISO 8601 duration ("P2M", "PT1H30M") in Bahasa ("2 bulan", "1 jam 30 menit"); ""
    for anything else."""
    match = _ISO_DURATION.fullmatch(text.strip())
    if match is None:
        return ""
    parts = [f"{int(amount)} {unit}" for unit, amount in match.groupdict().items() if amount]
    return " ".join(parts)


def _requirements(
    node: bpmn.Node, kind: str, forms: dict[str, list[str]], service: services.Service | None
) -> str:
    if kind == "startEvent" and node.parent is None and service is not None:
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


def _limit(node: bpmn.Node, overrides: Mapping[str, str] | None = None) -> str:
    """The limit a due date is computed with: the installation's for the header
    ``kodeBatas`` (``overrides``), the header ``batas``, or, when the process sets it (the
    variable ``batas``), the header ``keterangan`` that says how."""
    code = node.headers.get("kodeBatas", "")
    if code and overrides and code in overrides:
        return overrides[code]
    return node.headers.get("batas") or node.headers.get("keterangan", "")


def _output(
    node: bpmn.Node,
    kind: str,
    registers: Mapping[tuple[str, str], str],
    agency: str = "",
    overrides: Mapping[str, str] | None = None,
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
        limit = _limit(node, overrides)
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
