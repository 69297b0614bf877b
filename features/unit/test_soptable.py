"""The printed SOP follows the diagram: SOP 1's table lists the seed's steps in order."""

from __future__ import annotations

import io

from pypdf import PdfReader

from alur import soptable
from stack.local import REPO

DIAGRAM = REPO / "bpmn" / "kemenpanrb_konsultasi_surat.bpmn"


def sop1() -> soptable.SopTable:
    return soptable.table(DIAGRAM.read_bytes(), REPO / "forms")


def test_sop1_lists_the_seed_steps_in_order_with_their_executors():
    rows = sop1().rows
    activities = [r.activity for r in rows]
    seed_steps = [
        "Surat permohonan konsultasi diterima",  # 1. the applicant sends the letter
        "Kirim tanda terima",  # 2. the receipt
        "Disposisi pimpinan",  # 3. leadership disposition
        "Analisis konsultasi",  # 3. can it be held?
        "Jika dapat dilaksanakan: Tetapkan jadwal dan narahubung",  # 4. schedule, contact
        "Periksa draf surat jawaban",  # 4. the reply letter, drafted...
        "Tandatangani surat jawaban",  # ... signed by the leadership (issue 25)
        "Jika disetujui dan ditandatangani: Terbitkan surat jawaban",  # ... and issued
        "Laksanakan konsultasi",
        "Jika tidak dapat dilaksanakan: Susun draf surat penolakan",  # 5. rejection
        "Tandatangani surat penolakan",
        "Jika disetujui dan ditandatangani: Terbitkan surat penolakan",
    ]
    positions = [activities.index(step) for step in seed_steps]
    assert positions == sorted(positions)
    executors = {r.activity: r.executor for r in rows}
    assert executors["Disposisi pimpinan"] == "Pimpinan"
    assert executors["Analisis konsultasi"] == "Petugas layanan konsultasi"
    assert executors["Surat permohonan konsultasi diterima"] == "Pengguna layanan"
    assert executors["Tandatangani surat jawaban"] == "Pimpinan"
    assert not [a for a in activities if a.startswith("Gateway_")], "merges are not steps"
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))


def test_times_requirements_and_outputs_come_from_the_diagram():
    rows = {r.activity: r for r in sop1().rows}
    assert rows["Analisis konsultasi"].time == "1 hari"
    assert rows["Laksanakan konsultasi"].time == "3 hari"
    assert "Salinan KTP/paspor" in rows["Surat permohonan konsultasi diterima"].requirements
    assert "Hasil analisis" in rows["Analisis konsultasi"].requirements
    issued = rows["Jika disetujui dan ditandatangani: Terbitkan surat jawaban"]
    assert issued.output == "Surat Jawaban Konsultasi bertanda tangan elektronik"
    assert rows["Susun draf surat jawaban"].output == "Draf Surat Jawaban Konsultasi"


def test_the_same_day_prints_as_such_and_other_limits_as_written():
    """SOP 4 face to face ("hari yang sama"), however the header writes it."""
    xml = DIAGRAM.read_bytes().replace(b'value="3 hari"', b'value="HARI yang  Sama"', 1)
    rows = {r.activity: r for r in soptable.table(xml, REPO / "forms").rows}
    assert rows["Laksanakan konsultasi"].time == "Hari yang sama"
    assert rows["Hitung tenggat pelaksanaan"].output == "Tenggat hari yang sama"
    assert rows["Analisis konsultasi"].time == "1 hari"
    assert rows["Hitung tenggat surat jawaban"].output == "Tenggat 1 hari"


def test_the_table_prints_as_pdf():
    pdf = soptable.render_pdf(sop1())
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "STANDAR OPERASIONAL PROSEDUR" in text and "Disposisi pimpinan" in text


SOP4 = REPO / "bpmn" / "kasn_konsultasi_merit.bpmn"


def test_sop4_lists_the_seed_steps_in_order_with_their_executors():
    """Seed 002: the written procedure's eight steps, then the face-to-face four."""
    rows = soptable.table(SOP4.read_bytes(), REPO / "forms").rows
    activities = [r.activity for r in rows]
    seed_steps = [
        # Written 1: the applicant sends the request (letter, e-mail, online).
        ("Permohonan konsultasi disampaikan", "Pengguna layanan"),
        # 2: processed by the Secretariat, tiered disposition.
        ("Jika tertulis: Catat permohonan di agenda surat masuk", "Sekretariat KASN"),
        ("Disposisi Sekretariat KASN", "Sekretariat KASN"),
        ("Disposisi Ketua Kelompok Kerja", "Kelompok Kerja (Ketua Pokja)"),
        # 3: received by the Assistant; if it cannot be processed, a confirmation.
        ("Telaah permohonan", "Asisten KASN"),
        ("Jika tidak dapat diproses: Susun draf surat konfirmasi", "Asisten KASN"),
        ("Tandatangani surat konfirmasi", "Kelompok Kerja (Ketua Pokja)"),
        ("Jika disetujui dan ditandatangani: Terbitkan surat konfirmasi", "Sekretariat KASN"),
        ("Pemohon menerima konfirmasi", "Pengguna layanan"),
        # 4: analysis and the draft reply, once the applicant knows it is processed.
        ("Jika dapat diproses: Konfirmasi permohonan diproses", "Asisten KASN"),
        ("Analisis dan susun konsep tanggapan", "Asisten KASN"),
        # 5: tiered review; 6: the leadership approves.
        ("Paraf Ketua Kelompok Kerja", "Kelompok Kerja (Ketua Pokja)"),
        ("Jika diparaf: Setujui dan tandatangani surat tanggapan", "Pimpinan KASN"),
        # 7: issued; 8: delivered.
        (
            "Jika disetujui dan ditandatangani: Terbitkan Surat Tanggapan atas Konsultasi",
            "Sekretariat KASN",
        ),
        ("Sampaikan surat tanggapan kepada pemohon", "Sekretariat KASN"),
        ("Pemohon menerima surat tanggapan", "Pengguna layanan"),
        # Face to face 1-2: comes to the office, registered at reception.
        ("Jika tatap muka: Hitung tenggat hari kedatangan", "Resepsionis"),
        # 3: meeting time agreed with the field; 4: the consultation held.
        ("Koordinasi waktu pertemuan", "Asisten KASN"),
        ("Laksanakan konsultasi tatap muka", "Asisten KASN"),
        ("Konsultasi tatap muka selesai", "Pengguna layanan"),
    ]
    positions = [activities.index(step) for step, _ in seed_steps]
    assert positions == sorted(positions)
    executors = {r.activity: r.executor for r in rows}
    assert [(step, executors[step]) for step, _ in seed_steps] == seed_steps
    times = {r.activity: r.time for r in rows}
    assert times["Telaah permohonan"] == "-"  # no limit before the processing confirmation
    assert times["Analisis dan susun konsep tanggapan"] == "1 minggu"
    assert times["Jika diparaf: Setujui dan tandatangani surat tanggapan"] == "1 minggu"
    assert times["Laksanakan konsultasi tatap muka"] == "Hari yang sama"
    outputs = {r.activity: r.output for r in rows}
    issued = "Jika disetujui dan ditandatangani: Terbitkan Surat Tanggapan atas Konsultasi"
    assert outputs[issued] == "Surat Tanggapan atas Konsultasi bertanda tangan elektronik"
    assert outputs["Jika tertulis: Catat permohonan di agenda surat masuk"] == (
        "Agenda surat masuk KASN"
    )
    assert not [a for a in activities if "Gateway_" in a or "Eskalasi" in a]
