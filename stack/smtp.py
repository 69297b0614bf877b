"""The local SMTP server (``stack.mailsink``): mail to applicants kept in a Maildir.

``make run`` and the tests start it on 127.0.0.1, at the port the settings name
(``ALUR_SMTP_PORT``), so the workers send mail exactly as they do in production, where
``ALUR_SMTP_HOST`` is the agency's relay. Every message is a file under ``<maildir>/new/``
(``var/mail/new/`` for ``make run``); :meth:`SmtpConfig.messages` reads them back.
"""

from __future__ import annotations

import smtplib
import sys
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from stack.ports import port_is_free
from stack.procs import Managed, StackError, Supervisor, wait_until

REPO = Path(__file__).resolve().parent.parent
#: Loopback only: the sink takes mail from anyone who can reach it, without authentication.
HOST = "127.0.0.1"


@dataclass(frozen=True)
class SmtpConfig:
    port: int
    maildir: Path
    max_bytes: int = 32 * 1024 * 1024

    @property
    def host(self) -> str:
        return HOST

    @property
    def url(self) -> str:
        return f"smtp://{HOST}:{self.port}"

    def argv(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "stack.mailsink",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--maildir",
            str(self.maildir),
            "--max-bytes",
            str(self.max_bytes),
        ]

    def messages(self) -> list[EmailMessage]:
        """Every message in the Maildir (``new/`` and ``cur/``), oldest first."""
        files = []
        for sub in ("new", "cur"):
            folder = self.maildir / sub
            if folder.is_dir():
                files += [p for p in folder.iterdir() if not p.name.startswith(".")]
        parser = BytesParser(policy=policy.default)
        stamped = []
        for path in files:
            try:
                stamped.append((path.stat().st_mtime_ns, path.name, path.read_bytes()))
            except FileNotFoundError:  # moved from new/ to cur/ by a mail reader meanwhile
                continue
        found = []
        for _, _, raw in sorted(stamped):
            message = parser.parsebytes(raw)
            assert isinstance(message, EmailMessage)
            found.append(message)
        return found


def answers(host: str, port: int) -> bool:
    """True when an SMTP server greets us at host:port."""
    with smtplib.SMTP(host, port, timeout=2, local_hostname="localhost") as client:
        return client.noop()[0] == 250


def start(config: SmtpConfig, supervisor: Supervisor, *, timeout: float = 30) -> Managed:
    """Start the sink and wait until it answers on its port."""
    if not port_is_free(config.port, HOST):
        # Waiting would find the other server answering and take it for ours.
        raise StackError(
            f"port {config.port} of {HOST} is taken: another SMTP server (or `make run`) is"
            " running; stop it or set ALUR_SMTP_PORT"
        )
    config.maildir.parent.mkdir(parents=True, exist_ok=True)
    child = supervisor.start("smtp", config.argv(), cwd=REPO)
    wait_until(
        lambda: answers(HOST, config.port),
        timeout=timeout,
        what=f"the SMTP server on {HOST}:{config.port}",
        child=child,
    )
    return child
