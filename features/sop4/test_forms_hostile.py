"""SOP 4's forms under hostile input: a valid submission of each ``forms/kasn-*.form``, spoiled
in exactly one field, is refused by the server's validator (``alur.forms.validate``) on that
field with a sentence in Bahasa Indonesia, keeping nothing of it; a field the form does not
define is refused too. The spoils follow each field's own rules (required, length, pattern,
e-mail, options, dates), read from the form itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alur import forms
from features.support.tally import Tally
from features.unit.test_forms_hostile import (
    missing,
    not_text,
    oversized,
    refused_here,
    with_control,
)
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
BAD_DATES = ["2026-13-01", "2026-02-30", "12/31/2026", "besok", "1999-01-01", "2026-11-22"]
BAD_MOMENTS = ["2026-12-01", "10.00", "besok", "2020-01-01T10:00+07:00", "2099-13-01T10:00+07:00"]


def hostile(component: forms.Component) -> st.SearchStrategy[Any]:
    """Values the component must refuse."""
    spoils: list[st.SearchStrategy[Any]] = [not_text]
    if component.required:
        spoils.append(missing)
    if component.type in ("textfield", "textarea"):
        spoils += [with_control, oversized(component.max_length or forms.MAX_TEXT_LENGTH)]
        if component.validation_type == "email":
            spoils.append(st.sampled_from(["bukan-email", "a@", "@b.id"]))
        if component.pattern is not None:
            spoils.append(st.sampled_from(["12345", "08-1234-5678", "0812345678901234567"]))
    elif component.type in ("radio", "select"):
        spoils.append(st.sampled_from(["bukan_pilihan", "YA", "ya;tidak"]))
    elif component.type == "datetime":
        spoils.append(
            st.sampled_from(BAD_MOMENTS if component.subtype == "datetime" else BAD_DATES)
        )
    return st.one_of(*spoils)


def test_every_sop4_form_has_a_valid_submission_here():
    assert set(FORMS) == set(VALID), "a new kasn form needs its valid submission above"
    for form_id, form in FORMS.items():
        result = forms.validate(form, VALID[form_id], today=TODAY)
        assert result.ok, (form_id, result.errors)
        assert set(result.data) == set(VALID[form_id]), form_id


@pytest.mark.hostile
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_spoiled_field_of_an_sop4_form_is_refused_by_name(data: st.DataObject, tally: Tally):
    form_id = data.draw(st.sampled_from(sorted(FORMS)), label="form")
    form = FORMS[form_id]
    keys = sorted(c.key for c in form.components if c.takes_input and c.key in VALID[form_id])
    key = data.draw(st.sampled_from(keys), label="field")
    value = data.draw(hostile(form.component(key)), label="value")
    result = forms.validate(form, {**VALID[form_id], key: value}, today=TODAY)
    # the validator's own sentences, or the form's for its pattern (Bahasa, in the form)
    own = form.component(key).pattern_message
    refused = refused_here(result, key) or (
        own is not None and result.errors.get(key) == own and key not in result.data
    )
    tally.add("inputs", 1, int(refused))
    assert refused, (form_id, key, value, result)
    assert set(result.errors) == {key}, "a spoiled field must not blame the others"


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
    form = FORMS[form_id]
    if key in form.keys:
        return
    result = forms.validate(form, {**VALID[form_id], key: value}, today=TODAY)
    refused = refused_here(result, forms.FORM_KEY) and key not in result.data
    tally.add("inputs", 1, int(refused))
    assert refused, (form_id, key, result)


def test_the_forms_are_the_diagrams():
    """Every SOP 4 form is used by the diagram (or is its intake), none is left over."""
    diagram = (REPO / "bpmn" / "kasn_konsultasi_merit.bpmn").read_text(encoding="utf-8")
    used = {form_id for form_id in FORMS if f'formId="{form_id}"' in diagram}
    assert used | {"kasn-konsultasi-permohonan"} == set(FORMS)
