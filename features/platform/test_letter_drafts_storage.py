"""A letter's review chain and its signature as stored (issue 25), on SQLite and PostgreSQL:
versions numbered 1..n, each write once per key (also when two deliveries write at the same
moment), unchanged text makes no version, a decision on a stale version or a return without a
note refused in Bahasa, approvals counted on the exact version only; each issued letter one
row and one well-formed, unique verification code, found by its code however typed and by the
signed PDF's hash."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from alur import drafts
from storage import cases, letter_drafts, letter_signatures, migrate
from storage.db import make_engine, make_sessionmaker
from storage.letter_drafts import DraftRefused
from storage.models import CaseDocument, LetterDraft, LetterReview, LetterSignature

pytestmark = pytest.mark.platform

T = TypeVar("T")
AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CHAIN = "jawaban"
KIND = "konsultasi_jawaban"
SHA = "ab" * 32
CODE = re.compile(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}")


def content(perihal: str = "Jawaban konsultasi", **isian: Any) -> dict[str, Any]:
    return {
        "perihal": perihal,
        "kepada": {"name": "Kepala Biro Organisasi", "address": ["Jakarta"]},
        "isian": {"request_number": "B-12/2026", "topic": "spbe", **isian},
        "sifat": "Biasa",
        "lampiran": "-",
        "tembusan": ["Sekretaris Deputi"],
    }


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


@pytest.fixture
def case_id(sessions: sessionmaker[Session]) -> int:
    with sessions() as db:
        case, _ = cases.create(
            db, cases.NewCase("uji", "Uji", None, "Siti Aminah", None, "Konsultasi", {})
        )
        db.commit()
        return case.id


def add(
    sessions: sessionmaker[Session],
    case_id: int,
    key: str,
    body: dict[str, Any],
    *,
    minutes: int = 0,
    name: str = CHAIN,
) -> LetterDraft:
    with sessions() as db:
        return letter_drafts.add_version(
            db,
            case_id=case_id,
            name=name,
            kind=KIND,
            content=body,
            source_key=key,
            by_username="penyusun",
            by_name="Rina Penyusun",
            at=AT + timedelta(minutes=minutes),
        )


def decide(
    sessions: sessionmaker[Session],
    case_id: int,
    version: int,
    task_key: str | int,
    decision: str,
    *,
    username: str = "kabid",
    note: str | None = None,
    minutes: int = 0,
) -> LetterReview:
    with sessions() as db:
        return letter_drafts.decide(
            db,
            case_id=case_id,
            name=CHAIN,
            version=version,
            task_key=task_key,
            step_name="Periksa dan paraf draf",
            role="kemenpanrb.kabid",
            username=username,
            full_name=f"Pejabat {username}",
            position="Kepala Bidang",
            decision=decision,
            note=note,
            at=AT + timedelta(minutes=minutes),
        )


def at_once(count: int, run: Callable[[int], T]) -> list[T]:
    """``run(i)`` for i in 0..count-1 in threads released together; their results."""
    results: list[T] = []
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def one(i: int) -> None:
        start.wait()
        try:
            results.append(run(i))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return results


def count(sessions: sessionmaker[Session], model: type[Any]) -> int:
    with sessions() as db:
        found: int = db.scalar(select(func.count()).select_from(model)) or 0
        return found


# Drafts ###########################################################################################


def test_versions_are_numbered_from_one_and_each_keeps_its_content_and_hash(sessions, case_id):
    first = add(sessions, case_id, "draf:1", content())
    second = add(sessions, case_id, "tugas:2", content(venue="Ruang Rapat Lt. 3"), minutes=5)
    third = add(sessions, case_id, "tugas:3", content("Jawaban atas konsultasi"), minutes=9)
    other = add(sessions, case_id, "draf:9", content(), name="penolakan")
    assert [first.version, second.version, third.version, other.version] == [1, 2, 3, 1]
    with sessions() as db:
        stored = letter_drafts.versions(db, case_id, CHAIN)
        assert [d.version for d in stored] == [1, 2, 3]
        assert stored[1].content == content(venue="Ruang Rapat Lt. 3")
        assert stored[1].content_sha256 == drafts.content_hash(content(venue="Ruang Rapat Lt. 3"))
        assert stored[1].created_at == AT + timedelta(minutes=5)
        assert stored[0].created_by == "penyusun" and stored[0].created_by_name == "Rina Penyusun"
        latest = letter_drafts.latest(db, case_id, CHAIN)
        assert latest is not None and latest.version == 3
        found = letter_drafts.version(db, case_id, CHAIN, 2)
        assert found is not None and found.source_key == "tugas:2"
        assert letter_drafts.version(db, case_id, CHAIN, 4) is None
        assert letter_drafts.latest(db, case_id, "tidak-ada") is None


def test_the_content_hash_is_of_canonical_json_whatever_the_key_order():
    body = content()
    shuffled = dict(reversed(list(body.items())))
    assert letter_drafts.content_sha256(body) == letter_drafts.content_sha256(shuffled)
    canonical = '{"a":[1,2],"b":"é"}'.encode()  # sorted keys, no spaces, UTF-8
    expected = hashlib.sha256(canonical).hexdigest()
    assert letter_drafts.content_sha256({"b": "é", "a": (1, 2)}) == expected
    assert letter_drafts.content_sha256(body) != letter_drafts.content_sha256(content("Lain"))


def test_writing_a_version_again_with_its_key_returns_the_first_row(sessions, case_id):
    first = add(sessions, case_id, "draf:1", content())
    again = add(sessions, case_id, "draf:1", content("Teks lain dari pengiriman ulang"))
    assert again.id == first.id and again.version == 1
    assert again.content == content()
    assert count(sessions, LetterDraft) == 1


def test_unchanged_content_makes_no_new_version(sessions, case_id):
    first = add(sessions, case_id, "draf:1", content())
    decide(sessions, case_id, 1, "t-1", "paraf")
    resent = add(sessions, case_id, "tugas:2", dict(reversed(list(content().items()))))
    assert resent.id == first.id and resent.version == 1
    assert count(sessions, LetterDraft) == 1
    with sessions() as db:  # the initials on the unchanged version still stand
        assert [r.decision for r in letter_drafts.approvals(db, first)] == ["paraf"]


def test_a_decision_on_a_stale_version_is_refused_in_bahasa(sessions, case_id):
    add(sessions, case_id, "draf:1", content())
    add(sessions, case_id, "tugas:2", content(venue="Ruang Rapat"))
    with pytest.raises(DraftRefused) as refused:
        decide(sessions, case_id, 1, "t-1", "paraf")
    assert refused.value.message == "Draf sudah diperbarui ke versi 2; tinjau versi terbaru."
    with pytest.raises(DraftRefused, match="versi 5 tidak ada"):
        decide(sessions, case_id, 5, "t-1", "paraf")
    assert count(sessions, LetterReview) == 0
    assert decide(sessions, case_id, 2, "t-1", "paraf").decision == "paraf"


def test_a_return_needs_a_note_and_a_decision_must_be_known(sessions, case_id):
    add(sessions, case_id, "draf:1", content())
    for note in (None, "", "   "):
        with pytest.raises(DraftRefused) as refused:
            decide(sessions, case_id, 1, "t-1", "kembalikan", note=note)
        assert "catatan" in refused.value.message
    with pytest.raises(DraftRefused, match="Keputusan tidak dikenal"):
        decide(sessions, case_id, 1, "t-1", "setuju")
    assert count(sessions, LetterReview) == 0
    returned = decide(sessions, case_id, 1, "t-1", "kembalikan", note="  Perbaiki jadwal.  ")
    assert (returned.decision, returned.note) == ("kembalikan", "Perbaiki jadwal.")
    assert decide(sessions, case_id, 1, "t-2", "paraf", note="  ").note is None


def test_nothing_to_decide_on_before_the_first_version(sessions, case_id):
    with pytest.raises(DraftRefused, match="belum ada"):
        decide(sessions, case_id, 1, "t-1", "paraf")


def test_deciding_again_with_the_task_key_returns_the_first_decision(sessions, case_id):
    add(sessions, case_id, "draf:1", content())
    first = decide(sessions, case_id, 1, 2251799813685301, "paraf")
    assert first.task_key == "2251799813685301"
    again = decide(sessions, case_id, 1, "2251799813685301", "kembalikan", note="Lain")
    assert again.id == first.id and again.decision == "paraf"
    assert count(sessions, LetterReview) == 1


def test_approvals_count_only_on_the_exact_version(sessions, case_id):
    v1 = add(sessions, case_id, "draf:1", content())
    decide(sessions, case_id, 1, "t-1", "paraf", username="kabid", minutes=1)
    decide(sessions, case_id, 1, "t-2", "kembalikan", username="sesdep", note="Ubah", minutes=2)
    v2 = add(sessions, case_id, "tugas:3", content(venue="Ruang Rapat"), minutes=3)
    decide(sessions, case_id, 2, "t-4", "paraf", username="kabid", minutes=4)
    decide(sessions, case_id, 2, "t-5", "paraf", username="sesdep", minutes=5)
    decide(sessions, case_id, 2, "t-6", "tandatangan", username="deputi", minutes=6)
    with sessions() as db:
        assert [(r.username, r.decision) for r in letter_drafts.approvals(db, v1)] == [
            ("kabid", "paraf")
        ]
        assert [(r.username, r.decision) for r in letter_drafts.approvals(db, v2)] == [
            ("kabid", "paraf"),
            ("sesdep", "paraf"),
            ("deputi", "tandatangan"),
        ]
        assert [(v, r.task_key) for v, r in letter_drafts.reviews(db, case_id, CHAIN)] == [
            (1, "t-1"),
            (1, "t-2"),
            (2, "t-4"),
            (2, "t-5"),
            (2, "t-6"),
        ]
        assert letter_drafts.reviews(db, case_id, "penolakan") == []


def test_the_version_a_reviewer_last_decided_on(sessions, case_id):
    add(sessions, case_id, "draf:1", content())
    decide(sessions, case_id, 1, "t-1", "kembalikan", username="kabid", note="Ubah")
    add(sessions, case_id, "tugas:2", content(venue="Ruang Rapat"))
    decide(sessions, case_id, 2, "t-3", "paraf", username="sesdep")
    with sessions() as db:
        assert letter_drafts.last_reviewed_version(db, case_id, CHAIN, "kabid") == 1
        assert letter_drafts.last_reviewed_version(db, case_id, CHAIN, "sesdep") == 2
        assert letter_drafts.last_reviewed_version(db, case_id, CHAIN, "deputi") is None
        assert letter_drafts.last_reviewed_version(db, case_id, "penolakan", "kabid") is None


def test_one_version_when_the_same_submission_arrives_twice_at_once(sessions, case_id):
    add(sessions, case_id, "draf:1", content())
    rows = at_once(6, lambda i: add(sessions, case_id, "tugas:2", content(venue=f"Ruang {i}")))
    assert {(r.id, r.version) for r in rows} == {(rows[0].id, 2)}
    assert count(sessions, LetterDraft) == 2


def test_different_submissions_at_once_take_consecutive_versions(sessions, case_id):
    add(sessions, case_id, "draf:1", content())
    rows = at_once(4, lambda i: add(sessions, case_id, f"tugas:{i}", content(venue=f"R{i}")))
    assert sorted(r.version for r in rows) == [2, 3, 4, 5]
    with sessions() as db:
        assert [d.version for d in letter_drafts.versions(db, case_id, CHAIN)] == [1, 2, 3, 4, 5]


def test_one_decision_when_the_same_task_is_decided_twice_at_once(sessions, case_id):
    add(sessions, case_id, "draf:1", content())
    rows = at_once(6, lambda i: decide(sessions, case_id, 1, "t-1", "paraf", minutes=i))
    assert {r.id for r in rows} == {rows[0].id}
    assert count(sessions, LetterReview) == 1


def test_the_database_refuses_a_decision_it_does_not_know(sessions, case_id):
    draft = add(sessions, case_id, "draf:1", content())
    with sessions() as db, pytest.raises(IntegrityError):
        db.add(
            LetterReview(
                draft_id=draft.id,
                task_key="langsung",
                step_name="-",
                role="-",
                username="x",
                full_name="X",
                position="",
                decision="setuju",
                decided_at=AT,
            )
        )
        db.commit()


# Signatures #######################################################################################


def reserve(
    sessions: sessionmaker[Session], case_id: int, key: str, draft_id: int | None = None
) -> LetterSignature:
    with sessions() as db:
        return letter_signatures.reserve(
            db,
            source_key=key,
            case_id=case_id,
            kind=KIND,
            number=f"B-{key}/KL.01/XI/2026",
            letter_date=date(2026, 11, 23),
            agency_code="kemenpanrb",
            signer_name="Dr. Ayu Lestari",
            signer_nip="197001012000032001",
            signer_position="Deputi Bidang Kelembagaan",
            content_sha256=SHA,
            draft_id=draft_id,
        )


def test_a_reserved_letter_keeps_its_row_and_code_when_reserved_again(sessions, case_id):
    draft = add(sessions, case_id, "draf:1", content())
    first = reserve(sessions, case_id, "surat:1", draft.id)
    again = reserve(sessions, case_id, "surat:1")
    assert (again.id, again.code, again.draft_id) == (first.id, first.code, draft.id)
    assert CODE.fullmatch(first.code)
    assert first.document_id is None and first.signed_sha256 is None
    assert first.letter_date == date(2026, 11, 23)
    assert count(sessions, LetterSignature) == 1


def test_every_letter_gets_its_own_well_formed_code(sessions, case_id):
    codes = [reserve(sessions, case_id, f"surat:{i}").code for i in range(40)]
    assert len(set(codes)) == 40
    assert all(CODE.fullmatch(code) for code in codes)
    assert not any(c in code for code in codes for c in "01OIL")


def test_a_code_another_letter_holds_is_drawn_again(sessions, case_id, monkeypatch):
    taken = reserve(sessions, case_id, "surat:1").code
    draws = iter([taken, taken, "23456-789AB"])
    monkeypatch.setattr(letter_signatures, "new_code", lambda: next(draws))
    assert reserve(sessions, case_id, "surat:2").code == "23456-789AB"
    assert count(sessions, LetterSignature) == 2


def test_one_row_when_the_same_letter_is_reserved_twice_at_once(sessions, case_id):
    rows = at_once(6, lambda i: reserve(sessions, case_id, "surat:1"))
    assert {(r.id, r.code) for r in rows} == {(rows[0].id, rows[0].code)}
    assert count(sessions, LetterSignature) == 1


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ABCDE-FGHJK", "ABCDE-FGHJK"),
        ("abcde fghjk", "ABCDE-FGHJK"),
        (" ab-cd e\u2013fg hjk ", "ABCDE-FGHJK"),
        ("ABCDEFGHJK", "ABCDE-FGHJK"),
        ("23456-789XZ", "23456-789XZ"),
        ("ABCDE-FGHJ", None),
        ("ABCDE-FGHJKM", None),
        ("ABCDE-FGHJ0", None),
        ("ABCDE-FGHJO", None),
        ("ABCDE-FGHJ1", None),
        ("ABCDE-FGHJI", None),
        ("ABCDE-FGHJL", None),
        ("ABCDE/FGHJK", None),
        ("", None),
    ],
)
def test_a_typed_code_is_read_in_any_case_with_spaces_and_dashes(typed: str, code: str | None):
    assert letter_signatures.normalise_code(typed) == code


def test_a_letter_is_found_by_its_code_and_by_its_signed_pdf(sessions, case_id):
    seal = reserve(sessions, case_id, "surat:1")
    with sessions() as db:
        doc = CaseDocument(
            case_id=case_id,
            kind=KIND,
            filename="surat.pdf",
            content_type="application/pdf",
            size=1234,
            sha256="cd" * 32,
            bucket="alur-surat",
            object_key=f"cases/{case_id}/{KIND}/1.pdf",
            uploaded_by="alur",
        )
        db.add(doc)
        db.commit()
        assert letter_signatures.of_document(db, doc.id) is None
        assert letter_signatures.by_signed_sha256(db, "CD" * 32) is None
        done = letter_signatures.complete(
            db,
            seal,
            document_id=doc.id,
            signed_sha256="CD" * 32,
            certificate_sha256="ef" * 32,
            backend="lokal",
            signed_at=AT,
        )
        assert (done.document_id, done.signed_sha256, done.backend) == (doc.id, "cd" * 32, "lokal")
        assert done.signed_at == AT
        # A second completion (a redelivered job) changes nothing.
        again = letter_signatures.complete(
            db,
            seal,
            document_id=doc.id,
            signed_sha256="00" * 32,
            certificate_sha256=None,
            backend="pkcs11",
            signed_at=AT + timedelta(hours=1),
        )
        assert (again.signed_sha256, again.backend, again.signed_at) == ("cd" * 32, "lokal", AT)
    with sessions() as db:
        typed = seal.code.lower().replace("-", " ")
        found = letter_signatures.by_code(db, typed)
        assert found is not None and found.id == seal.id
        assert letter_signatures.by_code(db, "ZZZZZ-ZZZZZ") is None
        assert letter_signatures.by_code(db, "bukan kode") is None
        by_pdf = letter_signatures.by_signed_sha256(db, "cd" * 32)
        assert by_pdf is not None and by_pdf.id == seal.id
        assert letter_signatures.by_signed_sha256(db, "00" * 32) is None
        of_doc = letter_signatures.of_document(db, doc.id)
        assert of_doc is not None and of_doc.code == seal.code
        assert of_doc.certificate_sha256 == "ef" * 32
