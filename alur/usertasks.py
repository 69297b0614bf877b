"""Human tasks on Zeebe 8.6: the one module that knows they are *job-worker* user tasks.

A BPMN user task without ``<zeebe:userTask/>`` makes the broker create a job of type
``io.camunda.zeebe:userTask`` whose custom headers carry the form key, candidate groups,
assignee and due date. (Native user tasks cannot be listed without Elasticsearch on 8.6, and
task listeners do not exist yet.) Upstream plans to remove this model in 8.10: a later engine
can switch to native tasks by replacing this module only.

The bridge keeps the ``human_task`` table in step with Zeebe:
- new jobs arrive by job streaming (and a long poll for anything created while the stream was
  down), held for a minute (``ACTIVATION_MS``) until the task's row is written, inserted once
  (keyed by job key), and only then leased for 30 days;
- a periodic sweep extends open tasks' job leases, a bounded batch at a time in job-key order
  (so the broker sees a steady trickle, not one command per open task of the country every few
  seconds); a job Zeebe no longer has (an interrupting timer, a cancelled instance) is marked
  cancelled. The task page asks Zeebe too (``Completer.still_open``), so nobody works on a
  task the sweep has not reached yet;
- completion is an outbox: the submitted variables are committed first (status
  ``completing``), then Zeebe is told; whatever a crash leaves in ``completing`` the sweep
  completes later. Zeebe answers NOT_FOUND to a second completion, so it happens once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import Enum
from types import MappingProxyType
from typing import Any, TypeVar

import grpc
from pyzeebe import Job
from pyzeebe.errors import JobAlreadyDeactivatedError, JobNotFoundError
from pyzeebe.grpc_internals.zeebe_adapter import ZeebeAdapter
from pyzeebe.proto.gateway_pb2 import (
    ActivatedJob,
    ActivateJobsRequest,
    CompleteJobRequest,
    StreamActivatedJobsRequest,
    UpdateJobTimeoutRequest,
)
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub
from sqlalchemy.orm import Session, sessionmaker

from alur import diagrams, faults, feel
from alur.gateway import SyncGateway
from storage import deployments, tasks
from storage.tasks import NewTask

log = logging.getLogger("alur.usertasks")
T = TypeVar("T")

JOB_TYPE = "io.camunda.zeebe:userTask"
HEADER_FORM_KEY = "io.camunda.zeebe:formKey"
HEADER_CANDIDATE_GROUPS = "io.camunda.zeebe:candidateGroups"
HEADER_ASSIGNEE = "io.camunda.zeebe:assignee"
HEADER_DUE_DATE = "io.camunda.zeebe:dueDate"

#: How long the bridge holds a user-task job; the sweep renews it long before it ends.
LEASE_MS = 30 * 24 * 60 * 60 * 1000
#: How long a job is held between its activation and the task's row being written: only then
#: is it leased for ``LEASE_MS``. A job activated by a bridge that stops before storing it
#: (a deploy, a crash, a job pushed to a stream being closed) comes back after this, not after
#: 30 days.
ACTIVATION_MS = 60_000


def _candidate_groups(raw: str | None) -> list[str]:
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw.split(",")
    if isinstance(value, str):
        value = [value]
    return [str(group).strip() for group in value if str(group).strip()]


def _due(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return feel.parse_date_time(raw)
    except ValueError:
        log.warning("ignoring malformed due date %r", raw)
        return None


#: Process variables that tie a task to its case and to the unit whose staff may see it.
VAR_CASE_ID = "caseId"
VAR_TRACKING_CODE = "trackingCode"
VAR_UNIT_CODE = "unitCode"


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def _str_or_none(value: Any) -> str | None:
    return str(value)[:64] if isinstance(value, str | int) and str(value) else None


def new_task_from_job(job: Job, name: str = "") -> NewTask:
    headers = dict(job.custom_headers)
    variables = dict(job.variables)
    return NewTask(
        job_key=job.key,
        process_instance_key=job.process_instance_key,
        process_definition_key=job.process_definition_key,
        bpmn_process_id=job.bpmn_process_id,
        element_id=job.element_id,
        element_instance_key=job.element_instance_key,
        form_key=headers.get(HEADER_FORM_KEY) or None,
        candidate_groups=_candidate_groups(headers.get(HEADER_CANDIDATE_GROUPS)),
        assignee=headers.get(HEADER_ASSIGNEE) or None,
        due_at=_due(headers.get(HEADER_DUE_DATE)),
        variables=variables,
        name=name or job.element_id,
        case_id=_int_or_none(variables.get(VAR_CASE_ID)),
        tracking_code=_str_or_none(variables.get(VAR_TRACKING_CODE)),
        unit_code=_str_or_none(variables.get(VAR_UNIT_CODE)),
    )


def job_of(raw: ActivatedJob) -> Job:
    """pyzeebe's ``Job`` for a job the gateway sent."""
    return Job(
        key=raw.key,
        type=raw.type,
        process_instance_key=raw.processInstanceKey,
        bpmn_process_id=raw.bpmnProcessId,
        process_definition_version=raw.processDefinitionVersion,
        process_definition_key=raw.processDefinitionKey,
        element_id=raw.elementId,
        element_instance_key=raw.elementInstanceKey,
        custom_headers=MappingProxyType(json.loads(raw.customHeaders or "{}")),
        worker=raw.worker,
        retries=raw.retries,
        deadline=raw.deadline,
        variables=MappingProxyType(json.loads(raw.variables or "{}")),
        tenant_id=raw.tenantId,
    )


class Bridge:
    """Mirrors user-task jobs into the database; runs inside the worker process's loop."""

    def __init__(
        self,
        channel: grpc.aio.Channel,
        sessions: sessionmaker[Session],
        *,
        sweep_seconds: float,
        sweep_batch: int = 50,
        name: str = "alur-usertasks",
    ) -> None:
        self.adapter = ZeebeAdapter(channel, max_connection_retries=-1)
        self.stub = GatewayStub(channel)
        self.sessions = sessions
        self.sweep_seconds = sweep_seconds
        self.sweep_batch = sweep_batch
        self.name = name
        #: The job key the sweep goes on from (0: start again from the lowest).
        self._cursor = 0
        self._stopped = asyncio.Event()
        #: Deployed diagram text by process definition key (a definition never changes).
        self._diagrams: dict[int, str] = {}

    async def run(self) -> None:
        loops = [self._guard(self._stream), self._guard(self._poll), self._guard(self._sweeps)]
        runners = [asyncio.ensure_future(loop) for loop in loops]
        await self._stopped.wait()
        for runner in runners:
            runner.cancel()
        await asyncio.gather(*runners, return_exceptions=True)

    async def stop(self) -> None:
        self._stopped.set()

    async def _guard(self, loop: Callable[[], Awaitable[None]]) -> None:
        """Keep a loop alive across broker restarts and transient errors."""
        while not self._stopped.is_set():
            try:
                await loop()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - logged, then retried after a pause
                log.warning("%s: %s: %s; retrying", loop.__name__, type(exc).__name__, exc)
                await asyncio.sleep(1)

    # Both loops call the gateway themselves and cancel the call when they end, whatever ends
    # them: a stream abandoned after ``_store`` failed stays registered at the gateway, which
    # goes on pushing new tasks' jobs to it that nobody reads (pyzeebe's generators leave the
    # call to the garbage collector). Seen: every later task of the test session missing.
    async def _stream(self) -> None:
        request = StreamActivatedJobsRequest(
            type=JOB_TYPE, worker=self.name, timeout=ACTIVATION_MS, fetchVariable=[]
        )
        call = self.stub.StreamActivatedJobs(request, timeout=3600)
        try:
            async for raw in call:
                await self._store(job_of(raw))
        finally:
            call.cancel()

    async def _poll(self) -> None:
        request = ActivateJobsRequest(
            type=JOB_TYPE,
            worker=self.name,
            timeout=ACTIVATION_MS,
            maxJobsToActivate=256,
            fetchVariable=[],
            requestTimeout=10_000,
        )
        call = self.stub.ActivateJobs(request, timeout=30)
        try:
            async for response in call:
                for raw in response.jobs:
                    await self._store(job_of(raw))
        finally:
            call.cancel()

    async def _db(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``work(session, ...)`` in a worker thread with a session of its own."""

        def in_thread() -> T:
            with self.sessions() as session:
                return work(session, *args, **kwargs)

        return await asyncio.to_thread(in_thread)

    async def _store(self, job: Job) -> None:
        key = job.process_definition_key
        xml = self._diagrams.get(key)
        if xml is None:
            xml = await self._db(deployments.content_of, "process", key)
            if xml is not None:
                self._diagrams[key] = xml
        task = new_task_from_job(job, diagrams.element_name(xml, job.element_id))
        row, created = await self._db(tasks.upsert, task)
        if created:
            log.info("new task %s (%s) job %s", row.id, task.element_id, task.job_key)
        if row.status == tasks.OPEN:  # stored: now hold the job while staff work on it
            # Gone, or timed out meanwhile: the sweep or the next activation decides.
            with contextlib.suppress(JobNotFoundError, JobAlreadyDeactivatedError):
                await self.adapter.update_job_timeout(job.key, LEASE_MS)

    async def _sweeps(self) -> None:
        while not self._stopped.is_set():
            await self.sweep()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), self.sweep_seconds)

    async def sweep(self) -> None:
        """Finish interrupted completions; then, for the next ``sweep_batch`` open tasks,
        renew the lease or drop the task if Zeebe no longer has it."""
        for job_key in await self._db(tasks.job_keys, tasks.COMPLETING):
            await self._finish_completion(job_key)
        batch = await self._db(
            tasks.job_keys, tasks.OPEN, after=self._cursor, limit=self.sweep_batch
        )
        self._cursor = batch[-1] if len(batch) == self.sweep_batch else 0
        for job_key in batch:
            try:
                await self.adapter.update_job_timeout(job_key, LEASE_MS)
            except JobNotFoundError:
                await self._db(tasks.close, job_key, tasks.CANCELLED, from_status=tasks.OPEN)
                log.info("task of job %s cancelled by the process", job_key)
            except JobAlreadyDeactivatedError:
                pass  # lease ran out (e.g. the test clock jumped); the poll re-activates it

    async def _finish_completion(self, job_key: int) -> None:
        row = await self._db(tasks.by_job_key, job_key)
        result = dict(row.result or {}) if row is not None else {}
        try:
            await self.adapter.complete_job(job_key, result)
        except JobNotFoundError:
            pass  # completed before the crash, or the process moved on without it
        except JobAlreadyDeactivatedError:
            return  # not activated right now; the poll re-activates it, the next sweep retries
        await self._db(tasks.close, job_key, tasks.COMPLETED, from_status=tasks.COMPLETING)


class Outcome(Enum):
    COMPLETED = "completed"  # Zeebe took it; the process moved on
    QUEUED = "queued"  # stored; Zeebe was unreachable, the bridge completes it shortly
    NOT_OPEN = "not_open"  # already completed, being completed, or cancelled


class Completer(SyncGateway):
    """Completes user tasks from synchronous code (the web app)."""

    def _complete_job(self, job_key: int, variables: dict[str, Any]) -> None:
        self.stub.CompleteJob(
            CompleteJobRequest(jobKey=job_key, variables=json.dumps(variables)), timeout=10
        )

    def still_open(self, sessions: sessionmaker[Session], job_key: int) -> bool:
        """Ask Zeebe whether an open task's job still exists (renewing its lease); a job it no
        longer has marks the task cancelled. Any other answer, or none, counts as open: the
        sweep will tell."""
        try:
            self.stub.UpdateJobTimeout(
                UpdateJobTimeoutRequest(jobKey=job_key, timeout=LEASE_MS), timeout=2
            )
        except grpc.RpcError as error:
            code = error.code() if hasattr(error, "code") else None
            if code == grpc.StatusCode.NOT_FOUND:
                with sessions() as session:
                    tasks.close(session, job_key, tasks.CANCELLED, from_status=tasks.OPEN)
                log.info("task of job %s cancelled by the process (seen on open)", job_key)
                return False
        return True

    def complete(
        self, sessions: sessionmaker[Session], task_id: int, user: str, variables: dict[str, Any]
    ) -> Outcome:
        """Complete task ``task_id`` with ``variables`` on behalf of ``user``, exactly once."""
        with sessions() as session:
            row = tasks.begin_completion(session, task_id, user, variables)
            if row is None:
                return Outcome.NOT_OPEN
            job_key = row.job_key
        faults.point("usertask.after_db_write")
        try:
            self._complete_job(job_key, variables)
        except grpc.RpcError as error:
            code = error.code() if hasattr(error, "code") else None
            if code != grpc.StatusCode.NOT_FOUND:
                log.warning("completion of job %s queued: %s", job_key, code)
                return Outcome.QUEUED
        with sessions() as session:
            tasks.close(session, job_key, tasks.COMPLETED, from_status=tasks.COMPLETING)
        return Outcome.COMPLETED
