"""The one reader of BPMN diagrams: a diagram's XML parsed once into a small typed model.

Lint (``alur.lint``), step names (``alur.diagrams``), the printed SOP (``alur.soptable``), the
version history (``alur.stepdiff``) and a case's progress (``alur.progress``) all read diagrams
through :func:`read`; none of them touches XML. The model keeps what a diagram says, raw (names
and documentation as written, ids of what elements refer to); what those modules conclude from
it (a finding, a row, a path) is theirs.

- :class:`Diagram`: every BPMN element with an id (document order, duplicates kept), the
  processes, what the DI draws, and the FEEL of the root elements (messages, signals, ...)
  that elements refer to.
- :class:`Process`: its flow elements (:class:`Node`, at every depth of sub-processes), its
  sequence flows (:class:`Flow`) and its lanes.
- :class:`Node`: an event, activity, gateway (or other BPMN element with an id) directly inside
  the process or a sub-process, with its Zeebe extensions (job type, headers, form, candidate
  groups, due date, input/output mappings, multi-instance loop), timers, and the FEEL
  expressions written in it (not in the nodes inside it, for a sub-process).

No entities, no network, no huge trees, no comments: diagrams may come from a browser upload.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)
#: Elements that hold flow elements of their own.
CONTAINERS = frozenset({"subProcess", "adHocSubProcess", "transaction"})
#: Children of a process or sub-process with an id that are not nodes of its flow.
NOT_NODES = frozenset({"laneSet", "documentation", "extensionElements", "textAnnotation"})
#: BPMN elements whose text is an expression when it starts with ``=``.
EXPRESSION_TEXTS = frozenset(
    {"conditionExpression", "timeDate", "timeDuration", "timeCycle", "completionCondition"}
)
#: Zeebe elements whose attributes are plain strings even when they start with ``=``.
STATIC_ZEEBE = frozenset({"header", "property"})
#: Attributes naming a root element (message, signal, ...) whose expressions an event evaluates.
REFERENCES = ("messageRef", "signalRef", "escalationRef", "errorRef")


class Unreadable(ValueError):
    """Not well-formed XML; the message is the parser's."""


@dataclass(frozen=True)
class Expression:
    """A FEEL expression (``=...``) as written, and the line it is written on."""

    line: int
    text: str


@dataclass(frozen=True)
class Timer:
    """A timer event definition: its date, duration and cycle as written ("" if absent)."""

    date: str
    duration: str
    cycle: str


@dataclass(frozen=True)
class Loop:
    """A multi-instance marker's ``zeebe:loopCharacteristics``."""

    input_element: str
    output_collection: str


@dataclass(frozen=True)
class Lane:
    id: str
    name: str
    #: The ids of its flow node references, including those of its child lanes.
    nodes: tuple[str, ...]


@dataclass(frozen=True)
class Element:
    """A BPMN element with an id."""

    id: str
    kind: str  # BPMN local name: process, userTask, sequenceFlow, message, ...
    name: str  # as written; "" if absent
    documentation: str  # the text of its first documentation, as written; "" if none
    line: int


@dataclass(frozen=True)
class Node(Element):
    """An element of a process's flow (event, activity, gateway, ...)."""

    #: The sub-process it is directly inside; ``None`` when directly in the process.
    parent: str | None
    parent_kind: str  # "process", "subProcess", "adHocSubProcess" or "transaction"
    job_type: str  # zeebe:taskDefinition type; "" if none
    headers: Mapping[str, str]  # zeebe:taskHeaders
    form_id: str | None  # zeebe:formDefinition formId ("" without one); None: no form
    candidate_groups: tuple[str, ...]  # zeebe:assignmentDefinition, split on commas
    due_date: str  # zeebe:taskSchedule dueDate; "" if none
    default: str | None  # a gateway's (or activity's) default flow
    attached_to: str  # a boundary event's activity; "" otherwise
    timers: tuple[Timer, ...]  # written in this element (not in nodes inside it)
    inputs: tuple[str, ...]  # zeebe:input targets
    outputs: tuple[str, ...]  # zeebe:output targets
    loops: tuple[Loop, ...]
    #: ``resultVariable`` of its zeebe:calledDecision or zeebe:script.
    result_variables: tuple[str, ...]
    #: The FEEL it evaluates itself (not that of nodes inside it, nor of roots it refers to).
    expressions: tuple[Expression, ...]
    #: Root elements (messages, signals, escalations, errors) it refers to, by id.
    references: tuple[str, ...]


@dataclass(frozen=True)
class Flow(Element):
    """A sequence flow. Its ``id`` is "" when the diagram gives none."""

    parent: str | None
    source: str
    target: str
    condition: str | None  # the conditionExpression's text as written; None: no condition
    expressions: tuple[Expression, ...]
    references: tuple[str, ...]


@dataclass(frozen=True)
class Process(Element):
    nodes: tuple[Node, ...]  # document order, every depth of sub-processes
    flows: tuple[Flow, ...]
    lanes: tuple[Lane, ...]  # document order, child lanes after their parent


@dataclass(frozen=True)
class Diagram:
    #: Every BPMN element with an id, in document order (an id written twice appears twice).
    elements: tuple[Element, ...]
    processes: tuple[Process, ...]
    #: The ids of the elements the DI draws (shapes and edges).
    drawn: frozenset[str]
    #: The FEEL of each root element some node or flow refers to, by id.
    roots: Mapping[str, tuple[Expression, ...]]


def read(data: str | bytes) -> Diagram:
    """The model of a diagram's text; :class:`Unreadable` if it is not well-formed XML."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        root = etree.fromstring(raw, PARSER)
    except etree.XMLSyntaxError as exc:
        raise Unreadable(str(exc)) from exc
    elements = tuple(
        _element(node)
        for node in root.iter()
        if isinstance(node.tag, str) and _namespace(node) == BPMN and node.get("id")
    )
    drawn = frozenset(
        str(shape.get("bpmnElement") or "")
        for tag in ("BPMNShape", "BPMNEdge")
        for shape in root.iter(_q(BPMNDI, tag))
    )
    processes = tuple(_process(process) for process in root.iter(_q(BPMN, "process")))
    wanted = {ref for p in processes for node in p.nodes for ref in node.references}
    wanted |= {ref for p in processes for flow in p.flows for ref in flow.references}
    by_id = {str(n.get("id")): n for n in root if isinstance(n.tag, str) and n.get("id")}
    roots = {
        ref: tuple(
            expression
            for part in by_id[ref].iter()
            for expression in _feel(part, bpmn_attributes=part is by_id[ref])
        )
        for ref in sorted(wanted)
        if ref in by_id
    }
    return Diagram(elements, processes, drawn, MappingProxyType(roots))


@lru_cache(maxsize=64)
def read_cached(xml: str) -> Diagram:
    """:func:`read` for a deployed definition, which never changes once deployed."""
    return read(xml)


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _namespace(node: etree._Element) -> str | None:
    return etree.QName(node).namespace


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


def _line(node: etree._Element) -> int:
    return node.sourceline or 0


def _element(node: etree._Element) -> Element:
    return Element(*_basics(node))


def _basics(node: etree._Element) -> tuple[str, str, str, str, int]:
    """What every element has: id, kind, name, documentation, line."""
    doc = node.find(_q(BPMN, "documentation"))
    documentation = (doc.text or "") if doc is not None else ""
    return node.get("id") or "", _local(node), node.get("name") or "", documentation, _line(node)


def _process(process: etree._Element) -> Process:
    nodes: list[Node] = []
    flows: list[Flow] = []
    _walk(process, None, nodes, flows)
    lanes = tuple(
        Lane(
            lane.get("id") or "",
            lane.get("name") or "",
            tuple((ref.text or "").strip() for ref in lane.iter(_q(BPMN, "flowNodeRef"))),
        )
        for lane in process.iter(_q(BPMN, "lane"))
    )
    return Process(
        *_basics(process),
        nodes=tuple(nodes),
        flows=tuple(flows),
        lanes=lanes,
    )


def _walk(
    container: etree._Element, parent: str | None, nodes: list[Node], flows: list[Flow]
) -> None:
    """The nodes and flows inside ``container``, in document order (depth first)."""
    for child in container:
        if not _modelled(child):
            continue
        if _local(child) == "sequenceFlow":
            flows.append(_flow(child, parent))
            continue
        nodes.append(_node(child, parent, _local(container)))
        if _local(child) in CONTAINERS:
            _walk(child, child.get("id"), nodes, flows)


def _modelled(node: etree._Element) -> bool:
    """Whether a child of a process or sub-process is a node or flow of its own."""
    if not isinstance(node.tag, str) or _namespace(node) != BPMN:
        return False
    kind = _local(node)
    return kind == "sequenceFlow" or (bool(node.get("id")) and kind not in NOT_NODES)


def _own(node: etree._Element) -> Iterator[etree._Element]:
    """The XML of an element without the nodes and flows inside it (a sub-process's)."""
    if _local(node) not in CONTAINERS:
        yield from node.iter()
        return
    yield node
    for child in node:
        if not _modelled(child):
            yield from child.iter()


def _node(node: etree._Element, parent: str | None, parent_kind: str) -> Node:
    own = list(_own(node))
    ext = node.find(_q(BPMN, "extensionElements"))

    def extension(name: str) -> etree._Element | None:
        return ext.find(_q(ZEEBE, name)) if ext is not None else None

    task = extension("taskDefinition")
    form = extension("formDefinition")
    groups = extension("assignmentDefinition")
    schedule = extension("taskSchedule")
    raw_groups = (groups.get("candidateGroups") or "") if groups is not None else ""
    headers = {
        h.get("key") or "": h.get("value") or ""
        for h in node.iterfind(f"{_q(BPMN, 'extensionElements')}//{_q(ZEEBE, 'header')}")
    }
    marker = node.find(_q(BPMN, "multiInstanceLoopCharacteristics"))
    marker_ext = marker.find(_q(BPMN, "extensionElements")) if marker is not None else None
    loops = (
        tuple(
            Loop(loop.get("inputElement") or "", loop.get("outputCollection") or "")
            for loop in marker_ext.iterfind(_q(ZEEBE, "loopCharacteristics"))
        )
        if marker_ext is not None
        else ()
    )
    results = (
        tuple(
            child.get("resultVariable") or ""
            for name in ("calledDecision", "script")
            for child in ext.iterfind(_q(ZEEBE, name))
        )
        if ext is not None
        else ()
    )
    return Node(
        *_basics(node),
        parent=parent,
        parent_kind=parent_kind,
        job_type=(task.get("type") or "") if task is not None else "",
        headers=MappingProxyType(headers),
        form_id=(form.get("formId") or "") if form is not None else None,
        candidate_groups=tuple(g.strip() for g in raw_groups.split(",") if g.strip()),
        due_date=(schedule.get("dueDate") or "") if schedule is not None else "",
        default=node.get("default"),
        attached_to=node.get("attachedToRef") or "",
        timers=tuple(_timer(t) for t in own if t.tag == _q(BPMN, "timerEventDefinition")),
        inputs=_targets(node, "input"),
        outputs=_targets(node, "output"),
        loops=loops,
        result_variables=results,
        expressions=tuple(e for part in own for e in _feel(part)),
        references=_references(own),
    )


def _flow(node: etree._Element, parent: str | None) -> Flow:
    own = list(node.iter())
    condition = node.find(_q(BPMN, "conditionExpression"))
    return Flow(
        *_basics(node),
        parent=parent,
        source=node.get("sourceRef") or "",
        target=node.get("targetRef") or "",
        condition=(condition.text or "") if condition is not None else None,
        expressions=tuple(e for part in own for e in _feel(part)),
        references=_references(own),
    )


def _timer(timer: etree._Element) -> Timer:
    def text(tag: str) -> str:
        part = timer.find(_q(BPMN, tag))
        return (part.text or "").strip() if part is not None else ""

    return Timer(text("timeDate"), text("timeDuration"), text("timeCycle"))


def _targets(node: etree._Element, kind: str) -> tuple[str, ...]:
    path = f"{_q(BPMN, 'extensionElements')}/{_q(ZEEBE, 'ioMapping')}/{_q(ZEEBE, kind)}"
    return tuple(m.get("target") or "" for m in node.iterfind(path))


def _references(own: list[etree._Element]) -> tuple[str, ...]:
    return tuple(
        str(part.get(attribute))
        for part in own
        if isinstance(part.tag, str)
        for attribute in REFERENCES
        if part.get(attribute) is not None
    )


def _feel(node: etree._Element, bpmn_attributes: bool = False) -> Iterator[Expression]:
    """The expressions written in ``node`` itself: the text of a BPMN expression element, the
    attributes of a Zeebe extension (and of a root element, ``bpmn_attributes``)."""
    if not isinstance(node.tag, str):
        return
    namespace, kind = _namespace(node), _local(node)
    if namespace == BPMN and kind in EXPRESSION_TEXTS:
        text = (node.text or "").strip()
        if text.startswith("="):
            yield Expression(_line(node), text)
    if (namespace == ZEEBE and kind not in STATIC_ZEEBE) or bpmn_attributes:
        for value in node.attrib.values():
            if value.strip().startswith("="):
                yield Expression(_line(node), value.strip())
