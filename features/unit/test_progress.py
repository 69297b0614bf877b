"""Where a case stands (alur.progress): the path taken through the SOP diagram, from the steps
recorded done in order, on SOP 1's diagram (its decision and its escalation timers) and on small
diagrams with a loop and a parallel join. Fixed dates: nothing depends on today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from alur import progress
from alur.progress import CANCELLED, DONE, OPEN, Visit

SOP1 = (
    Path(__file__).resolve().parents[2] / "bpmn" / "kemenpanrb_konsultasi_surat.bpmn"
).read_text(encoding="utf-8")
T0 = datetime(2030, 3, 4, 1, 0, tzinfo=UTC)  # Senin, 4 Maret 2030 pukul 08.00 WIB
NOW = T0 + timedelta(days=10)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def done(element_id: str, minute: int, *, took: int = 0, due: int | None = None) -> Visit:
    """A step that started at ``minute`` and finished ``took`` minutes later."""
    return Visit(
        element_id,
        at(minute),
        at(minute + took),
        DONE,
        due_at=at(due) if due is not None else None,
    )


def open_(element_id: str, minute: int, *, due: int | None = None) -> Visit:
    return Visit(element_id, at(minute), None, OPEN, due_at=at(due) if due is not None else None)


RECEIVED = [
    done("Task_HitungTenggatJawaban", 1),
    done("Task_CatatSuratMasuk", 2),
    done("Task_KirimTandaTerima", 3),
]
TO_ANALYSIS = {
    "Flow_KeHitungTenggat",
    "Flow_KeCatatSurat",
    "Flow_KeTandaTerima",
    "Flow_KeDisposisi",
    "Flow_KeAnalisis",
}


def test_a_case_waiting_for_its_disposition_shows_the_intake_path_and_the_current_step():
    marking = progress.mark(SOP1, [*RECEIVED, open_("Task_DisposisiPimpinan", 4)], NOW)

    assert marking.taken == {
        "Flow_KeHitungTenggat",
        "Flow_KeCatatSurat",
        "Flow_KeTandaTerima",
        "Flow_KeDisposisi",
    }
    assert marking.done == {
        "Start_SuratPermohonanDiterima",
        "Task_HitungTenggatJawaban",
        "Task_CatatSuratMasuk",
        "Task_KirimTandaTerima",
    }
    assert marking.current == {"Task_DisposisiPimpinan"}
    assert marking.overdue == set()


def test_the_decision_marks_only_the_branch_taken_when_the_consultation_can_be_held():
    visits = [
        *RECEIVED,
        done("Task_DisposisiPimpinan", 4, took=30),
        done("Task_AnalisisKonsultasi", 35, took=60),
        open_("Task_TetapkanJadwal", 96),
    ]

    marking = progress.mark(SOP1, visits, NOW)

    assert marking.taken == TO_ANALYSIS | {"Flow_KeKeputusan", "Flow_Dapat"}
    assert "Flow_TidakDapat" not in marking.taken
    assert "Gateway_DapatDilaksanakan" in marking.done  # the decision passed counts as done
    assert marking.current == {"Task_TetapkanJadwal"}
    assert "Task_TerbitkanSuratPenolakan" not in marking.done


def test_a_rejected_request_follows_the_other_branch_to_its_end_event():
    visits = [
        *RECEIVED,
        done("Task_DisposisiPimpinan", 4, took=30),
        done("Task_AnalisisKonsultasi", 35, took=60),
        done("Task_DrafSuratPenolakan", 96),
        done("Task_PeriksaDrafPenolakan", 97, took=10),
        done("Task_TandatanganiPenolakan", 108, took=10),
        done("Task_TerbitkanSuratPenolakan", 119),
        done("Task_KirimSuratPenolakan", 120),
        done("Task_CatatDitolak", 121),
    ]

    marking = progress.mark(SOP1, visits, NOW)

    assert marking.taken == TO_ANALYSIS | {
        "Flow_KeKeputusan",
        "Flow_TidakDapat",
        "Flow_KeGabungDrafPenolakan",
        "Flow_KePeriksaDrafPenolakan",
        "Flow_KeTandatanganiPenolakan",
        "Flow_KeKeputusanPenolakan",
        "Flow_PenolakanDisetujui",
        "Flow_KeKirimPenolakan",
        "Flow_KeCatatDitolak",
        "Flow_KeDitolak",
    }
    assert "Flow_Dapat" not in marking.taken
    assert "End_PermohonanDitolak" in marking.done
    assert "End_KonsultasiSelesai" not in marking.done
    assert marking.current == set()


def test_a_timer_that_fired_while_the_step_waited_marks_the_escalation_path_and_the_delay():
    # The disposition was due at minute 20, still open at minute 25 when the timer fired and
    # the escalation ran; the leader finished at minute 40, then the analysis began.
    visits = [
        *RECEIVED,
        done("Task_DisposisiPimpinan", 4, took=36, due=20),
        done("Task_EskalasiDisposisiPimpinan", 25),
        open_("Task_AnalisisKonsultasi", 41, due=20),
    ]

    marking = progress.mark(SOP1, visits, NOW)

    assert {
        "Flow_KeEskalasiDisposisiPimpinan",
        "Flow_KeAkhirEskalasiDisposisiPimpinan",
        "Flow_KeAnalisis",
    } <= marking.taken
    assert {"Timer_TenggatDisposisiPimpinan", "End_EskalasiDisposisiPimpinan"} <= marking.done
    # Finished after its due date, and open past it.
    assert marking.overdue == {"Task_DisposisiPimpinan", "Task_AnalisisKonsultasi"}
    assert marking.current == {"Task_AnalisisKonsultasi"}
    # Another step's timer did not fire.
    assert "Timer_TenggatAnalisisKonsultasi" not in marking.done


def test_an_open_step_reaches_on_only_through_its_boundary_events():
    # The escalation ran while the disposition is still open: its normal way on is not taken.
    visits = [
        *RECEIVED,
        open_("Task_DisposisiPimpinan", 4, due=20),
        done("Task_EskalasiDisposisiPimpinan", 25),
    ]

    marking = progress.mark(SOP1, visits, NOW)

    assert "Flow_KeAnalisis" not in marking.taken
    assert "Flow_KeEskalasiDisposisiPimpinan" in marking.taken
    assert marking.current == {"Task_DisposisiPimpinan"}
    assert marking.overdue == {"Task_DisposisiPimpinan"}


def test_the_text_alternative_tells_the_steps_in_the_order_they_finished_then_the_open_one():
    visits = [
        *RECEIVED,
        done("Task_DisposisiPimpinan", 4, took=36, due=20),
        done("Task_EskalasiDisposisiPimpinan", 25),
        open_("Task_AnalisisKonsultasi", 41),
    ]
    g = progress.graph(SOP1)
    marking = progress.mark(SOP1, visits, NOW)

    steps = progress.story(g, visits, marking, NOW, received_at=at(0))

    assert steps[0].event and steps[0].at == at(0)
    assert [(s.name, s.state) for s in steps] == [
        ("Surat permohonan konsultasi diterima", DONE),
        ("Hitung tenggat surat jawaban", DONE),
        ("Catat surat permohonan", DONE),
        ("Kirim tanda terima", DONE),
        ("Eskalasi ke pimpinan", DONE),
        ("Keterlambatan tercatat", DONE),
        ("Disposisi pimpinan", DONE),
        ("Analisis konsultasi", OPEN),
    ]
    late = {s.name: s.late for s in steps}
    assert late["Disposisi pimpinan"] is True and late["Kirim tanda terima"] is False
    assert steps[-1].at == at(41)  # open since
    assert steps[6].at == at(40) and steps[6].due_at == at(20)


LOOP = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D">
  <bpmn:process id="Uji_Ulang" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:exclusiveGateway id="Gateway_Gabung" />
    <bpmn:userTask id="Task_Periksa" name="Periksa berkas" />
    <bpmn:exclusiveGateway id="Gateway_Lengkap" name="Berkas lengkap?" />
    <bpmn:userTask id="Task_Perbaiki" name="Perbaiki berkas" />
    <bpmn:userTask id="Task_Setujui" name="Setujui" />
    <bpmn:endEvent id="End_Ditolak" name="Ditolak" />
    <bpmn:endEvent id="End_Selesai" name="Selesai" />
    <bpmn:sequenceFlow id="F_Mulai" sourceRef="Start" targetRef="Gateway_Gabung" />
    <bpmn:sequenceFlow id="F_KePeriksa" sourceRef="Gateway_Gabung" targetRef="Task_Periksa" />
    <bpmn:sequenceFlow id="F_KeKeputusan" sourceRef="Task_Periksa" targetRef="Gateway_Lengkap" />
    <bpmn:sequenceFlow id="F_Kurang" sourceRef="Gateway_Lengkap" targetRef="Task_Perbaiki" />
    <bpmn:sequenceFlow id="F_Ulang" sourceRef="Task_Perbaiki" targetRef="Gateway_Gabung" />
    <bpmn:sequenceFlow id="F_Lengkap" sourceRef="Gateway_Lengkap" targetRef="Task_Setujui" />
    <bpmn:sequenceFlow id="F_Tolak" sourceRef="Gateway_Lengkap" targetRef="End_Ditolak" />
    <bpmn:sequenceFlow id="F_Selesai" sourceRef="Task_Setujui" targetRef="End_Selesai" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_loop_back_for_corrections_marks_the_way_back_and_the_way_out():
    visits = [
        done("Task_Periksa", 0, took=5),
        done("Task_Perbaiki", 6, took=5),
        done("Task_Periksa", 12, took=5),
        open_("Task_Setujui", 18),
    ]

    marking = progress.mark(LOOP, visits, NOW)

    assert marking.taken == {
        "F_Mulai",
        "F_KePeriksa",
        "F_KeKeputusan",
        "F_Kurang",
        "F_Ulang",
        "F_Lengkap",
    }
    assert "F_Tolak" not in marking.taken and "End_Ditolak" not in marking.done
    assert marking.current == {"Task_Setujui"}
    assert {"Gateway_Gabung", "Gateway_Lengkap", "Task_Periksa", "Task_Perbaiki"} <= marking.done


def test_a_second_round_that_is_still_open_is_current_and_done_at_once():
    visits = [
        done("Task_Periksa", 0, took=5),
        done("Task_Perbaiki", 6, took=5),
        open_("Task_Periksa", 12),
    ]

    marking = progress.mark(LOOP, visits, NOW)

    assert "Task_Periksa" in marking.done and marking.current == {"Task_Periksa"}
    assert "F_Lengkap" not in marking.taken and "F_Ulang" in marking.taken


def test_a_finished_case_reaches_its_end_event_and_the_story_ends_there():
    visits = [done("Task_Periksa", 0, took=5), done("Task_Setujui", 6, took=5)]
    marking = progress.mark(LOOP, visits, NOW)

    assert {"F_Lengkap", "F_Selesai"} <= marking.taken
    assert "End_Selesai" in marking.done
    steps = progress.story(progress.graph(LOOP), visits, marking, NOW)
    assert [(s.name, s.event) for s in steps] == [
        ("Periksa berkas", False),
        ("Setujui", False),
        ("Selesai", True),  # told as a moment, not as work done
    ]
    assert steps[-1].at == at(11)


def test_a_cancelled_task_is_told_but_not_marked_done():
    visits = [
        done("Task_Periksa", 0, took=5),
        Visit("Task_Setujui", at(6), at(30), CANCELLED, due_at=at(7)),
    ]

    marking = progress.mark(LOOP, visits, NOW)

    assert "Task_Setujui" not in marking.done | marking.current | marking.overdue
    steps = progress.story(progress.graph(LOOP), visits, marking, NOW)
    assert [(s.name, s.state, s.late) for s in steps][-1] == ("Setujui", CANCELLED, False)


PARALLEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D">
  <bpmn:process id="Uji_Paralel" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Task_Terima" />
    <bpmn:parallelGateway id="Gateway_Bagi" />
    <bpmn:userTask id="Task_A" />
    <bpmn:userTask id="Task_B" />
    <bpmn:parallelGateway id="Gateway_Gabung" />
    <bpmn:userTask id="Task_Putus" />
    <bpmn:sequenceFlow id="F0" sourceRef="Start" targetRef="Task_Terima" />
    <bpmn:sequenceFlow id="F1" sourceRef="Task_Terima" targetRef="Gateway_Bagi" />
    <bpmn:sequenceFlow id="F2" sourceRef="Gateway_Bagi" targetRef="Task_A" />
    <bpmn:sequenceFlow id="F3" sourceRef="Gateway_Bagi" targetRef="Task_B" />
    <bpmn:sequenceFlow id="F4" sourceRef="Task_A" targetRef="Gateway_Gabung" />
    <bpmn:sequenceFlow id="F5" sourceRef="Task_B" targetRef="Gateway_Gabung" />
    <bpmn:sequenceFlow id="F6" sourceRef="Gateway_Gabung" targetRef="Task_Putus" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_parallel_branches_are_all_marked_and_the_join_takes_both_incoming_flows():
    visits = [
        done("Task_Terima", 0, took=1),
        done("Task_A", 2, took=30),  # the slower branch finished last
        done("Task_B", 2, took=5),
        open_("Task_Putus", 33),
    ]

    marking = progress.mark(PARALLEL, visits, NOW)

    assert marking.taken == {"F0", "F1", "F2", "F3", "F4", "F5", "F6"}
    assert {"Gateway_Bagi", "Gateway_Gabung"} <= marking.done


def test_steps_unknown_to_the_diagram_are_left_out():
    visits = [done("Task_Periksa", 0, took=5), done("Task_TidakAda", 6)]

    marking = progress.mark(LOOP, visits, NOW)

    assert "Task_TidakAda" not in marking.done
    steps = progress.story(progress.graph(LOOP), visits, marking, NOW)
    assert [s.name for s in steps] == ["Periksa berkas"]


SUBPROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D">
  <bpmn:process id="Uji_Sub" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Task_Terima" />
    <bpmn:subProcess id="Sub_Telaah">
      <bpmn:startEvent id="Sub_Mulai" />
      <bpmn:userTask id="Task_Telaah" />
      <bpmn:endEvent id="Sub_Akhir" />
      <bpmn:sequenceFlow id="S1" sourceRef="Sub_Mulai" targetRef="Task_Telaah" />
      <bpmn:sequenceFlow id="S2" sourceRef="Task_Telaah" targetRef="Sub_Akhir" />
    </bpmn:subProcess>
    <bpmn:userTask id="Task_Putus" />
    <bpmn:sequenceFlow id="F0" sourceRef="Start" targetRef="Task_Terima" />
    <bpmn:sequenceFlow id="F1" sourceRef="Task_Terima" targetRef="Sub_Telaah" />
    <bpmn:sequenceFlow id="F2" sourceRef="Sub_Telaah" targetRef="Task_Putus" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_the_path_goes_into_a_sub_process_and_out_of_it():
    visits = [
        done("Task_Terima", 0, took=1),
        done("Task_Telaah", 2, took=5),
        open_("Task_Putus", 8),
    ]

    marking = progress.mark(SUBPROCESS, visits, NOW)

    assert marking.taken == {"F0", "F1", "S1", "S2", "F2"}
    assert {"Sub_Mulai", "Sub_Akhir"} <= marking.done
    assert "Sub_Telaah" not in marking.done  # a border crossed is not a step done
