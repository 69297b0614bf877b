"""A private PostgreSQL cluster on a free loopback port, for the PostgreSQL test lane."""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from stack.ports import free_ports
from stack.procs import Managed, StackError, Supervisor, wait_until

VERSION = "15"


def _bin(name: str) -> str:
    path = Path(f"/usr/lib/postgresql/{VERSION}/bin/{name}")
    if not path.is_file():
        raise StackError(f"{path} not found: install the Debian package postgresql-{VERSION}")
    return str(path)


def _as_owner() -> list[str]:
    """PostgreSQL refuses to run as root: run it as the ``postgres`` user then."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


@dataclass
class Postgres:
    data_dir: Path
    port: int
    password: str
    child: Managed | None = None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://alur:{self.password}@127.0.0.1:{self.port}/alur"

    def admin_url(self, database: str = "alur") -> str:
        return f"postgresql+psycopg://alur:{self.password}@127.0.0.1:{self.port}/{database}"


def start(root: Path, supervisor: Supervisor, *, timeout: float = 60) -> Postgres:
    """Initialise and start a cluster in ``root`` (whose parents the server user can enter)."""
    root.mkdir(parents=True, exist_ok=True)
    data_dir = root / "data"
    (port,) = free_ports(1)
    pg = Postgres(data_dir, port, secrets.token_urlsafe(16))
    pwfile = root / "pwfile"
    pwfile.write_text(pg.password)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (root, pwfile):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    initdb = [
        *_as_owner(),
        _bin("initdb"),
        "-D",
        str(data_dir),
        "-U",
        "alur",
        f"--pwfile={pwfile}",
        "-A",
        "scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
    ]
    result = subprocess.run(initdb, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise StackError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
    pwfile.unlink()
    serve(pg, root, supervisor, timeout=timeout)
    create = subprocess.run(
        [_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "alur", "alur"],
        env={**os.environ, "PGPASSWORD": pg.password},
        capture_output=True,
        text=True,
        check=False,
    )
    if create.returncode != 0:
        raise StackError(f"createdb failed: {create.stderr}")
    return pg


def serve(pg: Postgres, root: Path, supervisor: Supervisor, *, timeout: float = 60) -> None:
    """Run the server of an initialised cluster (again, after a stop) until it answers."""
    port = pg.port
    argv = [
        *_as_owner(),
        _bin("postgres"),
        "-D",
        str(pg.data_dir),
        "-p",
        str(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        f"unix_socket_directories={root}",
        "-c",
        "fsync=off",
        "-c",
        "max_connections=200",
    ]
    pg.child = supervisor.start("postgres", argv)
    wait_until(
        lambda: (
            subprocess.run(
                [_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        ),
        timeout=timeout,
        what="PostgreSQL",
        child=pg.child,
    )


def halt(pg: Postgres, supervisor: Supervisor, *, timeout: float = 60) -> None:
    """Stop the server with a *fast* shutdown and wait until it is gone.

    The supervisor's SIGTERM asks for a *smart* shutdown, which waits for every client to
    disconnect; ``runuser`` then SIGKILLs the postmaster after two seconds and a restart can
    find its lock file still held. ``pg_ctl -m fast`` closes the sessions and returns only
    once the postmaster has removed ``postmaster.pid``."""
    if pg.child is None:
        return
    if pg.child.alive():
        subprocess.run(
            [
                *_as_owner(),
                _bin("pg_ctl"),
                "stop",
                "-D",
                str(pg.data_dir),
                "-m",
                "fast",
                "-w",
                "-t",
                str(int(timeout)),
            ],
            capture_output=True,
            check=False,
        )
    supervisor.stop(pg.child)
    pg.child = None


def remove(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
