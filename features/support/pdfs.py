"""Small PDFs written byte by byte for the upload tests: well-formed, one empty page, and
whatever a test puts in them (an action, an object stream hiding one)."""

from __future__ import annotations

import zlib


def pdf(*objects: bytes) -> bytes:
    """A small well-formed PDF: one empty page, plus ``objects`` appended as objects 4, 5..."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(bodies) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def object_stream(text: bytes, *, packed: bytes | None = None) -> bytes:
    """An object stream (``/Type /ObjStm``) holding ``text``, Flate-compressed (or the bytes
    ``packed`` given instead, for streams compressed some other way)."""
    body = zlib.compress(text) if packed is None else packed
    return (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(body)
        + body
        + b"\nendstream"
    )
