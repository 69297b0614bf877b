# ruff: noqa: E501
"""bpmnlint, the peer check of ``alur lint``: every shipped diagram passes it, warnings included.

The CLI is the one ``package.json`` pins, installed into ``node_modules`` by the install step
(``make test`` runs ``python -m stack install --test``, whose ``stack.assets`` runs ``npm ci``).
It reads the repository's ``.bpmnlintrc``: bpmnlint's recommended rules and Camunda 8.6
compatibility. A diagram made with known defects shows that the rules really run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from stack.local import REPO

pytestmark = pytest.mark.platform

CLI = REPO / "node_modules" / "bpmnlint" / "bin" / "bpmnlint.js"
DIAGRAMS = sorted((REPO / "bpmn").glob("*.bpmn"))
#: A finding in the CLI's table: element id, category, message, rule (or the element's name).
FINDING = re.compile(r"^\s+(\S+)\s+(error|warning)\s+(.+?)\s{2,}(\S.*?)\s*$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

LISTENER = '<zeebe:taskListeners><zeebe:taskListener eventType="completing" type="alur.uji.dengar" /></zeebe:taskListeners>'
DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_UjiLint" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Uji_Lint" name="Uji bpmnlint" isExecutable="true">
    <bpmn:startEvent id="Start_Masuk" name="Masuk"><bpmn:outgoing>Flow_KePeriksa</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="Flow_KePeriksa" sourceRef="Start_Masuk" targetRef="Task_Periksa" />
    <bpmn:userTask id="Task_Periksa"{name}>
      <bpmn:extensionElements><zeebe:formDefinition formId="uji-periksa" />{listener}</bpmn:extensionElements>
      <bpmn:incoming>Flow_KePeriksa</bpmn:incoming><bpmn:outgoing>Flow_KeSelesai</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="Flow_KeSelesai" sourceRef="Task_Periksa" targetRef="End_Selesai" />
    <bpmn:endEvent id="End_Selesai" name="Selesai"><bpmn:incoming>Flow_KeSelesai</bpmn:incoming></bpmn:endEvent>
    {stray}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_UjiLint">
    <bpmndi:BPMNPlane id="Plane_UjiLint" bpmnElement="Uji_Lint">
      <bpmndi:BPMNShape id="Shape_Start_Masuk" bpmnElement="Start_Masuk"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Shape_Task_Periksa" bpmnElement="Task_Periksa"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Shape_End_Selesai" bpmnElement="End_Selesai"><dc:Bounds x="370" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      {stray_di}
      <bpmndi:BPMNEdge id="Edge_Flow_KePeriksa" bpmnElement="Flow_KePeriksa"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Edge_Flow_KeSelesai" bpmnElement="Flow_KeSelesai"><di:waypoint x="300" y="118" /><di:waypoint x="370" y="118" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""
#: A timer start event with no outgoing flow: connected to nothing, so the process ends there.
STRAY_START = '<bpmn:startEvent id="Start_Berkala" name="Tiap pagi"><bpmn:timerEventDefinition id="TimerDef_Berkala"><bpmn:timeCycle>R/PT24H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>'
STRAY_START_DI = '<bpmndi:BPMNShape id="Shape_Start_Berkala" bpmnElement="Start_Berkala"><dc:Bounds x="100" y="220" width="36" height="36" /></bpmndi:BPMNShape>'


def bpmnlint(*diagrams: Path) -> tuple[int, str]:
    """Run the installed CLI from the repository root (where ``.bpmnlintrc`` is); exit, output."""
    node = shutil.which("node")
    if node is None or not CLI.is_file():
        pytest.fail(
            f"bpmnlint is not installed ({CLI.relative_to(REPO)} or node is missing): run "
            "`make install` (python -m stack install --test runs npm ci), needs Node.js 20+"
        )
    result = subprocess.run(
        [node, str(CLI), "--max-warnings=0", *(str(d) for d in diagrams)],
        cwd=REPO,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def findings(output: str) -> set[tuple[str, str, str]]:
    """(element id, category, rule or element name) of every finding the CLI printed."""
    found = set()
    for line in ANSI.sub("", output).splitlines():
        match = FINDING.match(line)
        if match:
            found.add((match[1], match[2], match[4]))
    return found


def test_every_shipped_diagram_passes_bpmnlint_without_warnings():
    assert DIAGRAMS, "no diagram in bpmn/"
    code, output = bpmnlint(*DIAGRAMS)
    assert code == 0 and not findings(output), f"bpmnlint exited {code}:\n{output}"


def test_bpmnlint_flags_a_diagram_made_with_defects(tmp_path: Path):
    clean = tmp_path / "uji_lint_bersih.bpmn"
    clean.write_text(DIAGRAM.format(name=' name="Periksa"', listener="", stray="", stray_di=""))
    code, output = bpmnlint(clean)
    assert (code, findings(output)) == (0, set()), output

    # Task listeners arrive with Camunda 8.8: only the 8.6 profile of .bpmnlintrc, reading the
    # zeebe extension, refuses them. The CLI prints the rule only for unnamed elements.
    defective = tmp_path / "uji_lint_cacat.bpmn"
    defective.write_text(
        DIAGRAM.format(name="", listener=LISTENER, stray=STRAY_START, stray_di=STRAY_START_DI)
    )
    code, output = bpmnlint(defective)

    assert code == 1, output
    assert findings(output) == {
        ("Task_Periksa", "error", "camunda-compat/no-task-listeners"),
        ("Task_Periksa", "error", "label-required"),
        ("Start_Berkala", "error", "no-disconnected"),
        ("Start_Berkala", "error", "no-implicit-end"),
    }, output
    assert "only allowed by Camunda 8.8" in output
