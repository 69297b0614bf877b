"""What changed between two versions of a diagram, in the steps a process owner reads.

Compares elements by id (the modeler keeps ids across edits): steps added, removed or changed
(name, kind, lane, documentation), and flows added, removed or rerouted (ends, name,
condition). Layout (DI) is ignored: moving a shape is not a change of the SOP.
"""

from __future__ import annotations

from dataclasses import dataclass

from alur import bpmn

#: Element kinds that are steps of the SOP (flow nodes), with the word an owner reads.
KINDS = {
    "startEvent": "awal",
    "endEvent": "akhir",
    "intermediateCatchEvent": "peristiwa antara",
    "intermediateThrowEvent": "peristiwa antara",
    "boundaryEvent": "peristiwa batas",
    "task": "tugas",
    "userTask": "tugas petugas",
    "serviceTask": "tugas sistem",
    "sendTask": "tugas kirim",
    "receiveTask": "tugas terima",
    "scriptTask": "tugas skrip",
    "businessRuleTask": "tugas aturan",
    "callActivity": "sub-proses",
    "subProcess": "sub-proses",
    "exclusiveGateway": "keputusan",
    "inclusiveGateway": "keputusan",
    "parallelGateway": "percabangan",
    "eventBasedGateway": "keputusan peristiwa",
}


@dataclass(frozen=True)
class Step:
    id: str
    kind: str
    name: str
    lane: str
    documentation: str


@dataclass(frozen=True)
class Flow:
    id: str
    source: str
    target: str
    name: str
    condition: str


@dataclass(frozen=True)
class Change:
    """One difference, described in Bahasa Indonesia for the version history."""

    element: str
    what: str  # "ditambah", "dihapus", "diubah"
    detail: str


def _text(text: str | None) -> str:
    return " ".join((text or "").split())


def read(xml: str | bytes) -> tuple[dict[str, Step], dict[str, Flow]]:
    """The steps and flows of every process in the diagram, by id."""
    diagram = bpmn.read(xml)
    lanes: dict[str, str] = {}
    for process in diagram.processes:
        for lane in process.lanes:
            for ref in lane.nodes:
                lanes[ref] = lane.name or lane.id
    steps: dict[str, Step] = {}
    flows: dict[str, Flow] = {}
    for process in diagram.processes:
        for node in process.nodes:
            if node.kind in KINDS:
                where = lanes.get(node.id, "")
                steps[node.id] = Step(
                    node.id, node.kind, _text(node.name), where, _text(node.documentation)
                )
        for flow in process.flows:
            if flow.id:
                flows[flow.id] = Flow(
                    flow.id, flow.source, flow.target, _text(flow.name), _text(flow.condition)
                )
    return steps, flows


def _label(step: Step) -> str:
    return f"{KINDS[step.kind]} «{step.name or step.id}»"


def diff(old: str | bytes, new: str | bytes) -> list[Change]:
    """Every change of steps and flows from ``old`` to ``new``, steps first."""
    old_steps, old_flows = read(old)
    new_steps, new_flows = read(new)
    changes: list[Change] = []
    for key in sorted(new_steps.keys() - old_steps.keys()):
        step = new_steps[key]
        where = f" di lajur {step.lane}" if step.lane else ""
        changes.append(Change(key, "ditambah", _label(step) + where))
    for key in sorted(old_steps.keys() - new_steps.keys()):
        changes.append(Change(key, "dihapus", _label(old_steps[key])))
    for key in sorted(old_steps.keys() & new_steps.keys()):
        before, after = old_steps[key], new_steps[key]
        details = []
        if before.name != after.name:
            details.append(f"nama «{before.name}» → «{after.name}»")
        if before.kind != after.kind:
            details.append(f"jenis {KINDS[before.kind]} → {KINDS[after.kind]}")
        if before.lane != after.lane:
            details.append(f"lajur {before.lane or '-'} → {after.lane or '-'}")
        if before.documentation != after.documentation:
            details.append("dokumentasi diubah")
        if details:
            changes.append(Change(key, "diubah", "; ".join(details)))
    names = {**old_steps, **new_steps}

    def ends(flow: Flow) -> str:
        def name(key: str) -> str:
            step = names.get(key)
            return step.name or key if step else key

        label = f" «{flow.name}»" if flow.name else ""
        return f"alur{label} {name(flow.source)} → {name(flow.target)}"

    for key in sorted(new_flows.keys() - old_flows.keys()):
        changes.append(Change(key, "ditambah", ends(new_flows[key])))
    for key in sorted(old_flows.keys() - new_flows.keys()):
        changes.append(Change(key, "dihapus", ends(old_flows[key])))
    for key in sorted(old_flows.keys() & new_flows.keys()):
        was, now = old_flows[key], new_flows[key]
        details = []
        if (was.source, was.target) != (now.source, now.target):
            details.append(f"{ends(was)} menjadi {ends(now)}")
        elif was.name != now.name:
            details.append(f"nama «{was.name}» → «{now.name}»")
        if was.condition != now.condition:
            details.append(f"kondisi {was.condition or '-'} → {now.condition or '-'}")
        if details:
            changes.append(Change(key, "diubah", "; ".join(details)))
    return changes
