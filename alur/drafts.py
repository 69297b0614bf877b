"""A letter's drafts as people compare them (issue 25): the content hash shown on the task page,
and what changed between two versions, item by item, in Bahasa.

A draft's content is ``{"perihal", "kepada", "isian": {...fields}, "sifat", "lampiran",
"tembusan"}`` (``storage.letter_drafts``); its fields are those of
:data:`alur.letter_kinds.FIELDS`, labelled by :data:`alur.letter_kinds.FIELD_LABELS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alur import dates, letter_parts
from alur.letter_kinds import FIELD_LABELS, FIELD_VOCABULARIES, FIELDS
from storage.letter_drafts import content_sha256

#: The content's own items (outside ``isian``) in the order a letter prints them.
ITEM_LABELS: Mapping[str, str] = {
    "perihal": "Perihal",
    "kepada": "Kepada",
    "sifat": "Sifat",
    "lampiran": "Lampiran",
    "tembusan": "Tembusan",
}
#: The key of the letter kind's fields inside the content.
FIELDS_KEY = "isian"
#: How an absent or empty value reads.
EMPTY = "(kosong)"
#: Hex digits of :func:`short_hash`, in groups of :data:`SHORT_GROUP`.
SHORT_LENGTH = 12
SHORT_GROUP = 4
_DATE_CHECKS = (letter_parts.day, letter_parts.moment)
#: Keys of an addressee or signer, in the order they read; other keys follow.
_PART_ORDER = ("name", "position", "institution", "address", "nip")


@dataclass(frozen=True)
class Change:
    """One item that differs between two versions, each side as text."""

    label: str
    before: str
    after: str


def content_hash(content: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of a draft's content, as stored with it and carried by the letter
    issued from it (:func:`storage.letter_drafts.content_sha256`)."""
    return content_sha256(content)


def short_hash(sha256: str) -> str:
    """The first 12 hex digits of a hash in groups of four, to read aloud or compare by eye:
    ``"3f2a 9c01 be47"``."""
    digits = sha256.strip().lower()
    if len(digits) < SHORT_LENGTH or any(c not in "0123456789abcdef" for c in digits):
        raise ValueError(f"not a hex digest: {sha256!r}")
    head = digits[:SHORT_LENGTH]
    return " ".join(head[i : i + SHORT_GROUP] for i in range(0, SHORT_LENGTH, SHORT_GROUP))


def field_label(key: str) -> str:
    """A field of ``isian`` as people read it; a key no kind declares as itself, humanised."""
    return FIELD_LABELS.get(key) or key.replace("_", " ").capitalize()


def changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[Change]:
    """What differs from ``old`` to ``new`` (``old`` None: the first version, so every item it
    has), in the order a letter reads: the letter's own items, then the fields of ``isian`` in
    the catalogue's order, then anything else by key. Items whose text is the same on both
    sides (an absent value and an empty one, say) are not a change."""
    before = dict(old or {})
    after = dict(new)
    found: list[Change] = []
    for key, label in ITEM_LABELS.items():
        _compare(found, label, before.get(key), after.get(key), key=None)
    old_fields = _fields(before.get(FIELDS_KEY))
    new_fields = _fields(after.get(FIELDS_KEY))
    if old_fields is None or new_fields is None:  # isian that is not a mapping: one item
        _compare(found, "Isian", before.get(FIELDS_KEY), after.get(FIELDS_KEY), key=None)
    else:
        for key in _ordered(set(old_fields) | set(new_fields), list(FIELDS)):
            _compare(found, field_label(key), old_fields.get(key), new_fields.get(key), key=key)
    others = (set(before) | set(after)) - set(ITEM_LABELS) - {FIELDS_KEY}
    for key in sorted(others):
        _compare(found, field_label(key), before.get(key), after.get(key), key=None)
    return found


def show(value: Any, key: str | None = None) -> str:
    """A content value as text: a field's codes as their words, its dates in Bahasa, lists
    joined with ``; ``, an addressee or signer as its parts; nothing as :data:`EMPTY`."""
    text = _text(value, key)
    return text if text.strip() else EMPTY


def _compare(found: list[Change], label: str, old: Any, new: Any, *, key: str | None) -> None:
    shown_old, shown_new = show(old, key), show(new, key)
    if shown_old != shown_new:
        found.append(Change(label, shown_old, shown_new))


def _fields(value: Any) -> Mapping[str, Any] | None:
    if value is None:
        return {}
    return value if isinstance(value, Mapping) else None


def _ordered(keys: set[str], order: Sequence[str]) -> list[str]:
    known = [k for k in order if k in keys]
    return known + sorted(keys - set(known))


def _text(value: Any, key: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, str):
        return _word(value.strip(), key)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        return _summary(value)
    if isinstance(value, Sequence):
        return "; ".join(t for t in (_text(v, key) for v in value) if t)
    return str(value)


def _word(value: str, key: str | None) -> str:
    """A coded value as its words; a field's ISO date or date-time as people write it."""
    if key is None:
        return value
    vocabulary = FIELD_VOCABULARIES.get(key)
    if vocabulary is not None:
        return vocabulary.get(value, value)
    if FIELDS.get(key) in _DATE_CHECKS:
        return dates.show_value(value)
    return value


def _summary(value: Mapping[str, Any]) -> str:
    """An addressee, signer or other mapping: its parts in reading order, comma-separated."""
    keys = [k for k in _PART_ORDER if k in value] + sorted(
        str(k) for k in value if k not in _PART_ORDER
    )
    parts: list[str] = []
    for key in keys:
        text = _text(value[key], None)
        if not text:
            continue
        if key == "nip":
            parts.append(f"NIP {text}")
        elif key in _PART_ORDER:
            parts.append(text)
        else:
            parts.append(f"{key}: {text}")
    return ", ".join(parts)
