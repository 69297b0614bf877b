"""The local SMTP server: every message it accepts lands in a Maildir, nothing leaves the machine.

``python -m stack.mailsink --port 8025 --maildir var/mail`` (the launcher starts it for
``make run`` and for the tests; production sends to the agency's relay instead). It listens on
127.0.0.1 only, takes mail without authentication, refuses messages larger than
``--max-bytes`` (announced with the SIZE extension), and writes each message to the Maildir
*before* it answers ``250``: once a client's ``send`` has returned, the file is in ``new/``.

A message is stored as it came over the wire (line ends made ``\\n``, as in any Maildir),
below a ``Return-Path`` and a ``Delivered-To`` header carrying the envelope.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import mailbox
import signal
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger("mailsink")

#: aiosmtpd's own default: 32 MiB, far above a letter and a few uploads in base64.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class MaildirHandler:
    """aiosmtpd handler that adds each message to a Maildir."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir
        # Maildir(create=True) makes tmp/, new/ and cur/ only when the folder itself is new.
        for sub in ("tmp", "new", "cur"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        self.mailbox = mailbox.Maildir(maildir, create=False)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        trace = (
            f"Return-Path: <{envelope.mail_from or ''}>\n"
            f"Delivered-To: {', '.join(envelope.rcpt_tos)}\n"
        ).encode("utf-8", "replace")
        # Maildir.add writes to tmp/ and renames into new/: a reader never sees half a file.
        key = self.mailbox.add(trace + content.replace(b"\r\n", b"\n"))
        log.info(
            "stored %s from <%s> to %s (%d bytes)",
            key,
            envelope.mail_from,
            ", ".join(envelope.rcpt_tos),
            len(content),
        )
        return "250 OK disimpan"


async def serve(host: str, port: int, maildir: Path, max_bytes: int) -> None:
    loop = asyncio.get_running_loop()
    handler = MaildirHandler(maildir)
    server = await loop.create_server(
        # A fixed name: the default (the machine's FQDN) may wait on DNS.
        lambda: SMTP(handler, data_size_limit=max_bytes, hostname="mailsink.alur.localhost"),
        host=host,
        port=port,
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("listening on %s:%d, Maildir %s, at most %d bytes", host, port, maildir, max_bytes)
    async with server:
        await stop.wait()
    log.info("stopped")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m stack.mailsink", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", type=Path, required=True)
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: every SMTP command
    asyncio.run(serve(args.host, args.port, args.maildir.resolve(), args.max_bytes))


if __name__ == "__main__":
    main()
