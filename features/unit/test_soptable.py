"""The printed SOP follows the diagram: SOP 1's table lists the seed's steps in order."""

from __future__ import annotations

import io
from pathlib import Path

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


SOP3 = REPO / "bpmn" / "dpmptsp_pengaduan.bpmn"


def test_sop3_lists_both_procedures_and_the_information_service_with_their_executors():
    """Seed 001: the settlement minutes' eleven steps and the reply letter's eight, after the
    information service of the seed's first list."""
    rows = soptable.table(SOP3.read_bytes(), REPO / "forms").rows
    activities = [r.activity for r in rows]
    executors = {r.activity: r.executor for r in rows}
    kabid = "Kepala Bidang Pengaduan, Kebijakan dan Pelaporan Layanan"
    minutes = [
        # 1: the form and evidence handed to the front office; 2: incomplete files go back.
        ("Pengaduan atau permintaan informasi disampaikan", "Pengadu / pemohon informasi"),
        ("Periksa kelengkapan berkas", "Front Office"),
        ("Jika belum lengkap: Kembalikan berkas untuk dilengkapi", "Front Office"),
        # (reply letter 2: the complaint register book)
        ("Jika lengkap: Catat dalam Buku Register Pengaduan", "Front Office"),
        # 3: the analyst verifies the form and evidence; 4: studies, formulates a solution.
        ("Verifikasi keabsahan berkas", "JFT Analis Kebijakan"),
        ("Kaji pengaduan dan rumuskan solusi", "JFT Analis Kebijakan"),
        ("Analisis kajian dan koordinasi", kabid),
        # 5: the analyst drafts; 6: the head of division and 7: the secretary initial.
        ("Jika berita acara penyelesaian: Susun draf berita acara", "JFT Analis Kebijakan"),
        ("Paraf Kepala Bidang atas berita acara", kabid),
        ("Jika diparaf: Paraf Sekretaris atas berita acara", "Sekretaris DPMPTSP"),
        # 8: signed; 9: registered and numbered; 10: to the front office; 11: handed over.
        ("Jika diparaf: Tandatangani berita acara", "Kepala Dinas"),
        (
            "Jika disetujui dan ditandatangani: Registrasi dan penomoran berita acara",
            "Front Office",
        ),
    ]
    letter = [
        # Reply letter 5: the analyst drafts; 6: initialled; 7: signed; 8: handed over.
        ("Jika surat jawaban: Susun draf surat jawaban", "JFT Analis Kebijakan"),
        ("Paraf Kepala Bidang atas surat jawaban", kabid),
        ("Jika diparaf: Tandatangani surat jawaban", "Kepala Dinas"),
        ("Jika disetujui dan ditandatangani: Terbitkan Surat Jawaban Pengaduan", "Front Office"),
    ]
    for steps in (minutes, letter):
        positions = [activities.index(step) for step, _ in steps]
        assert positions == sorted(positions)
        assert [(step, executors[step]) for step, _ in steps] == steps
    assert executors["Jika saluran lain: Serahkan kepada pengadu"] == "Front Office"
    assert executors["Jika permintaan informasi: Hitung tenggat jawaban informasi"] == (
        "Front Office"
    )
    times = {r.activity: r.time for r in rows}
    assert times["Verifikasi keabsahan berkas"] == "-"  # the clock starts once it is valid
    assert times["Kaji pengaduan dan rumuskan solusi"] == "2 s/d 10 hari kerja (target Analis)"
    assert times["Berikan informasi"] == "2 hari kerja"
    outputs = {r.activity: r.output for r in rows}
    assert outputs["Jika lengkap: Catat dalam Buku Register Pengaduan"] == (
        "Buku Register Pengaduan DPMPTSP"
    )
    assert outputs["Jika belum lengkap: Kembalikan berkas untuk dilengkapi"] == (
        "Permintaan kelengkapan berkas kepada pemohon"
    )
    assert not [a for a in activities if "Gateway_" in a or "Eskalasi" in a]


SOP2 = REPO / "bpmn" / "kemenpanrb_pertimbangan_spbe.bpmn"


def test_sop2_lists_the_seed_steps_in_order_with_their_executors():
    """Seed 003: the eleven steps, from the proposal to the Minister's letter, with the
    coordination team's validation outside the 60 working days and the two-month follow-up
    stage whose timer cancels the proposal."""
    rows = soptable.table(SOP2.read_bytes(), REPO / "forms").rows
    activities = [r.activity for r in rows]
    minister, deputy = "Menteri PANRB", "Deputi Bidang Kelembagaan dan Tata Laksana"
    asdep, team = "Asisten Deputi beserta Staf", "Tim Koordinasi SPBE Nasional"
    stage = "Tindak lanjut hasil rapat dan pembahasan teknis (langkah 18 s/d 23)"
    issued = "Jika disetujui dan ditandatangani: Registrasi dan penomoran surat pertimbangan"
    cancelled = "Jika dua bulan tanpa tindak lanjut: Terbitkan surat pembatalan usulan"
    seed_steps = [
        # 1: the proposer submits the letter, the proposal and its supporting data.
        ("Usulan disampaikan", "Instansi pengusul"),
        # 2: the Minister's disposition; 3: the Deputy studies it and dispositions.
        ("Disposisi kepada Deputi", minister),
        ("Pelajari usulan dan disposisi kepada Asisten Deputi", deputy),
        # 4: the completeness test; 5: an incomplete file goes back, the clock paused.
        ("Uji kelengkapan proposal dan persyaratan", asdep),
        ("Jika belum lengkap: Jeda jam layanan", asdep),
        ("Kembalikan berkas untuk dilengkapi", asdep),
        # 6: a complete file is reviewed.
        ("Jika lengkap dan benar: Telaah, kaji dan analisis usulan", asdep),
        # 7: the meeting with the coordination team, whose validation the clock leaves out.
        ("Undang rapat pembahasan usulan", deputy),
        ("Jeda jam layanan selama validasi", team),
        ("Validasi dan analisis usulan oleh instansi anggota", team),
        ("Lanjutkan jam layanan", team),
        ("Catat hasil rapat", deputy),
        # 8 and 10: the proposer has two months to follow up, then the technical discussion.
        (stage, asdep),
        ("Pembahasan teknis dengan instansi pengusul", asdep),
        # 9: the Deputy reviews, reports by nota dinas, prepares the Minister's letter.
        ("Teliti dan reviu hasil pembahasan", deputy),
        ("Laporkan kepada Menteri melalui nota dinas", deputy),
        ("Siapkan surat pertimbangan/rekomendasi", deputy),
        ("Tandatangani surat pertimbangan", minister),
        # 11: the letter reaches the proposer.
        (issued, deputy),
        ("Sampaikan surat kepada instansi pengusul", deputy),
        ("Surat pertimbangan diterima", "Instansi pengusul"),
        # 10: no follow-up within two months: the proposal is cancelled by letter.
        (cancelled, asdep),
    ]
    # Searched in order, each after the one before: the clock resumes twice.
    found, position = [], -1
    for step, _ in seed_steps:
        position = activities.index(step, position + 1)
        found.append((step, rows[position].executor))
    assert found == seed_steps
    by_activity = {r.activity: r for r in rows}
    discussion = by_activity["Pembahasan teknis dengan instansi pengusul"].number
    assert 18 <= discussion <= 23, "the technical discussion is inside the two-month stage"
    assert "Surat usulan Menteri/Pimpinan Lembaga/Kepala Daerah" in (
        by_activity["Usulan disampaikan"].requirements
    )
    times = {r.activity: r.time for r in rows}
    for step in (
        "Disposisi kepada Deputi",
        "Uji kelengkapan proposal dan persyaratan",
        "Jika lengkap dan benar: Telaah, kaji dan analisis usulan",
        "Catat hasil rapat",
        "Pembahasan teknis dengan instansi pengusul",
        "Tandatangani surat pertimbangan",
    ):
        assert times[step] == "60 hari kerja", step
    assert times["Validasi dan analisis usulan oleh instansi anggota"] == "-"  # clock paused
    assert times[stage] == "2 bulan"
    outputs = {r.activity: r.output for r in rows}
    assert outputs["Hitung batas tindak lanjut 2 bulan"] == "Tenggat 2 bulan"
    assert outputs["Kembalikan berkas untuk dilengkapi"] == (
        "Permintaan kelengkapan berkas kepada pemohon"
    )
    assert outputs["Laporkan kepada Menteri melalui nota dinas"] == "Nota Dinas"
    assert outputs["Tandatangani surat pertimbangan"] == (
        "Draf disetujui untuk ditandatangani atau dikembalikan"
    )
    assert outputs[issued] == (
        "Surat Pertimbangan dan Rekomendasi Aplikasi Khusus SPBE bertanda tangan elektronik"
    )
    assert outputs[cancelled] == (
        "Surat Pemberitahuan Pembatalan Usulan Pertimbangan Aplikasi Khusus SPBE"
    )
    assert outputs["Catat usulan dibatalkan"] == "Status permohonan: dibatalkan"
    assert not [a for a in activities if "Gateway_" in a or "Eskalasi" in a]


STAGE = REPO / "features" / "platform" / "diagrams" / "uji_subproses.bpmn"


def test_a_sub_process_prints_as_a_stage_with_its_steps_and_its_cancellation():
    """SOP 2 puts the follow-up and the technical discussion in a sub-process with an
    interrupting two-month timer: every step inside it is printed, after one row for the stage
    (the steps it holds, its lanes, the timer's limit), and the cancellation is a branch."""
    rows = soptable.table(STAGE.read_bytes(), STAGE.parent, registers={}).rows
    deputy, team = "Asisten Deputi", "Tim Koordinasi SPBE Nasional"
    assert [(r.number, r.activity, r.executor, r.time, r.output) for r in rows] == [
        (1, "Usulan diterima", "Pengusul", "-", "-"),
        (2, "Hitung tenggat tindak lanjut", deputy, "-", "Tenggat 2 bulan"),
        (
            3,
            "Tindak lanjut dan pembahasan teknis (langkah 4 s/d 9)",
            f"{deputy}, {team}",
            "2 bulan",
            "-",
        ),
        (4, "Hitung tenggat pembahasan", deputy, "-", "Tenggat 5 hari kerja"),
        (5, "Terima tindak lanjut hasil rapat", deputy, "-", "Formulir terisi"),
        (6, "Tindak lanjut lengkap?", deputy, "-", "Keputusan"),
        (
            7,
            "Jika lengkap: Pembahasan teknis dengan pengusul",
            team,
            "5 hari kerja",
            "Formulir terisi",
        ),
        (8, "Pembahasan selesai", team, "-", "-"),
        (
            9,
            "Jika belum lengkap: Minta pengusul melengkapi",
            deputy,
            "-",
            "Permintaan kelengkapan berkas kepada pemohon",
        ),
        (10, "Catat usulan selesai dibahas", deputy, "-", "Status permohonan: selesai"),
        (11, "Usulan selesai dibahas", "Pengusul", "-", "-"),
        (
            12,
            "Jika dua bulan tanpa tindak lanjut: Batalkan usulan",
            deputy,
            "-",
            "Status permohonan: dibatalkan",
        ),
        (13, "Usulan dibatalkan", deputy, "-", "-"),
    ]
    requirements = {r.activity: r.requirements for r in rows}
    assert requirements["Terima tindak lanjut hasil rapat"] == "Berkas lengkap?"
    assert requirements["Tindak lanjut dan pembahasan teknis (langkah 4 s/d 9)"] == "-"
    activities = [r.activity for r in rows]
    assert "Tindak lanjut dimulai" not in activities, "the stage's row stands for its start"
    assert not [a for a in activities if "Gateway_" in a or "Eskalasi" in a]


def test_a_stage_timer_written_as_a_duration_prints_in_bahasa():
    """A timer on the stage's border written as an ISO duration (``P60D``), not an SLA due
    date, still gives the stage its time; a step inside that no lane lists gets the lane of the
    sub-process around it."""
    xml = STAGE.read_bytes().replace(
        b'<bpmn:timeDate xsi:type="bpmn:tFormalExpression">=tenggatTindakLanjut</bpmn:timeDate>',
        b'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P60D</bpmn:timeDuration>',
    )
    xml = xml.replace(b"<bpmn:flowNodeRef>Task_PembahasanTeknis</bpmn:flowNodeRef>", b"")
    assert b"P60D" in xml and b">Task_PembahasanTeknis<" not in xml
    rows = {r.activity: r for r in soptable.table(xml, STAGE.parent, registers={}).rows}
    assert rows["Tindak lanjut dan pembahasan teknis (langkah 4 s/d 9)"].time == "60 hari"
    assert rows["Jika lengkap: Pembahasan teknis dengan pengusul"].executor == "Asisten Deputi"


def test_a_coded_limit_prints_as_the_installation_set_it(tmp_path: Path):
    """The header ``kodeBatas`` lets an installation follow a newer regulation: the printed
    SOP shows the limit its calendar file sets for the SOP's agency, not the seed's."""
    xml = SOP3.read_bytes().replace(
        b'<zeebe:header key="batas" value="2 hari kerja" />',
        b'<zeebe:header key="batas" value="2 hari kerja" />'
        b'<zeebe:header key="kodeBatas" value="dpmptsp.jawab_informasi" />',
    )
    assert b"kodeBatas" in xml
    calendar = tmp_path / "kalender.toml"
    calendar.write_text(
        '[instansi.dpmptsp.batas_waktu]\n"dpmptsp.jawab_informasi" = "1 hari kerja"\n',
        encoding="utf-8",
    )
    shipped = {r.activity: r for r in soptable.table(xml, REPO / "forms").rows}
    own = {r.activity: r for r in soptable.table(xml, REPO / "forms", None, calendar).rows}
    assert shipped["Berikan informasi"].time == "2 hari kerja"
    assert own["Berikan informasi"].time == "1 hari kerja"
    computed = next(r for a, r in own.items() if a.endswith("Hitung tenggat jawaban informasi"))
    assert computed.output == "Tenggat 1 hari kerja"


SOP5 = REPO / "bpmn" / "lapor_disposisi_pengaduan.bpmn"


def test_sop5_lists_the_seed_steps_in_order_with_their_admins_and_limits():
    """Seed 004: the report (1), Admin Nasional (2), Admin Instansi (3-5), Admin Eselon 1
    (6-7), Admin UPT (9-10), the system's closing (11); Admin Eselon 1's own answer (8) is
    read after the closing, the branch the reopened report also takes."""
    rows = soptable.table(SOP5.read_bytes(), REPO / "forms").rows
    activities = [r.activity for r in rows]
    seed_steps = [
        ("Laporan disampaikan", "Pelapor (masyarakat)", "-"),
        ("Verifikasi, identifikasi dan disposisi ke instansi", "Admin Nasional", "3 hari"),
        ("Terima disposisi laporan", "Admin Instansi", "60 menit"),
        ("Verifikasi dan identifikasi laporan", "Admin Instansi", "3 hari"),
        ("Disposisi laporan ke Admin Eselon 1", "Admin Instansi", "3 hari kerja"),
        ("Terima laporan dari Admin Instansi", "Admin Eselon 1", "60 menit"),
        ("Beri respon awal kepada pelapor", "Admin Eselon 1", "3 hari kerja"),
        ("Verifikasi laporan terdisposisi", "Admin Eselon 1", "60 menit"),
        ("Terima laporan dari Admin Eselon 1", "Admin UPT", "60 menit"),
        ("Tindak lanjut substantif oleh UPT", "Admin UPT", "60 menit"),
        ("Sampaikan tindak lanjut kepada pelapor", "Sistem SP4N-LAPOR!", "-"),
        ("Tutup laporan", "Sistem SP4N-LAPOR!", "-"),
        ("Tindak lanjut substantif di tingkat Eselon 1", "Admin Eselon 1", "3 hari"),
        ("Jika tunda: Minta pelapor melengkapi laporan", "Pelapor (masyarakat)", "-"),
        ("Jika arsipkan: Arsipkan laporan", "Admin Nasional", "-"),
    ]
    positions = [activities.index(step) for step, _, _ in seed_steps]
    assert positions == sorted(positions)
    by_activity = {r.activity: (r.executor, r.time) for r in rows}
    assert [(s, *by_activity[s]) for s, _, _ in seed_steps] == seed_steps
    outputs = {r.activity: r.output for r in rows}
    assert outputs["Hitung tenggat penutupan otomatis"] == "Tenggat 10 hari"
    assert "Jika disposisi ke UPT: Hitung tenggat penerimaan" in activities
    assert not [a for a in activities if "Gateway_" in a or "Eskalasi" in a]
