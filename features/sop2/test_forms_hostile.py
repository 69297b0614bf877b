"""SOP 2's forms (``forms/spbe-*.form``) under hostile input.

The checks are ``features.support.hostile_forms``'s; the valid submissions are SOP 2's (each
form with the fields its choices show: a file found incomplete with what is missing, a
validation "layak dengan catatan" with its notes, a recommendation "dengan catatan" with its
notes).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alur import forms
from features.support.hostile_forms import (
    check_one_spoiled_field,
    check_unknown_field,
    check_valid_submissions,
)
from features.support.tally import Tally
from stack.local import REPO

TODAY = date(2026, 11, 23)
#: After ``TODAY``: the meeting the Deputy schedules (the form disallows passed dates).
LATER = "2026-12-10"
SECTIONS = [
    "latar_belakang",
    "fungsi_bisnis",
    "metodologi",
    "kebutuhan_data",
    "teknologi",
    "jadwal",
    "sumber_pembiayaan",
]
VALID: dict[str, dict[str, Any]] = {
    "spbe-pertimbangan-permohonan": {
        "jenisPengusul": "kementerian",
        "institutionName": "Kementerian Kesehatan",
        "pejabatPengusul": "Menteri Kesehatan",
        "alamatPengusul": "Jl. H.R. Rasuna Said Blok X-5 Kav. 4-9, Jakarta Selatan 12950",
        "applicantName": "Ir. Agus Setiawan, M.Kom.",
        "applicantPosition": "Kepala Pusat Data dan Teknologi Informasi",
        "applicantEmail": "pusdatin@kemkes.example.id",
        "applicantPhone": "081219876543",
        "subject": "Usulan pertimbangan pembangunan aplikasi khusus SPBE",
        "nomorSuratUsulan": "TI.01.02/Menkes/1234/2026",
        "tanggalSuratUsulan": "2026-11-16",
        "namaAplikasi": "Sistem Informasi Rujukan Terintegrasi Nasional",
        "matter": "Aplikasi rujukan pasien antarfasilitas kesehatan; rujukan kini dicatat "
        "manual sehingga pasien gawat darurat tertunda.",
        "bagianProposal": SECTIONS,
        "proposalLetter": "files::surat-usulan",
        "proposal": "files::proposal",
    },
    "spbe-pertimbangan-disposisi-menteri": {
        "catatanDisposisiMenteri": "Deputi KTL: pelajari dan proses sesuai ketentuan.",
    },
    "spbe-pertimbangan-disposisi-deputi": {
        "hasilPelajariDeputi": "Aplikasi berpotensi tumpang tindih dengan aplikasi umum "
        "layanan kesehatan.",
        "catatanDisposisiDeputi": "Asdep: uji kelengkapan dan telaah keterpaduannya.",
    },
    "spbe-pertimbangan-kelengkapan": {
        "bagianLengkap": ["surat_usulan", *SECTIONS[:5]],
        "berkasLengkap": "tidak",
        "kekuranganBerkas": "Jadwal pembangunan dan pengembangan aplikasi\nSumber pembiayaan",
    },
    "spbe-pertimbangan-telaah": {
        "hasilTelaah": "Fungsi bisnis belum tersedia pada aplikasi umum; arsitektur SPBE "
        "instansi sudah memuat aplikasi ini.",
    },
    "spbe-pertimbangan-undangan": {
        "jadwalRapat": f"{LATER}T09:00+07:00",
        "tempatRapat": "Ruang Rapat Lantai 3, Kementerian PANRB, Jl. Jenderal Sudirman Kav. 69",
        "anggotaTim": ["spbe-komdigi", "spbe-bappenas", "spbe-bssn"],
        "instansiTerkaitLain": "BPJS Kesehatan\nKementerian Sosial",
    },
    "spbe-pertimbangan-validasi": {
        "hasilValidasi": "layak_dengan_catatan",
        "catatanValidasi": "Gunakan Pusat Data Nasional untuk penyimpanan data pasien.",
    },
    "spbe-pertimbangan-hasil-rapat": {
        "tanggalRapat": "2026-11-20",
        "daftarHadir": "Dr. Sri Wahyuni, M.A.P. (Deputi KTL, Kementerian PANRB)\n"
        "Ir. Agus Setiawan, M.Kom. (Kementerian Kesehatan)\n"
        "Arief Nugroho, S.T., M.Kom. (Kementerian Komunikasi dan Digital)",
        "notulaRapat": "Pengusul memaparkan proposal; tim koordinasi menanggapi.",
        "hasilRapat": "Usulan dapat dilanjutkan dengan penyesuaian arsitektur.",
        "tindakLanjutRapat": "Menyesuaikan peta rencana SPBE instansi\n"
        "Menyampaikan rencana interoperabilitas data",
    },
    "spbe-pertimbangan-pembahasan-teknis": {
        "tanggalPembahasan": "2026-11-21",
        "pesertaPembahasan": "Yusuf Maulana, S.T., M.T. (Asdep, Kementerian PANRB)\n"
        "Tim Pusdatin Kementerian Kesehatan",
        "hasilPembahasanTeknis": "Interoperabilitas melalui layanan berbagi pakai data.",
        "tindakLanjutMemadai": "tidak",
        "kekuranganTindakLanjut": "Rencana migrasi data ke Pusat Data Nasional",
    },
    "spbe-pertimbangan-reviu": {
        "ringkasanReviu": "Usulan memenuhi kriteria aplikasi khusus dengan penyesuaian.",
        "rekomendasi": "direkomendasikan dengan catatan",
        "catatanRekomendasi": "Menggunakan Pusat Data Nasional\nMenerapkan interoperabilitas",
    },
    "spbe-pertimbangan-draf-rekomendasi": {
        "perihal": "Pertimbangan pembangunan aplikasi khusus SPBE",
        "review_summary": "Usulan memenuhi kriteria aplikasi khusus dengan penyesuaian.",
        "recommendation": "direkomendasikan dengan catatan",
        "notes": "Menggunakan Pusat Data Nasional\nMenerapkan interoperabilitas",
    },
}
FORMS = {path.stem: forms.load_form(path) for path in sorted((REPO / "forms").glob("spbe-*.form"))}


def test_every_sop2_form_has_a_valid_submission_here():
    check_valid_submissions(FORMS, VALID, TODAY)


@pytest.mark.hostile
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_spoiled_field_of_an_sop2_form_is_refused_by_name(data: st.DataObject, tally: Tally):
    check_one_spoiled_field(data, tally, FORMS, VALID, TODAY)


@pytest.mark.hostile
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    form_id=st.sampled_from(sorted(VALID)),
    key=st.text(min_size=1, max_size=40),
    value=st.one_of(st.none(), st.integers(), st.text(max_size=20)),
)
def test_a_field_an_sop2_form_does_not_define_is_refused(
    form_id: str, key: str, value: Any, tally: Tally
):
    check_unknown_field(form_id, key, value, tally, FORMS, VALID, TODAY)


def test_the_forms_are_the_diagrams():
    """Every SOP 2 form is used by the diagram (or is its intake), none is left over."""
    diagram = (REPO / "bpmn" / "kemenpanrb_pertimbangan_spbe.bpmn").read_text(encoding="utf-8")
    used = {form_id for form_id in FORMS if f'formId="{form_id}"' in diagram}
    assert used | {"spbe-pertimbangan-permohonan"} == set(FORMS)
