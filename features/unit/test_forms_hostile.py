"""Property-based hostile input over the server's form validator (``alur.forms.validate``).

A valid submission of a form with one field of every kind is spoiled in exactly one place:
a missing, wrong-type, oversized, out-of-range or malformed value, or a field the form does
not define. Whatever Hypothesis draws, the validator refuses it, names that field with a
sentence in Bahasa Indonesia, and keeps nothing of it. Arbitrary JSON never makes it raise.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alur import forms
from features.support.tally import Tally

SCHEMA = {
    "id": "uji_semua_jenis",
    "type": "default",
    "components": [
        {
            "key": "nama",
            "type": "textfield",
            "label": "Nama",
            "validate": {"required": True, "maxLength": 50},
        },
        {
            "key": "uraian",
            "type": "textarea",
            "label": "Uraian",
            "validate": {"required": True, "minLength": 5},
        },
        {
            "key": "surel",
            "type": "textfield",
            "label": "Surel",
            "validate": {"required": True, "validationType": "email"},
        },
        {
            "key": "telepon",
            "type": "textfield",
            "label": "Telepon",
            "validate": {"required": True, "validationType": "phone"},
        },
        {
            "key": "kode",
            "type": "textfield",
            "label": "Kode",
            "validate": {"required": True, "pattern": "[A-Z]{3}-[0-9]{2}"},
        },
        {
            "key": "jumlah",
            "type": "number",
            "label": "Jumlah",
            "decimalDigits": 0,
            "validate": {"required": True, "min": 1, "max": 10},
        },
        {"key": "setuju", "type": "checkbox", "label": "Setuju", "validate": {"required": True}},
        {
            "key": "pilihan",
            "type": "select",
            "label": "Pilihan",
            "values": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}],
            "validate": {"required": True},
        },
        {
            "key": "daftar",
            "type": "checklist",
            "label": "Daftar",
            "values": [{"label": "X", "value": "x"}, {"label": "Y", "value": "y"}],
            "validate": {"required": True},
        },
        {
            "key": "tanggal",
            "type": "datetime",
            "label": "Tanggal",
            "subtype": "date",
            "dateLabel": "Tanggal",
            "disallowPassedDates": True,
            "validate": {"required": True},
        },
        {"key": "berkas", "type": "filepicker", "label": "Berkas", "validate": {"required": True}},
    ],
}
FORM = forms.parse_form(SCHEMA)
TODAY = date(2026, 11, 23)
VALID = {
    "nama": "Siti Aminah",
    "uraian": "Izin usaha belum terbit.",
    "surel": "siti@example.id",
    "telepon": "+62 812-3456-7890",
    "kode": "ABC-12",
    "jumlah": 3,
    "setuju": True,
    "pilihan": "a",
    "daftar": ["x"],
    "tanggal": "2026-12-01",
    "berkas": "files::ktp",
}
#: Every sentence the validator may answer with: fixed ones, and the templated ones.
FIXED = {
    value
    for name, value in vars(forms).items()
    if name.isupper() and isinstance(value, str) and value.endswith(".") and " " in value
}
TEMPLATED = re.compile(
    r"(Paling (banyak|sedikit|kecil|besar) .+\.|Harus kelipatan .+\.|Isian tidak dikenal: .+"
    r"|Bulan [0-9]+ tidak ada\. .+\.|Tanggal [0-9]+ tidak ada pada bulan .+\."
    r"|Tanggal .+ sudah lewat: .+\.|Tahun [0-9]+ bisa berarti .+\.|Tahunnya belum ditulis: .+\.)"
)

control = st.sampled_from(
    [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]]
)
word = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=20)
not_text = st.one_of(
    st.booleans(),
    st.lists(st.integers(), min_size=1, max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), min_size=1, max_size=3),
    st.floats(allow_nan=True, allow_infinity=True).filter(
        lambda f: f != f or abs(f) == float("inf")
    ),
)
with_control = st.builds(lambda a, c, b: a + c + b, word, control, word)
missing = st.sampled_from([None, "", "   ", [], "\n\t"])


def oversized(limit: int) -> st.SearchStrategy[str]:
    return st.integers(limit + 1, limit + 5000).map(lambda n: "x" * n)


#: For each field: values that must be refused.
HOSTILE: dict[str, st.SearchStrategy[Any]] = {
    "nama": st.one_of(missing, not_text, with_control, oversized(50)),
    "uraian": st.one_of(
        missing,
        not_text,
        with_control,
        oversized(forms.MAX_TEXT_LENGTH),
        st.text("abc", min_size=1, max_size=4),
    ),
    "surel": st.one_of(missing, not_text, word, st.builds(lambda a: a + "@", word), oversized(254)),
    "telepon": st.one_of(
        missing,
        not_text,
        word.filter(lambda w: not w.isdigit()),
        st.text("0123456789", min_size=1, max_size=5),
        oversized(20),
    ),
    "kode": st.one_of(
        missing,
        not_text,
        word,
        st.from_regex(r"[a-z]{3}-[0-9]{2}", fullmatch=True),
        st.just("ABC-12\nDEF-34"),
    ),
    "jumlah": st.one_of(
        missing,
        st.booleans(),
        st.integers().filter(lambda n: not 1 <= n <= 10),
        st.floats(1.01, 9.99).filter(lambda f: f != int(f)),
        st.sampled_from(["abc", "1e3", "NaN", "Infinity", "0x10", "1,5", "--1", "9" * 50]),
        st.lists(st.integers(1, 10), min_size=1, max_size=2),
        st.dictionaries(st.just("n"), st.integers(1, 10), min_size=1),
    ),
    "setuju": st.one_of(
        missing,
        st.just(False),
        st.just("false"),
        st.integers(),
        st.sampled_from(["ya", "yes", "on", "1"]),
        st.lists(st.booleans(), min_size=1),
    ),
    "pilihan": st.one_of(
        missing,
        word.filter(lambda w: w not in ("a", "b")),
        st.integers(),
        st.booleans(),
        st.lists(st.just("a"), min_size=1),
        st.dictionaries(st.just("value"), st.just("a"), min_size=1),
        oversized(forms.MAX_OPTION_LENGTH),
    ),
    "daftar": st.one_of(
        missing,
        st.just("x"),
        st.integers(),
        st.lists(word.filter(lambda w: w not in ("x", "y")), min_size=1, max_size=3),
        st.just(["x"] * (forms.MAX_ITEMS + 1)),
    ),
    "tanggal": st.one_of(
        missing,
        not_text,
        st.sampled_from(
            [
                "2026-13-01",
                "2026-02-30",
                "12/31/2026",
                "01-12-26",
                "1/12",
                "2026-12-01T10:00",
                "besok",
                "2026-11-22",
                "1999-01-01",
            ]
        ),
        st.dates(max_value=date(2026, 11, 22)).map(date.isoformat),
    ),
    "berkas": st.one_of(
        missing,
        not_text,
        word,
        st.just("files::../../etc/passwd"),
        st.lists(st.just("../x"), min_size=1, max_size=2),
    ),
}
EXTRA_KEYS = st.text(min_size=1, max_size=60).filter(lambda k: k not in VALID)


def refused_here(result: forms.Result, key: str) -> bool:
    """Refused with a Bahasa sentence on ``key``, and nothing of it kept."""
    message = result.errors.get(key)
    return (
        not result.ok
        and isinstance(message, str)
        and (message in FIXED or bool(TEMPLATED.fullmatch(message)))
        and key not in result.data
    )


def test_the_untouched_submission_is_valid():
    result = forms.validate(FORM, VALID, today=TODAY)
    assert result.ok, result.errors
    assert set(result.data) == set(VALID)


@pytest.mark.hostile
@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_spoiled_field_is_refused_by_name(data: st.DataObject, tally: Tally):
    key = data.draw(st.sampled_from(sorted(HOSTILE)), label="field")
    value = data.draw(HOSTILE[key], label="value")
    result = forms.validate(FORM, {**VALID, key: value}, today=TODAY)
    refused = refused_here(result, key)
    tally.add("inputs", 1, int(refused))
    assert refused, (key, value, result)
    assert set(result.errors) == {key}, "a spoiled field must not blame the others"


@pytest.mark.hostile
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=EXTRA_KEYS, value=st.one_of(st.none(), st.integers(), st.text(max_size=20)))
def test_a_field_the_form_does_not_define_is_refused(key: str, value: Any, tally: Tally):
    result = forms.validate(FORM, {**VALID, key: value}, today=TODAY)
    refused = refused_here(result, forms.FORM_KEY) and key not in result.data
    tally.add("inputs", 1, int(refused))
    assert refused, (key, result)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@pytest.mark.hostile
@settings(max_examples=300)
@given(
    submitted=st.one_of(
        json_values,
        st.dictionaries(st.sampled_from(sorted(VALID)), json_values, max_size=len(VALID)),
    )
)
def test_any_json_gets_an_answer_and_what_passes_passes_again(submitted: Any):
    result = forms.validate(FORM, submitted, today=TODAY)
    for message in result.errors.values():
        assert message in FIXED or TEMPLATED.fullmatch(message), message
    assert set(result.data) <= set(VALID)
    if isinstance(submitted, dict):
        again = forms.validate(FORM, result.data, today=TODAY)
        assert again.data == result.data
