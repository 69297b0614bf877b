"""An SOP's forms under hostile input, the checks every SOP's module runs on its own forms.

A valid submission of each form, spoiled in exactly one field, must be refused by the server's
validator (``alur.forms.validate``) on that field with a sentence in Bahasa Indonesia, keeping
nothing of it; a field the form does not define is refused too. The spoils follow each field's
own rules (required, length, pattern, e-mail, options, numbers, dates, files), read from the
form itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

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

BAD_DATES = ["2026-13-01", "2026-02-30", "12/31/2026", "besok"]
BAD_MOMENTS = ["2026-12-01", "10.00", "besok", "2099-13-01T10:00+07:00"]
#: Before the tests' "today" (2026-11-23): refused where the form disallows passed dates.
PAST_DATES = ["1999-01-01", "2026-11-22"]
PAST_MOMENTS = ["2020-01-01T10:00+07:00"]

Forms = Mapping[str, forms.Form]
Valid = Mapping[str, Mapping[str, Any]]


def hostile(component: forms.Component) -> st.SearchStrategy[Any]:
    """Values the component must refuse."""
    spoils: list[st.SearchStrategy[Any]] = []
    if component.required:
        spoils.append(missing)
    if component.type == "checkbox":
        spoils.append(st.sampled_from(["ya", 1, [True], {"x": 1}]))
        return st.one_of(*spoils)
    if component.type == "number":
        wrong: list[Any] = ["lima", True, [5], float("nan")]
        if component.minimum is not None:
            wrong.append(int(component.minimum) - 1)
        if component.maximum is not None:
            wrong.append(int(component.maximum) + 1)
        spoils.append(st.sampled_from(wrong))
        return st.one_of(*spoils)
    spoils.append(not_text)
    if component.type in ("textfield", "textarea"):
        spoils += [with_control, oversized(component.max_length or forms.MAX_TEXT_LENGTH)]
        if component.validation_type == "email":
            spoils.append(st.sampled_from(["bukan-email", "a@", "@b.id"]))
        if component.validation_type == "phone":
            spoils.append(st.sampled_from(["12345", "telepon saya", "0812-abc-5678"]))
        if component.pattern is not None:
            spoils.append(st.sampled_from(["12345", "08-1234-5678", "0812345678901234567"]))
    elif component.type in ("radio", "select"):
        spoils.append(st.sampled_from(["bukan_pilihan", "YA", "ya;tidak"]))
    elif component.type == "datetime":
        moment = component.subtype == "datetime"
        bad = BAD_MOMENTS if moment else BAD_DATES
        if component.disallow_past:
            bad = [*bad, *(PAST_MOMENTS if moment else PAST_DATES)]
        spoils.append(st.sampled_from(bad))
    elif component.type == "filepicker":
        spoils.append(st.sampled_from(["bukti.pdf", "files::", "files::a b", 7]))
    return st.one_of(*spoils)


def check_valid_submissions(
    every: Forms, valid: Valid, today: date, variables: Mapping[str, Any] | None = None
) -> None:
    """Each form has its valid submission here, and it is taken whole (``variables``: the
    process's, which a select's ``valuesKey`` options come from)."""
    assert set(every) == set(valid), "a new form needs its valid submission in the test"
    for form_id, form in every.items():
        result = forms.validate(form, dict(valid[form_id]), today=today, variables=variables)
        assert result.ok, (form_id, result.errors)
        assert set(result.data) == set(valid[form_id]), form_id


def check_one_spoiled_field(
    data: st.DataObject,
    tally: Tally,
    every: Forms,
    valid: Valid,
    today: date,
    variables: Mapping[str, Any] | None = None,
) -> None:
    form_id = data.draw(st.sampled_from(sorted(every)), label="form")
    form = every[form_id]
    keys = sorted(c.key for c in form.components if c.takes_input and c.key in valid[form_id])
    key = data.draw(st.sampled_from(keys), label="field")
    value = data.draw(hostile(form.component(key)), label="value")
    result = forms.validate(form, {**valid[form_id], key: value}, today=today, variables=variables)
    # the validator's own sentences, or the form's for its pattern (Bahasa, in the form)
    own = form.component(key).pattern_message
    refused = refused_here(result, key) or (
        own is not None and result.errors.get(key) == own and key not in result.data
    )
    tally.add("inputs", 1, int(refused))
    assert refused, (form_id, key, value, result)
    assert set(result.errors) == {key}, "a spoiled field must not blame the others"


def check_unknown_field(
    form_id: str, key: str, value: Any, tally: Tally, every: Forms, valid: Valid, today: date
) -> None:
    form = every[form_id]
    if key in form.keys:
        return
    result = forms.validate(form, {**valid[form_id], key: value}, today=today)
    refused = refused_here(result, forms.FORM_KEY) and key not in result.data
    tally.add("inputs", 1, int(refused))
    assert refused, (form_id, key, result)
