"""PDF active content: does an uploaded PDF do more than show pages?

A byte scan, not a parser: :func:`problem` finds the names of active content (JavaScript,
launch actions, embedded files, Flash/3D, XFA) however they are escaped, and looks into
object streams (dictionaries kept compressed) and other Flate streams except images. A file
built to hide from it may still pass, so documents are served as downloads, never inline.
:mod:`storage.documents` refuses an upload this finds a problem in.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections.abc import Iterator
from typing import Final, Literal

#: The PDF names active content (scripts, a program launched, other files carried, ...).
ACTIVE_CONTENT: Final = "active_content"
#: The PDF keeps dictionaries where the scan cannot read them (encrypted, broken, too big).
UNREADABLE: Final = "unreadable_pdf"
Problem = Literal["active_content", "unreadable_pdf"]

#: Bytes of inflated PDF object streams examined per upload before giving up on the file.
_PDF_INFLATE_BUDGET = 64 * 1024 * 1024
_INFLATE_PIECE = 1024 * 1024
#: More than the longest active name written with every letter escaped (1 + 13 * 3 bytes).
_NAME_OVERLAP = 64

#: Names whose presence makes a PDF do more than show pages: run JavaScript, launch a
#: program, carry other files, play Flash/3D content, or be an XFA form (scriptable).
#: ``/OpenAction`` alone only sets the first view; with JavaScript, ``/JavaScript`` is found.
_ACTIVE_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA"}
)
#: A PDF name: a solidus and regular characters up to the next white-space or delimiter.
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]{1,64})")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_START = re.compile(rb"\bstream(?:\r\n|\n|\r)")
_PDF_FILTERS = frozenset(
    {
        b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85", b"LZWDecode", b"LZW",
        b"FlateDecode", b"Fl", b"RunLengthDecode", b"RL", b"CCITTFaxDecode", b"CCF",
        b"JBIG2Decode", b"DCTDecode", b"DCT", b"JPXDecode", b"Crypt",
    }
)  # fmt: skip


def _escapable(name: bytes) -> bytes:
    """A pattern for ``/name`` with any of its letters written as a ``#xx`` escape."""
    parts = [
        b"(?:"
        + re.escape(bytes([c]))
        + b"|#"
        + b"".join(
            b"[" + bytes([h]) + bytes([h]).lower() + b"]" if h > ord("9") else bytes([h])
            for h in f"{c:02X}".encode()
        )
        + b")"
        for c in name
    ]
    return b"".join(parts)


#: Any active name, escaped or not, as a whole name (not the start of a longer one).
_ACTIVE_PATTERN = re.compile(
    b"/(?:"
    + b"|".join(_escapable(n) for n in sorted(_ACTIVE_NAMES, key=len, reverse=True))
    + rb")(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
)


def _active_hits(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(offset, decoded name) of every active name in ``data``."""
    for match in _ACTIVE_PATTERN.finditer(data):
        yield match.start(), _HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), match[0][1:])


def _names(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(offset, decoded name) of every PDF name in ``data``, ``#xx`` escapes resolved."""
    for match in _PDF_NAME.finditer(data):
        raw = match[1]
        name = _HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), raw) if b"#" in raw else raw
        yield match.start(), name


def problem(data: bytes) -> Problem | None:
    """Why the PDF ``data`` is refused: its dictionaries name active content, also inside
    compressed streams (:data:`ACTIVE_CONTENT`), or an object stream cannot be read
    (:data:`UNREADABLE`); ``None`` for a PDF that only shows pages."""
    streams = _streams(data)
    for offset, name in _active_hits(data):
        # A two-letter name turns up by chance in compressed data; ``/JS`` only acts next to
        # ``/S /JavaScript``, which is looked for everywhere.
        if name == b"JS" and any(start <= offset < end for start, end, _ in streams):
            continue
        return ACTIVE_CONTENT
    object_budget = other_budget = _PDF_INFLATE_BUDGET
    for start, end, names in streams:
        filters = names & _PDF_FILTERS
        if b"ObjStm" in names:
            # An object stream holds dictionaries: it must be read, or the file is refused.
            if b"Predictor" in names or not filters <= {b"FlateDecode", b"Fl"}:
                return UNREADABLE
            if not filters:
                if any(True for _ in _active_hits(data[start:end])):
                    return ACTIVE_CONTENT
                continue
            found, used, complete = _inflated_active_names(data[start:end], object_budget)
            object_budget -= used
            if found:
                return ACTIVE_CONTENT
            if not complete:
                return UNREADABLE
        elif filters in ({b"FlateDecode"}, {b"Fl"}):
            # Not marked as an object stream, but maybe one in disguise; images hold pixels.
            if b"Image" in names or other_budget <= 0:
                continue
            found, used, _ = _inflated_active_names(data[start:end], other_budget)
            other_budget -= used
            if found - {b"JS"}:
                return ACTIVE_CONTENT
    return None


def _streams(data: bytes) -> list[tuple[int, int, set[bytes]]]:
    """(start, end, names of its dictionary) for each ``stream`` keyword in ``data``.

    Every occurrence counts, even one in a comment, so a fake keyword cannot hide a real
    stream. The dictionary is what lies between the end of the last stream before it (or
    4 KiB back) and the keyword.
    """
    found: list[tuple[int, int, set[bytes]]] = []
    open_ends: list[int] = []  # ends of bodies not yet passed, smallest first
    last_end = 0
    for match in _STREAM_START.finditer(data):
        # Only a body that closed before this keyword bounds its dictionary.
        while open_ends and open_ends[0] <= match.start():
            last_end = max(last_end, heapq.heappop(open_ends))
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        window = data[max(last_end, match.start() - 4096) : match.start()]
        found.append((match.end(), end, {name for _, name in _names(window)}))
        heapq.heappush(open_ends, end)
    return found


def _inflated_active_names(body: bytes, limit: int) -> tuple[set[bytes], int, bool]:
    """Active names in ``body`` inflated (at most ``limit`` bytes, a piece at a time).

    Returns the names, the bytes inflated, and whether the data ended cleanly within the limit.
    """
    # zlib data starts with a header whose first two bytes are a multiple of 31; raw deflate
    # (which some producers write) has none.
    zlib_header = len(body) >= 2 and body[0] & 0x0F == 8 and (body[0] * 256 + body[1]) % 31 == 0
    inflater = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
    found: set[bytes] = set()
    used = 0
    carry = b""  # the end of the last piece, where a name may continue
    pending = body
    while True:
        room = min(_INFLATE_PIECE, limit - used)
        if room <= 0:
            found.update(name for _, name in _active_hits(carry))
            return found, used, False
        try:
            piece = inflater.decompress(pending, room)
        except zlib.error:
            found.update(name for _, name in _active_hits(carry))
            return found, used, False
        # After the end of the data, zlib keeps what follows in ``unconsumed_tail`` too.
        stalled = not piece and inflater.unconsumed_tail == pending
        pending = inflater.unconsumed_tail
        used += len(piece)
        last = inflater.eof or stalled or (not piece and not pending)
        window = carry + piece
        # A name near the end of the window may go on in the next piece: look at it then.
        cut = len(window) if last else max(0, len(window) - _NAME_OVERLAP)
        found.update(name for offset, name in _active_hits(window) if offset < cut)
        if last:
            return found, used, inflater.eof
        carry = window[cut:] if cut < len(window) else b""
