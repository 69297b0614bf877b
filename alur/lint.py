"""Lint for process owners: what in a diagram would break at run time or betray the SOP.

Findings are written in Bahasa Indonesia: process owners read them.

Reads ``.bpmn`` files with lxml and reports each finding with file, line and element id:
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

from lxml import etree

from alur import feelvars, forms, intake, services

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
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
#: BPMN elements whose text is an expression when it starts with ``=``.
EXPRESSION_TEXTS = frozenset(
    {"conditionExpression", "timeDate", "timeDuration", "timeCycle", "completionCondition"}
)
#: Zeebe elements whose attributes are plain strings even when they start with ``=``.
STATIC_ZEEBE = frozenset({"header", "property"})
#: Attributes naming a root element (message, signal, ...) whose expressions an event evaluates.
REFERENCES = ("messageRef", "signalRef", "escalationRef", "errorRef")
UNSET = (
    "ekspresi memakai variabel `{name}` yang tidak diisi formulir, data permohonan, "
    "atau pekerja mana pun"
)
_HEADER = re.compile(r"\{(\w+)\}")
#: No entities, no network, no huge trees: diagrams may come from a browser upload.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


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


Report = Callable[[etree._Element, str], "Finding"]


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
        intake_forms={s.bpmn_process_id: s.intake_form_id for s in services.CATALOG},
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


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


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
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        return [Finding(name, 0, "-", f"diagram tidak dapat dibaca: {exc}")]
    findings: list[Finding] = []

    def report(node: etree._Element, message: str) -> None:
        findings.append(Finding(name, node.sourceline or 0, node.get("id") or "-", message))

    drawn = {shape.get("bpmnElement") for shape in root.iter(_q(BPMNDI, "BPMNShape"))}
    drawn |= {edge.get("bpmnElement") for edge in root.iter(_q(BPMNDI, "BPMNEdge"))}
    seen: dict[str, int] = {}
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        element_id = node.get("id")
        if element_id is None or etree.QName(node).namespace != BPMN:
            continue
        if element_id in seen:
            report(node, f"id ganda (juga di baris {seen[element_id]})")
        seen.setdefault(element_id, node.sourceline or 0)
    for process in root.iter(_q(BPMN, "process")):
        findings += _lint_process(name, process, context, drawn)
    return sorted(findings)


def _lint_process(
    name: str, process: etree._Element, context: Context, drawn: set[str | None]
) -> Iterator[Finding]:
    def finding(node: etree._Element, message: str) -> Finding:  # a Report
        return Finding(name, node.sourceline or 0, node.get("id") or "-", message)

    nodes: dict[str, etree._Element] = {
        str(node.get("id")): node
        for node in process.iter()
        if isinstance(node.tag, str) and _local(node) in FLOW_NODES and node.get("id")
    }
    flows = list(process.iter(_q(BPMN, "sequenceFlow")))
    outgoing: dict[str, list[etree._Element]] = {key: [] for key in nodes}
    for flow in flows:
        outgoing.setdefault(str(flow.get("sourceRef")), []).append(flow)
        if flow.get("id") not in drawn:
            yield finding(flow, "tidak ada DI: alur ini tidak tergambar")
    for element_id, node in nodes.items():
        kind = _local(node)
        if MACHINE_ID.match(element_id) or not READABLE_ID.match(element_id):
            yield finding(node, "id tidak terbaca manusia (tulis misalnya Task_VerifikasiBerkas)")
        if element_id not in drawn:
            yield finding(node, "tidak ada DI: elemen ini tidak tergambar")
        doc = node.find(_q(BPMN, "documentation"))
        if doc is None or "seed" not in (doc.text or "").lower():
            yield finding(node, "dokumentasi tidak mengutip langkah SOP (seed)")
        yield from _lint_node(node, kind, context, finding)
        if kind == "exclusiveGateway" or kind == "inclusiveGateway":
            out = outgoing.get(element_id, [])
            default = node.get("default")
            if len(out) > 1:
                for flow in out:
                    has_condition = flow.find(_q(BPMN, "conditionExpression")) is not None
                    if not has_condition and flow.get("id") != default:
                        yield finding(flow, "alur gateway tanpa kondisi dan bukan default")
                if default is None:
                    yield finding(node, "gateway tanpa alur default")
    yield from _reachability(nodes, outgoing, finding)
    if context.variables is not None:
        yield from _unset_variables(name, process, nodes, context.variables)


def _lint_node(
    node: etree._Element, kind: str, context: Context, finding: Report
) -> Iterator[Finding]:
    ext = node.find(_q(BPMN, "extensionElements"))
    if kind == "serviceTask":
        task = ext.find(_q(ZEEBE, "taskDefinition")) if ext is not None else None
        job_type = task.get("type") if task is not None else None
        if not job_type:
            yield finding(node, "service task tanpa job type")
        elif job_type not in context.job_types:
            yield finding(node, f"tidak ada worker untuk job type {job_type!r}")
    if kind == "userTask":
        form = ext.find(_q(ZEEBE, "formDefinition")) if ext is not None else None
        if form is None or not form.get("formId"):
            yield finding(node, "user task tanpa formulir (zeebe:formDefinition formId)")
        elif form.get("formId") not in context.form_ids:
            yield finding(node, f"formulir {form.get('formId')!r} tidak ada di forms/")
        groups = ext.find(_q(ZEEBE, "assignmentDefinition")) if ext is not None else None
        raw = (groups.get("candidateGroups") or "") if groups is not None else ""
        names = [g.strip() for g in raw.split(",")]
        if not [g for g in names if g]:
            yield finding(node, "user task tanpa candidate groups (peran)")
        for group in names:
            if group and group not in context.roles:
                yield finding(node, f"candidate group {group!r} bukan peran di alur/roles.py")
    for timer in node.iter(_q(BPMN, "timerEventDefinition")):
        parts = [timer.find(_q(BPMN, tag)) for tag in ("timeDate", "timeDuration", "timeCycle")]
        if not [p for p in parts if p is not None and (p.text or "").strip()]:
            yield finding(node, "timer tanpa tanggal, durasi, atau siklus")


def _reachability(
    nodes: dict[str, etree._Element],
    outgoing: dict[str, list[etree._Element]],
    finding: Report,
) -> Iterator[Finding]:
    """Every element reachable from a start; every element has a way out (or is an end)."""
    starts = [key for key, node in nodes.items() if _local(node) == "startEvent"]
    attached: dict[str, list[str]] = {}
    for key, node in nodes.items():
        if _local(node) == "boundaryEvent" and node.get("attachedToRef"):
            attached.setdefault(str(node.get("attachedToRef")), []).append(key)
    reached: set[str] = set()
    todo = list(starts)
    while todo:
        current = todo.pop()
        if current in reached:
            continue
        reached.add(current)
        todo += [str(flow.get("targetRef")) for flow in outgoing.get(current, [])]
        todo += attached.get(current, [])
    for key, node in nodes.items():
        kind = _local(node)
        parent = node.getparent()
        in_subprocess = parent is not None and _local(parent) == "subProcess"
        if key not in reached and not in_subprocess:
            yield finding(node, "tidak terjangkau: tidak ada jalur dari start event")
        if kind != "endEvent" and not outgoing.get(key) and not in_subprocess:
            yield finding(node, "buntu: tidak ada alur keluar dan bukan end event")


def _unset_variables(
    name: str, process: etree._Element, nodes: dict[str, etree._Element], known: Variables
) -> Iterator[Finding]:
    """Each variable an expression reads that nothing in or around the process sets."""
    provided = _provided(process, nodes, known)
    found: set[Finding] = set()
    for where, owner, expression in _expressions(process):
        local = _local_names(owner, nodes, known)
        for variable in feelvars.variables(expression):
            if variable not in provided and variable not in local:
                element = owner.get("id") or "-"
                message = UNSET.format(name=variable)
                found.add(Finding(name, where.sourceline or 0, element, message))
    yield from sorted(found)


def _provided(
    process: etree._Element, nodes: dict[str, etree._Element], known: Variables
) -> set[str]:
    """What every element of the process sees: the intake's variables, what forms and
    workers set (unless the element maps its outputs) and every output mapping's target."""
    names = set(known.case)
    intake_form = known.intake_forms.get(str(process.get("id")))
    names |= known.form_keys.get(intake_form or "", frozenset())
    for node in nodes.values():
        outputs = _targets(node, "output")
        names |= outputs
        if not outputs:
            names |= _sets(node, known)
        for ext in [*_loops(node), *_extension(node, "calledDecision", "script")]:
            names |= {_root(ext.get(a)) for a in ("outputCollection", "resultVariable")}
    return names - {""}


def _local_names(
    owner: etree._Element, nodes: dict[str, etree._Element], known: Variables
) -> set[str]:
    """What only ``owner``'s own expressions see: its input mappings (and those of the
    activity a boundary event sits on, and of enclosing sub-processes), its loop's element,
    and what its form or worker sets when it maps its outputs."""
    names = _sets(owner, known) if _targets(owner, "output") else set()
    scopes = [owner]
    attached = nodes.get(str(owner.get("attachedToRef")))
    if attached is not None:
        scopes.append(attached)
    scopes += [a for s in list(scopes) for a in s.iterancestors(_q(BPMN, "subProcess"))]
    for scope in scopes:
        names |= _targets(scope, "input")
        names |= {_root(loop.get("inputElement")) for loop in _loops(scope)}
    return names


def _sets(node: etree._Element, known: Variables) -> set[str]:
    """What the element's form or worker sets."""
    names: set[str] = set()
    for form in _extension(node, "formDefinition"):
        names |= known.form_keys.get(str(form.get("formId")), frozenset())
    for task in _extension(node, "taskDefinition"):
        headers = {
            str(h.get("key")): str(h.get("value") or "")
            for h in node.iterfind(f"{_q(BPMN, 'extensionElements')}//{_q(ZEEBE, 'header')}")
        }
        names |= job_outputs(known.job_outputs.get(str(task.get("type")), ()), headers)
    return names


def _targets(node: etree._Element, kind: str) -> set[str]:
    """The root names of the element's ``zeebe:input`` or ``zeebe:output`` targets."""
    path = f"{_q(BPMN, 'extensionElements')}/{_q(ZEEBE, 'ioMapping')}/{_q(ZEEBE, kind)}"
    return {_root(m.get("target")) for m in node.iterfind(path)} - {""}


def _extension(node: etree._Element, *names: str) -> list[etree._Element]:
    ext = node.find(_q(BPMN, "extensionElements"))
    if ext is None:
        return []
    return [child for name in names for child in ext.iterfind(_q(ZEEBE, name))]


def _loops(node: etree._Element) -> list[etree._Element]:
    """The element's ``zeebe:loopCharacteristics`` (inside its multi-instance marker)."""
    marker = node.find(_q(BPMN, "multiInstanceLoopCharacteristics"))
    return _extension(marker, "loopCharacteristics") if marker is not None else []


def _root(target: str | None) -> str:
    return (target or "").split(".", 1)[0].strip()


def _expressions(
    process: etree._Element,
) -> Iterator[tuple[etree._Element, etree._Element, str]]:
    """Every FEEL expression the process evaluates: where it is written, the element it
    belongs to, and its text (including those of the messages, signals, escalations and
    errors its events refer to)."""
    definitions = process.getroottree().getroot()
    roots = {str(n.get("id")): n for n in definitions if isinstance(n.tag, str)}
    for node in process.iter():
        owner = _owner(node)
        if owner is None:
            continue
        for text in _feel_of(node):
            yield node, owner, text
        parent = owner.getparent()
        started = (
            _local(owner) == "startEvent" and parent is not None and _local(parent) == "process"
        )
        for attribute in REFERENCES:
            target = roots.get(str(node.get(attribute)))
            if target is None or started:
                continue
            for part in target.iter():
                bpmn_attributes = part is target
                for text in _feel_of(part, bpmn_attributes):
                    yield part, owner, text


def _feel_of(node: etree._Element, bpmn_attributes: bool = False) -> Iterator[str]:
    """The expressions written in ``node`` itself."""
    if not isinstance(node.tag, str):
        return
    qname = etree.QName(node)
    if qname.namespace == BPMN and qname.localname in EXPRESSION_TEXTS:
        text = (node.text or "").strip()
        if text.startswith("="):
            yield text
    if (qname.namespace == ZEEBE and qname.localname not in STATIC_ZEEBE) or bpmn_attributes:
        yield from (v.strip() for v in node.attrib.values() if v.strip().startswith("="))


def _owner(node: etree._Element) -> etree._Element | None:
    """The flow element an XML node belongs to (itself, or its nearest ancestor)."""
    for candidate in (node, *node.iterancestors()):
        if not isinstance(candidate.tag, str) or etree.QName(candidate).namespace != BPMN:
            continue
        kind = _local(candidate)
        if kind in FLOW_NODES or kind == "sequenceFlow":
            return candidate
        if kind == "process":
            return None
    return None


def lint(paths: Iterable[Path], context: Context) -> list[Finding]:
    found: list[Finding] = []
    for path in paths:
        found += lint_file(path, context)
    return found
