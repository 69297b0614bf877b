"""Official letters (alur.letters.render_letter): one per product of the five SOPs
(alur.letter_kinds), rendered once per module with real WeasyPrint and read back with pypdf."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from alur import letter_kinds
from alur.letter_kinds import FIELDS, KINDS
from alur.letter_parts import Addressee, Letterhead, LetterKind, Signer
from alur.letters import Letter, letter_html, render_letter

DATED = date(2026, 12, 3)  # a Thursday
DATE_LINE = "Jakarta, 3 Desember 2026"

MENPAN = Letterhead(
    name="Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Republik Indonesia",
    address="Jl. Jenderal Sudirman Kav. 69, Jakarta Selatan 12190",
    contact="Telepon 021-7398381, 021-7398382 · Faksimile 021-5252720 · persuratan@menpan.go.id",
)
KASN = Letterhead(
    name="Komisi Aparatur Sipil Negara",
    units=("Kelompok Kerja Pengawasan Bidang Pengisian Jabatan Pimpinan Tinggi",),
    address="Jl. Letjen M.T. Haryono Kav. 52-53, Pancoran, Jakarta Selatan 12770",
    contact="Telepon (021) 797 2098 · persuratan@kasn.go.id · www.kasn.go.id",
)
DPMPTSP = Letterhead(
    parent="Pemerintah Provinsi DKI Jakarta",
    name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    address="Jl. Contoh Raya No. 1, Jakarta Pusat 10110",
    contact="Telepon (021) 0000000 · pengaduan.dpmptsp@example.go.id",
)

DEPUTI = Signer(
    name="Dr. Rini Kartika, S.Sos., M.Si.",
    position="a.n. Menteri Pendayagunaan Aparatur Negara\ndan Reformasi Birokrasi\n"
    "Deputi Bidang Kelembagaan dan Tata Laksana",
    nip="197203141998032001",
)
MENTERI = Signer(
    name="Hendra Wijaya",
    position="Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
)
KASN_SIGNER = Signer(
    name="Agus Pramono, S.H., M.H.",
    position="Asisten Komisioner Bidang Pengawasan Pengisian Jabatan Pimpinan Tinggi",
    nip="198001102005011003",
)
KEPALA_DINAS = Signer(
    name="Ir. Bambang Sutrisno, M.M.",
    position="Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    nip="196905121994031002",
)
PETUGAS = Signer(
    name="Dewi Lestari, S.E.",
    position="JFT Analis Kebijakan Ahli Muda",
    nip="199002202015032004",
)

APPLICANT = Addressee(
    name="Sdr. Budi Santoso",
    position="Kepala Bagian Organisasi",
    institution="Sekretariat Daerah Kabupaten Bogor",
    address=("Jl. Tegar Beriman No. 1, Cibinong", "Kabupaten Bogor 16914"),
)


def letter(kind: str, /, **overrides: Any) -> Letter:
    """A letter of ``kind`` dated 3 December 2026 in Jakarta, with its sample fields."""
    values: dict[str, Any] = {
        "kind": kind,
        "number": SAMPLES[kind]["number"],
        "date": DATED,
        "place": "Jakarta",
        "letterhead": SAMPLES[kind]["letterhead"],
        "addressee": SAMPLES[kind].get("addressee", APPLICANT),
        "subject": SAMPLES[kind]["subject"],
        "signer": SAMPLES[kind]["signer"],
        "cc": SAMPLES[kind].get("cc", ()),
        "lampiran": SAMPLES[kind].get("lampiran", "-"),
        "fields": SAMPLES[kind]["fields"],
    }
    return Letter(**(values | overrides))


# Per kind: the letter's data and the facts its PDF must show.
SAMPLES: dict[str, dict[str, Any]] = {
    "konsultasi_jawaban": {
        "number": "B-215/D.KT/XII/2026",
        "letterhead": MENPAN,
        "subject": "Jawaban Permohonan Konsultasi",
        "signer": DEPUTI,
        "cc": ("Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",),
        "fields": {
            "request_number": "060/412-Org",
            "request_date": date(2026, 12, 1),
            "topic": "kelembagaan",
            "mode": "daring",
            "schedule": datetime(2026, 12, 4, 2, 0, tzinfo=UTC),
            "venue": "https://zoom.example.go.id/j/81234567890",
            "contact_name": "Andi Prasetyo",
            "contact": "0812-3456-7890, andi.prasetyo@menpan.go.id",
            "matter": "Penataan organisasi perangkat daerah setelah penggabungan dua dinas.",
        },
        "facts": [
            "Nomor 060/412-Org tanggal 1 Desember 2026",
            "konsultasi mengenai kelembagaan",
            "secara daring (dalam jaringan)",
            "Jumat, 4 Desember 2026 pukul 09.00 WIB",
            "https://zoom.example.go.id/j/81234567890",
            "Andi Prasetyo (0812-3456-7890, andi.prasetyo@menpan.go.id)",
            "Penataan organisasi perangkat daerah",
            "Deputi Bidang Kelembagaan dan Tata Laksana",
            "Tembusan: Menteri Pendayagunaan",
        ],
    },
    "konsultasi_penolakan": {
        "number": "B-216/D.KT/XII/2026",
        "letterhead": MENPAN,
        "subject": "Jawaban Permohonan Konsultasi",
        "signer": DEPUTI,
        "fields": {
            "request_number": "045/77/LSM",
            "request_date": date(2026, 12, 2),
            "topic": "spbe",
            "reason": "Materi yang diajukan merupakan sengketa kepegawaian perorangan yang "
            "bukan kewenangan Kementerian.",
            "advice": "Saudara dapat menyampaikan permasalahan tersebut melalui SP4N-LAPOR! "
            "di www.lapor.go.id.",
        },
        "facts": [
            "Nomor 045/77/LSM tanggal 2 Desember 2026",
            "Sistem Pemerintahan Berbasis Elektronik (SPBE)",
            "tidak dapat kami penuhi",
            "bukan kewenangan Kementerian",
            "melalui SP4N-LAPOR! di www.lapor.go.id",
        ],
    },
    "kasn_tanggapan": {
        "number": "B-1021/KASN/12/2026",
        "letterhead": KASN,
        "subject": "Tanggapan atas Konsultasi Pengisian Jabatan Pimpinan Tinggi",
        "signer": KASN_SIGNER,
        "cc": ("Ketua Komisi Aparatur Sipil Negara", "Kepala Badan Kepegawaian Daerah"),
        "fields": {
            "request_date": date(2026, 11, 20),
            "matter": [
                "Pelantikan pejabat pimpinan tinggi pratama tanpa seleksi terbuka.",
                "Panitia seleksi dibentuk setelah pengumuman.",
            ],
            "response": [
                "Pengisian jabatan pimpinan tinggi pratama dilakukan secara terbuka dan "
                "kompetitif.",
                "Pelantikan tanpa seleksi terbuka tidak sesuai dengan sistem merit.",
            ],
            "legal_basis": [
                "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
                "Peraturan Ketua KASN Nomor 3 Tahun 2022",
            ],
        },
        "facts": [
            "permohonan konsultasi Saudara tanggal 20 November 2026",
            "Pokok permasalahan yang Saudara konsultasikan",
            "tanpa seleksi terbuka.",
            "Panitia seleksi dibentuk setelah pengumuman.",
            "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
            "Peraturan Ketua KASN Nomor 3 Tahun 2022",
            "tidak sesuai dengan sistem merit.",
            "1. Ketua Komisi Aparatur Sipil Negara",
            "2. Kepala Badan Kepegawaian Daerah",
        ],
    },
    "kasn_konfirmasi": {
        "number": "B-1022/KASN/12/2026",
        "letterhead": KASN,
        "subject": "Konfirmasi Permohonan Konsultasi",
        "signer": KASN_SIGNER,
        "fields": {
            "request_number": "800/12/2026",
            "request_date": date(2026, 11, 30),
            "matter": "Mutasi pejabat administrator di lingkungan pemerintah kota.",
            "reason": "Permohonan tidak memuat identitas dan kontak pemohon yang dapat dihubungi.",
            "advice": "Saudara dapat mengajukan kembali permohonan dengan melengkapi identitas.",
        },
        "facts": [
            "permohonan konsultasi Saudara Nomor 800/12/2026 tanggal 30 November 2026",
            "Mutasi pejabat administrator",
            "tidak dapat kami proses",
            "tidak memuat identitas dan kontak pemohon",
            "mengajukan kembali permohonan",
        ],
    },
    "kasn_catatan_tatap_muka": {
        "number": "B-1023/KASN/12/2026",
        "letterhead": KASN,
        "subject": "Konsultasi seleksi terbuka JPT Pratama",
        "signer": KASN_SIGNER,
        "fields": {
            "matter": "Hasil uji kompetensi tidak diumumkan sebelum wawancara.",
            "result": [
                "Setiap tahapan seleksi wajib diumumkan sebelum tahapan berikutnya dimulai.",
                "Pemohon akan menyampaikan laporan tertulis.",
            ],
            "attendees": ["Dr. Bambang Sutrisno, M.Si. (pemohon)", "Agus Pramono (Asisten)"],
            "venue": "Ruang Konsultasi Lantai 2 Kantor KASN",
        },
        "facts": [
            "CATATAN HASIL KONSULTASI TATAP MUKA",
            "Pada hari ini Kamis tanggal tiga bulan Desember tahun dua ribu dua puluh enam "
            "(03-12-2026), bertempat di Ruang Konsultasi Lantai 2 Kantor KASN",
            "mengenai Konsultasi seleksi terbuka JPT Pratama",
            "selaku Pemohon Konsultasi",
            "selaku Petugas Konsultasi",
            "1. Dr. Bambang Sutrisno, M.Si. (pemohon)",
            "2. Agus Pramono (Asisten)",
            "tidak diumumkan sebelum wawancara",
            "Pemohon akan menyampaikan laporan tertulis.",
            "Demikian Catatan Hasil Konsultasi Tatap Muka ini dibuat dengan sebenarnya",
            "Petugas Konsultasi, Asisten Komisioner Bidang Pengawasan",
        ],
    },
    "pengaduan_jawaban": {
        "number": "e-0145/PM.03.01",
        "letterhead": DPMPTSP,
        "subject": "Jawaban atas Pengaduan",
        "signer": KEPALA_DINAS,
        "addressee": Addressee(name="Sdr. Rudi Hartono", address=("Jl. Kenanga No. 5, Jakarta",)),
        "fields": {
            "register_number": "REG-PGD/2026/0312",
            "received_on": date(2026, 11, 24),
            "channel": "SP4N-LAPOR!",
            "summary": "Izin usaha yang diajukan belum terbit setelah 30 hari kerja.",
            "answer": [
                "Permohonan izin Saudara tertahan karena dokumen lingkungan belum diunggah.",
                "Setelah dokumen diunggah, izin diterbitkan paling lama 3 hari kerja.",
            ],
        },
        "facts": [
            "tanggal 24 November 2026 melalui SP4N-LAPOR!",
            "Buku Register Pengaduan dengan Nomor REG-PGD/2026/0312",
            "belum terbit setelah 30 hari kerja",
            "dokumen lingkungan belum diunggah",
            "paling lama 3 hari kerja",
        ],
    },
    "berita_acara_pengaduan": {
        "number": "BA-0031/PM.03.02/2026",
        "letterhead": DPMPTSP,
        "subject": "Keterlambatan penerbitan izin usaha",
        "signer": KEPALA_DINAS,
        "addressee": Addressee(
            name="Siti Rahmawati", address=("Jl. Melati No. 12", "Jakarta Timur 13220")
        ),
        "fields": {
            "register_number": "REG-PGD/2026/0298",
            "received_on": date(2026, 11, 16),
            "summary": "Izin usaha belum terbit melewati standar waktu layanan.",
            "settlement": [
                "Izin usaha Pengadu diterbitkan pada tanggal 2 Desember 2026.",
                "Pengadu menerima penyelesaian ini dan menyatakan pengaduan selesai.",
            ],
            "officer": PETUGAS,
        },
        "facts": [
            "BERITA ACARA PENYELESAIAN PENGADUAN",
            "Pada hari ini Kamis tanggal tiga bulan Desember tahun dua ribu dua puluh enam "
            "(03-12-2026)",
            "kantor Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "Jl. Melati No. 12, Jakarta Timur 13220",
            "selanjutnya disebut Pengadu",
            "selanjutnya disebut Petugas",
            "Dewi Lestari, S.E.",
            "NIP 199002202015032004",
            "JFT Analis Kebijakan Ahli Muda",
            "Buku Register Pengaduan dengan Nomor REG-PGD/2026/0298",
            "tanggal 16 November 2026",
            "melewati standar waktu layanan",
            "menyatakan pengaduan selesai",
            "Demikian Berita Acara Penyelesaian Pengaduan ini dibuat dengan sebenarnya",
            "Pengadu,",
            "Petugas,",
            "Mengetahui,",
            "Paraf",
            "Kepala Bidang Pengaduan, Kebijakan dan Pelaporan Layanan",
            "Sekretaris Dinas",
        ],
    },
    "spbe_rekomendasi": {
        "number": "B-88/M.KT.01/XII/2026",
        "letterhead": MENPAN,
        "subject": "Pertimbangan Pembangunan Aplikasi Khusus SPBE",
        "signer": MENTERI,
        "addressee": Addressee(
            name="Gubernur Jawa Barat",
            address=("Jl. Diponegoro No. 22", "Bandung 40115"),
        ),
        "lampiran": "1 (satu) berkas",
        "cc": ("Menteri Komunikasi dan Digital", "Kepala Badan Siber dan Sandi Negara"),
        "fields": {
            "proposal_number": "555/1234/Diskominfo",
            "proposal_date": date(2026, 9, 1),
            "institution": "Pemerintah Provinsi Jawa Barat",
            "application": "Sistem Informasi Pengelolaan Irigasi (SIPIRI)",
            "review_summary": "Aplikasi tidak tumpang tindih dengan aplikasi umum yang ada.",
            "recommendation": "direkomendasikan dengan catatan",
            "notes": [
                "Data irigasi dibagipakaikan melalui Sistem Penghubung Layanan.",
                "Keamanan aplikasi diuji bersama Badan Siber dan Sandi Negara.",
            ],
        },
        "facts": [
            "Nomor 555/1234/Diskominfo tanggal 1 September 2026",
            "Sistem Informasi Pengelolaan Irigasi (SIPIRI)",
            "dari Pemerintah Provinsi Jawa Barat",
            "tidak tumpang tindih",
            "DIREKOMENDASIKAN DENGAN CATATAN sebagai berikut:",
            "a. Data irigasi dibagipakaikan",
            "b. Keamanan aplikasi diuji",
            "Lampiran : 1 (satu) berkas",
            "Gubernur Jawa Barat",
        ],
    },
    "spbe_pembatalan": {
        "number": "B-97/KL.01/XII/2026",
        "letterhead": MENPAN,
        "subject": "Pemberitahuan Pembatalan Usulan Pertimbangan Aplikasi Khusus SPBE",
        "signer": DEPUTI,
        "addressee": Addressee(
            name="Bupati Sleman",
            address=("Jl. Parasamya No. 1, Beran, Tridadi", "Sleman 55511"),
        ),
        "cc": ("Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",),
        "fields": {
            "proposal_number": "500.12/0871/Diskominfo",
            "proposal_date": date(2026, 7, 6),
            "institution": "Pemerintah Kabupaten Sleman",
            "application": "Sistem Informasi Layanan Kesehatan Desa (SILAKDES)",
            "meeting_date": date(2026, 9, 24),
        },
        "facts": [
            "surat Saudara Nomor 500.12/0871/Diskominfo tanggal 6 Juli 2026",
            "Sistem Informasi Layanan Kesehatan Desa (SILAKDES) dari Pemerintah Kabupaten Sleman",
            "tim koordinasi SPBE nasional pada tanggal 24 September 2026",
            "Saudara belum menindaklanjuti hasil rapat",
            "tidak menindaklanjuti hasil rapat dalam waktu 2 (dua) bulan",
            "usulan dianggap dibatalkan",
            "usulan tersebut dinyatakan dibatalkan",
            "Pengusulan berikutnya dimulai dari tahap awal",
        ],
    },
    "nota_dinas": {
        "number": "ND-41/D.KT/XII/2026",
        "letterhead": MENPAN,
        "subject": "Laporan Hasil Telaah Usulan Aplikasi Khusus SIPIRI",
        "signer": replace(DEPUTI, position="Deputi Bidang Kelembagaan dan Tata Laksana"),
        "addressee": Addressee(
            name="Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"
        ),
        "lampiran": "1 (satu) berkas",
        "fields": {
            "proposal_number": "555/1234/Diskominfo",
            "proposal_date": date(2026, 9, 1),
            "institution": "Pemerintah Provinsi Jawa Barat",
            "application": "Sistem Informasi Pengelolaan Irigasi (SIPIRI)",
            "review_summary": "Proposal lengkap; aplikasi tidak tumpang tindih.",
            "recommendation": "direkomendasikan",
            "meetings": [
                "Rapat dengan tim koordinasi SPBE nasional pada 12 Oktober 2026",
                "Pembahasan teknis dengan instansi pengusul pada 2 November 2026",
            ],
        },
        "facts": [
            "NOTA DINAS",
            "NOMOR ND-41/D.KT/XII/2026",
            "Yth. : Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            "Dari : Deputi Bidang Kelembagaan dan Tata Laksana",
            "Hal : Laporan Hasil Telaah Usulan Aplikasi Khusus SIPIRI",
            "Lampiran : 1 (satu) berkas",
            "Nomor 555/1234/Diskominfo tanggal 1 September 2026",
            "a. Rapat dengan tim koordinasi SPBE nasional",
            "b. Pembahasan teknis dengan instansi pengusul",
            "kami mengusulkan agar usulan",
            "DIREKOMENDASIKAN.",
            "konsep surat pertimbangan dan rekomendasi Menteri",
        ],
    },
    "lapor_jawaban": {
        "number": "B-530/HUMAS/XII/2026",
        "letterhead": replace(MENPAN, units=("Biro Komunikasi dan Pelayanan Publik",)),
        "subject": "Tindak Lanjut Laporan SP4N-LAPOR!",
        "signer": Signer(
            name="Yuliani Putri, S.Kom.",
            position="Kepala Biro Komunikasi dan Pelayanan Publik",
            nip="198507152010122002",
        ),
        "addressee": Addressee(name="Sdr. Fajar Nugroho", address=("fajar@example.id",)),
        "fields": {
            "tracking_id": "LAP-4418273",
            "category": "permintaan_informasi",
            "submitted_on": date(2026, 11, 28),
            "summary": "Pelapor menanyakan jadwal seleksi CPNS di instansi pusat.",
            "answer": "Jadwal seleksi diumumkan di laman resmi.\n\nPendaftaran dibuka Januari.",
            "unit": "Deputi Bidang Sumber Daya Manusia Aparatur",
            "close_after_days": 10,
        },
        "facts": [
            "Nomor pelacakan : LAP-4418273",
            "Kategori laporan : Permintaan Informasi",
            "Tanggal laporan : 28 November 2026",
            "Deputi Bidang Sumber Daya Manusia Aparatur",
            "jadwal seleksi CPNS",
            "Jadwal seleksi diumumkan di laman resmi.",
            "Pendaftaran dibuka Januari.",
            "10 (sepuluh) hari setelah tindak lanjut ini disampaikan",
        ],
    },
}


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """The text with every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


def dictionary(obj: Any) -> DictionaryObject:
    """A PDF dictionary, reached through an indirect reference if need be."""
    resolved = obj.get_object()
    assert isinstance(resolved, DictionaryObject)
    return resolved


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def weasyprint_warnings() -> Iterator[list[str]]:
    """What WeasyPrint logs (unsupported CSS, blocked URLs) while this module renders."""
    handler = _Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)


@pytest.fixture(scope="module")
def pdfs(weasyprint_warnings: list[str]) -> dict[str, bytes]:
    """Each kind's sample letter, rendered once for the whole module."""
    return {kind: render_letter(letter(kind)) for kind in SAMPLES}


@pytest.fixture(scope="module")
def pages(pdfs: Mapping[str, bytes]) -> dict[str, list[str]]:
    return {kind: pdf_pages(pdf) for kind, pdf in pdfs.items()}


# The kinds ######################################################################################


def test_every_kind_has_a_sample_and_declares_checked_fields() -> None:
    assert set(SAMPLES) == set(KINDS)
    for code, kind in KINDS.items():
        assert kind.title and kind.template.endswith(".html"), code
        assert set(kind.required).isdisjoint(kind.optional), code
        assert {*kind.required, *kind.optional} <= set(FIELDS), code
        assert set(kind.defaults) <= set(kind.optional), code


def test_a_kind_naming_a_field_without_a_check_is_refused() -> None:
    typo = LetterKind(template="x.html", title="X", required=("request_numbr",))
    with pytest.raises(ValueError, match=r"letter kind x: no check for field\(s\) request_numbr"):
        letter_kinds._fields_checked({"x": typo})


@pytest.mark.parametrize("kind", list(KINDS))
def test_letter_is_an_a4_pdf_titled_by_kind_and_number(kind: str, pdfs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(pdfs[kind]))
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata is not None
    assert reader.metadata.title == f"{KINDS[kind].title} {SAMPLES[kind]['number']}"
    assert reader.metadata.author == "Alur"
    assert reader.root_object["/Lang"] == "id"


@pytest.mark.parametrize("kind", list(KINDS))
def test_letter_shows_number_date_addressee_and_signer(
    kind: str, pages: dict[str, list[str]]
) -> None:
    sample = SAMPLES[kind]
    text = flat("\n".join(pages[kind]))
    signer: Signer = sample["signer"]
    addressee: Addressee = sample.get("addressee", APPLICANT)
    assert sample["letterhead"].name.upper() in text
    assert sample["number"] in text
    assert signer.name in text
    if signer.nip:
        assert f"NIP {signer.nip}" in text
    if kind == "nota_dinas":  # a nota dinas is dated in its heading, without a place
        assert "Tanggal : 3 Desember 2026" in text
        assert "Yth. : " + addressee.name in text
    elif kind in ("berita_acara_pengaduan", "kasn_catatan_tatap_muka"):  # records: a party
        assert DATE_LINE in text
        assert f"Nama : {addressee.name}" in text
        assert ", ".join(addressee.address) in text
        lead = "Mengetahui," if kind == "berita_acara_pengaduan" else "Petugas Konsultasi,"
        assert f"{lead} {flat(signer.position)}," in text
    else:
        assert DATE_LINE in text
        assert f"Nomor : {sample['number']} {DATE_LINE}" in text
        assert f"Sifat : Biasa Lampiran : {sample.get('lampiran', '-')}" in text
        assert f"Hal : {sample['subject']}" in text
        lines = [addressee.position, addressee.institution, *addressee.address]
        assert flat(" ".join(["Yth.", addressee.name, *filter(None, lines)])) in text
        assert flat(" ".join(signer.position.splitlines())) + "," in text
    for number, page in enumerate(pages[kind], start=1):
        assert f"Halaman {number} dari {len(pages[kind])}" in page


@pytest.mark.parametrize("kind", list(KINDS))
def test_letter_shows_the_facts_of_its_case(kind: str, pages: dict[str, list[str]]) -> None:
    text = flat("\n".join(pages[kind]))
    missing = [fact for fact in SAMPLES[kind]["facts"] if fact not in text]
    assert missing == []
    for entry in SAMPLES[kind].get("cc", ()):
        assert entry in text


def test_fonts_are_liberation_or_the_check_mark_font_all_embedded(
    pdfs: dict[str, bytes],
) -> None:
    names = set()
    for pdf in pdfs.values():
        for page in PdfReader(io.BytesIO(pdf)).pages:
            for ref in dictionary(dictionary(page["/Resources"])["/Font"]).values():
                font = dictionary(ref)
                names.add(str(font["/BaseFont"]).split("+", 1)[1])  # subset prefix "ABCDEF+"
                descendants = font["/DescendantFonts"].get_object()
                assert isinstance(descendants, ArrayObject)
                descriptor = dictionary(dictionary(descendants[0])["/FontDescriptor"])
                assert "/FontFile2" in descriptor
    assert {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Sans"} <= names
    assert all(re.fullmatch(r"Liberation-(Serif|Sans|Mono)(-\w+)?|Alur-Centang", n) for n in names)


def test_rendering_logs_no_weasyprint_warning(
    pdfs: dict[str, bytes], weasyprint_warnings: list[str]
) -> None:
    assert len(pdfs) == len(KINDS)
    assert weasyprint_warnings == []


# Checking a letter when it is built ##############################################################


@pytest.mark.parametrize("kind", list(KINDS))
def test_missing_required_fields_are_named(kind: str) -> None:
    with pytest.raises(ValueError, match="missing required field") as caught:
        letter(kind, fields={})
    assert all(key in str(caught.value) for key in KINDS[kind].required)

    first, *_ = KINDS[kind].required
    fields = {key: value for key, value in SAMPLES[kind]["fields"].items() if key != first}
    with pytest.raises(ValueError, match=rf"missing required field\(s\): {first}$"):
        letter(kind, fields=fields)
    with pytest.raises(ValueError, match=first):
        letter(kind, fields=SAMPLES[kind]["fields"] | {first: None})


def test_unknown_kinds_and_fields_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown letter kind 'surat_cinta'"):
        letter("konsultasi_jawaban", kind="surat_cinta")
    with pytest.raises(ValueError, match=r"does not take field.*: tracking_id"):
        letter(
            "pengaduan_jawaban",
            fields=SAMPLES["pengaduan_jawaban"]["fields"] | {"tracking_id": "x"},
        )


@pytest.mark.parametrize(
    ("kind", "change", "error", "message"),
    [
        ("konsultasi_jawaban", {"mode": "telepon"}, ValueError, "'mode' must be one of"),
        ("konsultasi_jawaban", {"topic": "SPBE"}, ValueError, "'topic' must be one of"),
        ("konsultasi_jawaban", {"schedule": datetime(2026, 12, 4, 9)}, TypeError, "aware"),
        (
            "konsultasi_jawaban",
            {"schedule": datetime(2026, 12, 2, 2, tzinfo=UTC)},
            ValueError,
            "schedule is before",
        ),
        ("konsultasi_jawaban", {"timezone": "Asia/Atlantis"}, ValueError, "time zone"),
        ("konsultasi_jawaban", {"contact": "  "}, ValueError, "'contact' is empty"),
        (
            "konsultasi_penolakan",
            {"request_date": datetime(2026, 12, 2, 9, tzinfo=UTC)},
            TypeError,
            "'request_date' must be a date",
        ),
        (
            "konsultasi_penolakan",
            {"request_date": date(2026, 12, 4)},
            ValueError,
            "request_date is after",
        ),
        ("kasn_tanggapan", {"response": ["", " "]}, ValueError, "'response' is empty"),
        ("kasn_tanggapan", {"legal_basis": [1, 2]}, TypeError, "'legal_basis' must be"),
        ("berita_acara_pengaduan", {"officer": "Dewi"}, TypeError, "'officer' must be a Signer"),
        ("spbe_rekomendasi", {"notes": []}, ValueError, "'dengan catatan' needs its notes"),
        ("nota_dinas", {"recommendation": "ya"}, ValueError, "'recommendation' must be"),
        ("spbe_pembatalan", {"meeting_date": date(2026, 12, 4)}, ValueError, "meeting_date is"),
        (
            "spbe_pembatalan",
            {"meeting_date": date(2026, 7, 1)},
            ValueError,
            "meeting_date is before proposal_date",
        ),
        (
            "spbe_pembatalan",
            {"meeting_date": date(2026, 10, 4)},
            ValueError,
            r"cancelled only 2 months after the meeting \(2026-10-04\)",
        ),
        ("lapor_jawaban", {"category": "keluhan"}, ValueError, "'category' must be one of"),
        ("lapor_jawaban", {"close_after_days": 0}, ValueError, "'close_after_days'"),
        ("lapor_jawaban", {"anonymous": "ya"}, TypeError, "'anonymous' must be"),
    ],
)
def test_field_values_are_checked(
    kind: str, change: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        letter(kind, fields=SAMPLES[kind]["fields"] | change)


def test_a_proposal_is_cancelled_two_calendar_months_after_the_meeting_at_the_earliest() -> None:
    fields = SAMPLES["spbe_pembatalan"]["fields"]
    assert letter("spbe_pembatalan", fields=fields | {"meeting_date": date(2026, 10, 3)})
    # From the last day of a month to the last day of a shorter one, as the broker adds P2M.
    late = fields | {"proposal_date": date(2026, 12, 1), "meeting_date": date(2026, 12, 31)}
    assert letter("spbe_pembatalan", date=date(2027, 2, 28), fields=late)
    with pytest.raises(ValueError, match="2 months after the meeting"):
        letter("spbe_pembatalan", date=date(2027, 2, 27), fields=late)


def test_a_cancellation_fits_one_page(pages: dict[str, list[str]]) -> None:
    assert len(pages["spbe_pembatalan"]) == 1


def test_a_cancellation_states_its_own_reason_instead_of_the_rule() -> None:
    reason = "Hasil pembahasan teknis tidak ditindaklanjuti dengan perbaikan proposal."
    html = flat(
        letter_html(
            letter(
                "spbe_pembatalan", fields=SAMPLES["spbe_pembatalan"]["fields"] | {"reason": reason}
            )
        )
    )
    assert reason in html
    assert "dalam waktu 2 (dua) bulan" not in html
    assert "dimulai dari tahap awal" in html


def test_a_letter_is_dated_by_a_date_and_needs_its_number() -> None:
    with pytest.raises(TypeError, match="date"):
        letter("pengaduan_jawaban", date=datetime(2026, 12, 3, 9, tzinfo=UTC))
    with pytest.raises(ValueError, match="number"):
        letter("pengaduan_jawaban", number=" ")


def test_fields_are_normalised_and_frozen() -> None:
    built = letter(
        "lapor_jawaban",
        cc=["Inspektur"],
        fields=SAMPLES["lapor_jawaban"]["fields"] | {"summary": "  satu \n\n  dua  \n"},
    )
    assert built.cc == ("Inspektur",)
    assert built.fields["summary"] == ("satu", "dua")
    assert built.fields["answer"] == (
        "Jadwal seleksi diumumkan di laman resmi.",
        "Pendaftaran dibuka Januari.",
    )
    with pytest.raises(TypeError):
        built.fields["unit"] = "lain"  # type: ignore[index]


# What the pages say #############################################################################

HOSTILE = (
    '<script>alert("x")</script> & <b>tebal</b> <img src=file:///etc/passwd>'
    " {{ 7*7 }} {% include '/etc/passwd' %}"
)


def _hostile(value: Any) -> Any:
    if isinstance(value, str):
        return f"{value} {HOSTILE}"
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [f"{v} {HOSTILE}" for v in value]
    return value


@pytest.mark.hostile
@pytest.mark.parametrize("kind", list(KINDS))
def test_case_data_is_escaped_in_every_kind(kind: str) -> None:
    fields = {key: _hostile(value) for key, value in SAMPLES[kind]["fields"].items()}
    for key in ("topic", "mode", "recommendation", "category", "timezone"):
        if key in fields:
            fields[key] = SAMPLES[kind]["fields"][key]
    html = letter_html(
        letter(
            kind,
            subject=_hostile("Hal"),
            addressee=Addressee(name=_hostile("Nama"), address=(HOSTILE,)),
            signer=Signer(name=_hostile("Penanda"), position=_hostile("Jabatan"), nip=HOSTILE),
            cc=(HOSTILE, HOSTILE),
            fields=fields,
        )
    )
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>tebal" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.hostile
def test_case_data_is_printed_literally() -> None:
    hostile = letter(
        "pengaduan_jawaban",
        addressee=Addressee(name='Budi <script>alert("x")</script> & Ani'),
        subject="<b>tebal</b>",
        fields=SAMPLES["pengaduan_jawaban"]["fields"]
        | {"answer": ["<i>miring</i> <img src=file:///etc/passwd>"]},
    )
    text = flat("\n".join(pdf_pages(render_letter(hostile))))
    assert 'Yth. Budi <script>alert("x")</script> & Ani' in text
    assert "Hal : <b>tebal</b>" in text
    assert "<i>miring</i> <img src=file:///etc/passwd>" in text


def test_minutes_write_the_day_and_date_out() -> None:
    html = flat(letter_html(letter("berita_acara_pengaduan", date=date(2027, 1, 11))))
    assert (
        "Pada hari ini Senin tanggal sebelas bulan Januari tahun dua ribu dua puluh tujuh"
        " (11-01-2027)"
    ) in html


def test_an_anonymous_reporter_is_never_named() -> None:
    anonymous = letter(
        "lapor_jawaban", fields=SAMPLES["lapor_jawaban"]["fields"] | {"anonymous": True}
    )
    html = flat(letter_html(anonymous))
    assert "Fajar" not in html
    assert "fajar@example.id" not in html
    assert "Pelapor SP4N-LAPOR!" in html


def test_a_long_letter_flows_onto_a_second_page_with_the_signer_whole() -> None:
    answer = [
        f"Butir jawaban nomor {n}: permohonan izin Saudara telah kami periksa kembali bersama "
        "bidang teknis terkait, dan hasil pemeriksaan dicatat dalam sistem perizinan."
        for n in range(1, 19)
    ]
    long = letter(
        "pengaduan_jawaban",
        cc=("Sekretaris Dinas",),
        fields=SAMPLES["pengaduan_jawaban"]["fields"] | {"answer": answer},
    )
    pages = pdf_pages(render_letter(long))
    assert len(pages) == 2
    assert "Halaman 1 dari 2" in pages[0]
    assert "Halaman 2 dari 2" in pages[1]
    assert "Butir jawaban nomor 1:" in pages[0]
    assert "Butir jawaban nomor 18:" in flat(pages[1])
    _assert_signer_block_on_one_page(pages, KEPALA_DINAS)


@pytest.mark.parametrize("paragraphs", [14, 16])
def test_the_signer_block_is_never_split(paragraphs: int) -> None:
    # Without `break-inside: avoid` the page would end inside the signer block (14 one-line
    # paragraphs: the position on page 1, the name on page 2) or between the closing paragraph
    # and the signer (16): both measured with the rule removed from letters.css.
    answer = [f"Butir {n}." for n in range(1, paragraphs + 1)]
    long = letter(
        "pengaduan_jawaban", fields=SAMPLES["pengaduan_jawaban"]["fields"] | {"answer": answer}
    )
    pages = pdf_pages(render_letter(long))
    assert len(pages) == 2
    assert "Butir 1." in pages[0]
    _assert_signer_block_on_one_page(pages, KEPALA_DINAS)


def _assert_signer_block_on_one_page(pages: list[str], signer: Signer) -> None:
    (signed,) = [flat(page) for page in pages if signer.name in page]
    assert flat(signer.position) + "," in signed
    assert f"NIP {signer.nip}" in signed
    assert "Demikian jawaban atas pengaduan Saudara" in signed  # the closing stays with it
