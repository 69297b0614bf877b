"""Membuat logo contoh ``dpmptsp-contoh.png`` (256 x 256 piksel, PNG): lingkaran biru bercincin
emas dengan sebuah pintu putih, lambang "satu pintu".

Ini logo contoh buatan Alur, bukan lambang resmi instansi mana pun. Dibuat tanpa pustaka
gambar (hanya zlib dan struct), dengan 4 x 4 sampel per piksel agar tepinya halus. Jalankan
dari akar repositori: ``python deploy/logo/buat_logo.py``; hasilnya selalu sama byte demi byte.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZE = 256
SAMPLES = 4
GOLD = (201, 162, 39)
NAVY = (31, 58, 104)
WHITE = (255, 255, 255)
CENTRE = SIZE / 2


def colour_at(x: float, y: float) -> tuple[int, int, int] | None:
    """The colour of the emblem at (x, y), or None outside it."""
    distance = ((x - CENTRE) ** 2 + (y - CENTRE) ** 2) ** 0.5
    if distance > 122:
        return None
    if distance > 108:
        return GOLD
    # The door: a rectangle under a half circle, with a gold handle.
    if (x - 150) ** 2 + (y - 150) ** 2 <= 36:
        return GOLD
    top, left, right, bottom = 100, 98, 158, 196
    in_arch = (x - 128) ** 2 + (y - top) ** 2 <= 30**2 and y <= top
    in_door = left <= x <= right and top <= y <= bottom
    if in_arch or in_door:
        return WHITE
    if 84 <= x <= 172 and 196 < y <= 204:  # the threshold
        return GOLD
    return NAVY


def pixel(px: int, py: int) -> bytes:
    """RGBA of one pixel: the average of its samples, alpha for the edge."""
    found = [
        colour_at(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)
        for sx in range(SAMPLES)
        for sy in range(SAMPLES)
    ]
    inside = [c for c in found if c is not None]
    if not inside:
        return bytes(4)
    rgb = [round(sum(c[i] for c in inside) / len(inside)) for i in range(3)]
    return bytes([*rgb, round(255 * len(inside) / len(found))])


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    rows = [b"".join(pixel(x, y) for x in range(SIZE)) for y in range(SIZE)]
    target = Path(__file__).resolve().parent / "dpmptsp-contoh.png"
    target.write_bytes(png(SIZE, SIZE, rows))


if __name__ == "__main__":
    main()
