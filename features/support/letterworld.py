"""A database, units and a signer for the letter diagram ``features/platform/diagrams/
uji_surat.bpmn`` (register, letter, e-mail, close), shared by the letter and fault tests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from features.support import caseids
from features.support.engine import Engine
from stack.local import Stack, load_agencies
from storage import accounts, cases, deployments, incidents, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import (
    Case,
    CaseDocument,
    JobIncident,
    MailOutbox,
    RegisterCounter,
    RegisterEntry,
)
from workers.deps import Deps, make_deps

DIAGRAM = Path(__file__).resolve().parent.parent / "platform" / "diagrams" / "uji_surat.bpmn"
PROCESS_ID = "Uji_Surat"
SPEC = {
    "perihal": "Jawaban atas pengaduan perizinan",
    "isian": {
        "register_number": "12/REG-PGD/DPMPTSP/2026",
        "received_on": "2026-11-02",
        "summary": "Izin usaha belum terbit setelah 30 hari.",
        "answer": "Izin usaha Saudara telah terbit pada 20 November 2026.",
    },
}


@dataclass
class World:
    deps: Deps
    sessions: sessionmaker[Session]

    def close(self) -> None:
        self.sessions.kw["bind"].dispose()


def make_world(stack: Stack, engine: Engine, root: Path, url: str | None = None) -> World:
    """A fresh database (``url``, default SQLite under ``root``) with the diagram deployed
    and recorded."""
    url = url or f"sqlite:///{root / 'alur.db'}"
    migrate.upgrade(url)
    sessions = make_sessionmaker(engine=make_engine(url))
    with sessions() as db:
        deployments.record(db, engine.deploy([DIAGRAM]), "uji")
        accounts.ensure_unit(db, "pemprov-jatim", "Pemerintah Provinsi Jawa Timur")
        accounts.ensure_unit(db, "dpmptsp-jatim", "DPMPTSP Provinsi Jawa Timur", "pemprov-jatim")
        kadis = accounts.create_user(
            db,
            "kadis",
            "Rahasia-Sekali-2026",
            full_name="Dr. Hj. Sri Wahyuni, M.Si.",
            unit_code="pemprov-jatim",  # the unit above the case's: the nearest holder signs
            roles=["dpmptsp.kadis"],
            position="Kepala Dinas Penanaman Modal dan PTSP",
        )
        kadis.nip = "197001011995032001"
        db.commit()
    # deploy/agencies.toml as make run loads it (units made above stay as they are)
    load_agencies(url)
    settings = replace(stack.settings, database_url=url, job_retry_backoff_ms=1000)
    deps = make_deps(settings, sessions, stack.s3_client())
    return World(deps, sessions)


def new_case(world: World, email: str | None = "pengadu@example.id") -> Case:
    with world.sessions() as db:
        case, _ = cases.create(
            db,
            cases.NewCase(
                "pengaduan-dpmptsp",
                PROCESS_ID,
                "dpmptsp-jatim",
                "Budi Santoso",
                email,
                "Pengaduan izin usaha",
                {},
            ),
        )
        db.commit()
        return caseids.move_first(db, case)


def letter_effects(world: World, case_id: int) -> dict[str, Any]:
    """What the letter diagram left for a case: register entries, documents, outbox rows,
    timeline titles, and how many numbers any register gave without an entry (gaps)."""
    with world.sessions() as db:
        entries = list(db.scalars(select(RegisterEntry).where(RegisterEntry.case_id == case_id)))
        letters = list(db.scalars(select(CaseDocument).where(CaseDocument.case_id == case_id)))
        mails = list(db.scalars(select(MailOutbox).where(MailOutbox.case_id == case_id)))
        titles = [event.title for event in cases.timeline(db, case_id)]
        gaps = 0
        for counter in db.scalars(select(RegisterCounter)):
            given = db.scalar(
                select(func.count()).where(
                    RegisterEntry.agency == counter.agency,
                    RegisterEntry.register == counter.register,
                    RegisterEntry.year == counter.year,
                )
            )
            gaps += counter.last - int(given or 0)
    return {"entries": entries, "letters": letters, "mails": mails, "titles": titles, "gaps": gaps}


def open_incident(world: World, case_id: int) -> JobIncident | None:
    """The case's unresolved incident, if any (``storage.incidents``)."""
    with world.sessions() as db:
        found = incidents.open_incidents(db, None, national=True)
        return next((i for i in found if i.case_id == case_id), None)
