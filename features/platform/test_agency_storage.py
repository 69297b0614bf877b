"""Agencies as data (issue 24), on SQLite and PostgreSQL: every change is kept in the agency's
history with who and when; every refusal (an unknown agency, a bad code, a number pattern
without ``{seq}`` or ``{tahun}`` or with unknown placeholders or able to repeat another
register's numbers, a time zone outside Indonesia's three, a logo that is not a PNG or JPEG,
is damaged or too large) is an ``AgencyRefused`` with a Bahasa message per field and changes
nothing; the agencies' file loads in one call, twice without a change; an agency's own day
off moves its time limits at the next computation."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alur import agencies, agency_file, numbering
from alur import settings as alur_settings
from storage import accounts, migrate
from storage import agencies as stored
from storage.db import make_engine, make_sessionmaker
from storage.models import Agency, AgencyChange, AgencyRegister, Unit
from storage.s3 import make_client
from workers import sla
from workers.deps import Deps, make_deps

pytestmark = pytest.mark.platform

WHO = "admin"
SLEMAN = stored.Letterhead(
    name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    parent="Pemerintah Kabupaten Sleman",
    units=("Bidang Pengaduan",),
    address="Jalan Parasamya No. 1, Beran, Tridadi, Sleman 55511",
    contact="Telepon (0274) 868405",
    place="Sleman",
    timezone="Asia/Jakarta",
)
OUTGOING = stored.RegisterFields(
    "surat-keluar",
    "Surat keluar DPMPTSP Sleman",
    "B-{seq}/DPMPTSP-SLM/{bulan}/{tahun}",
    "surat-keluar",
)


def png(width: int = 32, height: int = 32) -> bytes:
    """A whole, valid PNG of one colour."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    rows = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg(width: int = 40, height: int = 20) -> bytes:
    """The head of a JPEG up to its frame header: enough to read its size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xda" + struct.pack(">H", 8) + bytes(6) + b"\xff\xd9"


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    made = make_sessionmaker(engine)
    with made() as db:
        stored.create(db, "dpmptsp-sleman", SLEMAN, WHO)
        stored.add_register(db, "dpmptsp-sleman", OUTGOING, WHO)
        db.commit()
    try:
        yield made
    finally:
        engine.dispose()


def snapshot(sessions: sessionmaker[Session]) -> tuple[Any, ...]:
    """Every agency, register and history row as stored: what a refusal must leave as it was."""
    with sessions() as db:
        return (
            [
                (
                    a.code,
                    a.name,
                    a.parent,
                    a.units,
                    a.place,
                    a.timezone,
                    a.logo_sha256,
                    a.updated_at,
                )
                for a in db.scalars(select(Agency).order_by(Agency.code))
            ],
            [
                (r.agency_code, r.code, r.title, r.pattern, r.kind)
                for r in db.scalars(select(AgencyRegister).order_by(AgencyRegister.code))
            ],
            [c.id for c in db.scalars(select(AgencyChange).order_by(AgencyChange.id))],
        )


def test_an_agency_and_its_register_are_read_by_the_core_as_stored(
    sessions: sessionmaker[Session],
):
    with sessions() as db:
        agency = agencies.agency(db, "dpmptsp-sleman")
        register = numbering.register(db, "dpmptsp-sleman", "surat-keluar")
        assert agency.letterhead.parent == "Pemerintah Kabupaten Sleman"
        assert agency.letterhead.units == ("Bidang Pengaduan",) and agency.place == "Sleman"
        assert agency.letterhead.logo is None
        assert register.kind == "surat-keluar" and register.title == "Surat keluar DPMPTSP Sleman"
        with pytest.raises(KeyError):
            agencies.agency(db, "tidak-ada")
        with pytest.raises(KeyError):
            numbering.register(db, "dpmptsp-sleman", "nota-dinas")


def test_each_change_is_in_the_history_with_who_when_and_what(sessions: sessionmaker[Session]):
    with sessions() as db:
        outcome = stored.update(
            db, "dpmptsp-sleman", replace(SLEMAN, place="Beran, Sleman"), "siti"
        )
        assert outcome.changes == {"place": {"before": "Sleman", "after": "Beran, Sleman"}}
        again = stored.update(db, "dpmptsp-sleman", replace(SLEMAN, place="Beran, Sleman"), "siti")
        assert again.what == "unchanged"  # and no history row
        stored.set_logo(db, "dpmptsp-sleman", png(), "siti")
        stored.update_register(
            db, "dpmptsp-sleman", replace(OUTGOING, pattern="{seq}/DPMPTSP-SLM/{tahun}"), "budi"
        )
        db.commit()
        history = stored.history(db, "dpmptsp-sleman")
    assert [(c.action, c.who, c.subject) for c in history] == [
        ("register.updated", "budi", "surat-keluar"),
        ("logo.set", "siti", ""),
        ("agency.updated", "siti", ""),
        ("register.created", WHO, "surat-keluar"),
        ("agency.created", WHO, ""),
    ]
    assert history[0].changes == {
        "pattern": {
            "before": "B-{seq}/DPMPTSP-SLM/{bulan}/{tahun}",
            "after": "{seq}/DPMPTSP-SLM/{tahun}",
        }
    }
    assert history[1].changes == {
        "logo": {"before": None, "after": hashlib.sha256(png()).hexdigest()}
    }
    assert all(c.at is not None and c.at.tzinfo is not None for c in history)


def test_saving_what_is_already_there_writes_no_history(sessions: sessionmaker[Session]):
    before = snapshot(sessions)
    with sessions() as db:
        assert stored.update(db, "dpmptsp-sleman", SLEMAN, WHO).what == "unchanged"
        assert stored.update_register(db, "dpmptsp-sleman", OUTGOING, WHO).what == "unchanged"
        assert stored.remove_logo(db, "dpmptsp-sleman", WHO).what == "unchanged"
        db.commit()
    assert snapshot(sessions) == before


def test_a_logo_is_stored_with_its_type_read_from_its_bytes(sessions: sessionmaker[Session]):
    with sessions() as db:
        stored.set_logo(db, "dpmptsp-sleman", jpeg(), WHO)
        db.commit()
        row = stored.get(db, "dpmptsp-sleman")
        assert row is not None and row.logo_type == "image/jpeg" and row.logo == jpeg()
        logo = agencies.agency(db, "dpmptsp-sleman").letterhead.logo
        assert logo is not None and logo.data_uri.startswith("data:image/jpeg;base64,/9j/")
        stored.remove_logo(db, "dpmptsp-sleman", WHO)
        db.commit()
        assert agencies.agency(db, "dpmptsp-sleman").letterhead.logo is None


Refusal = Callable[[Session], object]
REFUSALS: dict[str, tuple[Refusal, str, str]] = {
    "unknown agency": (
        lambda db: stored.update(db, "dpmptsp-bantul", SLEMAN, WHO),
        "code",
        "Instansi dengan kode 'dpmptsp-bantul' tidak dikenal.",
    ),
    "register of an unknown agency": (
        lambda db: stored.add_register(db, "tidak-ada", OUTGOING, WHO),
        "code",
        "Instansi dengan kode 'tidak-ada' tidak dikenal.",
    ),
    "logo of an unknown agency": (
        lambda db: stored.set_logo(db, "tidak-ada", png(), WHO),
        "code",
        "Instansi dengan kode 'tidak-ada' tidak dikenal.",
    ),
    "bad code": (
        lambda db: stored.create(db, "DPMPTSP Bantul", SLEMAN, WHO),
        "code",
        "Kode instansi hanya boleh huruf kecil, angka dan tanda hubung (-), paling banyak 32"
        " karakter, diawali huruf dan tidak diakhiri tanda hubung, misalnya dpmptsp-sleman.",
    ),
    "code taken": (
        lambda db: stored.create(db, "dpmptsp-sleman", SLEMAN, WHO),
        "code",
        "Kode instansi dpmptsp-sleman sudah dipakai.",
    ),
    "no name": (
        lambda db: stored.update(db, "dpmptsp-sleman", replace(SLEMAN, name="  "), WHO),
        "name",
        "Nama instansi wajib diisi.",
    ),
    "time zone outside Indonesia": (
        lambda db: stored.update(db, "dpmptsp-sleman", replace(SLEMAN, timezone="UTC"), WHO),
        "timezone",
        "Zona waktu harus salah satu dari: Asia/Jakarta (WIB), Asia/Makassar (WITA),"
        " Asia/Jayapura (WIT).",
    ),
    "too many lines under the name": (
        lambda db: stored.update(db, "dpmptsp-sleman", replace(SLEMAN, units=("a",) * 5), WHO),
        "units",
        "Baris di bawah nama paling banyak 4 baris.",
    ),
    "pattern without {seq}": (
        lambda db: stored.update_register(
            db, "dpmptsp-sleman", replace(OUTGOING, pattern="B/SLM/{bulan}/{tahun}"), WHO
        ),
        "pattern",
        "Pola nomor harus memuat {seq}, nomor urut dalam tahun itu.",
    ),
    "pattern without {tahun}": (
        lambda db: stored.update_register(
            db, "dpmptsp-sleman", replace(OUTGOING, pattern="B-{seq}/SLM"), WHO
        ),
        "pattern",
        "Pola nomor harus memuat {tahun}: nomor urut dimulai lagi dari 1 setiap tahun, jadi"
        " tanpa tahun nomornya akan berulang.",
    ),
    "unknown placeholder": (
        lambda db: stored.update_register(
            db, "dpmptsp-sleman", replace(OUTGOING, pattern="B-{seq}/{unit}/{tahun}"), WHO
        ),
        "pattern",
        "Pola nomor memuat {unit} yang tidak dikenal; yang boleh hanya {seq}, {bulan}, {tahun}.",
    ),
    "a format spec": (
        lambda db: stored.update_register(
            db, "dpmptsp-sleman", replace(OUTGOING, pattern="{seq:04d}/SLM/{tahun}"), WHO
        ),
        "pattern",
        "Pola nomor memuat {seq:04d} yang tidak dikenal; yang boleh hanya {seq}, {bulan}, {tahun}.",
    ),
    "unbalanced braces": (
        lambda db: stored.update_register(
            db, "dpmptsp-sleman", replace(OUTGOING, pattern="B-{seq/SLM/{tahun}"), WHO
        ),
        "pattern",
        "Kurung kurawal pada pola nomor tidak berpasangan: tulis {seq}, {bulan} atau {tahun}.",
    ),
    "a pattern repeating another register's numbers": (
        lambda db: stored.add_register(
            db,
            "dpmptsp-sleman",
            stored.RegisterFields(
                "berita-acara",
                "Berita acara",
                "B-{seq}/DPMPTSP-SLM/{bulan}/{tahun}",
                "berita-acara",
            ),
            WHO,
        ),
        "pattern",
        "Pola nomor ini dapat menghasilkan nomor yang sama dengan register surat-keluar milik"
        " instansi dpmptsp-sleman (B-{seq}/DPMPTSP-SLM/{bulan}/{tahun}). Tambahkan kode"
        " pembeda, misalnya singkatan instansi.",
    ),
    "a register code taken": (
        lambda db: stored.add_register(
            db, "dpmptsp-sleman", replace(OUTGOING, pattern="C-{seq}/SLM/{tahun}"), WHO
        ),
        "register_code",
        "Instansi ini sudah punya register berkode surat-keluar.",
    ),
    "an unknown register kind": (
        lambda db: stored.update_register(
            db, "dpmptsp-sleman", replace(OUTGOING, kind="surat-cinta"), WHO
        ),
        "kind",
        "Jenis register harus salah satu dari: surat-masuk, surat-keluar, nota-dinas, pengaduan,"
        " berita-acara.",
    ),
    "a logo that is no image": (
        lambda db: stored.set_logo(db, "dpmptsp-sleman", b"<svg onload=alert(1)></svg>", WHO),
        "logo",
        "Logo harus berupa gambar PNG atau JPEG.",
    ),
    "a PDF named logo.png": (
        lambda db: stored.set_logo(db, "dpmptsp-sleman", b"%PDF-1.7\n" + bytes(100), WHO),
        "logo",
        "Logo harus berupa gambar PNG atau JPEG.",
    ),
    "a damaged PNG": (
        lambda db: stored.set_logo(db, "dpmptsp-sleman", png()[:-20], WHO),
        "logo",
        "Berkas logo rusak: gambarnya tidak dapat dibaca.",
    ),
    "a logo too large": (
        lambda db: stored.set_logo(db, "dpmptsp-sleman", png() + bytes(600 * 1024), WHO),
        "logo",
        "Logo paling besar 512 KB; berkas ini 601 KB. Perkecil gambarnya lalu unggah lagi.",
    ),
    "a logo of one pixel": (
        lambda db: stored.set_logo(db, "dpmptsp-sleman", png(1, 1), WHO),
        "logo",
        "Ukuran logo harus 16 sampai 4000 piksel per sisi; logo ini 1 x 1 piksel.",
    ),
    "an empty logo": (
        lambda db: stored.set_logo(db, "dpmptsp-sleman", b"", WHO),
        "logo",
        "Pilih berkas logo (gambar PNG atau JPEG).",
    ),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_each_refusal_says_why_in_bahasa_and_changes_nothing(
    case: str, sessions: sessionmaker[Session]
):
    change, field, message = REFUSALS[case]
    before = snapshot(sessions)
    with sessions() as db, pytest.raises(stored.AgencyRefused) as refused:
        change(db)
        db.commit()
    assert refused.value.errors[field] == message
    assert snapshot(sessions) == before


def test_every_wrong_field_of_a_form_is_named_at_once(sessions: sessionmaker[Session]):
    wrong = replace(SLEMAN, name="", place="", timezone="Europe/Amsterdam")
    with sessions() as db, pytest.raises(stored.AgencyRefused) as refused:
        stored.create(db, "-bantul", wrong, WHO)
    assert set(refused.value.errors) == {"code", "name", "place", "timezone"}


def test_the_agencies_file_loads_once_and_again_changes_nothing(
    sessions: sessionmaker[Session], tmp_path: Path
):
    shipped = agency_file.shipped()
    with sessions() as db:
        first = agency_file.load(db, shipped, "berkas:deploy/agencies.toml")
        # dpmptsp-sleman, made by the fixture, takes the file's letterhead and the title of
        # its outgoing register.
        assert first.agencies == {"created": 4, "updated": 1}
        assert first.registers == {"created": len(shipped.register_keys) - 1, "updated": 1}
        # Six of the units are the member agencies of the SPBE coordination team (SOP 2), and
        # five the Ministry of Health's tree that SP4N-LAPOR! reports go down (SOP 5).
        assert first.units == {"created": len(shipped.units)} == {"created": 18}
    before = snapshot(sessions)
    with sessions() as db:
        again = agency_file.load(db, shipped, "berkas:deploy/agencies.toml")
    assert again.agencies == {"unchanged": 5} and again.units == {"unchanged": 18}
    assert snapshot(sessions) == before
    with sessions() as db:
        who = {c.who for c in stored.history(db, "dpmptsp")}
        assert who == {"berkas:deploy/agencies.toml"}
        logo = agencies.agency(db, "dpmptsp").letterhead.logo
        assert logo is not None and logo.content_type == "image/png"
        unit = db.get(Unit, "kemenpanrb-kelembagaan")
        assert unit is not None and unit.agency_code == "kemenpanrb"
        assert unit.parent_code == "kemenpanrb"
        member = db.get(Unit, "spbe-bssn")
        assert member is not None and member.parent_code == "spbe-tim-koordinasi"
        assert member.agency_code == "kemenpanrb"
        other = db.get(Unit, "kemenkes")
        assert other is not None and other.agency_code is None
        # Issue 27: the two DPMPTSPs receive SOP 3's complaints, each for its own agency.
        receiving = accounts.receiving_units(db, "pengaduan-dpmptsp")
        assert [u.code for u in receiving] == ["dpmptsp-sleman", "dpmptsp-jatim"]
        assert receiving[0].services == ["pengaduan-dpmptsp"]
        # A unit without an agency of its own (made before units had one) takes its parent's.
        accounts.ensure_unit(db, "dpmptsp-sleman-fo", "Front office", "dpmptsp-sleman")
        accounts.save_unit(db, "dpmptsp-sleman-fo", "Front office", "dpmptsp-sleman", None)
        accounts.ensure_unit(db, "tanpa-instansi", "Unit tanpa instansi", "kemenkes")
        assert accounts.unit_agency(db, "dpmptsp-sleman-fo") == "dpmptsp-sleman"
        assert accounts.unit_agency(db, "tanpa-instansi") is None
        assert accounts.services_of_agency(db, "dpmptsp-sleman") == {"pengaduan-dpmptsp"}
        # KASN is connected to SP4N-LAPOR! (SOP 5); KemenPAN-RB's units receive nothing.
        assert accounts.services_of_agency(db, "kasn") == {"lapor"}
        assert accounts.services_of_agency(db, "kemenpanrb") == frozenset()
        db.rollback()


def test_make_run_keeps_what_an_administrator_edited_and_the_command_restores_the_file(
    sessions: sessionmaker[Session],
):
    shipped = agency_file.shipped()
    with sessions() as db:
        agency_file.load(db, shipped, "berkas:deploy/agencies.toml")
        row = stored.get(db, "kasn")
        assert row is not None
        head = stored.Letterhead(
            name=row.name, place="Bandung", timezone=row.timezone, units=tuple(row.units)
        )
        stored.update(db, "kasn", replace(head, address=row.address, contact=row.contact), "admin")
        db.commit()
    with sessions() as db:
        agency_file.load(db, shipped, "berkas:deploy/agencies.toml", only_new=True)
        assert agencies.agency(db, "kasn").place == "Bandung"
        report = agency_file.load(db, shipped, "berkas:deploy/agencies.toml")
        assert report.agencies == {"updated": 1, "unchanged": 4}
        assert agencies.agency(db, "kasn").place == "Jakarta"
        latest = stored.history(db, "kasn")[0]
    assert latest.who == "berkas:deploy/agencies.toml"
    assert latest.changes == {"place": {"before": "Bandung", "after": "Jakarta"}}


def test_a_file_whose_register_repeats_a_stored_one_changes_nothing(
    sessions: sessionmaker[Session], tmp_path: Path
):
    path = tmp_path / "agencies.toml"
    path.write_text(
        '[instansi.dpmptsp-bantul]\nnama = "DPMPTSP Bantul"\ntempat = "Bantul"\n'
        'zona_waktu = "Asia/Jakarta"\n\n[[instansi.dpmptsp-bantul.register]]\n'
        'kode = "surat-keluar"\njudul = "Surat keluar"\n'
        'pola = "B-{seq}/DPMPTSP-SLM/{bulan}/{tahun}"\njenis = "surat-keluar"\n',
        encoding="utf-8",
    )
    data = agency_file.read(path)  # alone, the file is fine
    before = snapshot(sessions)
    with (
        sessions() as db,
        pytest.raises(
            agency_file.AgencyFileError, match="register surat-keluar milik instansi dpmptsp-sleman"
        ),
    ):
        agency_file.load(db, data, "berkas:agencies.toml")
    assert snapshot(sessions) == before


def sla_deps(sessions: sessionmaker[Session], database_url: str) -> Deps:
    """What the ``sla`` worker runs with, on this database (S3 is never called)."""
    settings = alur_settings.load(
        {
            "ALUR_DATABASE_URL": database_url,
            "ALUR_S3_ACCESS_KEY": "uji",
            "ALUR_S3_SECRET_KEY": "uji-rahasia",
            "ALUR_SECRET_KEY": "uji",
        }
    )
    return make_deps(
        settings,
        sessions,
        make_client("127.0.0.1:9", "uji", "uji-rahasia", secure=False, region="us-east-1"),
    )


def test_an_agency_day_off_moves_its_time_limits_at_once_and_is_in_the_history(
    sessions: sessionmaker[Session], database_url: str
):
    deps = sla_deps(sessions, database_url)
    start = datetime(2027, 10, 13, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

    def due() -> datetime:
        return sla.compute_due(deps, start=start, limit="2 hari kerja", agency="dpmptsp-sleman")

    before = due()
    closed = before.astimezone(ZoneInfo("Asia/Jakarta")).date()
    with sessions() as db:
        stored.add_day_off(db, "dpmptsp-sleman", closed, "Hari Jadi Kabupaten Sleman", "siti")
        db.commit()
        assert stored.days_off(db, "dpmptsp-sleman", [closed.year]) == {
            closed: "Hari Jadi Kabupaten Sleman"
        }
        assert stored.days_off(db, "dpmptsp-sleman", [closed.year + 5]) == {}
    later = due()  # the same process, no restart: the next computation skips the day
    assert later.astimezone(ZoneInfo("Asia/Jakarta")).date() > closed
    assert sla.compute_due(deps, start=start, limit="2 hari kerja", agency="kasn") == before
    with sessions() as db, pytest.raises(stored.AgencyRefused) as refused:
        stored.add_day_off(db, "dpmptsp-sleman", closed, "Lagi", "siti")
    assert refused.value.errors == {"day": "Tanggal ini sudah menjadi hari libur instansi ini."}
    with sessions() as db, pytest.raises(stored.AgencyRefused) as refused:
        stored.add_day_off(db, "dpmptsp-sleman", closed + timedelta(days=1), " ", "siti")
    assert refused.value.errors["day_name"].startswith("Nama hari libur wajib diisi")
    with sessions() as db, pytest.raises(stored.AgencyRefused) as refused:
        stored.add_day_off(db, "dpmptsp-bantul", closed, "Libur", "siti")
    assert refused.value.errors == {"code": "Instansi dengan kode 'dpmptsp-bantul' tidak dikenal."}
    with sessions() as db:
        stored.remove_day_off(db, "dpmptsp-sleman", closed, "budi")
        db.commit()
        history = stored.history(db, "dpmptsp-sleman")[:2]
    assert due() == before
    assert [(c.action, c.who, c.subject) for c in history] == [
        ("day_off.removed", "budi", closed.isoformat()),
        ("day_off.added", "siti", closed.isoformat()),
    ]


def test_the_same_day_ends_with_the_agency_s_working_hours_or_its_day_off(
    sessions: sessionmaker[Session], database_url: str
):
    """SOP 4 face to face ("hari yang sama") through the worker: closing time in the agency's
    zone, or the end of the day when it comes after closing or on the agency's day off."""
    deps = sla_deps(sessions, database_url)
    wib = ZoneInfo("Asia/Jakarta")
    wednesday = datetime(2027, 10, 13, 9, 0, tzinfo=wib)

    def due(start: datetime, agency: str = "dpmptsp-sleman") -> str:
        return sla.compute_due(deps, start=start, limit="Hari yang sama", agency=agency).isoformat()

    assert due(wednesday) == "2027-10-13T16:00:00+07:00"
    assert due(wednesday.astimezone(UTC)) == "2027-10-13T16:00:00+07:00"
    assert due(wednesday.replace(hour=17, minute=30)) == "2027-10-13T23:59:59.999999+07:00"
    assert due(wednesday + timedelta(days=3)) == "2027-10-16T23:59:59.999999+07:00"  # Saturday
    assert due(datetime(2027, 8, 17, 9, 0, tzinfo=wib)) == "2027-08-17T23:59:59.999999+07:00"
    with sessions() as db:
        stored.add_day_off(db, "dpmptsp-sleman", wednesday.date(), "Hari Jadi Kabupaten", "siti")
        db.commit()
    assert due(wednesday) == "2027-10-13T23:59:59.999999+07:00"
    assert due(wednesday, "kasn") == "2027-10-13T16:00:00+07:00"
