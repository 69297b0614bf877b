"""Lint for process owners: what in a diagram would break at run time or betray the SOP.

Findings are written in Bahasa Indonesia: process owners read them.

Reads ``.bpmn`` files with lxml and reports each finding with file, line and element id:
service tasks whose job type no worker handles, user tasks whose form or candidate groups do
not exist, timers without a date or duration, gateways whose outgoing flows lack conditions
and a default, elements unreachable from a start or leading to no end, duplicate or
machine-generated ids, elements without a shape (DI) or without the seed step in their
documentation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from alur import forms

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
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    element: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.element}: {self.message}"


@dataclass(frozen=True)
class Context:
    """What the diagrams are checked against."""

    job_types: frozenset[str]
    form_ids: frozenset[str]
    roles: frozenset[str]


Report = Callable[[etree._Element, str], "Finding"]


def form_ids(folder: Path) -> frozenset[str]:
    return frozenset(forms.schemas(folder))


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


def lint_file(path: Path, context: Context) -> list[Finding]:
    """Every finding of one diagram, sorted by line."""
    name = str(path)
    try:
        root = etree.parse(str(path), _PARSER).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
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


def lint(paths: Iterable[Path], context: Context) -> list[Finding]:
    found: list[Finding] = []
    for path in paths:
        found += lint_file(path, context)
    return found
