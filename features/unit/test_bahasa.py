"""Numbers written out in Bahasa Indonesia (alur.bahasa.terbilang), as letters print them."""

from __future__ import annotations

import pytest

from alur.bahasa import terbilang


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (2026, "dua ribu dua puluh enam"),
        (11_000, "sebelas ribu"),
        (100_000, "seratus ribu"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (
            123_456_789,
            "seratus dua puluh tiga juta empat ratus lima puluh enam ribu"
            " tujuh ratus delapan puluh sembilan",
        ),
        (1_000_000_000, "satu miliar"),
        (
            999_999_999_999,
            "sembilan ratus sembilan puluh sembilan miliar"
            " sembilan ratus sembilan puluh sembilan juta"
            " sembilan ratus sembilan puluh sembilan ribu"
            " sembilan ratus sembilan puluh sembilan",
        ),
    ],
)
def test_terbilang(n: int, words: str) -> None:
    assert terbilang(n) == words


def test_terbilang_refuses_what_it_cannot_write() -> None:
    with pytest.raises(ValueError):
        terbilang(-1)
    with pytest.raises(ValueError):
        terbilang(1_000_000_000_000)
    with pytest.raises(TypeError):
        terbilang(True)
    with pytest.raises(TypeError):
        terbilang(2.0)  # type: ignore[arg-type]
