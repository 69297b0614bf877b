"""What a reviewer reads of a draft (issue 25): the items that changed between two versions,
each named in Bahasa and shown as text; every field a letter kind takes has its label; the
content hash shown short for reading."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from alur import drafts, letter_kinds
from alur.drafts import EMPTY, Change
from storage.letter_drafts import content_sha256


def content(**isian: Any) -> dict[str, Any]:
    return {
        "perihal": "Jawaban konsultasi kelembagaan",
        "kepada": {
            "name": "Kepala Biro Organisasi",
            "institution": "Kementerian Contoh",
            "address": ["Jalan Merdeka 1", "Jakarta"],
        },
        "isian": {
            "request_number": "B-12/ORG/2026",
            "request_date": "2026-11-02",
            "topic": "kelembagaan",
            "mode": "daring",
            **isian,
        },
        "sifat": "Biasa",
        "lampiran": "-",
        "tembusan": ["Sekretaris Deputi"],
    }


def test_every_field_any_kind_takes_has_a_bahasa_label():
    used = {key for kind in letter_kinds.KINDS.values() for key in kind.field_keys}
    assert used <= set(letter_kinds.FIELDS)
    assert set(letter_kinds.FIELD_LABELS) == set(letter_kinds.FIELDS)
    labels = list(letter_kinds.FIELD_LABELS.values())
    assert all(label.strip() and label[0].isupper() for label in labels)
    assert len(set(labels)) == len(labels)  # no two fields read alike
    assert all(label not in drafts.ITEM_LABELS.values() for label in labels)


def test_coded_fields_name_their_vocabulary():
    for key, vocabulary in letter_kinds.FIELD_VOCABULARIES.items():
        assert key in letter_kinds.FIELDS
        check = letter_kinds.FIELDS[key]
        for code in vocabulary:
            assert check(key, code) == code
        with pytest.raises(ValueError):
            check(key, "bukan-kode")


def test_the_same_content_has_no_changes():
    assert drafts.changes(content(), content()) == []
    assert drafts.changes(content(), dict(reversed(list(content().items())))) == []


def test_each_changed_item_is_named_and_shown_as_text():
    old = content(schedule="2026-12-10T10:00:00+07:00")
    new = content(
        schedule="2026-12-11T13:30:00+07:00", venue="Ruang Rapat Lt. 3", mode="tatap_muka"
    )
    new["perihal"] = "Jawaban atas konsultasi kelembagaan"
    new["tembusan"] = ["Sekretaris Deputi", "Kepala Biro Umum"]
    new["kepada"] = {**new["kepada"], "position": "Kepala Biro"}
    assert drafts.changes(old, new) == [
        Change("Perihal", "Jawaban konsultasi kelembagaan", "Jawaban atas konsultasi kelembagaan"),
        Change(
            "Kepada",
            "Kepala Biro Organisasi, Kementerian Contoh, Jalan Merdeka 1; Jakarta",
            "Kepala Biro Organisasi, Kepala Biro, Kementerian Contoh, Jalan Merdeka 1; Jakarta",
        ),
        Change("Tembusan", "Sekretaris Deputi", "Sekretaris Deputi; Kepala Biro Umum"),
        Change("Cara konsultasi", "daring (dalam jaringan)", "tatap muka"),
        Change("Jadwal", "10 Desember 2026 pukul 10.00 WIB", "11 Desember 2026 pukul 13.30 WIB"),
        Change("Tempat", EMPTY, "Ruang Rapat Lt. 3"),
    ]


def test_dates_flags_numbers_and_signers_read_as_people_write_them():
    old = {
        "isian": {
            "received_on": "2026-11-02",
            "anonymous": False,
            "close_after_days": 10,
            "officer": {"name": "Budi", "position": "Analis", "nip": "198001012005011001"},
            "legal_basis": ["UU 25/2009"],
        }
    }
    new = {
        "isian": {
            "received_on": "2026-11-03",
            "anonymous": True,
            "close_after_days": 14,
            "officer": {"name": "Budi", "position": "Analis Ahli Muda"},
            "legal_basis": [],
        }
    }
    assert drafts.changes(old, new) == [  # in the catalogue's order
        Change("Dasar hukum", "UU 25/2009", EMPTY),
        Change("Tanggal diterima", "2 November 2026", "3 November 2026"),
        Change(
            "Petugas yang menandatangani",
            "Budi, Analis, NIP 198001012005011001",
            "Budi, Analis Ahli Muda",
        ),
        Change("Identitas pelapor dirahasiakan", "Tidak", "Ya"),
        Change("Laporan ditutup setelah (hari)", "10", "14"),
    ]


def test_an_absent_value_and_an_empty_one_are_not_a_change():
    old = content()
    new = content(advice="")
    new["lampiran"] = None
    old["lampiran"] = ""
    assert drafts.changes(old, new) == []


def test_the_first_version_shows_every_item_it_has():
    found = drafts.changes(None, {"perihal": "Jawaban", "isian": {"topic": "spbe"}})
    assert found == [
        Change("Perihal", EMPTY, "Jawaban"),
        Change("Topik konsultasi", EMPTY, "Sistem Pemerintahan Berbasis Elektronik (SPBE)"),
    ]


def test_unknown_items_and_fields_still_show_under_a_readable_name():
    old = {"isian": {"catatan_khusus": "a"}, "nomor_agenda": "1"}
    new = {"isian": {"catatan_khusus": "b"}, "nomor_agenda": "2"}
    assert drafts.changes(old, new) == [
        Change("Catatan khusus", "a", "b"),
        Change("Nomor agenda", "1", "2"),
    ]


def test_the_content_hash_is_storages_and_reads_short():
    body = content()
    assert drafts.content_hash(body) == content_sha256(body)
    canonical = b'{"isian":{"mode":"daring"},"perihal":"Jawaban"}'  # sorted, no spaces
    assert drafts.content_hash({"perihal": "Jawaban", "isian": {"mode": "daring"}}) == (
        hashlib.sha256(canonical).hexdigest()
    )
    assert drafts.short_hash("3F2A9C01BE47" + "0" * 52) == "3f2a 9c01 be47"
    with pytest.raises(ValueError):
        drafts.short_hash("xyz")
