"""Starting a case's process instance, now or later.

The web app records the case first and then asks Zeebe to start the process. When Zeebe is
away the case waits (``menunggu``) and the worker process starts it later
(``start_waiting``). A claim on the row (``memulai``, ``storage.cases.claim_start``) keeps two
workers from starting the same case. One window stays open: a crash after Zeebe accepted the
start and before the key is written would start the case again later — Zeebe 8.6 has no
idempotent instance creation.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import grpc
from minio import Minio
from sqlalchemy.orm import Session, sessionmaker

from alur.gateway import Starter
from storage import case_status, cases, documents
from storage.models import Case, utcnow

log = logging.getLogger("alur.intake")

JAKARTA = ZoneInfo("Asia/Jakarta")
#: The kind of the receipt document the intake stores.
RECEIPT = "tanda_terima"
#: What ``variables_of`` adds to the intake data (``alur lint`` counts them as set).
CASE_VARIABLES = frozenset(
    {
        "caseId",
        "trackingCode",
        "unitCode",
        "serviceCode",
        "receiptDocumentId",
        "receivedOn",
        "saluran",
    }
)
#: A case still "diterima" without an instance after this long lost its web request.
ABANDONED_AFTER = timedelta(minutes=2)


def variables_of(db: Session, case: Case) -> dict[str, Any]:
    """What the process starts with: the intake data, the case's identity, the receipt
    (``receiptDocumentId``, for the diagram's "send the receipt" step) and the channel the
    application came through (``saluran``: ``daring`` online, else a code of the service's
    ``channels``; a gateway may branch on it)."""
    receipt = next(
        (doc.id for doc in documents.documents_of_case(db, case.id) if doc.kind == RECEIPT), None
    )
    return {
        **case.data,
        "caseId": case.id,
        "trackingCode": case.tracking_code,
        "unitCode": case.unit_code,
        "serviceCode": case.service_code,
        "receiptDocumentId": receipt,
        # The day the request arrived, in WIB: the date a reply letter refers to.
        "receivedOn": case.created_at.astimezone(JAKARTA).date().isoformat(),
        "saluran": case.channel,
    }


def start_case(db: Session, starter: Starter, case: Case) -> bool:
    """Start the case's process; on failure leave it waiting. True if it started."""
    try:
        started = starter.start(case.bpmn_process_id, variables_of(db, case))
    except grpc.RpcError as error:
        log.warning("case %s waits: Zeebe did not start it: %s", case.tracking_code, error)
        case.status = case_status.WAITING
        db.commit()
        return False
    case.process_instance_key = started.instance_key
    case.process_definition_key = started.definition_key
    case.status = case_status.RUNNING
    db.commit()
    return True


def start_waiting(sessions: sessionmaker[Session], starter: Starter, now: datetime) -> int:
    """Start every case that waits (or whose web request died); return how many started."""
    with sessions() as db:
        found = cases.awaiting_start(db, now - ABANDONED_AFTER)
    started = 0
    for case_id, status in found:
        with sessions() as db:
            case = cases.claim_start(db, case_id, status)
            if case is not None and start_case(db, starter, case):
                started += 1
    return started


async def keep_sweeping(
    sessions: sessionmaker[Session],
    client: Minio,
    bucket: str,
    every: float,
    stopped: asyncio.Event,
) -> None:
    """Remove the orphaned uploads of interrupted intakes (``documents.sweep_unattached``)
    every ``every`` seconds until ``stopped`` is set."""

    def sweep_once() -> int:
        with sessions() as db:
            return documents.sweep_unattached(db, client, bucket, utcnow())

    await _every(
        every, stopped, sweep_once, "removed %d orphaned upload(s)", "sweeping orphaned uploads"
    )


async def keep_starting(
    sessions: sessionmaker[Session], starter: Starter, every: float, stopped: asyncio.Event
) -> None:
    """Run ``start_waiting`` every ``every`` seconds until ``stopped`` is set."""
    await _every(
        every,
        stopped,
        lambda: start_waiting(sessions, starter, utcnow()),
        "started %d waiting case(s)",
        "starting waiting cases",
    )


async def _every(
    every: float, stopped: asyncio.Event, work: Callable[[], int], done: str, doing: str
) -> None:
    """Run ``work`` in a thread every ``every`` seconds until ``stopped`` is set; log what it
    did (``done`` with its count) and what went wrong, without stopping (a later round
    retries)."""
    while not stopped.is_set():
        try:
            count = await asyncio.to_thread(work)
            if count:
                log.info(done, count)
        except Exception as exc:  # noqa: BLE001 - logged; the next round retries
            log.warning("%s failed: %s", doing, exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped.wait(), every)
