"""The register books: staff of the agency read them on screen, as CSV and as PDF, each with
the columns of its kind; others get 403; what complainants wrote cannot turn into markup or
spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from alur.agency_file import shipped
from features.web.conftest import PASSWORD, sign_in
from stack.local import Stack, load_agencies
from storage import accounts, cases, migrate, numbering
from storage.db import make_engine, make_sessionmaker
from web import create_app

BOOK = shipped().register("dpmptsp", "pengaduan")
OUTGOING = shipped().register("dpmptsp", "surat-keluar")
YEAR = date.today().year
COMPLAINTS = [
    ("Ahmad Fauzi", "Izin usaha belum terbit", "surat", "selesai", "Izin telah terbit."),
    ("Rina <b>Wati</b>", "<script>alert(1)</script>", "lapor", "diproses", None),
    ("Budi Santoso", '=HYPERLINK("http://contoh")', "kotak", "ditolak", "Bukan kewenangan."),
]


@pytest.fixture(scope="module")
def app(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path_factory.mktemp('register') / 'alur.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as db:
        accounts.ensure_unit(db, "dpmptsp-jatim", "DPMPTSP Provinsi Jawa Timur")
        accounts.ensure_unit(db, "kasn", "KASN")
        for username, unit, role in [
            ("fo", "dpmptsp-jatim", "dpmptsp.front_office"),
            ("kasn", "kasn", "kasn.sekretariat"),
        ]:
            accounts.create_user(
                db, username, PASSWORD, full_name=username, unit_code=unit, roles=[role]
            )
        for index, (name, subject, channel, status, outcome) in enumerate(COMPLAINTS):
            case, _ = cases.create(
                db,
                cases.NewCase(
                    "pengaduan-dpmptsp",
                    "X",
                    "dpmptsp-jatim",
                    name,
                    None,
                    subject,
                    {"channel": channel},
                ),
            )
            case.status, case.outcome = status, outcome
            db.commit()
            numbering.allocate(
                db,
                agency=BOOK.agency,
                register=BOOK.code,
                year=YEAR,
                key=f"uji-{index}",
                render=lambda seq: BOOK.render(seq, date.today()),
                case_id=case.id,
            )
        # The letter answering the first complaint, addressed to someone else than its
        # complainant, in the outgoing-letter book.
        numbering.allocate(
            db,
            agency=OUTGOING.agency,
            register=OUTGOING.code,
            year=YEAR,
            key="uji-keluar",
            render=lambda seq: OUTGOING.render(seq, date.today()),
            case_id=1,
            kind="pengaduan_jawaban",
            subject="Jawaban atas pengaduan perizinan",
            party="Kepala Dinas Kominfo, Pemerintah Kabupaten Sleman",
        )
    engine.dispose()
    load_agencies(url)
    yield create_app(replace(stack.settings, database_url=url))


@pytest.fixture
def staff(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client, "fo")
    return client


def test_the_book_lists_every_complaint_in_number_order(staff: FlaskClient):
    page = staff.get(f"/register/dpmptsp/pengaduan?tahun={YEAR}").get_data(as_text=True)
    numbers = [BOOK.render(seq, date.today()) for seq in (1, 2, 3)]
    assert [page.index(n) for n in numbers] == sorted(page.index(n) for n in numbers)
    assert "Surat" in page and "SP4N-LAPOR!" in page and "Kotak pengaduan" in page
    assert "Izin telah terbit." in page and "Ditolak" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_the_outgoing_letter_book_shows_each_letter_not_the_complaint(staff: FlaskClient):
    response = staff.get(f"/register/dpmptsp/surat-keluar.csv?tahun={YEAR}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == [
        "Nomor surat",
        "Tanggal",
        "Tujuan",
        "Perihal",
        "Jenis surat",
        "Kode pelacakan",
    ]
    [letter] = rows[1:]
    assert letter[0] == OUTGOING.render(1, date.today())
    assert letter[2] == "Kepala Dinas Kominfo, Pemerintah Kabupaten Sleman"
    assert letter[3] == "Jawaban atas pengaduan perizinan"  # the letter's, not the complaint's
    assert letter[4] == "Surat Jawaban Pengaduan"
    page = staff.get(f"/register/dpmptsp/surat-keluar?tahun={YEAR}").get_data(as_text=True)
    assert "<th>Tujuan</th>" in page
    assert "<th>Saluran</th>" not in page and "<th>Pengadu</th>" not in page


def test_csv_export_has_every_row_and_no_formula(staff: FlaskClient):
    response = staff.get(f"/register/dpmptsp/pengaduan.csv?tahun={YEAR}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "No. register" and len(rows) == 4
    assert rows[3][4] == '\'=HYPERLINK("http://contoh")'  # shown as text, never run
    assert rows[1][3] == "Ahmad Fauzi" and rows[1][6] == "Izin telah terbit."


def test_pdf_export_is_the_book_on_the_letterhead(staff: FlaskClient):
    response = staff.get(f"/register/dpmptsp/pengaduan.pdf?tahun={YEAR}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "BUKU REGISTER PENGADUAN DPMPTSP" in text
    assert BOOK.render(3, date.today()) in text and "Rina <b>Wati</b>" in text


def test_staff_of_another_agency_and_strangers_cannot_read_it(app: Flask):
    other = app.test_client()
    sign_in(other, "kasn")
    for suffix in ("", ".csv", ".pdf"):
        assert other.get(f"/register/dpmptsp/pengaduan{suffix}").status_code == 403
    assert "Buku Register Pengaduan" not in other.get("/register").get_data(as_text=True)
    anonymous = app.test_client().get("/register/dpmptsp/pengaduan")
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]
    assert other.get("/register/dpmptsp/tidak-ada").status_code == 404


def test_another_year_has_its_own_book(staff: FlaskClient):
    assert "Belum ada catatan" in staff.get("/register/dpmptsp/pengaduan?tahun=2001").get_data(
        as_text=True
    )


def test_process_owners_read_the_sop_table_generated_from_the_diagram(app: Flask):
    with app.extensions["alur.db"]() as db:
        accounts.create_user(
            db, "pemilik", PASSWORD, full_name="Pemilik", unit_code="kasn",
            roles=["alur.pemilik_proses"],
        )  # fmt: skip
        db.commit()
    owner = app.test_client()
    sign_in(owner, "pemilik")
    index = owner.get("/pemilik-proses/sop").get_data(as_text=True)
    assert "Pelayanan Konsultasi melalui Surat" in index
    page = owner.get("/pemilik-proses/sop/kemenpanrb_konsultasi_surat").get_data(as_text=True)
    assert "Disposisi pimpinan" in page and "Jika dapat dilaksanakan" in page
    assert owner.get("/pemilik-proses/sop/kemenpanrb_konsultasi_surat.pdf").data[:4] == b"%PDF"
    assert owner.get("/pemilik-proses/sop/tidak-ada").status_code == 404
    staff = app.test_client()
    sign_in(staff, "fo")
    assert staff.get("/pemilik-proses/sop").status_code == 403
