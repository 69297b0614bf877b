"""Alur's own processes for the SOP 1 load benchmark, started as ``make run`` starts them.

The harness's stack runs Zeebe, SeaweedFS and the SMTP sink. Beside it this module prepares a
fresh SQLite database (``storage.migrate``), deploys the diagrams and forms into it
(``alur.deploys.deploy_all``, as the launcher does), creates SOP 1's staff in
``kemenpanrb-kelembagaan`` (``storage.accounts``, as the SOP 1 scenarios do), and starts the
worker process (``python -m workers``) and the web app (gunicorn, 2 workers x 4 threads)
through :meth:`stack.local.Stack.start_workers` and :meth:`~stack.local.Stack.start_web` of a
copy of the stack whose settings point at that database and at a free loopback port. Both
run under a supervisor of their own and are stopped by PID (their process groups).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import grpc
from pyzeebe.proto.gateway_pb2 import CancelProcessInstanceRequest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from alur.deploys import deploy_all
from alur.gateway import SyncGateway
from alur.settings import Settings
from stack.local import Stack, load_agencies
from stack.ports import free_ports
from stack.procs import Managed, Supervisor
from storage import accounts, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import Case

SERVICE = "konsultasi-kemenpanrb"
UNIT = "kemenpanrb-kelembagaan"
PARENT_UNIT = "kemenpanrb"
ROLE_LEAD = "kemenpanrb.pimpinan"
ROLE_OFFICER = "kemenpanrb.petugas"
PASSWORD = "Rahasia-Sekali-2026"
NIP = "198001012005011001"


@dataclass(frozen=True)
class Member:
    username: str
    full_name: str
    role: str
    position: str


def staff(leads: int, officers: int) -> list[Member]:
    """``leads`` leadership accounts and ``officers`` officer accounts of SOP 1's unit."""
    found = [
        Member(f"pimpinan{i}", "Dr. Aba Subagja, M.Si.", ROLE_LEAD, "Asisten Deputi Kelembagaan")
        for i in range(1, leads + 1)
    ]
    found += [
        Member(f"petugas{i}", "Rudi Hartono, S.Sos.", ROLE_OFFICER, "Analis Kebijakan Ahli Muda")
        for i in range(1, officers + 1)
    ]
    return found


@dataclass
class App:
    """The running worker process and web app, and the database they share."""

    settings: Settings
    stack: Stack
    engine: Engine
    sessions: sessionmaker[Session]
    members: list[Member]
    children: dict[str, Managed] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://{self.settings.web_host}:{self.settings.web_port}"

    def pids(self) -> dict[str, int]:
        """Root PID of the worker process and of the web app, by the name they report."""
        return {name: child.pid for name, child in self.children.items()}

    def stop(self) -> None:
        """Stop the worker process and the web app (by PID), cancel every instance that has
        not finished, close the database.

        The broker is shared (in the test session, with the tests that follow): an instance
        left running would hand its jobs, which name this database's case ids, to the next
        worker or task bridge that asks for those job types.
        """
        try:
            self.stack.supervisor.stop_all()
            self.children.clear()
            self.cancel_unfinished()
        finally:
            self.engine.dispose()

    def cancel_unfinished(self) -> int:
        """Cancel the process instance of every case not closed; returns how many."""
        with self.sessions() as db:
            keys = [
                key
                for key in db.scalars(
                    select(Case.process_instance_key).where(Case.closed_at.is_(None))
                )
                if key is not None
            ]
        if not keys:
            return 0
        gateway = SyncGateway(self.settings.zeebe_address)
        cancelled = 0
        try:
            for key in keys:
                try:
                    gateway.stub.CancelProcessInstance(
                        CancelProcessInstanceRequest(processInstanceKey=key), timeout=10
                    )
                    cancelled += 1
                except grpc.RpcError as error:
                    if error.code() != grpc.StatusCode.NOT_FOUND:
                        raise
        finally:
            gateway.close()
        return cancelled


def start(base: Stack, root: Path, members: list[Member]) -> App:
    """Database, deployments and staff, then the worker process and the web app."""
    root.mkdir(parents=True, exist_ok=True)
    for leftover in root.glob("sop1.db*"):
        leftover.unlink()
    (web_port,) = free_ports(1)
    settings = replace(
        base.settings,
        database_url=f"sqlite:///{root / 'sop1.db'}",
        web_host="127.0.0.1",
        web_port=web_port,
        public_base_url=f"http://127.0.0.1:{web_port}",
        data_dir=root,
    )
    migrate.prepare(settings)
    deploy_all(settings, "bench")
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        accounts.ensure_unit(db, PARENT_UNIT, "Kementerian PANRB")
        accounts.ensure_unit(db, UNIT, "Deputi Kelembagaan dan Tata Laksana", PARENT_UNIT)
        for member in members:
            user = accounts.create_user(
                db,
                member.username,
                PASSWORD,
                full_name=member.full_name,
                unit_code=UNIT,
                roles=[member.role],
                position=member.position,
            )
            user.nip = NIP
            if member.role == ROLE_LEAD:
                user.email = f"{member.username}@menpan.example.id"
        db.commit()
    load_agencies(settings.database_url)  # letterheads and registers, as make run loads them
    # The harness's servers, this benchmark's settings and a supervisor of its own: stopping
    # it stops only what was started here.
    app_stack = replace(base, settings=settings, supervisor=Supervisor(root / "logs"), children={})
    app = App(settings, app_stack, engine, sessions, members)
    try:
        app.children["worker"] = app_stack.start_workers()
        app.children["web"] = app_stack.start_web()
    except BaseException:
        app.stop()
        raise
    return app
