"""Server-side validation of submissions against Camunda Forms (alur.forms)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from alur import dates, forms
from alur.forms import FORM_KEY, FormError, load_form, parse_form, validate

TODAY = date(2025, 6, 15)


def schema(*components: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "Form_Uji",
        "type": "default",
        "schemaVersion": 19,
        "executionPlatform": "Camunda Cloud",
        "executionPlatformVersion": "8.6.0",
        "components": list(components),
    }


def field(key: str, kind: str = "textfield", **extra: Any) -> dict[str, Any]:
    return {"id": f"Field_{key}", "key": key, "label": key, "type": kind, **extra}


def check(component: dict[str, Any], value: Any, **kwargs: Any) -> forms.Result:
    """Validate ``{key: value}`` against a form of that one component."""
    return validate(parse_form(schema(component)), {component["key"]: value}, **kwargs)


def error_of(component: dict[str, Any], value: Any, **kwargs: Any) -> str | None:
    result = check(component, value, **kwargs)
    assert set(result.errors) <= {component["key"]}
    return result.errors.get(component["key"])


def value_of(component: dict[str, Any], value: Any, **kwargs: Any) -> Any:
    result = check(component, value, **kwargs)
    assert result.errors == {}, result.errors
    return result.data[component["key"]]


# Parsing ########################################################################################


def test_parse_flattens_groups_and_skips_presentation():
    form = parse_form(
        schema(
            {"type": "text", "text": "# Permohonan"},
            field("nama"),
            {
                "type": "group",
                "id": "Group_1",
                "components": [
                    {"type": "separator"},
                    field("umur", "number"),
                    {"type": "group", "components": [field("setuju", "checkbox")]},
                ],
            },
            {"type": "html", "content": "<p>x</p>"},
            {"type": "image", "source": "https://example.org/a.png"},
            {"type": "spacer", "height": 20},
            {"type": "button", "action": "submit", "label": "Kirim"},
            {"type": "iframe", "url": "https://example.org"},
            {"type": "table", "dataSource": "=rows"},
        )
    )
    assert form.id == "Form_Uji"
    assert form.keys == ("nama", "umur", "setuju")
    assert form.component("umur").type == "number"
    with pytest.raises(KeyError):
        form.component("tidakAda")


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ([], "not a JSON object"),
        ({"type": "default", "id": "F"}, "no 'components'"),
        ({"type": "bpmn", "id": "F", "components": []}, "'type' is 'bpmn'"),
        ({"id": "F", "components": []}, "'type' is None"),
        ({"type": "default", "components": []}, "no 'id'"),
        ({"type": "default", "id": "F", "components": {}}, "no 'components'"),
    ],
)
def test_parse_rejects_what_is_not_a_camunda_form(bad: Any, words: str):
    with pytest.raises(FormError, match=re.escape(words)):
        parse_form(bad)


@pytest.mark.parametrize(
    ("component", "words"),
    [
        ({"type": "textfield", "label": "tanpa kunci"}, "needs a 'key'"),
        (field("alamat.jalan"), "nested keys"),
        (field("nama lengkap"), "not a plain identifier"),
        (field("_form"), "not a plain identifier"),
        ({"type": "group", "path": "alamat", "components": []}, "groups with a 'path'"),
        ({"type": "dynamiclist", "path": "anak", "components": []}, "dynamic lists"),
        ({"type": "rating", "key": "nilai"}, "unsupported component type 'rating'"),
        ({"key": "x"}, "with a 'type'"),
        (field("x", validate={"pattern": "([0-9"}), "not a valid regular expression"),
        (field("x", validate={"minLength": -1}), "'minLength' must be"),
        (field("x", "number", validate={"min": "abc"}), "'min' must be a number"),
        (field("x", "number", increment=0), "'increment' must be a positive number"),
        (field("x", "number", decimalDigits=1.5), "'decimalDigits'"),
        (field("x", "datetime", subtype="week"), "unknown datetime subtype"),
        (field("x", validate={"validationType": "url"}), "unknown validationType"),
        (field("x", "select", values="a,b"), "'values' must be a list"),
        (field("x", validate="required"), "'validate' must be an object"),
    ],
)
def test_parse_rejects_components_it_cannot_check(component: dict[str, Any], words: str):
    with pytest.raises(FormError, match=re.escape(words)):
        parse_form(schema(component))


def test_parse_rejects_a_key_used_twice_even_inside_a_group():
    with pytest.raises(FormError, match="more than one component"):
        parse_form(schema(field("nama"), {"type": "group", "components": [field("nama")]}))


def test_load_form_reads_a_file_and_names_it_in_errors(tmp_path: Path):
    good = tmp_path / "baik.form"
    good.write_text(json.dumps(schema(field("nama"))), encoding="utf-8")
    assert load_form(good).keys == ("nama",)
    broken = tmp_path / "rusak.form"
    broken.write_text("{ bukan json", encoding="utf-8")
    with pytest.raises(FormError, match=r"rusak\.form"):
        load_form(broken)
    wrong = tmp_path / "salah.form"
    wrong.write_text(json.dumps({"type": "default", "id": "F"}), encoding="utf-8")
    with pytest.raises(FormError, match=r"salah\.form: not a Camunda Form"):
        load_form(wrong)


def test_the_forms_of_the_repository_parse():
    repo = Path(__file__).resolve().parents[2]
    paths = sorted(repo.glob("forms/**/*.form")) + sorted(repo.glob("features/**/*.form"))
    assert paths, "no .form file found"
    for path in paths:
        assert load_form(path).id


def test_notes_name_every_rule_the_server_cannot_evaluate():
    form = parse_form(
        schema(
            field("a", validate={"required": True}, conditional={"hide": "=count(b) = 0"}),
            field("b", "select", valuesExpression="=pilihan"),
            field("c", "radio", valuesKey="daftar"),
            field("d", "number", validate={"min": "=batas"}),
            field("e", readonly="=sudahDikirim"),
            field("f", "filepicker", multiple="=banyak"),
        )
    )
    notes = "\n".join(form.notes)
    for key in "abcdef":
        assert re.search(rf"^{key}: ", notes, re.MULTILINE), key


# Required, missing, empty #######################################################################


@pytest.mark.parametrize(
    "kind",
    [
        "textfield",
        "textarea",
        "number",
        "checklist",
        "radio",
        "select",
        "taglist",
        "datetime",
        "filepicker",
    ],
)
@pytest.mark.parametrize("empty", [None, "", "   ", []])
def test_required_fields_reject_every_empty_value(kind: str, empty: Any):
    component = field("x", kind, validate={"required": True}, values=[{"label": "A", "value": "a"}])
    assert error_of(component, empty) == "Wajib diisi."


def test_required_field_that_is_absent_is_reported():
    form = parse_form(schema(field("nama", validate={"required": True}), field("catatan")))
    result = validate(form, {})
    assert result.errors == {"nama": "Wajib diisi."}
    assert result.data == {}
    assert not result.ok


def test_missing_optional_fields_are_simply_absent():
    form = parse_form(schema(field("nama"), field("umur", "number"), field("catatan", "textarea")))
    result = validate(form, {"nama": "Siti", "umur": None, "catatan": "  "})
    assert result.ok
    assert result.data == {"nama": "Siti"}


def test_required_checkbox_must_be_checked():
    component = field("setuju", "checkbox", validate={"required": True})
    assert error_of(component, False) == "Wajib diisi."
    assert value_of(component, True) is True


def test_a_field_the_browser_hides_is_neither_required_nor_kept():
    form = parse_form(
        schema(
            field("wni", "checkbox"),
            field(
                "nik",
                validate={"required": True, "pattern": "[0-9]{16}"},
                conditional={"hide": "=wni = false"},
            ),
        )
    )
    hidden = validate(form, {"wni": False, "nik": "123"})
    assert hidden.ok and hidden.data == {"wni": False}
    assert validate(form, {"wni": True}).errors == {"nik": "Wajib diisi."}
    assert validate(form, {"wni": True, "nik": "123"}).errors == {
        "nik": "Tidak sesuai format yang diminta."
    }


def test_a_condition_reads_the_process_variables_too():
    form = parse_form(
        schema(
            field(
                "rejectionReason",
                "textarea",
                validate={"required": True},
                conditional={"hide": '=canBeHeld != "tidak"'},
            ),
        )
    )
    assert validate(form, {}, variables={"canBeHeld": "ya"}).ok
    assert validate(form, {}, variables={"canBeHeld": "tidak"}).errors == {
        "rejectionReason": "Wajib diisi."
    }


def test_a_condition_the_server_cannot_read_leaves_the_field_not_required():
    component = field("nik", validate={"required": True}, conditional={"hide": "=count(anak) > 0"})
    assert check(component, None).ok


def test_fields_in_a_conditional_group_follow_the_group():
    form = parse_form(
        schema(
            field("jenis"),
            {
                "type": "group",
                "conditional": {"hide": '=jenis != "usaha"'},
                "components": [field("npwp", validate={"required": True})],
            },
            field("nama", validate={"required": True}),
        )
    )
    assert validate(form, {}).errors == {"nama": "Wajib diisi."}
    assert validate(form, {"jenis": "usaha", "nama": "Budi"}).errors == {"npwp": "Wajib diisi."}


# Extra, read-only and computed fields ###########################################################


def test_extra_keys_are_rejected_and_named_but_valid_fields_are_kept():
    form = parse_form(schema(field("nama")))
    result = validate(form, {"nama": "Budi", "y": 1, "x": 2})
    assert result.errors == {FORM_KEY: "Isian tidak dikenal: x, y"}
    assert result.data == {"nama": "Budi"}
    assert not result.ok


def test_a_flood_of_extra_keys_gives_a_short_message():
    form = parse_form(schema(field("nama")))
    result = validate(form, {f"k{i:02d}" + "z" * 100: i for i in range(30)})
    message = result.errors[FORM_KEY]
    assert message.startswith("Isian tidak dikenal: k00")
    assert message.endswith(", …")
    assert len(message) < 600


@pytest.mark.parametrize("flag", [{"readonly": True}, {"disabled": True}, {"readonly": "=x"}])
def test_readonly_and_disabled_fields_are_not_taken_from_input(flag: dict[str, Any]):
    form = parse_form(schema(field("status", validate={"required": True}, **flag), field("nama")))
    result = validate(form, {"status": "DISETUJUI", "nama": "Ani"})
    assert result.ok
    assert result.data == {"nama": "Ani"}


def test_expression_fields_are_not_taken_from_input():
    form = parse_form(schema({"type": "expression", "key": "total", "expression": "=a + b"}))
    result = validate(form, {"total": 999})
    assert result.ok
    assert result.data == {}


def test_data_that_is_not_an_object_is_rejected():
    form = parse_form(schema(field("nama")))
    result = validate(form, ["nama"])  # type: ignore[arg-type]
    assert result.errors == {FORM_KEY: "Data isian tidak valid."}


def test_valid_fields_stay_in_data_when_others_fail():
    form = parse_form(
        schema(
            field("nama", validate={"required": True}),
            field("umur", "number", validate={"min": 17}),
            field("email", validate={"validationType": "email"}),
        )
    )
    result = validate(form, {"nama": " Siti ", "umur": "12", "email": "bukan-email"})
    assert result.data == {"nama": "Siti"}
    assert result.errors == {"umur": "Paling kecil 17.", "email": "Alamat email tidak valid."}


# Text ###########################################################################################


def test_text_is_stripped_and_textfield_newlines_become_spaces():
    assert value_of(field("nama"), "  Siti\r\nAminah \n") == "Siti Aminah"
    assert value_of(field("catatan", "textarea"), " baris 1\r\nbaris 2\r ") == "baris 1\nbaris 2"


def test_text_accepts_a_number_as_its_text_but_nothing_else():
    assert value_of(field("rt"), 5) == "5"
    for bad in (True, ["a"], {"a": 1}):
        assert error_of(field("rt"), bad) == "Harus berupa teks."


def test_min_and_max_length_count_the_stripped_text():
    component = field("nama", validate={"minLength": 3, "maxLength": 5})
    assert error_of(component, " ab ") == "Paling sedikit 3 karakter."
    assert error_of(component, "abcdef") == "Paling banyak 5 karakter."
    assert value_of(component, "  abcde  ") == "abcde"


def test_long_text_without_max_length_is_capped():
    component = field("catatan", "textarea")
    assert value_of(component, "a" * forms.MAX_TEXT_LENGTH) == "a" * forms.MAX_TEXT_LENGTH
    assert error_of(component, "a" * (forms.MAX_TEXT_LENGTH + 1)) == "Paling banyak 10000 karakter."


def test_a_form_max_length_above_the_cap_is_honoured():
    component = field("catatan", "textarea", validate={"maxLength": 20_000})
    assert len(value_of(component, "a" * 15_000)) == 15_000


def test_control_characters_are_refused_but_tabs_and_newlines_are_not():
    assert error_of(field("nama"), "Si\x00ti") == "Mengandung karakter yang tidak diizinkan."
    assert error_of(field("nama"), "Siti\x1b[2J") == "Mengandung karakter yang tidak diizinkan."
    assert value_of(field("catatan", "textarea"), "a\tb\nc") == "a\tb\nc"


def test_pattern_must_match_the_whole_value():
    component = field("nik", validate={"pattern": "[0-9]{16}"})
    assert value_of(component, "3201234567890123") == "3201234567890123"
    assert error_of(component, "NIK 3201234567890123") == "Tidak sesuai format yang diminta."
    assert error_of(component, "32012345678901234") == "Tidak sesuai format yang diminta."
    anchored = field("kode", validate={"pattern": "^[A-Z]{3}$"})
    assert value_of(anchored, "ABC") == "ABC"
    assert error_of(anchored, "ABCD") == "Tidak sesuai format yang diminta."


def test_pattern_digits_are_ascii_like_in_javascript():
    component = field("kode", validate={"pattern": r"\d{3}"})
    assert value_of(component, "123") == "123"
    assert error_of(component, "١٢٣") == "Tidak sesuai format yang diminta."


def test_pattern_error_message_of_the_form_is_used():
    component = field(
        "kodePos",
        validate={"pattern": "[0-9]{5}", "patternErrorMessage": "Kode pos terdiri dari 5 angka."},
    )
    assert error_of(component, "1234") == "Kode pos terdiri dari 5 angka."


@pytest.mark.parametrize("good", ["siti@contoh.go.id", "a.b+c@d-e.id", "x@localhost"])
def test_email_accepts_addresses(good: str):
    assert value_of(field("email", validate={"validationType": "email"}), good) == good


@pytest.mark.parametrize(
    "bad", ["siti", "siti@", "@contoh.id", "siti@contoh..id", "si ti@contoh.id", "a@-b.id"]
)
def test_email_rejects_non_addresses(bad: str):
    assert error_of(field("email", validate={"validationType": "email"}), bad) == (
        "Alamat email tidak valid."
    )


@pytest.mark.parametrize(
    "good", ["081234567890", "+62 812-3456-7890", "(021) 555-1234", "123456", "+6281234567890123"]
)
def test_phone_accepts_local_and_international_numbers(good: str):
    assert value_of(field("hp", validate={"validationType": "phone"}), good) == good


@pytest.mark.parametrize(
    "bad", ["12345", "0812abc4567", "+62 812 3456 7890 1234", "------", "0812+345678", "(12) --"]
)
def test_phone_rejects_what_is_not_a_number(bad: str):
    assert error_of(field("hp", validate={"validationType": "phone"}), bad) == (
        "Nomor telepon tidak valid."
    )


# Numbers ########################################################################################


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("-3", -3),
        ("2.50", 2.5),
        ("12.0", 12),
        (7, 7),
        (1.5, 1.5),
        (2.0, 2),
        ("+4", 4),
        (".5", 0.5),
    ],
)
def test_numbers_are_converted(raw: Any, clean: Any):
    value = value_of(field("jumlah", "number"), raw)
    assert value == clean
    assert type(value) is type(clean)


@pytest.mark.parametrize(
    "bad",
    [
        "dua belas",
        "1,5",
        "1e3",
        "NaN",
        "Infinity",
        float("nan"),
        float("inf"),
        True,
        [1],
        {"a": 1},
        "1.2.3",
        "١٢",
        "9" * 41,
    ],
)
def test_non_numbers_are_refused(bad: Any):
    assert error_of(field("jumlah", "number"), bad) == "Harus berupa angka."


def test_min_and_max_bound_numbers():
    component = field("anak", "number", validate={"min": 1, "max": 10})
    assert error_of(component, 0) == "Paling kecil 1."
    assert error_of(component, "11") == "Paling besar 10."
    assert value_of(component, "1") == 1
    assert value_of(component, 10) == 10
    assert error_of(field("x", "number", validate={"min": 0.5}), 0.25) == "Paling kecil 0.5."
    assert error_of(field("x", "number", validate={"max": "-2"}), -1) == "Paling besar -2."


def test_zero_is_a_value_not_a_missing_one():
    component = field("anak", "number", validate={"required": True, "min": 1})
    assert error_of(component, 0) == "Paling kecil 1."
    assert value_of(field("anak", "number", validate={"required": True}), 0) == 0


def test_decimal_digits():
    integer = field("anak", "number", decimalDigits=0)
    assert error_of(integer, "2.5") == "Harus berupa bilangan bulat."
    assert value_of(integer, "2.000") == 2
    two = field("luas", "number", decimalDigits=2)
    assert value_of(two, "10.25") == 10.25
    assert value_of(two, "10.250") == 10.25
    assert error_of(two, "10.255") == "Paling banyak 2 angka di belakang koma."
    assert error_of(two, 0.1 + 0.2) == "Paling banyak 2 angka di belakang koma."


def test_increment():
    component = field("biaya", "number", increment="500")
    assert value_of(component, 1500) == 1500
    assert error_of(component, 1250) == "Harus kelipatan 500."
    assert error_of(field("x", "number", increment=0.25), "9" * 37 + ".1") == (
        "Harus kelipatan 0.25."
    )


def test_serialize_to_string_keeps_numbers_as_text():
    assert value_of(field("nomor", "number", serializeToString=True), " 007.50 ") == "7.5"


def test_expression_bounds_are_not_checked():
    assert value_of(field("x", "number", validate={"min": "=batas"}), -100) == -100


# Checkbox #######################################################################################


@pytest.mark.parametrize(
    ("raw", "clean"), [(True, True), (False, False), ("true", True), ("false", False)]
)
def test_checkbox_accepts_true_and_false(raw: Any, clean: bool):
    assert value_of(field("setuju", "checkbox"), raw) is clean


@pytest.mark.parametrize("bad", ["on", "1", 1, 0, "yes", "True", ["true"]])
def test_checkbox_refuses_anything_else(bad: Any):
    assert error_of(field("setuju", "checkbox"), bad) == "Harus dicentang atau tidak dicentang."


# Options ########################################################################################

KECAMATAN = [{"label": "Cibinong", "value": "cibinong"}, {"label": "Bojong", "value": "bojong"}]


@pytest.mark.parametrize("kind", ["select", "radio"])
def test_single_choice_accepts_only_its_options(kind: str):
    component = field("kecamatan", kind, values=KECAMATAN)
    assert value_of(component, "bojong") == "bojong"
    assert value_of(component, " bojong ") == "bojong"
    assert error_of(component, "Bojong") == "Pilihan tidak dikenal."
    assert error_of(component, "citeureup") == "Pilihan tidak dikenal."
    assert error_of(component, ["bojong"]) == "Pilihan tidak dikenal."


def test_options_of_other_types_match_their_text_but_not_other_types():
    component = field(
        "jumlah",
        "select",
        values=[{"label": "Satu", "value": 1}, {"label": "Ya", "value": True}, "dua"],
    )
    assert value_of(component, 1) == 1
    assert value_of(component, "1") == 1
    assert value_of(component, "true") is True
    assert value_of(component, "dua") == "dua"
    assert error_of(component, True) is None  # the option True itself
    assert error_of(field("j", "select", values=[{"label": "Satu", "value": 1}]), True) == (
        "Pilihan tidak dikenal."
    )
    assert error_of(field("j", "select", values=[{"label": "Ya", "value": True}]), 1) == (
        "Pilihan tidak dikenal."
    )


def test_select_without_options_accepts_nothing():
    assert error_of(field("x", "select", values=[]), "a") == "Pilihan tidak dikenal."


def test_expression_options_accept_any_simple_value():
    component = field("layanan", "select", valuesExpression="=daftarLayanan")
    assert value_of(component, "apa saja") == "apa saja"
    assert value_of(component, 3) == 3
    assert error_of(component, {"a": 1}) == "Pilihan tidak dikenal."
    assert error_of(component, "x" * (forms.MAX_OPTION_LENGTH + 1)) == "Pilihan tidak dikenal."


def test_values_key_options_are_checked_when_the_variables_are_given():
    component = field("desa", "radio", valuesKey="daftarDesa")
    assert value_of(component, "mana saja") == "mana saja"
    variables = {"daftarDesa": [{"label": "Pakansari", "value": "pakansari"}, "tengah"]}
    assert value_of(component, "tengah", variables=variables) == "tengah"
    assert error_of(component, "mana saja", variables=variables) == "Pilihan tidak dikenal."


@pytest.mark.parametrize("kind", ["checklist", "taglist"])
def test_multiple_choice_accepts_a_list_of_its_options(kind: str):
    component = field("syarat", kind, values=["ktp", "kk", "akta"])
    assert value_of(component, ["kk", "ktp", "kk"]) == ["kk", "ktp"]
    assert error_of(component, ["ktp", "sim"]) == "Pilihan tidak dikenal."
    assert error_of(component, "ktp") == "Harus berupa daftar pilihan."
    assert error_of(component, {"ktp": True}) == "Harus berupa daftar pilihan."
    assert check(component, []).data == {}


def test_multiple_choice_with_dynamic_options_is_capped():
    component = field("tag", "taglist", valuesExpression="=tags")
    assert value_of(component, ["a", 2]) == ["a", 2]
    assert error_of(component, [str(i) for i in range(forms.MAX_ITEMS + 1)]) == (
        f"Paling banyak {forms.MAX_ITEMS} pilihan."
    )
    assert error_of(component, [["a"]]) == "Pilihan tidak dikenal."


# Dates and times ################################################################################


def test_date():
    component = field("lahir", "datetime", subtype="date")
    assert value_of(component, " 2001-02-28 ") == "2001-02-28"
    # The day first, as people in Indonesia write it, is read as the browser reads it.
    assert value_of(component, "28-02-2001") == "2001-02-28"
    assert value_of(component, "2001-2-28") == "2001-02-28"
    assert value_of(component, "5 Januari 2027") == "2027-01-05"
    assert error_of(component, "2001-02-29") == "Tanggal 29 tidak ada pada bulan Februari 2001."
    assert error_of(component, "02/28/2001").startswith("Bulan 28 tidak ada.")
    for bad in ("2001-02-28T10:00", 20010228, "besok"):
        assert error_of(component, bad) == dates.UNREADABLE, bad


def test_date_is_the_default_subtype():
    assert error_of(field("lahir", "datetime"), "10:00") == dates.UNREADABLE


def test_disallow_passed_dates():
    component = field("jadwal", "datetime", subtype="date", disallowPassedDates=True)
    assert value_of(component, "2025-06-15", today=TODAY) == "2025-06-15"
    assert error_of(component, "2025-06-14", today=TODAY) == (
        "Tanggal 14 Juni 2025 sudah lewat: pilih hari ini (15 Juni 2025) atau sesudahnya."
    )
    assert value_of(field("lahir", "datetime"), "1990-01-01", today=TODAY) == "1990-01-01"


@pytest.mark.parametrize("good", ["00:00", "23:59", "08:30Z", "08:30+07:00", "08:30-03:30"])
def test_time_accepts_form_js_serialisations(good: str):
    assert value_of(field("jam", "datetime", subtype="time"), good) == good


@pytest.mark.parametrize("bad", ["24:00", "8:30", "08:60", "08:30+15:00", "08:30:00", "pagi"])
def test_time_rejects_others(bad: str):
    assert error_of(field("jam", "datetime", subtype="time"), bad) == dates.BAD_TIME


def test_datetime():
    component = field("mulai", "datetime", subtype="datetime", disallowPassedDates=True)
    assert value_of(component, "2025-07-01T09:00+07:00", today=TODAY) == "2025-07-01T09:00+07:00"
    assert value_of(component, "2025-07-01T09:00", today=TODAY) == "2025-07-01T09:00"
    for bad in ("2025-07-01", "x" * 100):
        assert error_of(component, bad, today=TODAY) == forms.BAD_DATETIME, bad
    assert error_of(component, "2025-07-01T", today=TODAY) == dates.BAD_TIME
    assert error_of(component, "2025-07-01T25:00", today=TODAY) == dates.BAD_TIME
    assert error_of(component, "2025-13-01T09:00", today=TODAY).startswith("Bulan 13 tidak ada.")
    assert error_of(component, "2025-06-01T09:00", today=TODAY).endswith(
        "sudah lewat: pilih hari ini (15 Juni 2025) atau sesudahnya."
    )


# Files ##########################################################################################


def test_file_reference_from_the_browser():
    component = field("ktp", "filepicker", validate={"required": True})
    assert value_of(component, "files::a1b2c3") == "files::a1b2c3"
    for bad in ("files::", "files::../../etc/passwd", "C:\\ktp.pdf", 5, {"id": "x"}):
        assert error_of(component, bad) == "Berkas tidak valid.", bad


def test_stored_file_ids():
    single = field("ktp", "filepicker")
    assert value_of(single, ["3f2b-91aa"]) == ["3f2b-91aa"]
    assert error_of(single, ["a", "b"]) == "Hanya satu berkas yang boleh diunggah."
    assert error_of(single, ["../x"]) == "Berkas tidak valid."
    assert error_of(single, [1]) == "Berkas tidak valid."
    several = field("lampiran", "filepicker", multiple=True)
    assert value_of(several, ["a", "b", "a"]) == ["a", "b"]
    assert error_of(several, ["a"] * (forms.MAX_ITEMS + 1)) == (
        f"Paling banyak {forms.MAX_ITEMS} berkas."
    )


# A whole form ###################################################################################


def test_a_whole_intake_form():
    form = parse_form(
        schema(
            {"type": "text", "text": "## Permohonan Surat Keterangan Usaha"},
            field("nama", validate={"required": True, "minLength": 3, "maxLength": 200}),
            field("nik", validate={"required": True, "pattern": "^[0-9]{16}$"}),
            field("email", validate={"validationType": "email"}),
            {
                "type": "group",
                "label": "Usaha",
                "components": [
                    field("jenisUsaha", "select", values=[{"label": "Warung", "value": "warung"}]),
                    field("karyawan", "number", decimalDigits=0, validate={"min": 0}),
                    field("mulai", "datetime", subtype="date"),
                ],
            },
            field("syarat", "checklist", values=["ktp", "kk"]),
            field("ktp", "filepicker", validate={"required": True}),
            field("setuju", "checkbox", validate={"required": True}),
        )
    )
    submitted = {
        "nama": "  Siti Aminah ",
        "nik": "3201234567890123",
        "email": "",
        "jenisUsaha": "warung",
        "karyawan": "3",
        "mulai": "2020-01-02",
        "syarat": ["ktp", "kk"],
        "ktp": "files::xyz",
        "setuju": "true",
    }
    result = validate(form, submitted)
    assert result.errors == {}
    assert result.ok
    assert result.data == {
        "nama": "Siti Aminah",
        "nik": "3201234567890123",
        "jenisUsaha": "warung",
        "karyawan": 3,
        "mulai": "2020-01-02",
        "syarat": ["ktp", "kk"],
        "ktp": "files::xyz",
        "setuju": True,
    }
    assert json.loads(json.dumps(result.data)) == result.data
