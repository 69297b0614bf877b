"""An SOP's scenarios on the session's real stack: a database of the module's own, its diagram
and forms deployed, its staff accounts, the job workers and the user-task bridge running, and
the staff app; what every SOP's steps do with them (sign in as a role, wait for a task, work
it as a person would, read the timeline, the e-mails, the tracking page).

A module builds one with :func:`running` in a module-scoped fixture; the helpers take the
case's id, so each scenario keeps what it learnt in a small object of its own.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alur.usertasks import Bridge
from features.support import caseids
from features.support.engine import Engine
from features.web.conftest import claim_and_complete, csrf_of, sign_in, submit_as_shown
from stack.local import Stack, load_agencies
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import accounts, cases, deployments, document_requests, documents, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import Case, CaseDocument, HumanTask, RegisterEntry
from web import create_app
from workers.deps import Deps, make_deps
from workers.registry import build_routers

PASSWORD = "Rahasia-Sekali-2026"
#: The smallest PDF the upload checks take: what applicants attach in the scenarios.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TASK_LINK = re.compile(r'href="/tugas/(\d+)"')


@dataclass(frozen=True)
class Account:
    """A staff account a module's scenarios sign in as."""

    name: str
    role: str
    unit: str
    position: str = ""
    nip: str | None = None
    email: str | None = None


@dataclass
class SopWorld:
    app: Flask
    stack: Stack
    engine: Engine
    deps: Deps
    sessions: sessionmaker[Session]
    clients: dict[str, FlaskClient] = field(default_factory=dict)

    def staff(self, username: str) -> FlaskClient:
        """The staff app, signed in as ``username`` (one client per account)."""
        if username not in self.clients:
            client = self.app.test_client()
            sign_in(client, username)
            self.clients[username] = client
        return self.clients[username]

    def case(self, case_id: int) -> Case:
        with self.sessions() as db:
            found = db.get(Case, case_id)
            assert found is not None
            return found

    def open_task(self, case_id: int, element_id: str, timeout: float = 30) -> HumanTask:
        """The case's open task of ``element_id``, once the bridge has it."""

        def find() -> HumanTask | None:
            with self.sessions() as db:
                return db.scalar(
                    select(HumanTask).where(
                        HumanTask.case_id == case_id,
                        HumanTask.element_id == element_id,
                        HumanTask.status == "open",
                    )
                )

        wait_until(lambda: find() is not None, timeout=timeout, what=f"the task {element_id}")
        task = find()
        assert task is not None
        return task

    def complete(self, case_id: int, element_id: str, who: str, data: dict[str, Any]) -> None:
        """Claim and complete the task through the staff app, as a person would."""
        claim_and_complete(self.staff(who), self.open_task(case_id, element_id).id, data)

    def work_chain(self, case_id: int, element_id: str, who: str, data: dict[str, Any]) -> str:
        """Complete a task of a letter's review chain as the browser does (the form action
        names the draft version the page showed; the drafting form starts with the draft's
        text); the page as it was shown."""
        page = submit_as_shown(self.staff(who), self.open_task(case_id, element_id).id, data)
        assert "versi=" in page, "a chain task posts the version its page showed"
        return page

    def timeline(self, case_id: int) -> list[str]:
        with self.sessions() as db:
            return [entry.title for entry in cases.timeline(db, case_id)]

    def wait_for_event(self, case_id: int, pattern: str) -> str:
        """The first timeline title matching ``pattern``, once there is one."""

        def found() -> str | None:
            return next((t for t in self.timeline(case_id) if re.search(pattern, t)), None)

        wait_until(lambda: found() is not None, timeout=30, what=f"a timeline event {pattern!r}")
        title = found()
        assert title is not None
        return title

    def mails(self, code: str) -> list[EmailMessage]:
        """The e-mails sent so far whose subject names the tracking code."""
        return [m for m in self.stack.smtp.messages() if code in str(m["Subject"])]

    def attachments(self, case_id: int, code: str, kind: str, to: str) -> list[bytes]:
        """The case's documents of ``kind`` as attached to the e-mails sent to ``to``."""
        with self.sessions() as db:
            names = set(
                db.scalars(
                    select(CaseDocument.filename).where(
                        CaseDocument.case_id == case_id, CaseDocument.kind == kind
                    )
                )
            )
        return [
            part.get_content()
            for message in self.mails(code)
            if message["To"] == to
            for part in message.iter_attachments()
            if part.get_filename() in names
        ]

    def started(self, code: str) -> int:
        """The id of the case the web app started under ``code``; its instance goes to the
        engine's clean-up (not started by ``Engine.start``), so a scenario that stops half-way
        leaves nothing running."""
        with self.sessions() as db:
            found = cases.by_code(db, code)
            assert found is not None and found.process_instance_key is not None
            self.engine.started.append(int(found.process_instance_key))
            return found.id

    def kept_out(
        self,
        username: str,
        task_id: int,
        code: str,
        document_ids: Iterable[int],
        secrets: Iterable[str],
        registers: Iterable[str] = (),
    ) -> None:
        """``username`` opens the case's task, its draft, its documents, its tracking page and
        ``registers`` (``/register/<agency>/<code>`` paths) by URL, claims and completes the
        task: every answer refuses (302, 403 or 404) and an inbox listing (200) shows none of
        ``secrets``; the task stays open and unclaimed."""
        other = self.staff(username)
        token = csrf_of(other.get("/tugas").get_data(as_text=True))
        requests = [
            ("GET", f"/tugas/{task_id}", {}),
            ("GET", f"/tugas/{task_id}/draf.pdf", {}),
            *[("GET", f"/dokumen/{doc}", {}) for doc in document_ids],
            ("POST", f"/tugas/{task_id}/klaim", {"csrf_token": token}),
            ("POST", f"/tugas/{task_id}/selesaikan", {"csrf_token": token, "data": "{}"}),
            ("GET", f"/lacak/{code}", {}),
            ("GET", f"/tugas?kode={code}", {}),
            ("GET", "/tugas?tampilan=tersedia", {}),
            ("GET", "/tugas?tampilan=tim", {}),
            *[("GET", register, {}) for register in registers],
        ]
        hidden = tuple(secrets)
        for method, url, data in requests:
            answer = other.open(url, method=method, data=data)
            body = answer.get_data(as_text=True)
            listing = url.startswith("/tugas?")
            refused = answer.status_code in ((200,) if listing else (302, 403, 404))
            quiet = not any(secret in body for secret in hidden if secret not in url)
            assert refused and quiet, (username, method, url, answer.status_code)
        with self.sessions() as db:
            row = db.get(HumanTask, task_id)
            assert row is not None and row.assignee is None and row.status == "open"

    def applicant(self, code: str, pin: str) -> tuple[FlaskClient, str]:
        """A browser of the applicant that opened the tracking page with the code and PIN, and
        that page."""
        client = self.app.test_client()
        token = csrf_of(client.get("/lacak").get_data(as_text=True))
        opened = client.post("/lacak", data={"kode": code, "pin": pin, "csrf_token": token})
        assert opened.status_code == 302, opened.get_data(as_text=True)
        return client, client.get(opened.headers["Location"]).get_data(as_text=True)

    def tracking_page(self, code: str, pin: str) -> str:
        """The tracking page as the applicant opens it with the code and PIN, whitespace
        collapsed."""
        return " ".join(self.applicant(code, pin)[1].split())

    def waiting_request(self, case_id: int) -> int:
        """The id of the case's request for documents that waits for an answer, once there."""

        def find() -> int | None:
            with self.sessions() as db:
                asked = document_requests.open_request(db, case_id)
                return None if asked is None else asked.id

        wait_until(lambda: find() is not None, timeout=30, what="the request for documents")
        found = find()
        assert found is not None
        return found

    def add_on_tracking_page(self, case_id: int, code: str, pin: str, filename: str) -> None:
        """The applicant opens the tracking page with code and PIN and uploads ``filename`` (a
        small PDF) for the request the case waits on."""
        asked = self.waiting_request(case_id)
        client, page = self.applicant(code, pin)
        answer = client.post(
            f"/lacak/{code}/lengkapi",
            data={
                "csrf_token": csrf_of(page),
                "permintaan": str(asked),
                "berkas": [(io.BytesIO(PDF), filename)],
            },
            content_type="multipart/form-data",
        )
        assert answer.status_code == 303, answer.get_data(as_text=True)

    def issued(self, case_id: int, kind: str) -> tuple[CaseDocument, bytes, RegisterEntry]:
        """The case's letter of ``kind`` once issued: its document, its bytes as S3 holds
        them, its register entry."""

        def find() -> CaseDocument | None:
            with self.sessions() as db:
                return db.scalar(
                    select(CaseDocument).where(
                        CaseDocument.case_id == case_id, CaseDocument.kind == kind
                    )
                )

        wait_until(lambda: find() is not None, timeout=60, what=f"the {kind}")
        doc = find()
        assert doc is not None
        with self.sessions() as db:
            entry = db.scalar(
                select(RegisterEntry).where(
                    RegisterEntry.case_id == case_id, RegisterEntry.kind == kind
                )
            )
        assert entry is not None
        return doc, documents.read_document(self.stack.s3_client(), doc), entry

    def available(self, username: str) -> set[int]:
        """The tasks ``username`` sees on the inbox's tab *Tersedia*."""
        page = self.staff(username).get("/tugas?tampilan=tersedia").get_data(as_text=True)
        return {int(found) for found in TASK_LINK.findall(page)}


@contextmanager
def running(
    stack: Stack,
    engine: Engine,
    folder: Path,
    resources: Iterable[Path],
    staff: Mapping[str, Account],
    units: Iterable[tuple[str, str, str | None]] = (),
) -> Iterator[SopWorld]:
    """The world of a module's scenarios: a SQLite database in ``folder`` with ``units``
    (code, name, parent), ``deploy/agencies.toml`` as ``make run`` loads it and the ``staff``
    accounts (username -> account); ``resources`` deployed; workers, bridge and staff app."""
    url = f"sqlite:///{folder / 'alur.db'}"
    migrate.upgrade(url)
    db_engine = make_engine(url)
    sessions = make_sessionmaker(db_engine)
    settings = replace(stack.settings, database_url=url, job_retry_backoff_ms=1000)
    with sessions() as db:
        # The web app creates this module's cases: their ids start far from other modules'
        # (features/support/caseids.py).
        caseids.start_far(db)
        deployments.record(db, engine.deploy(list(resources)), "uji")
        for code, name, parent in units:
            accounts.ensure_unit(db, code, name, parent)
        db.commit()
    load_agencies(url)  # units made above stay as they are
    with sessions() as db:
        for username, account in staff.items():
            user = accounts.create_user(
                db,
                username,
                PASSWORD,
                full_name=account.name,
                unit_code=account.unit,
                roles=[account.role],
                position=account.position,
            )
            user.nip, user.email = account.nip, account.email
        db.commit()
    deps = make_deps(settings, sessions, stack.s3_client())
    worker = engine.run_worker(build_routers(deps))
    bridge = Bridge(engine.channel, sessions, sweep_seconds=0.3, name=f"alur-test-{folder.name}")
    bridging = engine.submit(bridge.run())
    try:
        yield SopWorld(create_app(settings), stack, engine, deps, sessions)
    finally:
        # The cases the web app started and left running (a scenario that ends half-way, an
        # access test): their timers must not fire into the next module's workers, which
        # take every job type of the shared broker and know none of these cases.
        with sessions() as db:
            engine.cancel(
                db.scalars(
                    select(Case.process_instance_key).where(
                        Case.closed_at.is_(None), Case.process_instance_key.is_not(None)
                    )
                )
            )
        engine.call(bridge.stop())
        bridging.result(10)
        engine.stop_worker(worker)
        db_engine.dispose()


def broker_now(clock: BrokerClock) -> datetime:
    return datetime.fromtimestamp(clock.now_ms() / 1000, UTC)


def move_past(clock: BrokerClock, due: datetime) -> None:
    """The broker's clock a minute past ``due`` (never back)."""
    delta = int((due - broker_now(clock)).total_seconds() * 1000) + 60_000
    if delta > 0:
        clock.add(delta)


def pdf_text(data: bytes) -> str:
    """The PDF's text with its line breaks as spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def post_intake(
    client: FlaskClient, url: str, page: str, body: dict[str, Any], **extra: str
) -> Any:
    """Submit an intake form as its page does: ``body["data"]`` as JSON, the files beside it
    (``files::<name>``), the page's CSRF token, ``extra`` fields (the agency, the channel)."""
    data = {**body, "csrf_token": csrf_of(page), "data": json.dumps(body["data"]), **extra}
    return client.post(
        url, data=data, headers={"Accept": "application/json"}, content_type="multipart/form-data"
    )


def received(client: FlaskClient, response: Any) -> tuple[str, str]:
    """Follow an intake's answer to its receipt (or hand-over) page: tracking code and PIN."""
    assert response.status_code == 201, response.get_json()
    page = client.get(response.get_json()["redirect"]).get_data(as_text=True)
    code = re.search(r'id="kode-pelacakan">([^<]+)<', page)
    pin = re.search(r'id="pin">([^<]+)<', page)
    assert code and pin, page
    return code.group(1).strip(), pin.group(1).strip()
