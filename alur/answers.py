"""A form's answers as people read them: each field by its label, a choice by its option's
label, a date the Indonesian way, a file by its name. Keys and stored values never reach a
page, a letter or an e-mail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from alur import dates


@dataclass(frozen=True)
class FieldText:
    """How one keyed field of a form reads: its label and its options' labels."""

    label: str
    options: Mapping[str, str] = field(default_factory=dict)
    kind: str = ""


def fields_of(schema: Mapping[str, Any] | None) -> dict[str, FieldText]:
    """Every keyed field of a Camunda Form schema, in the form's order (groups included)."""
    found: dict[str, FieldText] = {}
    if schema:
        _walk(schema.get("components") or [], found)
    return found


def _walk(items: Iterable[Any], found: dict[str, FieldText]) -> None:
    for item in items:
        if not isinstance(item, Mapping):
            continue
        key = item.get("key")
        if isinstance(key, str) and key and "type" in item:
            label = item.get("label") or ""
            if item.get("type") == "datetime":
                label = label or item.get("dateLabel") or item.get("timeLabel") or ""
            found[key] = FieldText(
                label=str(label or key),
                options={
                    str(option.get("value")): str(option.get("label") or option.get("value"))
                    for option in item.get("values") or []
                    if isinstance(option, Mapping)
                },
                kind=str(item.get("type")),
            )
        _walk(item.get("components") or [], found)


def show(value: Any, text: FieldText | None = None, filenames: Mapping[str, str] = {}) -> str:
    """One answer as a person reads it; ``filenames`` names the stored files of file fields."""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, list | tuple):
        return ", ".join(show(item, text, filenames) for item in value)
    if value is None:
        return "—"
    raw = str(value)
    if text is not None and raw in text.options:
        return text.options[raw]
    if text is not None and text.kind == "filepicker":
        return filenames.get(raw, raw)
    if isinstance(value, str):
        return dates.show_value(raw)
    return raw


def answers(
    schema: Mapping[str, Any] | None,
    data: Mapping[str, Any],
    *,
    filenames: Mapping[str, str] = {},
    skip: Iterable[str] = (),
) -> list[tuple[str, str]]:
    """``data`` as (label, text) pairs: the form's fields in its order, then any other keys
    (under their key: a value no form asked for, e.g. one a worker set)."""
    texts = fields_of(schema)
    left_out = set(skip)
    shown = []
    for key in [*texts, *(k for k in data if k not in texts)]:
        if key not in data or key in left_out:
            continue
        text = texts.get(key)
        shown.append((text.label if text else key, show(data[key], text, filenames)))
    return shown
