"""Server-side validation of submitted data against a Camunda Form (form-js JSON schema).

The browser renders a form with form-js and validates it there too, but the server never
trusts it: :func:`validate` checks every submitted value against the form's own components
(key, type, ``validate`` rules, options) and returns clean, typed values.

Semantics follow form-js 1.23 where they are defined, with these deliberate differences:

- ``pattern`` must match the whole (stripped) value. form-js only *searches* for it
  (``RegExp.test``), so write patterns anchored (``^...$``) to get the same answer in both.
  Patterns are compiled with ``re.ASCII`` so ``\\d`` and ``\\w`` mean what they mean in
  JavaScript.
- ``validationType: "phone"`` accepts local numbers (digits, spaces, ``+ - ( )``, 6 to 20
  characters, at least 6 digits); form-js in the browser wants an international number.
- FEEL expressions cannot be evaluated here: a rule given as an expression (``"=..."``) is not
  checked, options from ``valuesExpression`` (or from ``valuesKey`` when the variables are not
  given) accept any simple value, and a ``readonly`` expression counts as read-only.
- A ``conditional.hide`` condition is evaluated here when it compares fields with literals
  (``alur.feel.condition``): a hidden field is neither required nor kept, as in the browser.
  A condition using more FEEL leaves the field never *required*.
  :attr:`Form.notes` lists every such relaxation of a form.
- Nested data is not supported: keys with dots, groups with a ``path`` and dynamic lists are
  rejected when the form is parsed.

Result contract: :attr:`Result.data` holds the cleaned values of the fields that passed (so a
page can show them again), :attr:`Result.errors` maps each failing field key to one message
in Bahasa Indonesia (``"_form"`` for errors of the submission as a whole). A field that is
absent, ``None``, empty or blank is *missing*: it is absent from ``data`` (an error if
required). Read-only, disabled and expression fields are never taken from input.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from alur import dates, feel

#: Key of :attr:`Result.errors` for errors of the submission as a whole.
FORM_KEY = "_form"
#: Longest text accepted from a field without ``maxLength``.
MAX_TEXT_LENGTH = 10_000
#: Longest option value accepted when options are dynamic.
MAX_OPTION_LENGTH = 1_000
#: Most items accepted in a multi-select or a list of files.
MAX_ITEMS = 200

#: Types that show something and hold no value.
PRESENTATIONAL_TYPES = frozenset(
    {"text", "html", "image", "spacer", "separator", "button", "iframe", "table", "documentPreview"}
)
#: Keyed types whose value the browser computes: never taken from input.
COMPUTED_TYPES = frozenset({"expression"})
#: Keyed types that take input.
INPUT_TYPES = frozenset(
    {
        "textfield",
        "textarea",
        "number",
        "checkbox",
        "checklist",
        "radio",
        "select",
        "taglist",
        "datetime",
        "filepicker",
    }
)
OPTION_TYPES = frozenset({"checklist", "radio", "select", "taglist"})
MULTI_TYPES = frozenset({"checklist", "taglist"})
TEXT_TYPES = frozenset({"textfield", "textarea"})
DATETIME_SUBTYPES = frozenset({"date", "time", "datetime"})

# Messages shown to citizens and civil servants.
REQUIRED = "Wajib diisi."
NOT_TEXT = "Harus berupa teks."
NOT_NUMBER = "Harus berupa angka."
NOT_INTEGER = "Harus berupa bilangan bulat."
NOT_CHECKBOX = "Harus dicentang atau tidak dicentang."
NOT_LIST = "Harus berupa daftar pilihan."
UNKNOWN_OPTION = "Pilihan tidak dikenal."
BAD_CHARACTERS = "Mengandung karakter yang tidak diizinkan."
PATTERN_MISMATCH = "Tidak sesuai format yang diminta."
BAD_EMAIL = "Alamat email tidak valid."
BAD_PHONE = "Nomor telepon tidak valid."
BAD_DATE = dates.UNREADABLE
BAD_TIME = dates.BAD_TIME
BAD_DATETIME = "Tanggal dan jam harus diisi keduanya, mis. 25/12/2026 pukul 09.30."
BAD_FILE = "Berkas tidak valid."
ONE_FILE = "Hanya satu berkas yang boleh diunggah."
BAD_DATA = "Data isian tidak valid."
UNKNOWN_FIELDS = "Isian tidak dikenal: {names}"

# Patterns spell out [0-9]: \d would also match other scripts' digits.
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_MAX_NUMBER_CHARS = 40
# The "valid e-mail address" of the HTML standard, which form-js also uses.
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_PHONE = re.compile(r"\+?[0-9 ()-]+")
_TIME = re.compile(r"([0-9]{2}):([0-9]{2})(Z|[+-]([0-9]{2}):([0-9]{2}))?")
_FILE_REFERENCE = re.compile(r"files::[A-Za-z0-9_-]{1,100}")
_STORED_FILE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
# C0 controls and DEL, except tab and newline (PostgreSQL refuses NUL in text, too).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class FormError(ValueError):
    """A schema that is not a Camunda Form this module can validate against."""


@dataclass(frozen=True)
class Component:
    """One keyed component of a form, with the rules the server enforces."""

    key: str
    type: str
    label: str = ""
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_message: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    validation_type: str | None = None
    decimal_digits: int | None = None
    increment: Decimal | None = None
    serialize_to_string: bool = False
    #: Static option values; ``None`` when the options are dynamic.
    options: tuple[Any, ...] | None = None
    #: Variable holding the options (``valuesKey``).
    options_key: str | None = None
    subtype: str | None = None
    disallow_past: bool = False
    multiple: bool = False
    #: Read-only or disabled: shown, never taken from input.
    readonly: bool = False
    #: An expression field: computed by the browser, never taken from input.
    computed: bool = False
    #: Hidden under a condition (its own or a group's) the server cannot evaluate:
    #: ``required`` is not enforced.
    conditional: bool = False
    #: Conditions (its own and its groups') under which the field is hidden: a hidden field is
    #: neither required nor kept, as in the browser.
    hide_when: tuple[feel.Condition, ...] = ()

    @property
    def takes_input(self) -> bool:
        return not (self.readonly or self.computed)


@dataclass(frozen=True)
class Form:
    """A parsed Camunda Form: its id and its keyed components, groups flattened."""

    id: str
    components: tuple[Component, ...]
    #: Where the server checks less than the form says (FEEL it cannot evaluate), in English.
    notes: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(component.key for component in self.components)

    def component(self, key: str) -> Component:
        for component in self.components:
            if component.key == key:
                return component
        raise KeyError(key)


@dataclass
class Result:
    """Cleaned values of the fields that passed, and one message per failing field."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# Parsing ########################################################################################


def load_form(path: Path | str) -> Form:
    """Read and parse a ``.form`` file."""
    path = Path(path)
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormError(f"{path}: cannot read a JSON form: {exc}") from exc
    try:
        return parse_form(schema)
    except FormError as exc:
        raise FormError(f"{path}: {exc}") from exc


def schemas(folder: Path) -> dict[str, dict[str, Any]]:
    """The Camunda Form JSON of every ``.form`` file in ``folder``, by form id.

    Unreadable files are skipped; of two files with one id, the first by name wins.
    """
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(folder).glob("*.form")):
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(schema, dict) and isinstance(schema.get("id"), str):
            found.setdefault(schema["id"], schema)
    return found


def parse_form(schema: Any) -> Form:
    """Parse a Camunda Form JSON object; raise :class:`FormError` if it is not one."""
    if not isinstance(schema, Mapping):
        raise FormError("not a Camunda Form: the schema is not a JSON object")
    if schema.get("type") != "default":
        raise FormError(f"not a Camunda Form: 'type' is {schema.get('type')!r}, expected 'default'")
    components = schema.get("components")
    if not isinstance(components, list):
        raise FormError("not a Camunda Form: no 'components' list")
    form_id = schema.get("id")
    if not isinstance(form_id, str) or not form_id.strip():
        raise FormError("not a Camunda Form: no 'id'")
    parsed: list[Component] = []
    notes: list[str] = []
    _collect(components, parsed, notes, hide=(), where="components")
    seen: set[str] = set()
    for component in parsed:
        if component.key in seen:
            raise FormError(f"key {component.key!r} is used by more than one component")
        seen.add(component.key)
    return Form(id=form_id, components=tuple(parsed), notes=tuple(notes))


def _collect(
    items: list[Any], out: list[Component], notes: list[str], *, hide: tuple[Any, ...], where: str
) -> None:
    for index, raw in enumerate(items):
        here = f"{where}[{index}]"
        if not isinstance(raw, Mapping) or not isinstance(raw.get("type"), str):
            raise FormError(f"{here}: a component is an object with a 'type'")
        kind = raw["type"]
        hidden = (*hide, _condition_of(raw)) if _has_condition(raw) else hide
        if kind in PRESENTATIONAL_TYPES:
            continue
        if kind == "group":
            if raw.get("path"):
                raise FormError(f"{here}: groups with a 'path' (nested data) are not supported")
            children = raw.get("components", [])
            if not isinstance(children, list):
                raise FormError(f"{here}: a group's 'components' must be a list")
            _collect(children, out, notes, hide=hidden, where=f"{here}.components")
        elif kind == "dynamiclist":
            raise FormError(f"{here}: dynamic lists are not supported")
        elif kind in COMPUTED_TYPES:
            out.append(Component(key=_key(raw, here), type=kind, computed=True))
        elif kind in INPUT_TYPES:
            out.append(_component(raw, here, notes, hide=hidden))
        else:
            raise FormError(f"{here}: unsupported component type {kind!r}")


def _condition_of(raw: Mapping[str, Any]) -> Any:
    conditional = raw.get("conditional")
    return conditional.get("hide") if isinstance(conditional, Mapping) else None


def _has_condition(raw: Mapping[str, Any]) -> bool:
    conditional = raw.get("conditional")
    return isinstance(conditional, Mapping) and bool(conditional.get("hide"))


def _key(raw: Mapping[str, Any], here: str) -> str:
    key = raw.get("key")
    if not isinstance(key, str) or not key:
        raise FormError(f"{here}: a {raw['type']} needs a 'key'")
    if "." in key:
        raise FormError(f"{here}: key {key!r}: nested keys (with dots) are not supported")
    if not _KEY.fullmatch(key) or key == FORM_KEY:
        raise FormError(f"{here}: key {key!r} is not a plain identifier")
    return key


def _is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _component(
    raw: Mapping[str, Any], here: str, notes: list[str], *, hide: tuple[Any, ...]
) -> Component:
    kind: str = raw["type"]
    key = _key(raw, here)
    rules = raw.get("validate") or {}
    if not isinstance(rules, Mapping):
        raise FormError(f"{key}: 'validate' must be an object")

    def note(text: str) -> None:
        notes.append(f"{key}: {text}")

    required = rules.get("required") is True
    conditions = tuple(feel.condition(expression) for expression in hide)
    hide_when = tuple(c for c in conditions if c is not None)
    conditional = len(hide_when) != len(conditions)
    if required and conditional:
        note("shown under a condition the server cannot read, so 'required' is not enforced")
    readonly = False
    for flag in ("readonly", "disabled"):
        value = raw.get(flag)
        if _is_expression(value):
            note(f"'{flag}' is an expression: the field is never taken from input")
            readonly = True
        elif value is True:
            readonly = True

    def length(name: str) -> int | None:
        value = rules.get(name)
        if value is None or value == "":
            return None
        if _is_expression(value):
            note(f"'{name}' is an expression and is not checked")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FormError(f"{key}: '{name}' must be a whole number >= 0")
        return value

    def bound(source: Mapping[str, Any], name: str, positive: bool = False) -> Decimal | None:
        value = source.get(name)
        if value is None or value == "":
            return None
        if _is_expression(value):
            note(f"'{name}' is an expression and is not checked")
            return None
        number = _decimal(value)
        if number is None or (positive and number <= 0):
            raise FormError(f"{key}: '{name}' must be a {'positive ' if positive else ''}number")
        return number

    pattern = None
    if rules.get("pattern"):
        if not isinstance(rules["pattern"], str):
            raise FormError(f"{key}: 'pattern' must be a string")
        try:
            pattern = re.compile(rules["pattern"], re.ASCII)
        except re.error as exc:
            raise FormError(f"{key}: 'pattern' is not a valid regular expression: {exc}") from exc
    pattern_message = rules.get("patternErrorMessage")
    validation_type = rules.get("validationType") or None
    if validation_type not in (None, "email", "phone", "custom"):
        raise FormError(f"{key}: unknown validationType {validation_type!r}")

    decimal_digits = raw.get("decimalDigits")
    if decimal_digits is not None and (
        isinstance(decimal_digits, bool)
        or not isinstance(decimal_digits, int)
        or decimal_digits < 0
    ):
        raise FormError(f"{key}: 'decimalDigits' must be a whole number >= 0")

    options: tuple[Any, ...] | None = None
    options_key = None
    if kind in OPTION_TYPES:
        if raw.get("valuesExpression"):
            note("options come from an expression: any simple value is accepted")
        elif raw.get("valuesKey"):
            options_key = str(raw["valuesKey"])
            note(
                f"options come from variable {options_key!r}: any simple value is accepted"
                " unless validate() is given the variables"
            )
        else:
            values = raw.get("values", [])
            if not isinstance(values, list):
                raise FormError(f"{key}: 'values' must be a list")
            options = _option_values(values)

    subtype = None
    if kind == "datetime":
        subtype = raw.get("subtype") or "date"
        if subtype not in DATETIME_SUBTYPES:
            raise FormError(f"{key}: unknown datetime subtype {subtype!r}")

    multiple = raw.get("multiple", False)
    if kind == "filepicker" and _is_expression(multiple):
        note("'multiple' is an expression: several files are accepted")

    return Component(
        key=key,
        type=kind,
        label=str(raw.get("label") or ""),
        required=required,
        min_length=length("minLength"),
        max_length=length("maxLength"),
        pattern=pattern,
        pattern_message=pattern_message if isinstance(pattern_message, str) else None,
        minimum=bound(rules, "min"),
        maximum=bound(rules, "max"),
        validation_type=validation_type,
        decimal_digits=decimal_digits,
        increment=bound(raw, "increment", positive=True) if kind == "number" else None,
        serialize_to_string=raw.get("serializeToString") is True,
        options=options,
        options_key=options_key,
        subtype=subtype,
        disallow_past=raw.get("disallowPassedDates") is True,
        multiple=multiple is True or _is_expression(multiple),
        readonly=readonly,
        conditional=conditional,
        hide_when=hide_when,
    )


def _is_simple(value: Any) -> bool:
    """A primitive form-js accepts as an option value (non-empty, or 0, or false)."""
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return isinstance(value, str | int | float) and (bool(value) or value == 0)


def _option_values(values: Iterable[Any]) -> tuple[Any, ...]:
    """Values of an options list, normalised like form-js (plain values or ``{value}``)."""
    out = []
    for option in values:
        if _is_simple(option):
            out.append(option)
        elif isinstance(option, Mapping) and (
            _is_simple(option.get("value"))
            or (isinstance(option.get("value"), Mapping) and option["value"])
        ):
            out.append(option["value"])
    return tuple(out)


# Validation #####################################################################################


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_MISSING = object()


def validate(
    form: Form,
    data: Mapping[str, Any],
    *,
    variables: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> Result:
    """Check ``data`` against ``form``; return the cleaned values and the errors.

    ``variables`` are the process variables the form was opened with: when given, options
    from ``valuesKey`` are checked against them. ``today`` (default: the server's date) is
    what ``disallowPassedDates`` compares with (default: today in Jakarta).
    """
    result = Result()
    if not isinstance(data, Mapping):
        result.errors[FORM_KEY] = BAD_DATA
        return result
    context = _Context(variables or {}, today or dates.today())
    seen = {**context.variables, **data}
    for component in form.components:
        if not component.takes_input:
            continue
        if any(condition.holds(seen) for condition in component.hide_when):
            continue  # hidden in the browser: neither required nor kept
        raw = data.get(component.key)
        try:
            value = _MISSING if _empty(raw) else _clean(component, raw, context)
        except _Invalid as invalid:
            result.errors[component.key] = invalid.message
            continue
        if value is _MISSING:
            if component.required and not component.conditional:
                result.errors[component.key] = REQUIRED
            continue
        if component.required and component.type == "checkbox" and value is False:
            result.errors[component.key] = REQUIRED
            continue
        result.data[component.key] = value
    known = set(form.keys)
    unknown = sorted(_shorten(_printable(str(key))) for key in data if key not in known)
    if unknown:
        names = ", ".join(unknown[:10]) + (", …" if len(unknown) > 10 else "")
        result.errors[FORM_KEY] = UNKNOWN_FIELDS.format(names=names)
    return result


@dataclass(frozen=True)
class _Context:
    variables: Mapping[str, Any]
    today: date


def _printable(name: str) -> str:
    """A field name fit to show: control and other invisible characters become "?"."""
    shown = "".join(c if c.isprintable() else "?" for c in name).strip()
    return shown or "?"


def _shorten(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list | tuple) and not raw


def _clean(component: Component, raw: Any, context: _Context) -> Any:
    kind = component.type
    if kind in TEXT_TYPES:
        return _text(component, raw)
    if kind == "number":
        return _number(component, raw)
    if kind == "checkbox":
        return _checkbox(raw)
    if kind in MULTI_TYPES:
        return _choices(component, raw, context)
    if kind in OPTION_TYPES:
        return _choice(component, raw, context)
    if kind == "datetime":
        return _datetime(component, raw, context)
    if kind == "filepicker":
        return _files(component, raw)
    raise AssertionError(kind)  # pragma: no cover - parse_form admits no other type


def _string(raw: Any, limit: int, *, invalid: str = NOT_TEXT, too_long: str | None = None) -> str:
    """A stripped string without control characters (other than tab and newline).

    Raises ``invalid`` for a non-string, ``too_long`` (default: "at most ``limit``
    characters") for a string longer than ``limit``.
    """
    if not isinstance(raw, str):
        raise _Invalid(invalid)
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limit:
        raise _Invalid(too_long or f"Paling banyak {limit} karakter.")
    if _CONTROL.search(text):
        raise _Invalid(BAD_CHARACTERS)
    return text


def _text(component: Component, raw: Any) -> str:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw):
        raw = str(raw)
    limit = component.max_length if component.max_length is not None else MAX_TEXT_LENGTH
    text = _string(raw, limit)
    if component.type == "textfield":
        # form-js turns the newlines of a single-line field into spaces.
        text = text.replace("\n", " ")
    if component.min_length is not None and len(text) < component.min_length:
        raise _Invalid(f"Paling sedikit {component.min_length} karakter.")
    if component.pattern is not None and not component.pattern.fullmatch(text):
        raise _Invalid(component.pattern_message or PATTERN_MISMATCH)
    if component.validation_type == "email" and (len(text) > 254 or not _EMAIL.fullmatch(text)):
        raise _Invalid(BAD_EMAIL)
    if component.validation_type == "phone" and (
        not 6 <= len(text) <= 20
        or not _PHONE.fullmatch(text)
        or sum(ch in "0123456789" for ch in text) < 6
    ):
        raise _Invalid(BAD_PHONE)
    return text


def _decimal(raw: Any) -> Decimal | None:
    """A finite number from an int, a float or a plain decimal string; else ``None``."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return Decimal(raw) if abs(raw) < 10**_MAX_NUMBER_CHARS else None
    if isinstance(raw, float):
        return Decimal(repr(raw)) if math.isfinite(raw) else None
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) > _MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
            return None
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            return None
    return None


def _show(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "+0") else text


def _decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _multiple_of(number: Decimal, step: Decimal) -> bool:
    try:
        return number % step == 0
    except InvalidOperation:  # the quotient has more digits than the decimal context holds
        return False


def _number(component: Component, raw: Any) -> int | float | str:
    number = _decimal(raw)
    if number is None:
        raise _Invalid(NOT_NUMBER)
    digits = component.decimal_digits
    if digits is not None and _decimals(number) > digits:
        raise _Invalid(
            NOT_INTEGER if digits == 0 else f"Paling banyak {digits} angka di belakang koma."
        )
    if component.increment is not None and not _multiple_of(number, component.increment):
        raise _Invalid(f"Harus kelipatan {_show(component.increment)}.")
    if component.minimum is not None and number < component.minimum:
        raise _Invalid(f"Paling kecil {_show(component.minimum)}.")
    if component.maximum is not None and number > component.maximum:
        raise _Invalid(f"Paling besar {_show(component.maximum)}.")
    if component.serialize_to_string:
        return _show(number)
    if _decimals(number) == 0:
        return int(number)
    return float(number)


def _checkbox(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw in ("true", "false"):
        return raw == "true"
    raise _Invalid(NOT_CHECKBOX)


def _same(left: Any, right: Any) -> bool:
    """Equality that keeps ``True`` apart from ``1`` (JSON does)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    return bool(left == right)


def _options(component: Component, context: _Context) -> tuple[Any, ...] | None:
    if component.options is not None:
        return component.options
    if component.options_key is not None:
        values = context.variables.get(component.options_key)
        if isinstance(values, list):
            return _option_values(values)
    return None


def _choice(component: Component, raw: Any, context: _Context) -> Any:
    options = _options(component, context)
    if isinstance(raw, str):
        raw = _string(raw, MAX_OPTION_LENGTH, too_long=UNKNOWN_OPTION)
    if options is None:
        # Dynamic options the server cannot see: any simple value.
        if _is_simple(raw):
            return raw
        raise _Invalid(UNKNOWN_OPTION)
    for option in options:
        if _same(option, raw):
            return option
    if isinstance(raw, str):
        # An HTML form posts every value as text: match options that are not strings.
        for option in options:
            if not isinstance(option, str | Mapping) and _text_of(option) == raw:
                return option
    raise _Invalid(UNKNOWN_OPTION)


def _text_of(option: Any) -> str:
    if isinstance(option, bool):
        return "true" if option else "false"
    return str(option)


def _choices(component: Component, raw: Any, context: _Context) -> list[Any]:
    if not isinstance(raw, list | tuple):
        raise _Invalid(NOT_LIST)
    if len(raw) > MAX_ITEMS:
        raise _Invalid(f"Paling banyak {MAX_ITEMS} pilihan.")
    chosen: list[Any] = []
    for item in raw:
        value = _choice(component, item, context)
        if not any(_same(value, earlier) for earlier in chosen):
            chosen.append(value)
    return chosen


def _time_ok(match: re.Match[str] | None) -> bool:
    if match is None:
        return False
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        return False
    return match[4] is None or (int(match[4]) <= 14 and int(match[5]) <= 59)


def _datetime(component: Component, raw: Any, context: _Context) -> str:
    """A date is read as :mod:`alur.dates` reads it in the browser too (day first, or ISO, as
    form-js sends it) and kept as ISO; a time as ``HH:MM`` with an optional UTC offset."""
    message = {"date": BAD_DATE, "time": BAD_TIME, "datetime": BAD_DATETIME}[
        component.subtype or "date"
    ]
    text = _string(raw, 40, invalid=message, too_long=message)
    if component.subtype == "time":
        if not _time_ok(_TIME.fullmatch(text)):
            raise _Invalid(message)
        return text
    day_part, separator, time_part = text.partition("T")
    if bool(separator) != (component.subtype == "datetime"):
        raise _Invalid(message)
    try:
        day = dates.read_date(day_part, today=context.today if component.disallow_past else None)
    except dates.DateProblem as problem:
        raise _Invalid(problem.message) from None
    if separator and not _time_ok(_TIME.fullmatch(time_part)):
        raise _Invalid(BAD_TIME)
    return day.isoformat() + separator + time_part


def _files(component: Component, raw: Any) -> str | list[str]:
    if isinstance(raw, str):
        text = raw.strip()
        if not _FILE_REFERENCE.fullmatch(text):
            raise _Invalid(BAD_FILE)
        return text
    if not isinstance(raw, list | tuple):
        raise _Invalid(BAD_FILE)
    if len(raw) > MAX_ITEMS:
        raise _Invalid(f"Paling banyak {MAX_ITEMS} berkas.")
    ids: list[str] = []
    for item in raw:
        if not isinstance(item, str) or not _STORED_FILE_ID.fullmatch(item):
            raise _Invalid(BAD_FILE)
        if item not in ids:
            ids.append(item)
    if len(ids) > 1 and not component.multiple:
        raise _Invalid(ONE_FILE)
    return ids
