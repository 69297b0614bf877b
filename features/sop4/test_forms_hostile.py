"""SOP 4's forms (``forms/kasn-*.form``) under hostile input.

The checks are ``features.support.hostile_forms``'s; the valid submissions are SOP 4's.
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
LATER = "2099-12-10"
#: A valid submission of each SOP 4 form (the telaah form with the fields its "tidak" shows).
VALID: dict[str, dict[str, Any]] = {
    "kasn-konsultasi-permohonan": {
        "applicantName": "Dr. Bambang Sutrisno, M.Si.",
        "applicantPosition": "Kepala BKPSDM",
        "institutionName": "Pemerintah Kabupaten Banyumas",
        "applicantEmail": "bkpsdm@banyumaskab.example.id",
        "applicantPhone": "081327001122",
        "subject": "Konsultasi seleksi terbuka JPT Pratama",
        "matter": "Hasil uji kompetensi tidak diumumkan.",
        "letterNumber": "800/117/BKPSDM/2026",
        "letterDate": "2026-11-20",
    },
    "kasn-konsultasi-disposisi-sekretariat": {"urgency": "segera", "secretariatNote": "Segera."},
    "kasn-konsultasi-disposisi-pokja": {"assignedAssistant": "Dimas", "pokjaNote": "Telaah."},
    "kasn-konsultasi-telaah": {
        "canBeProcessed": "tidak",
        "reviewNote": "Telah ditelaah.",
        "unprocessableReason": "Bukan pengisian JPT.",
        "applicantAdvice": "Hubungi PPK.",
    },
    "kasn-konsultasi-analisis": {
        "analysis": "Keterbukaan seleksi.",
        "responseDraft": "Hasil tiap tahapan wajib diumumkan.",
        "legalBasis": "UU 20/2023",
    },
    "kasn-konsultasi-draf-tanggapan": {
        "perihal": "Tanggapan atas konsultasi",
        "matter": "Hasil uji kompetensi.",
        "response": "Wajib diumumkan.",
    },
    "kasn-konsultasi-draf-konfirmasi": {
        "perihal": "Konfirmasi permohonan konsultasi",
        "reason": "Bukan pengisian JPT.",
        "advice": "Hubungi PPK.",
    },
    "kasn-konsultasi-koordinasi": {
        "meetingField": "Bidang Pengawasan JPT Instansi Daerah",
        "meetingTime": f"{LATER}T10:00+07:00",
        "meetingPlace": "Ruang Konsultasi Lantai 2",
        "meetingOfficer": "Dimas Ardiansyah",
    },
    "kasn-konsultasi-tatap-muka": {"meetingAttendees": "Pemohon; Asisten", "meetingResult": "Ok."},
}
FORMS = {path.stem: forms.load_form(path) for path in sorted((REPO / "forms").glob("kasn-*.form"))}


def test_every_sop4_form_has_a_valid_submission_here():
    check_valid_submissions(FORMS, VALID, TODAY)


@pytest.mark.hostile
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_spoiled_field_of_an_sop4_form_is_refused_by_name(data: st.DataObject, tally: Tally):
    check_one_spoiled_field(data, tally, FORMS, VALID, TODAY)


@pytest.mark.hostile
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    form_id=st.sampled_from(sorted(VALID)),
    key=st.text(min_size=1, max_size=40),
    value=st.one_of(st.none(), st.integers(), st.text(max_size=20)),
)
def test_a_field_an_sop4_form_does_not_define_is_refused(
    form_id: str, key: str, value: Any, tally: Tally
):
    check_unknown_field(form_id, key, value, tally, FORMS, VALID, TODAY)


def test_the_forms_are_the_diagrams():
    """Every SOP 4 form is used by the diagram (or is its intake), none is left over."""
    diagram = (REPO / "bpmn" / "kasn_konsultasi_merit.bpmn").read_text(encoding="utf-8")
    used = {form_id for form_id in FORMS if f'formId="{form_id}"' in diagram}
    assert used | {"kasn-konsultasi-permohonan"} == set(FORMS)
