"""Tables of Alur. Every change goes with an Alembic migration in ``migrations/versions``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware instant stored in UTC; read back aware on every database.

    SQLite keeps no offset: without this, 16:00+07:00 would come back as 16:00 naive.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give instants with their offset")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Deployment(Base):
    """One resource (diagram or form) as Zeebe accepted it: which version, when, by whom."""

    __tablename__ = "deployment"
    __table_args__ = (UniqueConstraint("zeebe_key", name="uq_deployment_zeebe_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "process" or "form"
    resource_id: Mapped[str] = mapped_column(String(255), index=True)  # bpmnProcessId / formId
    resource_name: Mapped[str] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(Integer)
    zeebe_key: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    #: The deployed text (BPMN XML or form JSON): task names and forms are read from it.
    content: Mapped[str | None] = mapped_column(Text)
    deployed_by: Mapped[str] = mapped_column(String(255))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DiagramDraft(Base):
    """A diagram a process owner saved in the browser modeler, with what the lint found.

    Saving never deploys: a draft becomes a new version only through an explicit deploy.
    """

    __tablename__ = "diagram_draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bpmn_process_id: Mapped[str] = mapped_column(String(255), index=True)
    #: The diagram file it was opened from (``bpmn/<name>.bpmn``), its name when deployed.
    resource_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    #: Lint findings at save time: ``[{"line", "element", "message"}]``.
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    saved_by: Mapped[str] = mapped_column(String(255))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The Zeebe key of the version it became, once deployed.
    deployed_key: Mapped[int | None] = mapped_column(BigInteger)


class HumanTask(Base):
    """A human step of a running case, mirrored from Zeebe for the staff inbox.

    ``status`` moves open -> completing -> completed, or open -> cancelled when Zeebe no
    longer has the job (an interrupting event, a cancelled instance). ``completing`` is the
    outbox: the submitted variables are stored before Zeebe is told, so a crash between the
    two is finished later, exactly once.
    """

    __tablename__ = "human_task"
    __table_args__ = (
        # The inbox (storage.inbox): my tasks (assignee), my roles' unclaimed tasks and my
        # team's (status, no assignee, unit read from the index), and their counts from the
        # index alone (the id is for the role lookup; SQLite has it in every index anyway).
        Index("ix_human_task_inbox", "status", "assignee", "unit_code", "due_at", "id"),
        # The "done by me" count.
        Index("ix_human_task_completed_by", "completed_by", "status"),
        # The task bridge's sweep: the next batch of open tasks by job key.
        Index("ix_human_task_sweep", "status", "job_key"),
        # The SLA dashboard's overdue list: open tasks only, everything the list shows, so
        # PostgreSQL does not walk ix_human_task_due_at through a year of completed tasks.
        Index(
            "ix_human_task_open_due",
            "unit_code",
            "due_at",
            "id",
            "bpmn_process_id",
            "tracking_code",
            "assignee",
            "name",
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        # The SLA dashboard's on-time rate and time per step, read from the index alone.
        Index(
            "ix_human_task_sla",
            "unit_code",
            "status",
            "closed_at",
            "bpmn_process_id",
            "due_at",
            "created_at",
            "name",
            "element_id",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_key: Mapped[int] = mapped_column(BigInteger, unique=True)
    process_instance_key: Mapped[int] = mapped_column(BigInteger, index=True)
    process_definition_key: Mapped[int] = mapped_column(BigInteger)
    bpmn_process_id: Mapped[str] = mapped_column(String(255), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    #: The element's name in the diagram, what staff read in the inbox.
    name: Mapped[str] = mapped_column(String(255), default="")
    element_instance_key: Mapped[int] = mapped_column(BigInteger)
    form_key: Mapped[str | None] = mapped_column(String(255))
    candidate_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    assignee: Mapped[str | None] = mapped_column(String(255))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    variables: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    completed_by: Mapped[str | None] = mapped_column(String(255))
    #: How it ended as the engine recorded it (``alur.engine_events``): ``alur``,
    #: ``klien_lain``, ``proses_berlanjut``, ``kasus_dihentikan``; None while open or for a
    #: task that ended before the listener existed.
    end_reason: Mapped[str | None] = mapped_column(String(32))
    #: The other Zeebe client's worker name, when another client completed the task.
    ended_by: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: From the instance's variables: which case, and which unit's staff may see the task.
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    tracking_code: Mapped[str | None] = mapped_column(String(32), index=True)
    unit_code: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    groups: Mapped[list[HumanTaskGroup]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class HumanTaskGroup(Base):
    """A candidate group of a task, one row each, so the inbox can find tasks by role.

    What the inbox filters and sorts on is copied here — the task's status, unit, whether it
    is claimed, its due date and creation time — and kept in step in the same transaction
    (``storage.tasks``, ``storage.inbox``): a member's first page and the tab counts come from
    this table's index alone, a handful of index ranges, instead of visiting the task row of
    every open task of the country that their roles could see.
    """

    __tablename__ = "human_task_group"
    __table_args__ = (
        Index(
            "ix_human_task_group_inbox",
            "role",
            "status",
            "claimed",
            "unit_code",
            "due_at",
            "created_at",
            "task_id",
        ),
    )

    task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    unit_code: Mapped[str | None] = mapped_column(String(64))
    claimed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Unit(Base):
    """An organisation unit: an agency, an echelon-1 unit, a UPT. Units form a tree."""

    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"), index=True)
    #: The agency (``agency.code``) whose unit tree it is part of; None for units of others.
    agency_code: Mapped[str | None] = mapped_column(String(32), index=True)
    #: Services (``Service.code``) whose cases this unit receives for its agency: a service
    #: many agencies run (a DPMPTSP's complaints) has one receiving unit per agency.
    services: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")


class StaffUser(Base):
    """A civil servant who logs in to work on tasks. Passwords are argon2id hashes."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    position: Mapped[str] = mapped_column(String(255), default="")
    nip: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    roles: Mapped[list[StaffRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def role_codes(self) -> set[str]:
        return {r.role for r in self.roles}


class StaffRole(Base):
    """One role (an SOP lane, see ``alur.roles``) held by a staff member."""

    __tablename__ = "staff_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class WebSession(Base):
    """A browser session kept on the server; the cookie holds only a random token.

    The id is the SHA-256 of the token, so a leaked table does not hand out sessions.
    """

    __tablename__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class Case(Base):
    """One request of a citizen or agency: a process instance with a tracking code.

    The applicant proves ownership with the tracking code plus a PIN given once at
    submission (stored as an argon2id hash).
    """

    __tablename__ = "case_file"
    __table_args__ = (
        # The SLA dashboard's open cases per SOP and unit, read from the index alone.
        Index("ix_case_file_sla", "unit_code", "status", "bpmn_process_id", "overdue_at", "id"),
        # A service's public list of reports, newest first (``storage.cases.published``).
        Index("ix_case_file_published", "service_code", "confidential", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(32), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(255))
    service_code: Mapped[str] = mapped_column(String(64), index=True)
    bpmn_process_id: Mapped[str] = mapped_column(String(255))
    process_instance_key: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    #: The process definition (one deployed version) the case runs on, as Zeebe started it.
    process_definition_key: Mapped[int | None] = mapped_column(BigInteger, index=True)
    unit_code: Mapped[str | None] = mapped_column(String(64), index=True)
    applicant_name: Mapped[str] = mapped_column(String(255))
    applicant_email: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(500), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(32), default="diterima", index=True)
    #: How the case ended, in a sentence (the register book's "hasil" column).
    outcome: Mapped[str | None] = mapped_column(String(500))
    #: When a step of the case first passed its time limit (set by an escalation timer).
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: How the application came (a channel code of its service; ``daring``: the online form).
    channel: Mapped[str] = mapped_column(String(32), default="daring", server_default="daring")
    #: The member of staff who registered it on the applicant's behalf (None: online).
    registered_by: Mapped[str | None] = mapped_column(String(64))
    #: The applicant asked to stay anonymous to the units handling the case (SP4N-LAPOR!): the
    #: intake kept their name and telephone out (``applicant_name`` is a placeholder) and no
    #: staff page shows ``applicant_email``, which only the system's e-mails to them use.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The applicant asked that the public not see it (SP4N-LAPOR!'s *Rahasia*): it stays off
    #: the service's public list of reports; the applicant and the handling units see it.
    confidential: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The case a complaint is about (SP4N-LAPOR! started from that case's tracking page).
    related_case_id: Mapped[int | None] = mapped_column(Integer, index=True)


class DocumentRequest(Base):
    """Documents a case waits for: what is missing, asked of the applicant once per step, and
    how it was answered (the documents added, by the applicant on the tracking page or by staff
    for a walk-in). ``published_at`` is set once the engine has the answer (a message)."""

    __tablename__ = "document_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    #: The step that asked (the job's element instance): asking again finds this row.
    step_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: What is missing, one item each, as the applicant reads it.
    items: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: What the request is, when not an incomplete file ("Hasil rapat perlu ditindaklanjuti").
    heading: Mapped[str | None] = mapped_column(String(200))
    #: The applicant is asked for a written reply (header ``tanggapan``), files optional.
    asks_reply: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: ``pemohon`` (the tracking page) or the username of the member of staff who added them.
    answered_by: Mapped[str | None] = mapped_column(String(64))
    #: The ids of the documents added (``case_document.id``).
    documents: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: The applicant's written reply, when one was asked.
    reply: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CaseClock(Base):
    """The SLA clock of a case as the ``sla`` worker last set it: one row per due-date
    variable (``variabel`` of ``alur.sla.hitung``), its due instant, whether it is paused
    (``alur.sla.jeda``, since when) and the working minutes paused so far."""

    __tablename__ = "case_clock"
    __table_args__ = (UniqueConstraint("case_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    #: The process variable holding the due date (``tenggatLayanan``).
    name: Mapped[str] = mapped_column(String(255))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_minutes: Mapped[int] = mapped_column(Integer, default=0)
    #: The limit as the SOP states it ("60 hari kerja"); empty when it is not known.
    limit: Mapped[str] = mapped_column(String(255), default="")
    #: The agency whose working-day calendar counts the clock; empty: the default calendar.
    agency: Mapped[str] = mapped_column(String(32), default="")
    #: The service's time limit (header ``layanan``), shown on the case's pages; a step's
    #: own due date is kept but not shown (it has no "met" state once its step is done).
    service: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseDocument(Base):
    """A file of a case kept in S3: an uploaded requirement or a document Alur issued."""

    __tablename__ = "case_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    human_task_id: Mapped[int | None] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "lampiran", "tanda_terima", "surat", ...
    field_key: Mapped[str | None] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    bucket: Mapped[str] = mapped_column(String(63))
    object_key: Mapped[str] = mapped_column(String(512), unique=True)
    version_id: Mapped[str | None] = mapped_column(String(255))
    #: Whether the applicant may see it on the tracking page.
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseEvent(Base):
    """One line of a case's timeline. Append-only: rows are inserted, never changed."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(500))
    actor: Mapped[str | None] = mapped_column(String(255))
    #: Shown to the applicant on the tracking page; staff see every event.
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: What produced the event once (e.g. ``job:<key>``): a redelivered job adds nothing.
    source_key: Mapped[str | None] = mapped_column(String(255), unique=True)


class LetterDraft(Base):
    """One version of a letter drafted in a case, as its drafter sent it up the review chain
    (issue 25, ``storage.letter_drafts``). Append-only: a revision is a new version.

    ``name`` is the chain's name in the diagram (a task header, e.g. ``jawaban``): a case may
    draft several letters, each with its own versions 1, 2, ...
    """

    __tablename__ = "letter_draft"
    __table_args__ = (
        UniqueConstraint("case_id", "name", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    name: Mapped[str] = mapped_column(String(64))
    #: The letter kind (``alur.letter_kinds.KINDS``).
    kind: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    #: ``{"perihal", "kepada", "isian", "sifat", "lampiran", "tembusan"}`` as the drafter sent it.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: SHA-256 of the content's canonical JSON (``storage.letter_drafts.content_sha256``).
    content_sha256: Mapped[str] = mapped_column(String(64))
    #: What wrote it (the drafting task's step): writing it again returns this row.
    source_key: Mapped[str] = mapped_column(String(255), unique=True)
    #: A username, or ``sistem``.
    created_by: Mapped[str] = mapped_column(String(255))
    created_by_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LetterReview(Base):
    """A tier's decision on one version of a draft: initials (``paraf``), the final signer's
    approval (``tandatangan``) or a return for revision (``kembalikan``, with its note).
    Append-only."""

    __tablename__ = "letter_review"
    __table_args__ = (
        CheckConstraint(
            "decision IN ('paraf', 'tandatangan', 'kembalikan')", name="decision_known"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("letter_draft.id"), index=True)
    #: The user task that decided: deciding again with it returns this row.
    task_key: Mapped[str] = mapped_column(String(255), unique=True)
    #: The task's name in the diagram, what staff read.
    step_name: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(64), index=True)
    full_name: Mapped[str] = mapped_column(String(255))
    position: Mapped[str] = mapped_column(String(255), default="")
    decision: Mapped[str] = mapped_column(String(16))
    #: Why it was returned (required for ``kembalikan``), or a remark with the initials.
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LetterSignature(Base):
    """An issued letter's signature and public verification code (``storage.letter_signatures``).

    Reserved before the letter is rendered (the code and number are printed on it), completed
    once the signed PDF is stored: ``document_id``, ``signed_sha256`` and the signing details
    stay None until then.
    """

    __tablename__ = "letter_signature"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    #: The issuing step: reserving again with it returns this row.
    source_key: Mapped[str] = mapped_column(String(255), unique=True)
    #: The public verification code, ``XXXXX-XXXXX``.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    #: The approved draft it was issued from (None: a letter issued without a review chain).
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("letter_draft.id"))
    kind: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(64))
    letter_date: Mapped[date] = mapped_column(Date)
    agency_code: Mapped[str] = mapped_column(String(32))
    signer_name: Mapped[str] = mapped_column(String(255))
    signer_nip: Mapped[str | None] = mapped_column(String(32))
    signer_position: Mapped[str] = mapped_column(String(255))
    #: The content's SHA-256, the approved draft's when there is one.
    content_sha256: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("case_document.id"), unique=True)
    #: SHA-256 of the signed PDF's bytes.
    signed_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    #: SHA-256 of the signer's certificate (DER).
    certificate_sha256: Mapped[str | None] = mapped_column(String(64))
    #: Which signer made the signature (``lokal``, ``pkcs11``, ...).
    backend: Mapped[str | None] = mapped_column(String(32))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RegisterCounter(Base):
    """The last number given in one register of one agency in one year."""

    __tablename__ = "register_counter"

    agency: Mapped[str] = mapped_column(String(32), primary_key=True)
    register: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class RegisterEntry(Base):
    """One official number, given once. Append-only, like the paper register it replaces."""

    __tablename__ = "register_entry"
    __table_args__ = (UniqueConstraint("agency", "register", "year", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(32))
    register: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    #: Who asked for it (e.g. the element instance of a job): asking again gives the same number.
    key: Mapped[str] = mapped_column(String(255), unique=True)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(32), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    #: The other party: whom a letter is addressed to, who sent or filed what is recorded.
    party: Mapped[str] = mapped_column(String(255), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Agency(Base):
    """An agency whose letters Alur issues: its letterhead, place of signing, time zone and
    logo (``storage.agencies`` checks every value before it is written)."""

    __tablename__ = "agency"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    #: The line above the name ("Pemerintah Provinsi Jawa Timur"), or empty.
    parent: Mapped[str] = mapped_column(String(255), default="")
    #: The lines under the name (sub-units, "Republik Indonesia").
    units: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str] = mapped_column(String(500), default="")
    contact: Mapped[str] = mapped_column(String(500), default="")
    #: Where its letters are signed ("Jakarta, 4 Desember 2026").
    place: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    #: What applicants read as its name; empty: the letterhead's name.
    display_name: Mapped[str] = mapped_column(String(255), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(32))
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AgencyRegister(Base):
    """One register (series of official numbers) of an agency: its title, how its numbers
    read, and which columns its book shows."""

    __tablename__ = "agency_register"

    agency_code: Mapped[str] = mapped_column(ForeignKey("agency.code"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    #: ``{seq}``, ``{bulan}`` and ``{tahun}`` between fixed text: ``B-{seq}/KL.01/{bulan}/{tahun}``.
    pattern: Mapped[str] = mapped_column(String(64))
    #: The kind of documents it records, which sets its book's columns (``storage.agencies``).
    kind: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AgencyDayOff(Base):
    """A day an agency's offices are closed beyond the national list (its own anniversary, a
    local holiday): no working time on it for the agency's time limits."""

    __tablename__ = "agency_day_off"

    agency_code: Mapped[str] = mapped_column(ForeignKey("agency.code"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))


class AgencyChange(Base):
    """Who changed what of an agency, and when. Append-only."""

    __tablename__ = "agency_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(32), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: A username, or ``berkas:<path>`` for a file loaded by ``alur agencies load``.
    who: Mapped[str] = mapped_column(String(255))
    #: ``agency.created``, ``agency.updated``, ``logo.set``, ``logo.removed``,
    #: ``register.created``, ``register.updated``, ``day_off.added``, ``day_off.removed``.
    action: Mapped[str] = mapped_column(String(32))
    #: The register's code, or the day off (ISO date), the change is about; else empty.
    subject: Mapped[str] = mapped_column(String(32), default="")
    #: Field -> ``{"before": ..., "after": ...}`` (a logo by its SHA-256, never its bytes).
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MailOutbox(Base):
    """An e-mail to an applicant: recorded before it is sent, marked once the server took it."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    document_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    message_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class JobIncident(Base):
    """A service task that keeps failing (S3, database or SMTP away, bad data): staff see it
    with its reason on the SLA dashboard until an attempt succeeds (``storage.incidents``).

    One row per job; ``resolved_at`` is set by the attempt that finally succeeds. The engine's
    own incidents (a condition it cannot evaluate, a job another client failed for good) come
    from its records (``alur.engine_events``): one row per ``incident_key``, resolved when the
    engine says so.
    """

    __tablename__ = "job_incident"
    __table_args__ = (Index("ix_job_incident_open", "resolved_at", "unit_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The job of Alur's that keeps failing (None: an incident the engine raised).
    job_key: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    #: The engine's incident key, for an incident the engine raised.
    incident_key: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    process_instance_key: Mapped[int] = mapped_column(BigInteger)
    case_id: Mapped[int | None] = mapped_column(Integer)
    tracking_code: Mapped[str | None] = mapped_column(String(32))
    unit_code: Mapped[str | None] = mapped_column(String(64))
    bpmn_process_id: Mapped[str] = mapped_column(String(255))
    element_id: Mapped[str] = mapped_column(String(255))
    #: The step's name in the diagram, what staff read.
    step: Mapped[str] = mapped_column(String(255))
    job_type: Mapped[str] = mapped_column(String(255))
    #: Why, in Bahasa Indonesia for staff; ``detail`` is the technical message.
    reason: Mapped[str] = mapped_column(String(255))
    detail: Mapped[str] = mapped_column(Text)
    #: Failed attempts so far, the quick retries included.
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FailedAttempt(Base):
    """A wrong password or tracking PIN, by bucket (``storage.throttle``): enough of them in
    a window and further attempts of that bucket wait."""

    __tablename__ = "failed_attempt"
    __table_args__ = (Index("ix_failed_attempt_bucket_at", "bucket", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EngineRecord(Base):
    """One of the engine's own records of what happened, as Zeebe's log has it: a job completed
    (and by which worker), failed or was cancelled; a task, event or instance completed or was
    terminated; an incident raised or resolved.

    Written only by Alur's exporter inside the broker (``exporter/``, issue 23), never by
    Python: one row per record, keyed by where the record sits in the log. The exporter inserts
    ``ON CONFLICT DO NOTHING`` and acknowledges a position to the broker only after its commit,
    so a broker restart or a new partition leader writes nothing twice and skips nothing. Read
    it in log order per partition (``storage.engine_records``); an instance lives on one
    partition, so its rows in position order are its history in order.
    """

    __tablename__ = "engine_record"
    __table_args__ = (Index("ix_engine_record_instance", "process_instance_key", "position"),)

    partition_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    #: The record's key: the job's, the element instance's, the incident's.
    record_key: Mapped[int] = mapped_column(BigInteger)
    #: ``JOB``, ``PROCESS_INSTANCE``, ``INCIDENT``.
    value_type: Mapped[str] = mapped_column(String(32))
    #: ``COMPLETED``, ``CANCELED``, ``ELEMENT_COMPLETED``, ``ELEMENT_TERMINATED``, ``CREATED``...
    intent: Mapped[str] = mapped_column(String(48))
    #: When the broker wrote the record (epoch ms, the broker's clock: controlled in tests).
    timestamp_ms: Mapped[int] = mapped_column(BigInteger)
    process_instance_key: Mapped[int | None] = mapped_column(BigInteger)
    bpmn_process_id: Mapped[str | None] = mapped_column(String(255))
    element_id: Mapped[str | None] = mapped_column(String(255))
    #: The step: a job's element instance, or the element instance itself.
    element_instance_key: Mapped[int | None] = mapped_column(BigInteger)
    #: Process-instance records: ``PROCESS``, ``SERVICE_TASK``, ``USER_TASK``, ``END_EVENT``...
    element_type: Mapped[str | None] = mapped_column(String(48))
    job_type: Mapped[str | None] = mapped_column(String(255))
    #: Job records: the worker that completed (or failed) it, as the worker named itself.
    worker: Mapped[str | None] = mapped_column(String(255))
    #: The whole record as Zeebe serialises it (``Record.toJson()``).
    record_json: Mapped[str] = mapped_column(Text)
    #: When the exporter committed the row (epoch ms, the broker machine's system clock).
    written_at_ms: Mapped[int] = mapped_column(BigInteger)


class EngineCursor(Base):
    """Per partition, the last engine record the listener applied (``alur.engine_events``)."""

    __tablename__ = "engine_cursor"

    partition_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(BigInteger)
