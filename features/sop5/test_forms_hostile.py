"""SOP 5's forms (``forms/lapor-*.form``) under hostile input.

The checks are ``features.support.hostile_forms``'s; the valid submissions are SOP 5's. The
units of a disposition come from the process (``valuesKey``): the forms are checked with the
lists the diagram's ``alur.unit.daftar`` steps give (``VARIABLES``), as the staff app checks
them; ``test_a_unit_outside_the_list_is_refused_and_nothing_moves`` (the scenarios' module)
shows it on the real process.
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

TODAY = date(2026, 12, 5)
#: A valid submission of each SOP 5 form (each decision with the fields its choice shows).
VALID: dict[str, dict[str, Any]] = {
    "lapor-laporan": {
        "category": "pengaduan",
        "subject": "Antrean pendaftaran poli jantung",
        "matter": "Pasien lansia menunggu lebih dari enam jam tanpa tempat duduk.",
        "incidentDate": "2026-11-30",
        "incidentPlace": "RSUP Dr. Sardjito Yogyakarta",
        "attachment": "files::lampiran",
        "applicantName": "Sri Wahyuningsih",
        "applicantEmail": "sri.wahyu@warga.example.id",
        "applicantPhone": "081227003344",
        "anonymous": True,
        "confidential": False,
    },
    "lapor-verifikasi-nasional": {
        "keputusanNasional": "disposisi",
        "unitInstansi": "kemenkes",
        "catatanDisposisiNasional": "Mohon ditindaklanjuti.",
    },
    "lapor-terima": {"laporanDiterima": True},
    "lapor-verifikasi-instansi": {
        "wewenangInstansi": "tidak",
        "alasanPengembalianInstansi": "Kewenangan KASN.",
    },
    "lapor-disposisi-instansi": {
        "unitEselon1": "kemenkes-yankes",
        "catatanDisposisiInstansi": "Segera.",
    },
    "lapor-respon-awal": {"responAwal": "Laporan Anda kami terima."},
    "lapor-verifikasi-eselon1": {
        "tindakLanjutEselon1": "disposisi_upt",
        "unitUpt": "kemenkes-rsup-sardjito",
        "catatanDisposisiEselon1": "Mohon dijawab.",
    },
    "lapor-jawaban": {"jawabanSubstantif": "Pendaftaran daring dibuka mulai 1 Desember."},
}
VARIABLES = {
    "pilihanInstansi": [
        {"label": "Kementerian Kesehatan", "value": "kemenkes"},
        {"label": "Komisi Aparatur Sipil Negara (KASN)", "value": "kasn"},
    ],
    "pilihanEselon1": [
        {"label": "Direktorat Jenderal Pelayanan Kesehatan", "value": "kemenkes-yankes"},
    ],
    "pilihanUpt": [{"label": "RSUP Dr. Sardjito Yogyakarta", "value": "kemenkes-rsup-sardjito"}],
}
FORMS = {path.stem: forms.load_form(path) for path in sorted((REPO / "forms").glob("lapor-*.form"))}


def test_every_sop5_form_has_a_valid_submission_here():
    check_valid_submissions(FORMS, VALID, TODAY, VARIABLES)


@pytest.mark.hostile
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_spoiled_field_of_an_sop5_form_is_refused_by_name(data: st.DataObject, tally: Tally):
    check_one_spoiled_field(data, tally, FORMS, VALID, TODAY, VARIABLES)


@pytest.mark.hostile
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    form_id=st.sampled_from(sorted(VALID)),
    key=st.text(min_size=1, max_size=40),
    value=st.one_of(st.none(), st.integers(), st.text(max_size=20)),
)
def test_a_field_an_sop5_form_does_not_define_is_refused(
    form_id: str, key: str, value: Any, tally: Tally
):
    check_unknown_field(form_id, key, value, tally, FORMS, VALID, TODAY)


def test_the_forms_are_the_diagrams():
    """Every SOP 5 form is used by the diagram (or is its intake), none is left over."""
    diagram = (REPO / "bpmn" / "lapor_disposisi_pengaduan.bpmn").read_text(encoding="utf-8")
    used = {form_id for form_id in FORMS if f'formId="{form_id}"' in diagram}
    assert used | {"lapor-laporan"} == set(FORMS)
