"""The version history's diff: steps and flows a process owner reads, layout ignored."""

from __future__ import annotations

from pathlib import Path

from alur import stepdiff

DIAGRAM = (
    Path(__file__).resolve().parents[1] / "web" / "modeler" / "uji_perubahan.bpmn"
).read_text(encoding="utf-8")


def test_the_same_diagram_has_no_changes():
    assert stepdiff.diff(DIAGRAM, DIAGRAM) == []


def test_moving_shapes_is_not_a_change_of_the_sop():
    moved = DIAGRAM.replace('x="400" y="80"', 'x="420" y="200"')
    assert moved != DIAGRAM
    assert stepdiff.diff(DIAGRAM, moved) == []


def test_a_renamed_step_is_reported_with_both_names():
    renamed = DIAGRAM.replace('name="Disposisi pimpinan"', 'name="Disposisi kepala"')
    assert stepdiff.diff(DIAGRAM, renamed) == [
        stepdiff.Change(
            "Task_DisposisiPimpinan", "diubah", "nama «Disposisi pimpinan» → «Disposisi kepala»"
        )
    ]


def test_added_and_removed_steps_and_rerouted_flows():
    # Drop the service task: the user task's flow now goes straight to the end.
    start = DIAGRAM.index('<bpmn:serviceTask id="Task_CatatSelesai"')
    end = DIAGRAM.index("</bpmn:serviceTask>") + len("</bpmn:serviceTask>")
    shorter = DIAGRAM[:start] + DIAGRAM[end:]
    shorter = shorter.replace(
        '<bpmn:sequenceFlow id="Flow_KeSelesai" sourceRef="Task_CatatSelesai"',
        '<bpmn:sequenceFlow id="Flow_KeSelesai" sourceRef="Task_DisposisiPimpinan"',
    ).replace(
        '<bpmn:sequenceFlow id="Flow_KeCatatSelesai" sourceRef="Task_DisposisiPimpinan" '
        'targetRef="Task_CatatSelesai" />',
        "",
    )
    changes = stepdiff.diff(DIAGRAM, shorter)
    assert (
        stepdiff.Change("Task_CatatSelesai", "dihapus", "tugas sistem «Catat selesai»") in changes
    )
    assert (
        stepdiff.Change("Flow_KeCatatSelesai", "dihapus", "alur Disposisi pimpinan → Catat selesai")
        in changes
    )
    assert (
        stepdiff.Change(
            "Flow_KeSelesai",
            "diubah",
            "alur Catat selesai → Selesai menjadi alur Disposisi pimpinan → Selesai",
        )
        in changes
    )
    back = stepdiff.diff(shorter, DIAGRAM)
    assert stepdiff.Change("Task_CatatSelesai", "ditambah", "tugas sistem «Catat selesai»") in back


def test_a_changed_condition_is_reported():
    flow = '<bpmn:sequenceFlow id="Flow_KeSelesai" sourceRef="Task_CatatSelesai" '
    flow += 'targetRef="End_Selesai"'
    before = DIAGRAM.replace(
        flow + " />",
        flow + "><bpmn:conditionExpression>=x = 1</bpmn:conditionExpression></bpmn:sequenceFlow>",
    )
    after = before.replace("=x = 1", "=x = 2")
    assert stepdiff.diff(before, after) == [
        stepdiff.Change("Flow_KeSelesai", "diubah", "kondisi =x = 1 → =x = 2")
    ]
