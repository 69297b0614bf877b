"""Tables of Alur. Every change goes with an Alembic migration in ``migrations/versions``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
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
    deployed_by: Mapped[str] = mapped_column(String(255))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HumanTask(Base):
    """A human step of a running case, mirrored from Zeebe for the staff inbox.

    ``status`` moves open -> completing -> completed, or open -> cancelled when Zeebe no
    longer has the job (an interrupting event, a cancelled instance). ``completing`` is the
    outbox: the submitted variables are stored before Zeebe is told, so a crash between the
    two is finished later, exactly once.
    """

    __tablename__ = "human_task"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_key: Mapped[int] = mapped_column(BigInteger, unique=True)
    process_instance_key: Mapped[int] = mapped_column(BigInteger, index=True)
    process_definition_key: Mapped[int] = mapped_column(BigInteger)
    bpmn_process_id: Mapped[str] = mapped_column(String(255), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    element_instance_key: Mapped[int] = mapped_column(BigInteger)
    form_key: Mapped[str | None] = mapped_column(String(255))
    candidate_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    assignee: Mapped[str | None] = mapped_column(String(255))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    variables: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    completed_by: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Unit(Base):
    """An organisation unit: an agency, an echelon-1 unit, a UPT. Units form a tree."""

    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"), index=True)


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
