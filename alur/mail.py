"""E-mail to applicants over SMTP, through the outbox (``storage.outbox``).

:func:`deliver` is what a worker calls: it records the mail under an idempotency key, sends it
once and marks it sent. The Message-ID is derived from the key, so if a crash falls between
the server's ``250`` and the commit of "sent", the message sent again carries the same
Message-ID and the recipient's mail system (or a person) can recognise the duplicate.

Locally and in the tests the SMTP server is the launcher's ``stack.mailsink`` on loopback;
in production ``ALUR_SMTP_HOST``/``ALUR_SMTP_PORT`` name the agency's relay.
"""

from __future__ import annotations

import hashlib
import smtplib
from collections.abc import Sequence
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from minio import Minio
from sqlalchemy.orm import Session

from alur import faults
from storage import outbox
from storage.documents import read_document
from storage.models import CaseDocument

#: (file name, content type, bytes) of one attachment.
Attachment = tuple[str, str, bytes]

SENT = "sent"
ALREADY_SENT = "already-sent"


class MailError(RuntimeError):
    """The SMTP server could not be reached, or refused the message."""


def make_message_id(key: str, domain: str) -> str:
    """The Message-ID of the mail recorded under ``key``: the same key, the same Message-ID."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def sender_domain(sender: str) -> str:
    """The domain of a sender like ``Alur <no-reply@alur.localhost>`` (for Message-IDs)."""
    _, address = parseaddr(sender)
    domain = address.rpartition("@")[2]
    if not domain or "@" not in address:
        raise ValueError(f"not a sender address: {sender!r}")
    return domain


def compose(
    *,
    sender: str,
    recipient: str,
    subject: str,
    body: str,
    attachments: Sequence[Attachment],
    message_id: str,
    date: datetime | None = None,
) -> EmailMessage:
    """A UTF-8 text message (Bahasa, written by the caller) with the files attached."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = recipient
    # Text an applicant wrote may carry line breaks: one line, so it cannot add a header.
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(date or datetime.now(UTC))
    message["Message-ID"] = message_id
    # Quoted-printable keeps the text 7-bit: any relay takes it, 8BITMIME or not.
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    for filename, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        if not subtype:
            raise ValueError(f"not a content type: {content_type!r}")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def send(host: str, port: int, message: EmailMessage, timeout: float = 10) -> None:
    """Hand ``message`` to the SMTP server at host:port.

    Raises:
        MailError: the server cannot be reached, or refuses the sender or a recipient.
    """
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as client:
            # Production hook: a relay that wants TLS and a login gets them here, e.g.
            #   client.starttls(context=ssl.create_default_context()); client.login(user, pw)
            # behind settings (ALUR_SMTP_STARTTLS, ALUR_SMTP_USER, ...) added together with
            # a test against a server that requires them. The local server needs neither.
            refused = client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"SMTP {host}:{port}: {type(exc).__name__}: {exc}") from exc
    if refused:  # some recipients refused, others taken
        raise MailError(f"SMTP {host}:{port} refused {sorted(refused)}")


def deliver(
    session: Session,
    s3_client: Minio,
    *,
    key: str,
    case_id: int | None,
    recipient: str,
    subject: str,
    body: str,
    documents: Sequence[CaseDocument],
    sender: str,
    host: str,
    port: int,
    domain: str,
    now: datetime,
) -> str:
    """Send the mail recorded under ``key`` once: ``"sent"``, or ``"already-sent"``.

    The first call records it in the outbox (committed before anything is sent); a later
    call with the same key sends what was recorded then, under the same Message-ID. The
    attachments are read from S3, each checked against its SHA-256.

    Raises:
        MailError: the server could not take it; the row stays pending with ``attempts``
            raised and ``last_error`` set, so the caller retries later (with backoff).
    """
    outbox.enqueue(
        session,
        key=key,
        case_id=case_id,
        recipient=recipient,
        subject=subject,
        body=body,
        document_ids=[doc.id for doc in documents],
        message_id=make_message_id(key, domain),
    )
    row = outbox.pending(session, key)
    if row is None:
        session.rollback()
        return ALREADY_SENT
    try:
        # What was recorded is what is sent: a retry that produced new documents or text
        # still sends the first version.
        known = {doc.id: doc for doc in documents}
        attachments = []
        for doc_id in row.document_ids:
            doc = known.get(doc_id) or session.get(CaseDocument, doc_id)
            if doc is None:
                raise LookupError(f"document {doc_id} of outbox {row.id} no longer exists")
            attachments.append((doc.filename, doc.content_type, read_document(s3_client, doc)))
        message = compose(
            sender=sender,
            recipient=row.recipient,
            subject=row.subject,
            body=row.body,
            attachments=attachments,
            message_id=row.message_id,
            date=now,
        )
        send(host, port, message)
        faults.point("mail.after_smtp")
    except Exception as exc:
        outbox_id = row.id
        session.rollback()
        outbox.record_failure(session, outbox_id, f"{type(exc).__name__}: {exc}")
        raise
    outbox.mark_sent(session, row.id, now)
    return SENT
