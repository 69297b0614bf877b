"""The public verification page (``/verifikasi``, issue 25): a citizen types the code printed
under a letter's QR code, opens the address the QR code holds, or uploads the PDF, and reads
whether it is an authentic, unmodified letter of the agency — or clearly why not.

The real app on a migrated database of the module's own, with the shipped agencies; letters
rendered by WeasyPrint and signed by pyHanko with a real local CA (:mod:`alur.signing`) in a
temporary directory, recorded as the letters worker records them (``storage.letter_signatures``
reserved, then completed). The app's clock (``web.verify.utcnow``) is held still and moved by
the throttling test, so nobody sleeps. One Chromium check at both widths people use.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser as ChromiumBrowser
from playwright.sync_api import expect
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from werkzeug.test import TestResponse

from alur import signature_check, signing
from alur.letter_parts import Verification
from alur.letters import render_letter
from features.support.browser import WIDTHS, fits, open_context, screenshot
from features.support.pdfs import pdf as blank_pdf
from features.support.tally import Tally
from features.unit.test_letter_kinds import letter
from features.web.conftest import csrf_of, serving
from features.web.test_pages import problems_of
from stack.local import Stack, load_agencies
from storage import cases, letter_signatures, migrate
from storage.models import CaseDocument, utcnow
from web import create_app, verify

pytestmark = pytest.mark.platform

AGENCY = "kemenpanrb"
NUMBER = "B-215/D.KT/XII/2026"
RINI = signing.SignerIdentity(
    username="rini.kartika",
    name="Dr. Rini Kartika, S.Sos., M.Si.",
    position="a.n. Menteri Pendayagunaan Aparatur Negara\ndan Reformasi Birokrasi\n"
    "Deputi Bidang Kelembagaan dan Tata Laksana",
    nip="197203141998032001",
    agency="Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
)
_addresses = count(1)
_keys = count(1)


class Clock:
    """The app's time: still until a test moves it, and only forward."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    app: Flask
    url: str
    backend: signing.SigningBackend
    #: A letter issued and signed: its code and the signed PDF's bytes.
    code: str
    signed: bytes
    clock: Clock


@pytest.fixture(scope="module")
def world(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("verifikasi")
    url = f"sqlite:///{root / 'alur.db'}"
    migrate.upgrade(url)
    load_agencies(url)
    # Small limit: the test client spools bodies over 500 KB into a file it never closes.
    settings = replace(
        stack.settings,
        database_url=url,
        upload_max_bytes=256 * 1024,
        signer="lokal",
        signing_dir=root / "pki",
        signing_trust="",
    )
    backend = signing.backend(settings)
    app = create_app(settings)
    clock = Clock(utcnow())
    code, signed = issue(app, backend, url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verify, "utcnow", clock)
        yield World(app, url, backend, code, signed, clock)
    app.extensions["alur.db"].kw["bind"].dispose()


def issue(
    app: Flask, backend: signing.SigningBackend, url: str, *, complete: bool = True
) -> tuple[str, bytes]:
    """A letter issued as the letters worker issues one: its row reserved (the code), the
    letter rendered with that code and signed, its document stored, its row completed."""
    sessions = app.extensions["alur.db"]
    with sessions() as db:
        case, _ = cases.create(
            db, cases.NewCase("uji", "Uji", None, "Budi Santoso", None, "Konsultasi", {})
        )
        db.commit()
        seal = letter_signatures.reserve(
            db,
            source_key=f"surat:uji:{next(_keys)}",
            case_id=case.id,
            kind="konsultasi_jawaban",
            number=NUMBER,
            letter_date=letter("konsultasi_jawaban").date,
            agency_code=AGENCY,
            signer_name=RINI.name,
            signer_nip=RINI.nip,
            signer_position=RINI.position,
            content_sha256="ab" * 32,
            draft_id=None,
        )
        code, case_id = seal.code, case.id
    address = f"https://layanan.example.go.id/verifikasi/{code}"
    unsigned = render_letter(
        letter("konsultasi_jawaban", verification=Verification(code=code, url=address))
    )
    signed = backend.sign(unsigned, RINI, reason=f"Surat {NUMBER}", location="Jakarta")
    if not complete:
        return code, signed
    report = signature_check.check(signed, backend.trust_roots())
    assert report.status == "sah", report.reason
    with sessions() as db:
        doc = CaseDocument(
            case_id=case_id,
            kind="konsultasi_jawaban",
            filename="surat-jawaban.pdf",
            content_type="application/pdf",
            size=len(signed),
            sha256=hashlib.sha256(signed).hexdigest(),
            bucket="alur-surat",
            object_key=f"cases/{case_id}/konsultasi_jawaban/1.pdf",
            uploaded_by="alur",
        )
        db.add(doc)
        db.commit()
        row = letter_signatures.by_code(db, code)
        assert row is not None
        letter_signatures.complete(
            db,
            row,
            document_id=doc.id,
            signed_sha256=hashlib.sha256(signed).hexdigest(),
            certificate_sha256=report.certificate_sha256,
            backend=backend.kind,
            signed_at=report.signed_at,
        )
    return code, signed


class Citizen:
    """A browser at an address of its own, with the page's CSRF token."""

    def __init__(self, world: World) -> None:
        self.client: FlaskClient = world.app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = new_address()
        self.token = csrf_of(self.client.get("/verifikasi").get_data(as_text=True))

    def types(self, code: str) -> TestResponse:
        return self.client.post("/verifikasi", data={"kode": code, "csrf_token": self.token})

    def uploads(self, data: bytes, filename: str = "surat.pdf") -> TestResponse:
        return self.client.post(
            "/verifikasi",
            data={"berkas": (io.BytesIO(data), filename), "csrf_token": self.token},
            content_type="multipart/form-data",
        )


def new_address() -> str:
    n = next(_addresses)
    return f"10.25.{n // 256 % 256}.{n % 256}"


def text_of(response: TestResponse) -> str:
    """The page's visible words, tags removed and whitespace flattened."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").split())


def verdict(response: TestResponse) -> str:
    found = re.search(r'class="verdict verdict-([a-z_]+)"', response.get_data(as_text=True))
    return found.group(1) if found else ""


def appended(signed: bytes) -> bytes:
    """``signed`` with an incremental update after the signature: a note on the first page
    that claims another number (the signed bytes stay as they were)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    note = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.NumberObject(n) for n in (72, 700, 92, 720)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject("Nomor: B-999/PALSU"),
        }
    )
    page[generic.NameObject("/Annots")] = generic.ArrayObject([writer.add_object(note)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# What a citizen reads ############################################################################


def test_the_page_offers_both_ways_and_is_linked_from_every_public_page(world: World) -> None:
    client = world.app.test_client()
    page = client.get("/verifikasi")
    assert page.status_code == 200
    text = text_of(page)
    assert "Periksa keaslian surat" in text
    assert "Kode verifikasi" in text
    assert "Berkas PDF surat" in text
    assert "maksimal 256 KB" in text
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert 'href="/verifikasi"' in client.get("/lacak").get_data(as_text=True)
    assert 'href="/verifikasi"' in client.get("/").get_data(as_text=True)


def test_an_issued_letter_uploaded_unchanged_is_authentic(world: World) -> None:
    answer = Citizen(world).uploads(world.signed)
    text = text_of(answer)
    assert answer.status_code == 200, text
    assert verdict(answer) == "asli"
    assert "Surat asli dan tidak diubah" in text
    assert "Tanda tangan elektroniknya sah" in text
    assert "Kementerian Pendayagunaan Aparatur Negara" in text
    assert "Jenis surat Surat Jawaban Konsultasi" in text
    assert f"Nomor {NUMBER}" in text
    assert "Tanggal 3 Desember 2026" in text
    assert f"Ditandatangani oleh {RINI.name} NIP {RINI.nip}" in text
    assert "Jabatan a.n. Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Deputi" in (
        text
    )
    assert re.search(r"Waktu penandatanganan \w+, \d+ \w+ \d{4} pukul \d\d\.\d\d WIB", text)
    assert f"Kode verifikasi {world.code}" in text


@pytest.mark.parametrize(
    "typed",
    ["{code}", "{lower}", "{spaced}"],
    ids=["as-printed", "lower-case", "with-spaces"],
)
def test_a_typed_code_finds_the_letter_and_asks_for_the_file(world: World, typed: str) -> None:
    raw = world.code.replace("-", "")
    code = typed.format(code=world.code, lower=world.code.lower(), spaced=f" {raw[:5]} {raw[5:]} ")
    answer = Citizen(world).types(code)
    text = text_of(answer)
    assert answer.status_code == 200, text
    assert verdict(answer) == "terdaftar"
    assert "Kode verifikasi terdaftar" in text
    assert f"Nomor {NUMBER}" in text
    assert "Cocokkan nomor, tanggal, dan penanda tangannya dengan surat yang Anda pegang" in text
    assert "Kode saja tidak membuktikan" in text
    assert "unggah berkas PDF surat" in text


def test_the_address_in_the_qr_code_opens_the_letter(world: World) -> None:
    client = world.app.test_client()
    client.environ_base["REMOTE_ADDR"] = new_address()
    answer = client.get(f"/verifikasi/{world.code}")
    assert answer.status_code == 200
    assert verdict(answer) == "terdaftar"
    assert f"Nomor {NUMBER}" in text_of(answer)


def test_one_byte_changed_after_signing_is_altered(world: World) -> None:
    changed = bytearray(world.signed)
    middle = len(changed) // 4  # inside the rendered letter, which the signature covers
    changed[middle] ^= 0x01
    answer = Citizen(world).uploads(bytes(changed))
    text = text_of(answer)
    assert answer.status_code == 200, text
    assert verdict(answer) == "diubah"
    assert "Surat telah diubah sesudah ditandatangani" in text
    assert "Jangan mengandalkan berkas ini" in text


def test_an_update_appended_after_signing_is_altered_and_names_the_real_letter(
    world: World,
) -> None:
    forged = appended(world.signed)
    assert forged.startswith(world.signed)  # what was signed is untouched
    answer = Citizen(world).uploads(forged)
    text = text_of(answer)
    assert answer.status_code == 200, text
    assert verdict(answer) == "diubah"
    assert "Surat telah diubah sesudah ditandatangani" in text
    assert "Surat yang ditandatangani aslinya" in text
    assert f"Nomor {NUMBER}" in text  # the signed letter, not the note's "B-999/PALSU"
    assert "B-999" not in text


def test_a_letter_signed_by_another_authority_is_not_valid(
    world: World, tmp_path: Path, stack: Stack
) -> None:
    stranger = signing.backend(replace(stack.settings, signer="lokal", signing_dir=tmp_path))
    unsigned = render_letter(letter("konsultasi_jawaban"))
    answer = Citizen(world).uploads(stranger.sign(unsigned, RINI, reason="x", location="Jakarta"))
    text = text_of(answer)
    assert answer.status_code == 200, text
    assert verdict(answer) == "tidak_sah"
    assert "Tanda tangan elektronik tidak sah" in text
    assert "tidak diterbitkan oleh otoritas sertifikat yang dipercaya" in text


def test_an_unknown_code_is_not_found(world: World) -> None:
    answer = Citizen(world).types("ZZZZZ-ZZZZZ")
    text = text_of(answer)
    assert answer.status_code == 404
    assert verdict(answer) == "tidak_dikenal"
    assert "Surat tidak ditemukan" in text
    assert "Tidak ada surat dengan kode ZZZZZ-ZZZZZ" in text


def test_a_code_reserved_for_a_letter_never_issued_is_not_found(world: World) -> None:
    code, _ = issue(world.app, world.backend, world.url, complete=False)
    answer = Citizen(world).types(code)
    assert answer.status_code == 404
    assert verdict(answer) == "tidak_dikenal"


def test_a_pdf_the_agency_never_issued_is_unknown(world: World) -> None:
    unsigned = render_letter(letter("konsultasi_jawaban"))
    answer = Citizen(world).uploads(unsigned)
    text = text_of(answer)
    assert answer.status_code == 404
    assert verdict(answer) == "tidak_dikenal"
    assert "bukan surat yang diterbitkan dan ditandatangani secara elektronik" in text
    assert "tidak memuat tanda tangan elektronik" in text


@pytest.mark.hostile
def test_garbage_gets_an_answer_in_bahasa_never_a_stack_trace(world: World, tally: Tally) -> None:
    signed = world.signed
    garbage = {
        "random bytes": bytes(range(256)) * 40,
        "a PNG": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
        "a PDF header only": b"%PDF-1.7\n",
        "a blank PDF": blank_pdf(),
        "a truncated signed letter": signed[: len(signed) // 2],
        "a signed letter cut before its end": signed[:-40],
        "a PDF with a broken xref": blank_pdf().replace(b"xref", b"xrfe"),
        "a ByteRange and no PDF": b"%PDF-1.4\n/ByteRange [0 10 20 30]\n%%EOF",
        "nested arrays": b"%PDF-1.4\n1 0 obj\n" + b"[" * 5000 + b"\nendobj\n%%EOF",
    }
    citizen = Citizen(world)
    answers = {name: citizen.uploads(data) for name, data in garbage.items()}
    answers["a hostile code"] = citizen.types("<script>alert(1)</script>")
    answers["a long code"] = citizen.types("A" * 5000)
    calm = {
        name: answer
        for name, answer in answers.items()
        if answer.status_code in (200, 404)
        and verdict(answer) in ("tidak_dikenal", "diubah", "tidak_sah")
        and "Traceback" not in answer.get_data(as_text=True)
        and "<script>alert" not in answer.get_data(as_text=True)
    }
    tally.add("inputs", expected=len(answers), found=len(calm))
    assert sorted(calm) == sorted(answers), {n: a.status_code for n, a in answers.items()}


def test_an_empty_form_or_file_says_what_to_do(world: World) -> None:
    citizen = Citizen(world)
    nothing = citizen.client.post("/verifikasi", data={"csrf_token": citizen.token})
    assert nothing.status_code == 400
    assert "Ketik kode verifikasi atau pilih berkas PDF surat." in text_of(nothing)
    empty = citizen.uploads(b"")
    assert empty.status_code == 400
    assert "Berkas kosong." in text_of(empty)


def test_a_file_over_the_upload_limit_is_refused_unread(world: World) -> None:
    answer = Citizen(world).uploads(b"%PDF-1.7\n" + b"0" * (256 * 1024))
    assert answer.status_code == 413
    assert "Berkas terlalu besar: maksimal 256 KB." in text_of(answer)


def test_a_post_without_the_pages_token_is_refused(world: World) -> None:
    client = world.app.test_client()
    answer = client.post("/verifikasi", data={"kode": world.code})
    assert answer.status_code == 400


@pytest.mark.hostile
def test_failed_checks_are_throttled_per_address_and_successes_are_not(
    world: World, tally: Tally
) -> None:
    citizen = Citizen(world)
    limit = verify.PER_ADDRESS.attempts
    failures = [citizen.types(f"ZZZZZ-{n:05d}".replace("0", "Z")) for n in range(limit)]
    assert {a.status_code for a in failures} == {404}
    # Once the address failed too often, it waits, whatever it asks...
    refused = citizen.types("ZZZZZ-YYYYY")
    file_refused = citizen.uploads(b"not a pdf at all")
    tally.add(
        "inputs", expected=2, found=[refused.status_code, file_refused.status_code].count(429)
    )
    assert refused.status_code == 429
    assert "Terlalu banyak pemeriksaan yang tidak berhasil" in text_of(refused)
    assert "Coba lagi dalam 15 menit" in text_of(refused)
    assert file_refused.status_code == 429
    # ...but from another address the same letter is found at once.
    assert Citizen(world).types(world.code).status_code == 200
    # Authentic uploads leave nothing in the bucket: a fresh address checks as often as it likes.
    friend = Citizen(world)
    for _ in range(limit + 2):
        assert friend.uploads(world.signed).status_code == 200
    world.clock.now += timedelta(minutes=15, seconds=1)
    assert citizen.types(world.code).status_code == 200


# In Chromium #####################################################################################


@pytest.mark.parametrize("size", list(WIDTHS))
def test_in_chromium_a_citizen_checks_a_code_and_a_file(
    world: World, browser: ChromiumBrowser, size: str, tmp_path: Path
) -> None:
    letter_file = tmp_path / "surat-jawaban.pdf"
    letter_file.write_bytes(world.signed)
    forged_file = tmp_path / "surat-jawaban-diubah.pdf"
    with serving(world.app) as base:
        context = open_context(browser, size)
        try:
            page = context.new_page()
            page.goto(f"{base}/lacak")
            page.get_by_role("link", name="Periksa keaslian surat").click()
            expect(page.get_by_role("heading", name="Periksa keaslian surat")).to_be_visible()
            assert fits(page)
            assert problems_of(page) == []
            screenshot(page, f"verifikasi-{size}")

            page.get_by_label("Kode verifikasi").fill(world.code.lower())
            page.get_by_role("button", name="Periksa kode").click()
            expect(page.get_by_role("heading", name="Kode verifikasi terdaftar")).to_be_visible()
            expect(page.get_by_text(NUMBER, exact=True)).to_be_visible()
            assert fits(page)
            assert problems_of(page) == []
            screenshot(page, f"verifikasi-kode-{size}")

            page.get_by_label("Berkas PDF surat").set_input_files(str(letter_file))
            page.get_by_role("button", name="Periksa berkas").click()
            heading = page.get_by_role("heading", name="Surat asli dan tidak diubah")
            expect(heading).to_be_visible()
            expect(page.get_by_text(RINI.name)).to_be_visible()
            assert fits(page)
            assert problems_of(page) == []
            screenshot(page, f"verifikasi-asli-{size}")

            forged_file.write_bytes(appended(world.signed))
            page.get_by_label("Berkas PDF surat").set_input_files(str(forged_file))
            page.get_by_role("button", name="Periksa berkas").click()
            changed = page.get_by_role("heading", name="Surat telah diubah sesudah ditandatangani")
            expect(changed).to_be_visible()
            assert fits(page)
            assert problems_of(page) == []
            screenshot(page, f"verifikasi-diubah-{size}")

            page.goto(f"{base}/verifikasi/{world.code}")
            expect(page.get_by_role("heading", name="Kode verifikasi terdaftar")).to_be_visible()
        finally:
            context.close()
