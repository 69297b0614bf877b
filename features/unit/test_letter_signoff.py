"""What a letter shows of its sign-off (issue 25): the paraf table, a draft's marks, the
electronic-signature block with its QR code, and the content's fingerprint in the footer.

Rendered with real WeasyPrint and read back with poppler's ``pdftotext`` and ``pdfimages``;
the QR code is compared module by module with what segno makes of the verification URL
(segno cannot decode, but the image in the PDF must be exactly that symbol).
"""

from __future__ import annotations

import io
import math
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import segno
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject

from alur.letter_parts import DraftMark, Paraf, Signer, Verification, short_sha256
from alur.letters import DRAFT_NUMBER, QR_ERROR, letter_html, render_letter
from features.support.tally import Tally
from features.unit.test_letter_kinds import SAMPLES, letter

SHA = "3f2a9c1b7d40e2a8" + "0" * 47 + "1"
OTHER_SHA = "a" * 64
CODE = "ABCDE-FGHJK"
URL = f"https://alur.menpan.go.id/verifikasi/{CODE}"
VERIFICATION = Verification(code=CODE, url=URL)
# Initialled on 2 and 3 December 2026; Makassar is WITA (UTC+8), Jayapura WIT (UTC+9).
PARAF = (
    Paraf(
        position="Kepala Bagian Persuratan dan Kearsipan",
        name="Siti Rahmawati, S.Sos.",
        at=datetime(2026, 12, 2, 2, 15, tzinfo=UTC),
        timezone="Asia/Jakarta",
    ),
    Paraf(
        position="Kepala Biro Organisasi dan Tata Laksana",
        name="Drs. Agus Salim, M.Si.",
        at=datetime(2026, 12, 2, 6, 40, tzinfo=UTC),
        timezone="Asia/Makassar",
    ),
    Paraf(
        position="Sekretaris Deputi Bidang Kelembagaan dan Tata Laksana",
        name="Ir. Made Wirawan",
        at=datetime(2026, 12, 2, 23, 5, tzinfo=UTC),
        timezone="Asia/Jayapura",
    ),
)


def pdftotext(pdf: bytes, *, layout: bool = False) -> list[str]:
    """Each page's text as poppler reads it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "surat.pdf"
        path.write_bytes(pdf)
        args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
        done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.split("\f")[:-1]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return render_letter(
        letter(
            "konsultasi_jawaban",
            number=DRAFT_NUMBER,
            draft=DraftMark(version=3, content_sha256=SHA),
            paraf=PARAF[:1],
        )
    )


@pytest.fixture(scope="module")
def signed_pdf() -> bytes:
    return render_letter(
        letter("konsultasi_jawaban", paraf=PARAF, verification=VERIFICATION, content_sha256=SHA)
    )


# A draft #########################################################################################


def test_a_draft_says_so_with_its_version_and_no_number(draft_pdf: bytes) -> None:
    (page,) = pdftotext(draft_pdf)
    text = flat(page)
    assert watermarks(draft_pdf) == [(1, "DRAF")]
    assert "DRAF versi 3" in text
    assert _line(draft_pdf, "Nomor").startswith(f"Nomor : {DRAFT_NUMBER} Jakarta, 3 Desember 2026")
    assert "B-215/D.KT/XII/2026" not in text  # the sample's number is not printed
    assert "Sidik isi 3f2a 9c1b 7d40 e2a8" in text
    assert "Halaman 1 dari 1" in text
    # A draft is not signed: no QR code, no statement of an electronic signature.
    assert "secara elektronik" not in text
    assert _images(draft_pdf) == []


def test_a_drafts_title_names_its_version(draft_pdf: bytes) -> None:
    metadata = PdfReader(io.BytesIO(draft_pdf)).metadata
    assert metadata is not None
    title = metadata.title
    assert title == "Draf Surat Jawaban Konsultasi versi 3"


def test_every_page_of_a_long_draft_is_marked() -> None:
    answer = [f"Butir jawaban nomor {n}: " + "uraian jawaban yang panjang. " * 6 for n in range(30)]
    long = letter(
        "pengaduan_jawaban",
        number=DRAFT_NUMBER,
        draft=DraftMark(version=1, content_sha256=SHA),
        fields=SAMPLES["pengaduan_jawaban"]["fields"] | {"answer": answer},
    )
    pdf = render_letter(long)
    pages = pdftotext(pdf)
    assert len(pages) >= 2
    assert watermarks(pdf) == [(number, "DRAF") for number in range(1, len(pages) + 1)]
    for number, page in enumerate(pages, start=1):
        assert "DRAF versi 1" in flat(page)
        assert f"Halaman {number} dari {len(pages)}" in flat(page)
        assert "Sidik isi 3f2a 9c1b 7d40 e2a8" in flat(page)


@pytest.mark.parametrize("kind", ["nota_dinas", "berita_acara_pengaduan"])
def test_nota_dinas_and_minutes_drafts_show_the_placeholder(kind: str) -> None:
    draft = letter(kind, number=DRAFT_NUMBER, draft=DraftMark(version=2, content_sha256=SHA))
    text = flat(" ".join(pdftotext(render_letter(draft))))
    assert DRAFT_NUMBER in text
    assert "DRAF versi 2" in text


# A signed letter #################################################################################


def test_the_paraf_table_names_each_reviewer_and_when_in_their_zone(signed_pdf: bytes) -> None:
    (page,) = pdftotext(signed_pdf)
    text = flat(page)
    assert "No. Jabatan dan nama Paraf" in text
    for paraf in PARAF:
        assert paraf.name in text
    assert "Kepala Bagian Persuratan dan Kearsipan" in text
    # 02:15 UTC is 09.15 WIB; 06:40 UTC is 14.40 WITA; 23:05 UTC on the 2nd is 08.05 WIT on the 3rd.
    assert "2 Desember 2026 09.15 WIB" in text
    assert "2 Desember 2026 14.40 WITA" in text
    assert "3 Desember 2026 08.05 WIT" in text


def test_the_signature_block_prints_the_code_and_the_statement(signed_pdf: bytes) -> None:
    (page,) = pdftotext(signed_pdf)  # the whole sign-off fits the one page
    text = flat(page)
    assert "Ditandatangani secara elektronik Kode verifikasi: ABCDE-FGHJK" in text
    assert (
        "Dokumen ini ditandatangani secara elektronik oleh Dr. Rini Kartika, S.Sos., M.Si." in text
    )
    assert "Deputi Bidang Kelembagaan dan Tata Laksana)." in text
    assert "dapat diperiksa di https://alur.menpan.go.id/verifikasi dengan kode ABCDE-FGHJK" in text
    assert "Sidik isi 3f2a 9c1b 7d40 e2a8" in text
    assert "DRAF" not in text
    assert watermarks(signed_pdf) == []
    # The signer's name and NIP are where they always are, after the block.
    assert text.index("ABCDE-FGHJK") < text.index("NIP 197203141998032001")


def test_the_qr_code_is_the_verification_url_about_25_mm_wide(signed_pdf: bytes) -> None:
    (image,) = _images(signed_pdf)
    symbol = segno.make(URL, error=QR_ERROR, micro=False)
    expected = [[bool(m) for m in row] for row in symbol.matrix_iter(scale=1, border=4)]
    assert image.modules() == expected
    assert not image.interpolate  # the modules stay sharp when printed large
    width_mm = image.width_pt / 72 * 25.4
    assert 24 <= width_mm <= 26


def test_a_letter_without_sign_off_prints_as_before() -> None:
    plain = render_letter(letter("konsultasi_jawaban"))
    (page,) = pdftotext(plain)
    assert "Sidik isi" not in page
    assert "DRAF" not in page
    assert "Paraf" not in page
    assert "Halaman 1 dari 1" in page
    assert _images(plain) == []


def test_the_content_fingerprint_alone_goes_in_the_footer() -> None:
    pdf = render_letter(letter("konsultasi_penolakan", content_sha256=SHA))
    (page,) = pdftotext(pdf)
    assert "Sidik isi 3f2a 9c1b 7d40 e2a8" in flat(page)
    assert "Halaman 1 dari 1" in flat(page)


def test_the_minutes_fill_their_paraf_boxes_and_sign_with_the_qr_code() -> None:
    minutes = letter(
        "berita_acara_pengaduan", paraf=PARAF[:2], verification=VERIFICATION, content_sha256=SHA
    )
    pages = pdftotext(render_letter(minutes))
    signed = flat(pages[-1])
    assert "Mengetahui," in signed
    assert "Siti Rahmawati, S.Sos." in signed
    assert "2 Desember 2026 14.40 WITA" in signed
    assert "Kode verifikasi: ABCDE-FGHJK" in signed
    assert len(_images(render_letter(minutes))) == 1


def test_the_nota_dinas_signs_without_repeating_the_position() -> None:
    nota = letter("nota_dinas", paraf=PARAF, verification=VERIFICATION, content_sha256=SHA)
    (page,) = pdftotext(render_letter(nota))
    text = flat(page)
    assert "Kode verifikasi: ABCDE-FGHJK" in text
    assert "Ir. Made Wirawan" in text


@pytest.mark.hostile
def test_paraf_and_codes_are_escaped(tally: Tally) -> None:
    hostile = "<script>alert(1)</script><img src=x>"
    html = letter_html(
        letter(
            "konsultasi_jawaban",
            paraf=(Paraf(position=hostile, name=hostile, at=PARAF[0].at, timezone="Asia/Jakarta"),),
            verification=Verification(code=hostile.replace(" ", ""), url=URL + "?a=<b>"),
        )
    )
    escaped = "<script" not in html and "<img src=x" not in html
    tally.add("inputs", expected=3, found=3 if escaped else 0)  # position, name, code
    assert "<script" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


# What a letter accepts ###########################################################################


def test_only_a_draft_may_go_without_a_number() -> None:
    with pytest.raises(ValueError, match="only a draft"):
        letter("konsultasi_jawaban", number=DRAFT_NUMBER)


def test_a_draft_is_not_signed_and_keeps_its_own_content_hash() -> None:
    draft = DraftMark(version=1, content_sha256=SHA)
    with pytest.raises(ValueError, match="not signed"):
        letter("konsultasi_jawaban", draft=draft, verification=VERIFICATION)
    with pytest.raises(ValueError, match="differs"):
        letter("konsultasi_jawaban", draft=draft, content_sha256=OTHER_SHA)
    assert letter("konsultasi_jawaban", draft=draft, content_sha256=SHA).sidik == (
        "3f2a 9c1b 7d40 e2a8"
    )


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: DraftMark(version=0, content_sha256=SHA), ValueError),
        (lambda: DraftMark(version=True, content_sha256=SHA), ValueError),
        (lambda: DraftMark(version=1, content_sha256=SHA.upper()), ValueError),
        (lambda: DraftMark(version=1, content_sha256="abc"), ValueError),
        (lambda: Paraf("Kabag", "Siti", datetime(2026, 12, 2, 9, 0), "Asia/Jakarta"), ValueError),
        (lambda: Paraf(" ", "Siti", PARAF[0].at, "Asia/Jakarta"), ValueError),
        (lambda: Paraf("Kabag", "Siti", PARAF[0].at, "Asia/Bandung"), Exception),
        (lambda: Verification(code="", url=URL), ValueError),
        (lambda: Verification(code=CODE, url="javascript:alert(1)"), ValueError),
        (lambda: Verification(code=CODE, url="https://alur.example/ verifikasi"), ValueError),
        (lambda: letter("konsultasi_jawaban", content_sha256="xyz"), ValueError),
        (lambda: letter("konsultasi_jawaban", paraf=("Siti",)), TypeError),
        (lambda: letter("konsultasi_jawaban", draft=3), TypeError),
    ],
)
def test_sign_off_values_are_checked(make: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        make()  # type: ignore[operator]


def test_the_verification_page_is_the_url_without_its_code() -> None:
    assert VERIFICATION.page == "https://alur.menpan.go.id/verifikasi"
    assert Verification(code=CODE, url="https://x.go.id/v?k=1").page == "https://x.go.id/v?k=1"


def test_the_content_fingerprint_is_short_and_grouped() -> None:
    assert short_sha256(SHA) == "3f2a 9c1b 7d40 e2a8"
    with pytest.raises(ValueError):
        short_sha256("3F2A")


def test_paraf_are_kept_as_a_tuple() -> None:
    made = letter("konsultasi_jawaban", paraf=list(PARAF))
    assert made.paraf == PARAF
    assert isinstance(made.signer, Signer)


# Reading the PDF back ############################################################################


def _line(pdf: bytes, start: str) -> str:
    """The first line of the laid-out text that begins with ``start``, whitespace flattened."""
    lines = [flat(line) for page in pdftotext(pdf, layout=True) for line in page.splitlines()]
    return next(line for line in lines if line.startswith(start))


def watermarks(pdf: bytes) -> list[tuple[int, str]]:
    """Text drawn at least 100 pt tall and turned (page number, text): the draft's mark."""
    found: list[tuple[int, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
            scale = math.hypot(cm[0], cm[1]) * math.hypot(tm[0], tm[1])
            angle = math.degrees(math.atan2(cm[1] * tm[0] + cm[3] * tm[1], cm[0] * tm[0]))
            if text.strip() and size * scale >= 100 and abs(angle) > 10:
                found.append((number, text.strip()))  # noqa: B023 (called before the loop moves)

        page.extract_text(visitor_text=visit)
    return found


class _Image:
    """An image drawn on a page: its pixels and the size it is drawn at."""

    def __init__(self, xobject: DictionaryObject, width_pt: float) -> None:
        self.xobject = xobject
        self.width_pt = width_pt

    @property
    def interpolate(self) -> bool:
        flag = self.xobject.get("/Interpolate", False)
        return bool(getattr(flag, "value", flag))  # pypdf's BooleanObject is always truthy

    def modules(self) -> list[list[bool]]:
        """Dark (True) or light per pixel, rows top to bottom."""
        assert isinstance(self.xobject, StreamObject)
        width, height = self.xobject["/Width"], self.xobject["/Height"]
        assert isinstance(width, int) and isinstance(height, int)
        assert self.xobject["/BitsPerComponent"] == 8
        channels = {"/DeviceRGB": 3, "/DeviceGray": 1}[str(self.xobject["/ColorSpace"])]
        data = self.xobject.get_data()
        assert len(data) == width * height * channels
        return [
            [data[(y * width + x) * channels] < 128 for x in range(width)] for y in range(height)
        ]


def _images(pdf: bytes) -> list[_Image]:
    """Every image drawn on a page, as ``pdfimages -list`` finds them (page order), with the
    width it is drawn at (from its resolution there) and its pixels (from its object)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "surat.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(
            ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
        )
    reader = PdfReader(io.BytesIO(pdf))
    found: list[_Image] = []
    for row in done.stdout.splitlines()[2:]:
        # page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
        columns = row.split()
        width, object_id, ppi = int(columns[3]), int(columns[10]), float(columns[12])
        xobject = reader.get_object(object_id)
        assert isinstance(xobject, DictionaryObject)
        found.append(_Image(xobject, width / ppi * 72))
    return found
