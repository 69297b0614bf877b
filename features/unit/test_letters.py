"""Letters (alur.letters): Indonesian dates and the receipt (tanda terima) rendered to PDF."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from alur import agencies, services
from alur.letters import (
    DEFAULT_LETTERHEAD,
    Letterhead,
    Receipt,
    format_date,
    format_datetime,
    local_date,
    render_html,
    render_receipt,
)

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


# Dates and times ################################################################################


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), "1 Januari 2026"),
        (date(2026, 2, 28), "28 Februari 2026"),
        (date(2025, 5, 17), "17 Mei 2025"),
        (date(2026, 8, 17), "17 Agustus 2026"),
        (date(2026, 11, 10), "10 November 2026"),
        (date(2026, 12, 3), "3 Desember 2026"),
    ],
)
def test_format_date_in_indonesian(day: date, expected: str) -> None:
    assert format_date(day) == expected


def test_format_date_refuses_a_datetime() -> None:
    # Its date depends on the time zone: 2 December 20.00 UTC is 3 December in Jakarta.
    with pytest.raises(TypeError):
        format_date(SUBMITTED)


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("Asia/Jakarta", "Kamis, 3 Desember 2026 pukul 09.30 WIB"),
        ("Asia/Pontianak", "Kamis, 3 Desember 2026 pukul 09.30 WIB"),
        ("Asia/Makassar", "Kamis, 3 Desember 2026 pukul 10.30 WITA"),
        ("Asia/Jayapura", "Kamis, 3 Desember 2026 pukul 11.30 WIT"),
    ],
)
def test_format_datetime_names_the_indonesian_zone(tz: str, expected: str) -> None:
    assert format_datetime(SUBMITTED, tz) == expected


def test_format_datetime_defaults_to_jakarta_and_converts_any_offset() -> None:
    in_makassar = SUBMITTED.astimezone(timezone(timedelta(hours=8)))
    assert format_datetime(in_makassar) == "Kamis, 3 Desember 2026 pukul 09.30 WIB"


def test_format_datetime_crosses_midnight_and_months() -> None:
    late = datetime(2026, 3, 31, 17, 45, tzinfo=UTC)
    assert format_datetime(late) == "Rabu, 1 April 2026 pukul 00.45 WIB"
    assert format_datetime(late, "Asia/Jayapura") == "Rabu, 1 April 2026 pukul 02.45 WIT"
    assert local_date(late) == date(2026, 4, 1)
    assert local_date(datetime(2026, 7, 31, 16, 30, tzinfo=UTC), "Asia/Makassar") == date(
        2026, 8, 1
    )
    assert format_datetime(datetime(2026, 6, 5, 1, 0, tzinfo=UTC)) == (
        "Jumat, 5 Juni 2026 pukul 08.00 WIB"
    )


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_datetime(datetime(2026, 12, 3, 9, 30))
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
    service = next(s for s in services.CATALOG if s.code == "konsultasi-kemenpanrb")
    agency = next(a for a in agencies.AGENCIES if a.code == "kemenpanrb")
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
