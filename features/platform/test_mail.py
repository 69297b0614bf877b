"""Mail to applicants through the outbox, to the stack's real SMTP server (a Maildir on disk)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

import pytest
from minio import Minio
from sqlalchemy.orm import Session, sessionmaker

from alur import mail
from features.support import pdfs
from features.support.tally import Tally
from stack.local import Stack
from stack.ports import free_ports
from stack.procs import wait_until
from storage import documents, outbox
from storage.models import Case, CaseDocument, MailOutbox

pytestmark = pytest.mark.platform

RECIPIENT = "siti.nuraini@contoh.id"
SUBJECT = "Surat Keputusan Izin Usaha — ALR-7K2M-9QXD"
BODY = (
    "Yth. Ibu Siti Nur\u2019aini,\n\n"
    "Permohonan Anda telah selesai diproses. Surat keputusan terlampir dalam bentuk PDF.\n\n"
    "Hormat kami,\nDPMPTSP Provinsi Jawa Timur\n"
)
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def pdf() -> bytes:
    """A small well-formed one-page PDF, different each time."""
    return pdfs.pdf(b"<< /Alur (%s) >>" % uuid.uuid4().hex.encode())


@pytest.fixture
def sessions(fresh_db: sessionmaker[Session]) -> sessionmaker[Session]:
    return fresh_db


@pytest.fixture(scope="module")
def client(stack: Stack) -> Minio:
    return stack.s3_client()


@dataclass
class Letter:
    key: str
    case_id: int
    document: CaseDocument
    data: bytes


@pytest.fixture
def letter(stack: Stack, sessions: sessionmaker[Session], client: Minio) -> Letter:
    """A case and its decision letter (a PDF) stored in SeaweedFS."""
    data = pdf()
    with sessions() as session:
        case = Case(
            tracking_code=uuid.uuid4().hex[:12].upper(),
            pin_hash="$argon2id$tidak-dipakai",
            service_code="uji",
            bpmn_process_id="uji",
            applicant_name="Siti Nuraini",
        )
        session.add(case)
        session.flush()
        doc = documents.record(
            session,
            client,
            documents.put_generated(
                client,
                stack.settings.s3_bucket_documents,
                data=data,
                filename="Surat Keputusan.pdf",
                content_type="application/pdf",
                kind="surat",
                uploaded_by="sistem",
                case_id=case.id,
                public=True,
            ),
        )
        session.commit()
        return Letter(f"uji-surat:{uuid.uuid4()}", case.id, doc, data)


def deliver(
    stack: Stack,
    session: Session,
    client: Minio,
    letter: Letter,
    *,
    port: int | None = None,
) -> str:
    st = stack.settings
    return mail.deliver(
        session,
        client,
        key=letter.key,
        case_id=letter.case_id,
        recipient=RECIPIENT,
        subject=SUBJECT,
        body=BODY,
        documents=[letter.document],
        sender=st.mail_from,
        host=st.smtp_host,
        port=st.smtp_port if port is None else port,
        domain=mail.sender_domain(st.mail_from),
        now=NOW,
    )


def arrived(stack: Stack, message_id: str) -> list[EmailMessage]:
    return [m for m in stack.smtp.messages() if m["Message-ID"] == message_id]


def wait_for_one(stack: Stack, message_id: str) -> EmailMessage:
    wait_until(
        lambda: len(arrived(stack, message_id)) >= 1,
        timeout=10,
        what=f"mail {message_id} in {stack.smtp.maildir}",
    )
    found = arrived(stack, message_id)
    assert len(found) == 1, f"{len(found)} copies of {message_id} arrived"
    return found[0]


def row(sessions: sessionmaker[Session], key: str) -> MailOutbox:
    with sessions() as session:
        found = outbox.by_key(session, key)
        assert found is not None
        return found


def test_the_settings_point_at_the_stacks_smtp_server(stack: Stack):
    assert stack.settings.smtp_host == "127.0.0.1"
    assert stack.settings.smtp_port == stack.smtp.port
    assert stack.smtp.maildir == stack.root / "mail"


def test_a_letter_arrives_once_with_its_pdf(
    stack: Stack, sessions: sessionmaker[Session], client: Minio, letter: Letter
):
    expected_id = mail.make_message_id(letter.key, "alur.localhost")
    with sessions() as session:
        assert deliver(stack, session, client, letter) == "sent"

    message = wait_for_one(stack, expected_id)
    assert message["Subject"] == SUBJECT
    assert message["To"] == RECIPIENT
    assert message["From"] == stack.settings.mail_from
    assert parsedate_to_datetime(message["Date"]) == NOW
    assert message["Return-Path"] == "<no-reply@alur.localhost>"
    text = message.get_body(("plain",))
    assert text is not None
    assert text.get_content_charset() == "utf-8"
    assert text.get_content() == BODY
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "Surat Keputusan.pdf"
    assert attachment.get_content_type() == "application/pdf"
    content = attachment.get_content()
    assert isinstance(content, bytes)
    assert hashlib.sha256(content).hexdigest() == hashlib.sha256(letter.data).hexdigest()

    sent = row(sessions, letter.key)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 0, None)
    assert sent.sent_at == NOW
    assert sent.message_id == expected_id
    assert sent.case_id == letter.case_id
    assert sent.document_ids == [letter.document.id]


def test_delivering_twice_with_the_same_key_sends_once(
    stack: Stack, sessions: sessionmaker[Session], client: Minio, letter: Letter
):
    message_id = mail.make_message_id(letter.key, "alur.localhost")
    with sessions() as session:
        assert deliver(stack, session, client, letter) == "sent"
    wait_for_one(stack, message_id)
    with sessions() as session:
        assert deliver(stack, session, client, letter) == "already-sent"
    # The server stores a message before it answers 250: a second send would be there now.
    assert len(arrived(stack, message_id)) == 1
    assert row(sessions, letter.key).attempts == 0


def test_a_failed_send_stays_pending_and_a_retry_sends_it_once(
    stack: Stack, sessions: sessionmaker[Session], client: Minio, letter: Letter
):
    message_id = mail.make_message_id(letter.key, "alur.localhost")
    (closed,) = free_ports(1)  # nothing listens there
    with sessions() as session, pytest.raises(mail.MailError, match=f":{closed}"):
        deliver(stack, session, client, letter, port=closed)

    failed = row(sessions, letter.key)
    assert (failed.status, failed.attempts, failed.sent_at) == ("pending", 1, None)
    assert failed.last_error is not None
    assert "MailError" in failed.last_error
    assert arrived(stack, message_id) == []

    with sessions() as session:
        assert deliver(stack, session, client, letter) == "sent"
    wait_for_one(stack, message_id)
    with sessions() as session:
        assert deliver(stack, session, client, letter) == "already-sent"
    assert len(arrived(stack, message_id)) == 1
    sent = row(sessions, letter.key)
    assert (sent.status, sent.attempts, sent.sent_at) == ("sent", 1, NOW)
    assert sent.last_error is not None  # the history of the failed attempt stays


def test_enqueue_returns_the_recorded_row_unchanged(sessions: sessionmaker[Session]):
    with sessions() as session:
        first = outbox.enqueue(
            session,
            key="uji:sama",
            case_id=None,
            recipient=RECIPIENT,
            subject="Pertama",
            body="isi pertama",
            document_ids=[],
            message_id=mail.make_message_id("uji:sama", "alur.localhost"),
        )
    with sessions() as session:
        again = outbox.enqueue(
            session,
            key="uji:sama",
            case_id=None,
            recipient="orang.lain@contoh.id",
            subject="Kedua",
            body="isi kedua",
            document_ids=[1],
            message_id="<lain@alur.localhost>",
        )
    assert again.id == first.id
    assert (again.recipient, again.subject, again.document_ids) == (RECIPIENT, "Pertama", [])


def test_message_ids_follow_the_key():
    one = mail.make_message_id("pekerjaan:1", "alur.localhost")
    assert one == mail.make_message_id("pekerjaan:1", "alur.localhost")
    assert one != mail.make_message_id("pekerjaan:2", "alur.localhost")
    assert one.startswith("<") and one.endswith("@alur.localhost>")
    assert mail.sender_domain("Layanan Alur <no-reply@contoh.go.id>") == "contoh.go.id"


@pytest.mark.hostile
@pytest.mark.parametrize(
    "subject",
    [
        "Izin usaha\r\nBcc: semua@contoh.id",
        "Izin usaha\nContent-Type: text/html\n\n<script>alert(1)</script>",
        "Izin\u2028usaha\rX-Priority: 1",
    ],
)
def test_line_breaks_in_a_subject_cannot_add_headers(subject: str, tally: Tally):
    message = mail.compose(
        sender="Alur <no-reply@alur.localhost>",
        recipient="pemohon@example.id",
        subject=subject,
        body="Isi surel.",
        attachments=[],
        message_id="<uji@alur.localhost>",
    )
    headers = [name.lower() for name in message]
    held = (
        headers.count("subject") == 1
        and not {"bcc", "x-priority"} & set(headers)
        and headers.count("content-type") == 1
        and "\n" not in str(message["Subject"])
    )
    tally.add("inputs", 1, int(held))
    assert held, message.as_string()
