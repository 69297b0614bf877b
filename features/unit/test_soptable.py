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


def test_the_table_prints_as_pdf():
    pdf = soptable.render_pdf(sop1())
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "STANDAR OPERASIONAL PROSEDUR" in text and "Disposisi pimpinan" in text
