"""Lint for process owners: what in a diagram would break at run time or betray the SOP.

Findings are written in Bahasa Indonesia: process owners read them.

Reads ``.bpmn`` files through ``alur.bpmn`` and reports each finding with file, line and element id:
service tasks whose job type no worker handles, user tasks whose form or candidate groups do
not exist, timers without a date or duration, gateways whose outgoing flows lack conditions
and a default, elements unreachable from a start or leading to no end, duplicate or
machine-generated ids, elements without a shape (DI) or without the seed step in their
documentation, and variables an expression reads that nothing sets: neither the intake (its
form and the case's own variables), nor a user task's form, nor a worker, nor a mapping.
Variables that come from elsewhere (a message, a called process) count once an output mapping
of the element that receives them names them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from alur import bpmn, contract, feelvars, forms, intake, roles, sops, workdays
from alur.contract import (
    DRAFT_STAGES,
    HEADER_DRAFT,
    HEADER_DRAFT_STAGE,
    LETTER_DRAFT,
    LETTER_ISSUE,
)

FLOW_NODES = frozenset(
    {
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "task",
        "userTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "scriptTask",
        "businessRuleTask",
        "callActivity",
        "subProcess",
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
    }
)
#: Ids as Camunda Modeler generates them: Activity_0x1f2ab, Flow_1k2j3h4, Gateway_0abc123.
MACHINE_ID = re.compile(r"^[A-Za-z]+_[0-9][0-9a-z]{6}$")
READABLE_ID = re.compile(r"^[A-Z][A-Za-z0-9]*_[A-Z][A-Za-z0-9]*$")
UNSET = (
    "ekspresi memakai variabel `{name}` yang tidak diisi formulir, data permohonan, "
    "atau pekerja mana pun"
)
_HEADER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    element: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.element}: {self.message}"


@dataclass(frozen=True)
class Variables:
    """What sets process variables besides the diagram's own mappings."""

    #: Set when any case starts (``alur.intake.CASE_VARIABLES``).
    case: frozenset[str]
    #: The fields of each form that take input, by form id.
    form_keys: Mapping[str, frozenset[str]]
    #: The intake form of each process a service starts (``alur.services``), by process id.
    intake_forms: Mapping[str, str]
    #: What each job type's worker sets; ``{h}`` stands for the value of task header ``h``.
    job_outputs: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Context:
    """What the diagrams are checked against."""

    job_types: frozenset[str]
    form_ids: frozenset[str]
    roles: frozenset[str]
    #: None: expressions are not checked for variables nothing sets.
    variables: Variables | None = None


Report = Callable[[bpmn.Element, str], "Finding"]
#: An element a FEEL expression belongs to.
Owner = bpmn.Node | bpmn.Flow


def default_context(forms_dir: Path) -> Context:
    """What ``alur lint`` and the modeler check diagrams against: the job types and outputs of
    the contract (``alur.contract``), the forms in ``forms_dir`` and the roles."""
    return Context(
        job_types=contract.JOB_TYPES,
        form_ids=form_ids(forms_dir),
        roles=frozenset(roles.ROLES),
        variables=known_variables(forms_dir, contract.JOB_OUTPUTS),
    )


def form_ids(folder: Path) -> frozenset[str]:
    return frozenset(forms.schemas(folder))


def known_variables(folder: Path, job_outputs: Mapping[str, Iterable[str]]) -> Variables:
    """The variables the intake, the forms in ``folder`` and the workers set."""
    keys: dict[str, frozenset[str]] = {}
    for form_id, schema in forms.schemas(folder).items():
        try:
            form = forms.parse_form(schema)
        except forms.FormError:
            keys[form_id] = frozenset()
            continue
        keys[form_id] = frozenset(c.key for c in form.components if c.takes_input)
    return Variables(
        case=intake.CASE_VARIABLES,
        form_keys=keys,
        intake_forms={s.bpmn_process_id: s.intake_form_id for s in sops.CATALOG},
        job_outputs={job_type: frozenset(names) for job_type, names in job_outputs.items()},
    )


def job_outputs(templates: Iterable[str], headers: Mapping[str, str]) -> frozenset[str]:
    """The variables a job sets: ``{h}`` becomes header ``h``'s value (left out if absent)."""
    names = set()
    for template in templates:
        wanted = _HEADER.findall(template)
        if all(headers.get(header) for header in wanted):
            names.add(_HEADER.sub(lambda m: headers[m.group(1)], template))
    return frozenset(names)


def lint_file(path: Path, context: Context) -> list[Finding]:
    """Every finding of one diagram file, sorted by line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [Finding(str(path), 0, "-", f"diagram tidak dapat dibaca: {exc}")]
    return lint_text(data, str(path), context)


def lint_text(data: bytes, name: str, context: Context) -> list[Finding]:
    """Every finding of one diagram's text (``name`` labels the findings), sorted by line."""
    try:
        diagram = bpmn.read(data)
    except bpmn.Unreadable as exc:
        return [Finding(name, 0, "-", f"diagram tidak dapat dibaca: {exc}")]
    return lint_diagram(diagram, name, context)


def lint_diagram(diagram: bpmn.Diagram, name: str, context: Context) -> list[Finding]:
    """Every finding of one diagram read by ``alur.bpmn``, sorted by line."""
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for element in diagram.elements:
        if element.id in seen:
            message = f"id ganda (juga di baris {seen[element.id]})"
            findings.append(Finding(name, element.line, element.id, message))
        seen.setdefault(element.id, element.line)
    for process in diagram.processes:
        findings += _lint_process(name, process, diagram, context)
    return sorted(findings)


def _lint_process(
    name: str, process: bpmn.Process, diagram: bpmn.Diagram, context: Context
) -> Iterator[Finding]:
    def finding(element: bpmn.Element, message: str) -> Finding:  # a Report
        return Finding(name, element.line, element.id or "-", message)

    nodes = {node.id: node for node in process.nodes if node.kind in FLOW_NODES}
    outgoing: dict[str, list[bpmn.Flow]] = {key: [] for key in nodes}
    for flow in process.flows:
        outgoing.setdefault(flow.source, []).append(flow)
        if flow.id not in diagram.drawn:
            yield finding(flow, "tidak ada DI: alur ini tidak tergambar")
    inside = _inside(process)
    for element_id, node in nodes.items():
        if MACHINE_ID.match(element_id) or not READABLE_ID.match(element_id):
            yield finding(node, "id tidak terbaca manusia (tulis misalnya Task_VerifikasiBerkas)")
        if element_id not in diagram.drawn:
            yield finding(node, "tidak ada DI: elemen ini tidak tergambar")
        if "seed" not in node.documentation.lower():
            yield finding(node, "dokumentasi tidak mengutip langkah SOP (seed)")
        yield from _lint_node(node, inside, context, finding)
        if node.kind == "exclusiveGateway" or node.kind == "inclusiveGateway":
            out = outgoing.get(element_id, [])
            if len(out) > 1:
                for flow in out:
                    if flow.condition is None and (flow.id or None) != node.default:
                        yield finding(flow, "alur gateway tanpa kondisi dan bukan default")
                if node.default is None:
                    yield finding(node, "gateway tanpa alur default")
    yield from _reachability(nodes, outgoing, finding)
    yield from _chains(nodes, finding)
    if context.variables is not None:
        yield from _unset_variables(name, process, diagram, nodes, context.variables)


def _chains(nodes: dict[str, bpmn.Node], finding: Report) -> Iterator[Finding]:
    """A letter's review chain (``alur.review_chain``) is opened by an ``alur.surat.draf``
    task, its user tasks name a known stage, and a draft is issued only after a signer."""
    opened = {
        node.headers.get(HEADER_DRAFT, "")
        for node in nodes.values()
        if node.job_type == LETTER_DRAFT
    }
    stages: dict[str, set[str]] = {}
    for node in nodes.values():
        chain = node.headers.get(HEADER_DRAFT, "").strip()
        if node.job_type == LETTER_DRAFT and not chain:
            yield finding(node, f"tugas {LETTER_DRAFT} tanpa header {HEADER_DRAFT!r}")
        if not chain or node.job_type == LETTER_DRAFT:
            continue
        if chain not in opened:
            yield finding(node, f"draf {chain!r} tidak dibuka oleh tugas {LETTER_DRAFT}")
        if node.kind == "userTask":
            stage = node.headers.get(HEADER_DRAFT_STAGE, "")
            if stage not in DRAFT_STAGES:
                yield finding(
                    node,
                    f"header {HEADER_DRAFT_STAGE}={stage!r} bukan tahap draf "
                    f"({', '.join(DRAFT_STAGES)})",
                )
            stages.setdefault(chain, set()).add(stage)
    for node in nodes.values():
        chain = node.headers.get(HEADER_DRAFT, "").strip()
        if node.job_type == LETTER_ISSUE and chain and "tandatangan" not in stages.get(chain, ()):
            yield finding(node, f"draf {chain!r} diterbitkan tanpa langkah tahap=tandatangan")


def _inside(process: bpmn.Process) -> dict[str, list[bpmn.Node]]:
    """The nodes directly inside each sub-process, by its id."""
    inside: dict[str, list[bpmn.Node]] = {}
    for node in process.nodes:
        if node.parent is not None:
            inside.setdefault(node.parent, []).append(node)
    return inside


def _timers(node: bpmn.Node, inside: dict[str, list[bpmn.Node]]) -> Iterator[bpmn.Timer]:
    """The timers written in the node and in every node inside it."""
    yield from node.timers
    for child in inside.get(node.id, []) if node.kind in bpmn.CONTAINERS else []:
        yield from _timers(child, inside)


def _lint_node(
    node: bpmn.Node, inside: dict[str, list[bpmn.Node]], context: Context, finding: Report
) -> Iterator[Finding]:
    if node.kind == "serviceTask":
        if not node.job_type:
            yield finding(node, "service task tanpa job type")
        elif node.job_type not in context.job_types:
            yield finding(node, f"tidak ada worker untuk job type {node.job_type!r}")
        code = node.headers.get("kodeBatas")
        if code is not None and node.job_type != contract.SLA_COMPUTE:
            yield finding(node, f"header kodeBatas hanya untuk {contract.SLA_COMPUTE}")
        elif code is not None and not workdays.LIMIT_CODE.fullmatch(code):
            yield finding(
                node, f"kodeBatas {code!r}: kata huruf kecil dipisah titik, mis. lapor.verifikasi"
            )
        elif code is not None and not node.headers.get("batas"):
            yield finding(node, "kodeBatas perlu header batas: batas waktu menurut SOP (bawaan)")
    if node.kind == "userTask":
        if not node.form_id:
            yield finding(node, "user task tanpa formulir (zeebe:formDefinition formId)")
        elif node.form_id not in context.form_ids:
            yield finding(node, f"formulir {node.form_id!r} tidak ada di forms/")
        if not node.candidate_groups:
            yield finding(node, "user task tanpa candidate groups (peran)")
        for group in node.candidate_groups:
            if group not in context.roles:
                yield finding(node, f"candidate group {group!r} bukan peran di alur/roles.py")
    for timer in _timers(node, inside):
        if not (timer.date or timer.duration or timer.cycle):
            yield finding(node, "timer tanpa tanggal, durasi, atau siklus")


def _reachability(
    nodes: dict[str, bpmn.Node],
    outgoing: dict[str, list[bpmn.Flow]],
    finding: Report,
) -> Iterator[Finding]:
    """Every element reachable from a start; every element has a way out (or is an end)."""
    starts = [key for key, node in nodes.items() if node.kind == "startEvent"]
    attached: dict[str, list[str]] = {}
    for key, node in nodes.items():
        if node.kind == "boundaryEvent" and node.attached_to:
            attached.setdefault(node.attached_to, []).append(key)
    reached: set[str] = set()
    todo = list(starts)
    while todo:
        current = todo.pop()
        if current in reached:
            continue
        reached.add(current)
        todo += [flow.target for flow in outgoing.get(current, [])]
        todo += attached.get(current, [])
    for key, node in nodes.items():
        in_subprocess = node.parent_kind == "subProcess"
        if key not in reached and not in_subprocess:
            yield finding(node, "tidak terjangkau: tidak ada jalur dari start event")
        if node.kind != "endEvent" and not outgoing.get(key) and not in_subprocess:
            yield finding(node, "buntu: tidak ada alur keluar dan bukan end event")


def _unset_variables(
    name: str,
    process: bpmn.Process,
    diagram: bpmn.Diagram,
    nodes: dict[str, bpmn.Node],
    known: Variables,
) -> Iterator[Finding]:
    """Each variable an expression reads that nothing in or around the process sets."""
    provided = _provided(process, nodes, known)
    every = {node.id: node for node in process.nodes}
    found: set[Finding] = set()
    for owner, expression in _expressions(process, diagram, every):
        local = _local_names(owner, nodes, every, known)
        for variable in feelvars.variables(expression.text):
            if variable not in provided and variable not in local:
                message = UNSET.format(name=variable)
                found.add(Finding(name, expression.line, owner.id or "-", message))
    yield from sorted(found)


def _provided(process: bpmn.Process, nodes: dict[str, bpmn.Node], known: Variables) -> set[str]:
    """What every element of the process sees: the intake's variables, what forms and
    workers set (unless the element maps its outputs) and every output mapping's target."""
    names = set(known.case)
    intake_form = known.intake_forms.get(process.id)
    names |= known.form_keys.get(intake_form or "", frozenset())
    for node in nodes.values():
        outputs = _roots(node.outputs)
        names |= outputs
        if not outputs:
            names |= _sets(node, known)
        names |= {_root(loop.output_collection) for loop in node.loops}
        names |= {_root(variable) for variable in node.result_variables}
    return names - {""}


def _local_names(
    owner: Owner, nodes: dict[str, bpmn.Node], every: dict[str, bpmn.Node], known: Variables
) -> set[str]:
    """What only ``owner``'s own expressions see: its input mappings (and those of the
    activity a boundary event sits on, and of enclosing sub-processes), its loop's element,
    and what its form or worker sets when it maps its outputs."""
    scopes: list[Owner] = [owner]
    names: set[str] = set()
    if isinstance(owner, bpmn.Node):
        names = _sets(owner, known) if _roots(owner.outputs) else set()
        attached = nodes.get(owner.attached_to)
        if attached is not None:
            scopes.append(attached)
    scopes += [a for s in list(scopes) for a in _ancestors(s, every) if a.kind == "subProcess"]
    for scope in scopes:
        if isinstance(scope, bpmn.Node):
            names |= _roots(scope.inputs)
            names |= {_root(loop.input_element) for loop in scope.loops}
    return names


def _sets(node: bpmn.Node, known: Variables) -> set[str]:
    """What the element's form or worker sets."""
    names: set[str] = set()
    if node.form_id is not None:
        names |= known.form_keys.get(node.form_id, frozenset())
    if node.job_type:
        names |= job_outputs(known.job_outputs.get(node.job_type, ()), node.headers)
    return names


def _roots(targets: Iterable[str]) -> set[str]:
    """The root names of mapping targets (``a.b`` sets ``a``)."""
    return {_root(target) for target in targets} - {""}


def _root(target: str | None) -> str:
    return (target or "").split(".", 1)[0].strip()


def _ancestors(element: Owner, every: dict[str, bpmn.Node]) -> Iterator[bpmn.Node]:
    """The sub-processes (of any kind) the element is inside, innermost first."""
    parent = every.get(element.parent) if element.parent is not None else None
    while parent is not None:
        yield parent
        parent = every.get(parent.parent) if parent.parent is not None else None


def _expressions(
    process: bpmn.Process, diagram: bpmn.Diagram, every: dict[str, bpmn.Node]
) -> Iterator[tuple[Owner, bpmn.Expression]]:
    """Every FEEL expression the process evaluates, with the element it belongs to
    (including those of the messages, signals, escalations and errors its events refer to;
    not those of a message that starts the process)."""
    elements: list[Owner] = [*process.nodes, *process.flows]
    for element in elements:
        owner = _owner(element, every)
        if owner is None:
            continue
        for expression in element.expressions:
            yield owner, expression
        started = owner.kind == "startEvent" and owner.parent is None
        if started:
            continue
        for reference in element.references:
            for expression in diagram.roots.get(reference, ()):
                yield owner, expression


def _owner(element: Owner, every: dict[str, bpmn.Node]) -> Owner | None:
    """The flow element an expression written in ``element`` belongs to: itself, or the
    nearest sub-process around it that lint checks."""
    if element.kind in FLOW_NODES or element.kind == "sequenceFlow":
        return element
    for ancestor in _ancestors(element, every):
        if ancestor.kind in FLOW_NODES:
            return ancestor
    return None


def lint(paths: Iterable[Path], context: Context) -> list[Finding]:
    found: list[Finding] = []
    for path in paths:
        found += lint_file(path, context)
    return found
