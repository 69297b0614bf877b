"""Bahasa Indonesia as official documents write it, beyond dates (those are in
:mod:`alur.dates`): Babel's locale, and numbers written out in words (*terbilang*)."""

from __future__ import annotations

#: The Babel locale of everything Alur formats (dates, times, decimal commas).
LOCALE = "id_ID"

_UNITS = (
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "sebelas",
)  # fmt: skip
_SCALES = ((1_000_000_000, "miliar"), (1_000_000, "juta"), (1_000, "ribu"))
TERBILANG_MAX = 999_999_999_999


def terbilang(n: int) -> str:
    """``n`` in Indonesian words, as official documents write numbers out.

    ``2026`` → ``"dua ribu dua puluh enam"``, ``111`` → ``"seratus sebelas"``, ``1000`` →
    ``"seribu"``; 0 to 999 999 999 999 (``"... miliar"``).

    Raises:
        TypeError: ``n`` is not an int (a bool is refused too).
        ValueError: ``n`` is negative or above :data:`TERBILANG_MAX`.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"terbilang takes an int, not {type(n).__name__}")
    if not 0 <= n <= TERBILANG_MAX:
        raise ValueError(f"terbilang covers 0 to {TERBILANG_MAX:_}, not {n}")
    if n == 0:
        return "nol"
    words: list[str] = []
    for scale, name in _SCALES:
        group, n = divmod(n, scale)
        if group == 1 and name == "ribu":
            words.append("seribu")  # but "satu juta", "satu miliar"
        elif group:
            words += [*_below_thousand(group), name]
    return " ".join(words + _below_thousand(n))


def _below_thousand(n: int) -> list[str]:
    """1..999 in words; 0 gives no word (it is silent inside a larger number)."""
    hundreds, rest = divmod(n, 100)
    words = ["seratus"] if hundreds == 1 else [_UNITS[hundreds], "ratus"] if hundreds else []
    if 0 < rest < 12:
        words.append(_UNITS[rest])
    elif 12 <= rest < 20:
        words += [_UNITS[rest - 10], "belas"]
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        words += [_UNITS[tens], "puluh"] + ([_UNITS[ones]] if ones else [])
    return words
