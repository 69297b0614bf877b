"""Letters (alur.letters): the receipt (tanda terima) rendered to PDF."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from alur import agency_file, sops
from alur.letter_parts import DEFAULT_LETTERHEAD, Letterhead
from alur.letters import Receipt, render_html, render_receipt

# Thursday 3 December 2026, 09.30 in Jakarta.
SUBMITTED = datetime(2026, 12, 3, 2, 30, tzinfo=UTC)

LETTERHEAD = Letterhead(
    name="Dinas Komunikasi, Informatika dan Statistik",
    units=("Bidang Layanan Informasi Publik",),
    address="Jl. Medan Merdeka Selatan No. 8-9, Jakarta Pusat 10110",
    contact="Telepon (021) 3822255 · diskominfotik@jakarta.go.id",
    parent="Pemerintah Provinsi DKI Jakarta",
)

RECEIPT = Receipt(
    tracking_code="ALR-7KQ4-M9TX",
    service_name="Permohonan Informasi Publik",
    applicant_name="Siti Rahmawati",
    applicant_email="siti@example.id",
    submitted_at=SUBMITTED,
    subject="Salinan dokumen anggaran kelurahan 2026",
    requirements=[
        ("Kartu Tanda Penduduk", "ktp-siti.pdf"),
        ("Surat kuasa", None),
        ("Pas foto berwarna", "foto.jpg"),
    ],
    tracking_url="https://layanan.example.go.id/lacak/ALR-7KQ4-M9TX",
    letterhead=LETTERHEAD,
    place="Jakarta",
)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def dictionary(obj: Any) -> DictionaryObject:
    """A PDF dictionary, reached through an indirect reference if need be."""
    resolved = obj.get_object()
    assert isinstance(resolved, DictionaryObject)
    return resolved


def flat(text: str) -> str:
    """The text with every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def receipt_pdf() -> bytes:
    return render_receipt(RECEIPT)


@pytest.fixture(scope="module")
def receipt_text(receipt_pdf: bytes) -> str:
    return pdf_text(receipt_pdf)


# The receipt ######################################################################################


def test_a_receipt_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        replace(RECEIPT, submitted_at=datetime(2026, 12, 3, 9, 30))


def test_receipt_takes_only_a_web_tracking_url() -> None:
    with pytest.raises(ValueError, match="tracking_url"):
        replace(RECEIPT, tracking_url="javascript:alert(1)")


# The receipt ####################################################################################


def test_receipt_is_an_a4_pdf_with_metadata(receipt_pdf: bytes) -> None:
    assert receipt_pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(receipt_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert reader.metadata is not None
    assert reader.metadata.title == "Tanda Terima ALR-7KQ4-M9TX"
    assert reader.metadata.author == "Alur"
    assert reader.root_object["/Lang"] == "id"


def test_receipt_shows_the_request(receipt_text: str) -> None:
    text = flat(receipt_text)
    for expected in [
        "TANDA TERIMA",
        "ALR-7KQ4-M9TX",
        "Siti Rahmawati",
        "siti@example.id",
        "Permohonan Informasi Publik",
        "Salinan dokumen anggaran kelurahan 2026",
        "Kamis, 3 Desember 2026 pukul 09.30 WIB",
        "https://layanan.example.go.id/lacak/ALR-7KQ4-M9TX",
        "Jakarta, 3 Desember 2026",
        "PEMERINTAH PROVINSI DKI JAKARTA",
        "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK",
        "Jl. Medan Merdeka Selatan No. 8-9, Jakarta Pusat 10110",
        "Halaman 1 dari 1",
    ]:
        assert expected in text


def test_receipt_ticks_what_was_submitted(receipt_text: str) -> None:
    lines = receipt_text.splitlines()

    def line_of(label: str) -> str:
        (line,) = [line for line in lines if label in line]
        return line

    assert receipt_text.count("✓") == 2
    assert "ktp-siti.pdf" in line_of("Kartu Tanda Penduduk")
    assert "✓" in line_of("Kartu Tanda Penduduk")
    assert "✓" in line_of("Pas foto berwarna")
    assert "foto.jpg" in line_of("Pas foto berwarna")
    assert "✓" not in line_of("Surat kuasa")
    assert "Tidak dilampirkan" in line_of("Surat kuasa")


def test_receipt_mentions_the_pin_only_in_the_warning(receipt_text: str) -> None:
    text = flat(receipt_text)
    start = text.index("Perhatian:")
    end = text.index("jangan berikan kepada siapa pun.", start)
    mentions = [m.start() for m in re.finditer(r"\bPIN\b", text)]
    assert mentions
    assert all(start < at < end for at in mentions)
    assert "PIN tidak dicetak pada tanda terima ini" in text


@pytest.mark.hostile
def test_applicant_text_is_escaped_not_interpreted() -> None:
    hostile = replace(
        RECEIPT,
        applicant_name='Budi <script>alert("x")</script> & Ani',
        subject="<b>tebal</b> <img src=file:///etc/passwd>",
        requirements=[("<i>KTP</i>", "<u>ktp</u>.pdf")],
    )
    html = render_html(
        "tanda_terima.html",
        {"letterhead": hostile.letterhead, "receipt": hostile, "submitted_at": "", "issued_on": ""},
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html

    text = flat(pdf_text(render_receipt(hostile)))
    assert 'Budi <script>alert("x")</script> & Ani' in text
    assert "<b>tebal</b> <img src=file:///etc/passwd>" in text
    assert "<i>KTP</i>" in text
    assert "<u>ktp</u>.pdf" in text


def test_fonts_are_the_named_ones_embedded(receipt_pdf: bytes) -> None:
    """Liberation for the text, Alur's own check-mark font for ✓; never a system fallback."""
    names = set()
    for page in PdfReader(io.BytesIO(receipt_pdf)).pages:
        for ref in dictionary(dictionary(page["/Resources"])["/Font"]).values():
            font = dictionary(ref)
            names.add(str(font["/BaseFont"]).split("+", 1)[1])  # subset prefix "ABCDEF+"
            descendants = font["/DescendantFonts"].get_object()
            assert isinstance(descendants, ArrayObject)
            assert len(descendants) == 1
            assert "/FontFile2" in dictionary(dictionary(descendants[0])["/FontDescriptor"])
    assert {"Liberation-Serif", "Liberation-Serif-Bold", "Alur-Centang"} <= names
    assert all(re.fullmatch(r"Liberation-(Serif|Sans|Mono)(-\w+)?|Alur-Centang", n) for n in names)


def test_rendering_logs_no_weasyprint_warning(caplog: pytest.LogCaptureFixture) -> None:
    # Unsupported CSS, a missing resource or a blocked URL is only logged by WeasyPrint.
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_receipt(RECEIPT)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_long_receipt_numbers_pages_and_keeps_the_signature_block_whole() -> None:
    long = replace(
        RECEIPT,
        requirements=[(f"Dokumen pendukung nomor {n}", f"lampiran-{n}.pdf") for n in range(1, 46)],
    )
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_receipt(long))).pages]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in page
    (signed,) = [page for page in pages if "Jakarta, 3 Desember 2026" in page]
    assert "Dinas Komunikasi, Informatika dan Statistik" in flat(signed)


def test_receipt_without_email_or_requirements_uses_the_default_letterhead() -> None:
    plain = Receipt(
        tracking_code="ALR-0000-0001",
        service_name="Konsultasi",
        applicant_name="Andi",
        submitted_at=datetime(2026, 8, 1, 3, 0, tzinfo=UTC),
        subject="Pertanyaan",
        requirements=[],
        tracking_url="https://layanan.example.go.id/lacak",
        place="Makassar",
        timezone="Asia/Makassar",
    )
    assert plain.letterhead == DEFAULT_LETTERHEAD
    text = flat(pdf_text(render_receipt(plain)))
    assert DEFAULT_LETTERHEAD.name.upper() in text
    assert "Alamat surel" not in text
    assert "Layanan ini tidak mensyaratkan berkas." in text
    assert "Sabtu, 1 Agustus 2026 pukul 11.00 WITA" in text
    assert "Makassar, 1 Agustus 2026" in text
    assert "✓" not in text


def test_the_receipt_of_the_longest_checklist_fits_one_page():
    """SOP 1's receipt (six requirements, the agency's full letterhead) on one page."""
    service = next(s for s in sops.CATALOG if s.code == "konsultasi-kemenpanrb")
    agency = agency_file.shipped().agency("kemenpanrb")
    checklist = [
        (r.label, "ktp-siti-rahmawati.pdf" if r.field_key else "terpenuhi dalam formulir")
        for r in service.requirements
    ]
    assert len(checklist) >= 6
    receipt = replace(
        RECEIPT,
        service_name=service.name,
        requirements=checklist,
        letterhead=agency.letterhead,
        subject="Konsultasi penyusunan arsitektur SPBE pemerintah daerah kabupaten",
    )
    assert len(PdfReader(io.BytesIO(render_receipt(receipt))).pages) == 1


def test_a_letterhead_with_a_logo_embeds_it_and_keeps_the_text_centred():
    """The logo travels inside the page as a data: URI (the renderer fetches nothing else)
    and sits at the left of the letterhead."""
    agency = agency_file.shipped().agency("dpmptsp")
    logo = agency.letterhead.logo
    assert logo is not None
    receipt = replace(RECEIPT, letterhead=agency.letterhead, place=agency.place)
    html = render_html(
        "tanda_terima.html",
        {"letterhead": receipt.letterhead, "receipt": receipt, "submitted_at": "", "issued_on": ""},
    )
    assert f'src="{logo.data_uri}"' in html and 'class="kop ada-logo"' in html
    pdf = render_receipt(receipt)
    [page] = PdfReader(io.BytesIO(pdf)).pages[:1]
    assert len(page.images) == 1
    assert "PEMERINTAH PROVINSI JAWA TIMUR" in flat(pdf_text(pdf))
    without = render_receipt(RECEIPT)
    assert len(PdfReader(io.BytesIO(without)).pages[0].images) == 0
