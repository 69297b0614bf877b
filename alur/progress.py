"""Where a case stands in its SOP: the steps done, the current ones, the late ones and the path.

Zeebe here has no history to ask (no Operate), so the path is rebuilt from what Alur recorded
(``storage.progress``): each human task and each service step done, with its times. The visits
are put in the order they started; for each visit B, the latest earlier visit A from which the
diagram leads to B without passing another activity — only through gateways, events and
sub-process borders — gave it its turn, and the flows on the shortest such path were taken.
A that is still open (or was cancelled) reaches B only through one of its boundary events (a
timer that fired while it waited). A visit with no earlier one comes from a start event. A
parallel or inclusive join on the path also had its other incoming flows taken, from the
latest earlier visits that reach it. A finished step whose only way on is an end event (through
exclusive merges or throw events) reached that end event.

Elements passed on a taken path (gateways, events) count as done. A step is late when it
closed after its due date, or is open past it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from alur import bpmn
from storage import progress as recorded
from storage.models import Case, HumanTask

ACTIVITIES = frozenset(
    {
        "task",
        "serviceTask",
        "userTask",
        "sendTask",
        "receiveTask",
        "scriptTask",
        "businessRuleTask",
        "manualTask",
        "callActivity",
    }
)
SUBPROCESSES = bpmn.CONTAINERS
#: Joins that wait for every incoming branch that was taken.
JOINS = frozenset({"parallelGateway", "inclusiveGateway", "complexGateway"})
#: Nodes a token passes on its own, without a step: on to an end event after a finished step.
PASS_TO_END = frozenset({"exclusiveGateway", "intermediateThrowEvent"})
#: The state of a step in the text alternative.
DONE, OPEN, CANCELLED = "selesai", "sedang", "dibatalkan"


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # BPMN local name: userTask, exclusiveGateway, boundaryEvent, ...
    name: str
    parent: str | None  # the enclosing sub-process, if any


@dataclass(frozen=True)
class Graph:
    """The flow nodes of a diagram and how they connect."""

    nodes: dict[str, Node]
    #: node -> [(flow id, target)]; a ``None`` flow is an implicit edge: activity -> its
    #: boundary event, sub-process -> its start events, end event -> its sub-process's exit.
    outgoing: dict[str, list[tuple[str | None, str]]]
    boundaries: dict[str, list[str]]
    starts: tuple[str, ...]  # the top-level start events

    def is_activity(self, element_id: str) -> bool:
        node = self.nodes.get(element_id)
        return node is not None and node.kind in ACTIVITIES

    def name(self, element_id: str) -> str:
        node = self.nodes.get(element_id)
        return (node.name if node and node.name else element_id).strip()


def _exit(sub: str) -> str:
    return f"{sub}#keluar"


@lru_cache(maxsize=64)
def graph(xml: str) -> Graph:
    """The diagram's flow graph. Cached: a deployed definition never changes."""
    nodes: dict[str, Node] = {}
    outgoing: dict[str, list[tuple[str | None, str]]] = {}
    boundaries: dict[str, list[str]] = {}
    starts: list[str] = []
    flows: list[tuple[str, str, str]] = []
    for process in bpmn.read_cached(xml).processes:
        for element in process.nodes:
            nodes[element.id] = Node(element.id, element.kind, element.name, element.parent)
            if element.kind == "boundaryEvent":
                host = element.attached_to
                boundaries.setdefault(host, []).append(element.id)
                outgoing.setdefault(host, []).append((None, element.id))
            if element.kind == "startEvent" and element.parent is None:
                starts.append(element.id)
        flows += [(flow.id, flow.source, flow.target) for flow in process.flows]
    for node in list(nodes.values()):
        if node.parent is None:
            continue
        if node.kind == "startEvent" and node.parent in nodes:
            outgoing.setdefault(node.parent, []).append((None, node.id))
        if node.kind == "endEvent":
            outgoing.setdefault(node.id, []).append((None, _exit(node.parent)))
    subs = {n.id for n in nodes.values() if n.kind in SUBPROCESSES}
    for flow_id, source, target in flows:  # a sub-process is left from its exit
        outgoing.setdefault(_exit(source) if source in subs else source, []).append(
            (flow_id, target)
        )
    for sub in subs:
        nodes[_exit(sub)] = Node(_exit(sub), "subProcessExit", "", sub)
        if not any(n.kind == "startEvent" and n.parent == sub for n in nodes.values()):
            outgoing.setdefault(sub, []).append((None, _exit(sub)))
    return Graph(nodes, outgoing, boundaries, tuple(starts))


@dataclass(frozen=True)
class Visit:
    """One time a step ran: a human task or a recorded service step."""

    element_id: str
    started_at: datetime
    finished_at: datetime | None  # None while open; when a cancelled task was dropped
    state: str = DONE  # DONE, OPEN or CANCELLED
    due_at: datetime | None = None
    actor: str | None = None
    note: str = ""

    def late(self, now: datetime) -> bool:
        if self.due_at is None or self.state == CANCELLED:
            return False
        end = self.finished_at if self.state == DONE and self.finished_at else now
        return end > self.due_at


@dataclass(frozen=True)
class Marking:
    """What the diagram shows: element ids per mark, and the flows taken."""

    done: frozenset[str]
    current: frozenset[str]
    overdue: frozenset[str]
    taken: frozenset[str]
    #: End events reached, each with the visit that reached it.
    ended: tuple[tuple[str, Visit], ...] = ()


def _path(
    g: Graph, source: str, target: str, *, finished: bool
) -> tuple[list[str], list[str]] | None:
    """Flows and passed nodes of the shortest way from ``source`` to ``target`` that passes
    no other activity; ``None`` if there is none. An unfinished source leaves only through its
    boundary events."""
    first = [
        (flow, node)
        for flow, node in g.outgoing.get(source, [])
        if finished or (flow is None and node in g.boundaries.get(source, []))
    ]
    parent: dict[str, tuple[str, str | None]] = {}
    queue: deque[tuple[str, str | None, str]] = deque((source, f, n) for f, n in first)
    seen: set[str] = set()
    while queue:
        came_from, flow, node = queue.popleft()
        if node == target and flow is not None:
            flows, passed = [flow], []
            step = came_from
            while step != source:
                passed.append(step)
                before, via = parent[step]
                if via is not None:
                    flows.append(via)
                step = before
            return flows[::-1], passed[::-1]
        if node in seen or node not in g.nodes or g.is_activity(node) or node == source:
            continue
        seen.add(node)
        parent[node] = (came_from, flow)
        for next_flow, next_node in g.outgoing.get(node, []):
            queue.append((node, next_flow, next_node))
    return None


def _to_end(g: Graph, element_id: str) -> tuple[list[str], list[str]] | None:
    """Flows and nodes from a finished step to the end event it must have reached."""
    flows: list[str] = []
    passed: list[str] = []
    node = element_id
    while True:
        ways = [(f, n) for f, n in g.outgoing.get(node, []) if f is not None]
        if len(ways) != 1:
            return None
        flow, node = ways[0]
        flows.append(flow)
        passed.append(node)
        kind = g.nodes[node].kind if node in g.nodes else ""
        if kind == "endEvent":
            return flows, passed
        if kind not in PASS_TO_END or len(passed) > len(g.nodes):
            return None


def mark(xml: str, visits: Sequence[Visit], now: datetime) -> Marking:
    """The marks of the diagram for these visits (any order; sorted by start here)."""
    g = graph(xml)
    ordered = sorted((v for v in visits if v.element_id in g.nodes), key=lambda v: v.started_at)
    done: set[str] = set()
    taken: set[str] = set()
    ended: list[tuple[str, Visit]] = []

    def take(flows: Iterable[str], passed: Iterable[str]) -> None:
        taken.update(flows)
        done.update(p for p in passed if g.nodes[p].kind not in SUBPROCESSES | {"subProcessExit"})

    for index, visit in enumerate(ordered):
        earlier = _latest_per_element(ordered[:index])
        found = _from_earlier(g, earlier, visit.element_id)
        if found is None:
            for start in g.starts:
                way = _path(g, start, visit.element_id, finished=True)
                if way is not None:
                    done.add(start)
                    found = way
                    break
        if found is not None:
            take(*found)
            for join in (p for p in found[1] if g.nodes[p].kind in JOINS):
                for other in earlier:
                    way = _path(g, other.element_id, join, finished=other.state == DONE)
                    if way is not None:
                        take(*way)
        if visit.state == DONE:
            done.add(visit.element_id)
            end = _to_end(g, visit.element_id)
            if end is not None:
                take(*end)
                ended.append((end[1][-1], visit))
    if not ordered and len(g.starts) == 1:
        done.add(g.starts[0])
    current = {v.element_id for v in ordered if v.state == OPEN}
    overdue = {v.element_id for v in ordered if v.late(now)}
    return Marking(
        frozenset(done),
        frozenset(current),
        frozenset(overdue),
        frozenset(taken),
        tuple(dict(ended).items()),
    )


def _latest_per_element(visits: Sequence[Visit]) -> list[Visit]:
    """The latest visit of each element, latest first."""
    latest: dict[str, Visit] = {}
    for visit in visits:
        latest[visit.element_id] = visit
    return sorted(latest.values(), key=lambda v: v.started_at, reverse=True)


def _from_earlier(
    g: Graph, earlier: list[Visit], target: str
) -> tuple[list[str], list[str]] | None:
    for visit in earlier:
        way = _path(g, visit.element_id, target, finished=visit.state == DONE)
        if way is not None:
            return way
    return None


@dataclass(frozen=True)
class Step:
    """One line of the text alternative."""

    name: str
    state: str  # DONE, OPEN, CANCELLED
    at: datetime | None  # when it finished (or, open, since when)
    due_at: datetime | None = None
    late: bool = False
    actor: str | None = None
    note: str = ""
    #: A start or end event: it happened at ``at`` (it is not a piece of work done).
    event: bool = False


@dataclass(frozen=True)
class Progress:
    """The diagram with its marks, and the same story as a list of steps."""

    xml: str
    marking: Marking
    steps: list[Step] = field(default_factory=list)
    #: The step that finished last, if any.
    last_done: str | None = None

    @property
    def focus(self) -> str | None:
        """Where a narrow screen centres the diagram: the current step, else the last done."""
        current = sorted(self.marking.current)
        return current[0] if current else self.last_done

    def data(self) -> dict[str, Any]:
        """What ``web/static/alur-progress.js`` reads."""
        return {
            "xml": self.xml,
            "done": sorted(self.marking.done),
            "current": sorted(self.marking.current),
            "overdue": sorted(self.marking.overdue),
            "taken": sorted(self.marking.taken),
            "focus": self.focus,
        }


def visits_of(history: recorded.History) -> list[Visit]:
    """Every recorded run of a step: human tasks, service steps, steps held by an incident."""
    found: list[Visit] = []
    for task in history.tasks:
        found.append(_task_visit(task))
    for event in history.steps:
        element_id = event.detail.get("elementId") if isinstance(event.detail, dict) else None
        if isinstance(element_id, str) and element_id:
            found.append(Visit(element_id, event.at, event.at, DONE, actor=event.actor))
    for incident in history.incidents:
        found.append(
            Visit(
                incident.element_id,
                incident.opened_at,
                None,
                OPEN,
                note=f"gangguan teknis: {incident.reason}",
            )
        )
    return found


def _task_visit(task: HumanTask) -> Visit:
    finished: datetime | None
    if task.status == "completed":
        state, finished = DONE, task.closed_at or task.created_at
    elif task.status == "cancelled":
        state, finished = CANCELLED, task.closed_at
    else:  # open, or completing (stored, Zeebe not told yet)
        state, finished = OPEN, None
    actor = task.completed_by if state == DONE else task.assignee
    return Visit(task.element_id, task.created_at, finished, state, task.due_at, actor)


def story(
    g: Graph,
    visits: Sequence[Visit],
    marking: Marking,
    now: datetime,
    *,
    received_at: datetime | None = None,
) -> list[Step]:
    """The steps in the order they happened (done by when they finished), then the open ones."""
    lines: list[tuple[datetime, int, Step]] = []
    starts = [s for s in g.starts if s in marking.done]
    if received_at is not None and starts:
        lines.append((received_at, 0, Step(g.name(starts[0]), DONE, received_at, event=True)))
    for visit in visits:
        if visit.element_id not in g.nodes:
            continue
        late = visit.late(now)
        step = Step(
            g.name(visit.element_id),
            visit.state,
            visit.started_at if visit.state == OPEN else visit.finished_at,
            visit.due_at,
            late,
            visit.actor,
            visit.note,
        )
        if visit.state == DONE and visit.finished_at is not None:
            lines.append((visit.finished_at, 1, step))
        elif visit.state == CANCELLED:
            lines.append((visit.finished_at or visit.started_at, 1, step))
        else:
            lines.append((visit.started_at, 3, step))
    for end_id, by in marking.ended:
        assert by.finished_at is not None
        lines.append((by.finished_at, 2, Step(g.name(end_id), DONE, by.finished_at, event=True)))
    # Done and cancelled steps in time order, the end events right after their step, then
    # the open ones (in the order they started).
    done_lines = sorted((x for x in lines if x[1] < 3), key=lambda x: (x[0], x[1]))
    open_lines = sorted((x for x in lines if x[1] == 3), key=lambda x: x[0])
    return [step for _at, _rank, step in done_lines + open_lines]


def of_instance(
    session: Session,
    process_instance_key: int,
    process_definition_key: int | None,
    now: datetime,
    *,
    case: Case | None = None,
) -> Progress | None:
    """The marked diagram of one process instance, or ``None`` when its diagram is unknown."""
    history = recorded.history(
        session, process_instance_key, process_definition_key, case.id if case else None
    )
    if not history.diagram:
        return None
    visits = visits_of(history)
    marking = mark(history.diagram, visits, now)
    g = graph(history.diagram)
    steps = story(
        g, visits, marking, now, received_at=case.created_at if case is not None else None
    )
    done_visits = sorted(
        (v for v in visits if v.state == DONE and v.finished_at and v.element_id in g.nodes),
        key=lambda v: v.finished_at or v.started_at,
    )
    last = done_visits[-1].element_id if done_visits else None
    return Progress(history.diagram, marking, steps, last)


def of_task(session: Session, task: HumanTask, case: Case | None, now: datetime) -> Progress | None:
    """The picture for a task page: the task's own instance, on the version it runs."""
    return of_instance(
        session, task.process_instance_key, task.process_definition_key, now, case=case
    )


def of_case(session: Session, case: Case, now: datetime) -> Progress | None:
    """The picture for a case: ``None`` until its process has started."""
    if case.process_instance_key is None:
        return None
    return of_instance(
        session, case.process_instance_key, case.process_definition_key, now, case=case
    )
