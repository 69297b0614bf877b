"""SOP 3's forms (``forms/dpmptsp-*.form``) under hostile input.

The checks are ``features.support.hostile_forms``'s; the valid submissions are SOP 3's (each
form with the fields its choices show: a complaint with its files, a file found incomplete or
not valid with what is missing).
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
VALID: dict[str, dict[str, Any]] = {
    "dpmptsp-pengaduan-permohonan": {
        "jenisLayanan": "pengaduan",
        "applicantName": "Siti Rahmawati",
        "applicantAddress": "Jl. Melati No. 12, Surabaya",
        "applicantPhone": "081234567890",
        "applicantEmail": "siti@example.id",
        "subject": "Izin usaha belum terbit",
        "matter": "Izin usaha belum terbit setelah 30 hari kerja.",
        "statement": "files::pernyataan",
        "evidence": "files::bukti",
    },
    "dpmptsp-pengaduan-kelengkapan": {
        "berkasLengkap": "tidak",
        "kekuranganBerkas": "Surat Pernyataan Kebenaran Aduan",
    },
    "dpmptsp-informasi-jawab": {"jawabanInformasi": "Cukup dengan NIB melalui OSS."},
    "dpmptsp-pengaduan-verifikasi": {"berkasSah": "ya", "targetHariKerja": 5},
    "dpmptsp-pengaduan-kajian": {
        "kajianPengaduan": "Dokumen lingkungan belum diunggah.",
        "bahanPendukung": "Riwayat OSS.",
        "usulanSolusi": "Unggah dokumen lingkungan.",
        "dikonsultasikan": True,
    },
    "dpmptsp-pengaduan-koordinasi": {
        "analisisKabid": "Dokumen lingkungan menjadi syarat.",
        "koordinasiUnsur": "Bidang Perizinan: dapat diunggah ulang.",
        "bentukPenyelesaian": "surat_jawaban",
    },
    "dpmptsp-pengaduan-draf-berita-acara": {
        "perihal": "Izin usaha belum terbit",
        "summary": "Izin usaha belum terbit.",
        "settlement": "Izin diterbitkan setelah dokumen diunggah.",
    },
    "dpmptsp-pengaduan-draf-jawaban": {
        "perihal": "Jawaban atas pengaduan",
        "summary": "Izin usaha belum terbit.",
        "answer": "Unggah dokumen lingkungan.",
    },
    "dpmptsp-pengaduan-penyerahan": {
        "diterimaOleh": "Siti Rahmawati",
        "waktuPenyerahan": "2026-11-23T10:00+07:00",
    },
}
FORMS = {
    path.stem: forms.load_form(path) for path in sorted((REPO / "forms").glob("dpmptsp-*.form"))
}


def test_every_sop3_form_has_a_valid_submission_here():
    check_valid_submissions(FORMS, VALID, TODAY)


@pytest.mark.hostile
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_spoiled_field_of_an_sop3_form_is_refused_by_name(data: st.DataObject, tally: Tally):
    check_one_spoiled_field(data, tally, FORMS, VALID, TODAY)


@pytest.mark.hostile
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    form_id=st.sampled_from(sorted(VALID)),
    key=st.text(min_size=1, max_size=40),
    value=st.one_of(st.none(), st.integers(), st.text(max_size=20)),
)
def test_a_field_an_sop3_form_does_not_define_is_refused(
    form_id: str, key: str, value: Any, tally: Tally
):
    check_unknown_field(form_id, key, value, tally, FORMS, VALID, TODAY)


def test_the_forms_are_the_diagrams():
    """Every SOP 3 form is used by the diagram (or is its intake), none is left over."""
    diagram = (REPO / "bpmn" / "dpmptsp_pengaduan.bpmn").read_text(encoding="utf-8")
    used = {form_id for form_id in FORMS if f'formId="{form_id}"' in diagram}
    assert used | {"dpmptsp-pengaduan-permohonan"} == set(FORMS)
