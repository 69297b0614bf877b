"""The PDF active-content scan (storage.pdfscan) on PDFs written byte by byte; that an upload
it refuses leaves nothing behind is features/platform/test_documents.py's."""

from __future__ import annotations

import zlib

import pytest

from features.support.pdfs import object_stream, pdf
from storage import pdfscan

HIDDEN_SCRIPT = b"6 0 << /S /JavaScript /JS (app.alert('tersembunyi')) >>"


def raw_deflate(data: bytes) -> bytes:
    """``data`` deflated without the zlib header, as some PDF producers write it."""
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.hostile
@pytest.mark.parametrize(
    "extra",
    [
        b"<< /S /JavaScript /JS (app.alert('hai')) >>",
        b"<< /S /J#61vaScript /J#53 (app.alert('hai')) >>",
        b"<< /JS (app.alert('hai')) >>",
        b"<< /Type /Action /S /Launch /F (cmd.exe) >>",
        b"<< /Names << /EmbeddedFiles 6 0 R >> >>",
        b"<< /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream",
        b"<< /Type /Annot /Subtype /RichMedia >>",
        b"<< /Fields [] /XFA 7 0 R >>",
        b"<< /OpenAction << /S /JavaScript /JS (this.print()) >> >>",
        object_stream(HIDDEN_SCRIPT),
        object_stream(b"", packed=raw_deflate(HIDDEN_SCRIPT)),
        object_stream(b"", packed=b"6 0 << /JS (app.alert('hai')) >>").replace(
            b" /Filter /FlateDecode", b""
        ),
        # Not marked as an object stream, but holding dictionaries all the same.
        b"<< /Filter /FlateDecode >>\nstream\n" + zlib.compress(HIDDEN_SCRIPT) + b"\nendstream",
    ],
    ids=[
        "javascript",
        "hex-escaped",
        "js",
        "launch",
        "embedded-files",
        "embedded-file",
        "rich-media",
        "xfa",
        "open-action-js",
        "object-stream",
        "object-stream-raw-deflate",
        "object-stream-uncompressed",
        "flate-stream-in-disguise",
    ],
)
def test_active_content_is_found(extra: bytes) -> None:
    assert pdfscan.problem(pdf(extra)) == pdfscan.ACTIVE_CONTENT


@pytest.mark.parametrize(
    "extra",
    [
        b"<< /Title (Surat permohonan) >>",
        b"<< /OpenAction [3 0 R /Fit] /JSX 1 /Info (JavaScript) >>",  # only the first view
        # Two letters that read "/JS" by chance inside compressed bytes act on nothing.
        b"<< /Filter /FlateDecode >>\nstream\n" + zlib.compress(b"<< /JS 1 >>") + b"\nendstream",
        # Pixels are not looked into.
        b"<< /Subtype /Image /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(b"/JavaScript")
        + b"\nendstream",
    ],
    ids=["plain", "first-view", "js-by-chance", "image"],
)
def test_a_pdf_that_only_shows_pages_passes(extra: bytes) -> None:
    assert pdfscan.problem(pdf(extra)) is None


@pytest.mark.hostile
@pytest.mark.parametrize(
    "hidden",
    [
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode >>\nstream\n41>\nendstream",
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /DecodeParms << /Predictor 12 >> >>"
        b"\nstream\n" + zlib.compress(HIDDEN_SCRIPT) + b"\nendstream",
        object_stream(b"", packed=b"\x78\x9c not deflate at all"),
    ],
    ids=["other-filter", "predictor", "broken-deflate"],
)
def test_an_object_stream_that_cannot_be_read_is_unreadable(hidden: bytes) -> None:
    assert pdfscan.problem(pdf(hidden)) == pdfscan.UNREADABLE


def test_a_name_cut_between_two_inflated_pieces_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfscan, "_INFLATE_PIECE", 100)
    for padding in range(72, 82):  # "/JavaScript" across the first piece's end, at each cut
        text = b"6 0 << /Pad (" + b"x" * padding + b") /S /JavaScript >>"
        assert 90 <= text.index(b"/JavaScript") < 100
        assert pdfscan.problem(pdf(object_stream(text))) == pdfscan.ACTIVE_CONTENT, padding


def test_an_object_stream_beyond_the_inflate_budget_is_unreadable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdfscan, "_PDF_INFLATE_BUDGET", 1024)
    harmless = object_stream(b"6 0 << /Pad (" + b"x" * 4096 + b") >>")
    assert pdfscan.problem(pdf(harmless)) == pdfscan.UNREADABLE
    monkeypatch.setattr(pdfscan, "_PDF_INFLATE_BUDGET", 64 * 1024)
    assert pdfscan.problem(pdf(harmless)) is None
