"""People using SOP 1 over HTTP: applicants at the public intake, staff in their inbox.

Everything goes through the web app's own pages and endpoints, as a browser would:

- an **applicant** opens ``/layanan/konsultasi-kemenpanrb`` (a new browser: its own cookie
  session and CSRF token), posts the intake as multipart (``data`` as JSON, the identity
  card as a PDF under ``files::ktp``, as ``static/alur-form.js`` does), and follows the
  answer's redirect to ``/lacak/<code>/diterima``;
- per role, an **inbox** session (signed in at ``/masuk``) keeps the role's inbox
  ``/tugas?tampilan=tersedia`` open and reloads it every ``interval`` seconds; each task it
  shows for the first time is handed to one of the role's **staff** sessions, which opens
  the task page, claims it (``/tugas/<id>/klaim``, following the redirect back to the task
  page), submits the form (``/tugas/<id>/selesaikan``, JSON answer) and follows the answer's
  redirect to ``/tugas``. Handing each task to one member keeps two people from claiming it.

**Next visible** is measured from the instant a form is submitted (the start of the POST: the
intake's, or the completing member's) to the end of the first inbox response, in the inbox of
the role that acts next, that lists the next task of that case. It is at most one reload
interval plus one inbox response late. While a submitted form waits for a task to appear in
an inbox, that inbox is reloaded every ``tight`` seconds instead (one load after the other
when a load takes longer); the benchmark lowers ``tight`` while it measures latency.
"""

from __future__ import annotations

import functools
import html
import io
import json
import queue
import random
import re
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from bench.sop1_app import PASSWORD, ROLE_LEAD, ROLE_OFFICER, SERVICE, Member

WIB = ZoneInfo("Asia/Jakarta")
TIMEOUT = 60.0
CSRF = (re.compile(r'name="csrf_token" value="([^"]+)"'), re.compile(r'data-csrf="([^"]+)"'))
ROW = re.compile(r'<td><a href="/tugas/(\d+)">([^<]*)</a></td>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>')

#: The intake's answers, as the SOP 1 scenarios send them.
INTAKE: dict[str, Any] = {
    "applicantType": "institusi",
    "applicantName": "Dinas Kominfo Kabupaten Sleman",
    "institutionName": "Pemerintah Kabupaten Sleman",
    "applicantEmail": "kominfo@sleman.example.id",
    "applicantPhone": "081234567890",
    "topic": "spbe",
    "subject": "Konsultasi arsitektur SPBE daerah",
    "matter": "Penyusunan arsitektur SPBE pemerintah daerah.",
    "purpose": "Mendapat arahan penyusunan arsitektur SPBE.",
    "identityDocument": "files::ktp",
}
INTAKE_TASK = "Disposisi pimpinan"


@dataclass(frozen=True)
class Step:
    """A human task of the approved path: who does it, with what, and what comes next."""

    role: str
    data: Callable[[datetime], dict[str, Any]]
    next: str | None


#: The approved path (disposition → analysis: can be held → schedule → the reply's draft
#: checked and signed → held), by task name.
STEPS: dict[str, Step] = {
    "Disposisi pimpinan": Step(
        ROLE_LEAD,
        lambda _: {"officers": "Rudi Hartono", "dispositionNote": "Mohon ditelaah."},
        "Analisis konsultasi",
    ),
    "Analisis konsultasi": Step(
        ROLE_OFFICER,
        lambda _: {"canBeHeld": "ya", "analysis": "Materi sesuai kewenangan."},
        "Tetapkan jadwal dan narahubung",
    ),
    "Tetapkan jadwal dan narahubung": Step(
        ROLE_OFFICER,
        lambda schedule: {
            "mode": "daring",
            "schedule": schedule.strftime("%Y-%m-%dT%H:%M+07:00"),
            "venue": "https://rapat.example.id/sleman",
            "contactName": "Rudi Hartono",
            "contact": "0812 1111 2222",
        },
        "Periksa draf surat jawaban",
    ),
    "Periksa draf surat jawaban": Step(
        ROLE_OFFICER,
        lambda _: {  # the draft's text as the form shows it, sent up unchanged
            "perihal": "Jawaban atas permohonan konsultasi",
            "venue": "https://rapat.example.id/sleman",
            "contact_name": "Rudi Hartono",
            "contact": "0812 1111 2222",
        },
        "Tandatangani surat jawaban",
    ),
    "Tandatangani surat jawaban": Step(
        ROLE_LEAD, lambda _: {"keputusanDraf": "setuju"}, "Laksanakan konsultasi"
    ),
    "Laksanakan konsultasi": Step(
        ROLE_OFFICER,
        lambda _: {
            "attendees": "Tim Kominfo Sleman; Rudi Hartono",
            "result": "Arahan arsitektur diberikan.",
        },
        None,
    ),
}
#: Transition names: what was submitted → what must become visible.
TRANSITIONS = ("intake", *(name for name, step in STEPS.items() if step.next))


def identity_pdf(size: int = 120_000, seed: int = 13) -> bytes:
    """A one-page PDF holding a scanned-card-sized JPEG-like image (no active content)."""
    rng = random.Random(seed)
    image = bytes(rng.choice(b"0123456789abcdefghijklmnopqrstuv") for _ in range(size))
    image = b"\xff\xd8\xff\xe0" + image + b"\xff\xd9"
    content = zlib.compress(b"q 320 0 0 200 40 560 cm /Im1 Do Q")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 640 /Height 400 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
        % len(image)
        + image
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def csrf_of(page: str) -> str:
    for pattern in CSRF:
        match = pattern.search(page)
        if match:
            return match.group(1)
    raise RuntimeError("the page carries no CSRF token")


@dataclass(frozen=True)
class Row:
    task_id: int
    name: str
    code: str


def inbox_rows(page: str) -> list[Row]:
    return [
        Row(int(task_id), html.unescape(name).strip(), html.unescape(code).strip())
        for task_id, name, code in ROW.findall(page)
    ]


@dataclass(frozen=True)
class Sample:
    """One "next visible" measurement."""

    phase: str
    transition: str
    #: From the start of the form's POST to the inbox response that lists the next task.
    from_submit_ms: float
    #: From the end of the form's POST (its answer) to the same inbox response.
    from_answer_ms: float


@dataclass
class _Pending:
    phase: str
    transition: str
    submitted: float
    answered: float | None = None


@dataclass
class Recorder:
    """What the driver saw, shared by its threads."""

    phase: str = ""
    samples: list[Sample] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    #: (phase, monotonic instant, tracking code) of each accepted intake.
    intakes: list[tuple[str, float, str]] = field(default_factory=list)
    #: (phase, milliseconds) of each accepted intake POST.
    intake_ms: list[tuple[str, float]] = field(default_factory=list)
    #: (phase, step name, milliseconds) of each completion POST.
    complete_ms: list[tuple[str, str, float]] = field(default_factory=list)
    #: When each completion POST started, on the wall clock (as the database records time),
    #: by (tracking code, task name).
    submits: dict[tuple[str, str], datetime] = field(default_factory=dict)
    #: (phase, milliseconds) of each inbox load.
    inbox_ms: list[tuple[str, float]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pending: dict[tuple[str, str], _Pending] = field(default_factory=dict)
    _seen: dict[tuple[str, str], float] = field(default_factory=dict)
    #: Per role, how many submitted forms wait for a task to appear in its inbox.
    _awaiting: Counter[str] = field(default_factory=Counter)

    def error(self, what: str) -> None:
        """Count a failure, under the phase it happened in."""
        with self._lock:
            self.errors[f"{self.phase}: {what}"] += 1

    def awaiting(self, role: str) -> int:
        with self._lock:
            return self._awaiting[role]

    def intake_started(self) -> None:
        with self._lock:
            self._awaiting[STEPS[INTAKE_TASK].role] += 1

    def intake_failed(self) -> None:
        with self._lock:
            self._awaiting[STEPS[INTAKE_TASK].role] -= 1

    def expect(self, code: str, name: str, transition: str, submitted: float) -> None:
        """The next task ``name`` of case ``code`` should appear; the form left at
        ``submitted``."""
        with self._lock:
            self._pending[(code, name)] = _Pending(self.phase, transition, submitted)
            self._awaiting[STEPS[name].role] += 1

    def inbox_loaded(self, ms: float) -> None:
        with self._lock:
            self.inbox_ms.append((self.phase, ms))

    def answered(self, code: str, name: str, at: float) -> None:
        with self._lock:
            pending = self._pending.get((code, name))
            if pending is not None:
                pending.answered = at
            self._match((code, name))

    def accepted(self, code: str, submitted: float, answered: float, phase: str) -> None:
        """The intake of case ``code`` was accepted: its first task should appear."""
        with self._lock:
            self.intakes.append((phase, submitted, code))
            self.intake_ms.append((phase, (answered - submitted) * 1000))
            self._pending[(code, INTAKE_TASK)] = _Pending(phase, "intake", submitted, answered)
            self._match((code, INTAKE_TASK))

    def completed(self, row: Row, submitted: float, answered: float, wall: float) -> None:
        """The member's form of task ``row`` went through: sent at ``submitted`` (monotonic)
        and ``wall`` (``time.time``), answered at ``answered``."""
        with self._lock:
            self.complete_ms.append((self.phase, row.name, (answered - submitted) * 1000))
            self.submits[(row.code, row.name)] = datetime.fromtimestamp(wall, UTC)

    def drop(self, code: str, name: str) -> None:
        with self._lock:
            if self._pending.pop((code, name), None) is not None:
                self._awaiting[STEPS[name].role] -= 1

    def seen(self, code: str, name: str, at: float) -> None:
        """An inbox listed task ``name`` of case ``code`` for the first time at ``at``."""
        with self._lock:
            self._seen.setdefault((code, name), at)
            self._match((code, name))

    def _match(self, key: tuple[str, str]) -> None:
        pending, seen = self._pending.get(key), self._seen.get(key)
        if pending is None or seen is None or pending.answered is None:
            return
        del self._pending[key]
        del self._seen[key]
        self._awaiting[STEPS[key[1]].role] -= 1
        self.samples.append(
            Sample(
                pending.phase,
                pending.transition,
                (seen - pending.submitted) * 1000,
                (seen - pending.answered) * 1000,
            )
        )


class Browser:
    """One person's browser: a cookie session against the web app."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()

    def get(self, path: str) -> requests.Response:
        response = self.http.get(self.base_url + path, timeout=TIMEOUT)
        response.raise_for_status()
        return response

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.post(self.base_url + path, timeout=TIMEOUT, **kwargs)

    def sign_in(self, username: str) -> None:
        token = csrf_of(self.get("/masuk").text)
        response = self.post(
            "/masuk",
            data={"username": username, "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{username} could not sign in: HTTP {response.status_code}")

    def close(self) -> None:
        self.http.close()


class Driver:
    """Applicants, inbox watchers and staff of SOP 1 against the web app at ``base_url``."""

    def __init__(
        self,
        base_url: str,
        members: list[Member],
        schedule: datetime,
        *,
        interval: float,
        tight: float,
        applicants: int = 16,
    ) -> None:
        self.base_url = base_url
        self.members = members
        self.schedule = schedule
        #: Seconds between two loads of an inbox, and while a submitted form waits for a
        #: task to appear in it (both may be changed while running).
        self.interval = interval
        self.tight = tight
        self.recorder = Recorder()
        self.pdf = identity_pdf()
        self.requested = (datetime.now(WIB) + timedelta(days=30)).strftime("%Y-%m-%dT10:00+07:00")
        self._stop = threading.Event()
        self._queues: dict[str, queue.Queue[Row]] = {
            ROLE_LEAD: queue.Queue(),
            ROLE_OFFICER: queue.Queue(),
        }
        self._threads: list[threading.Thread] = []
        self._pool = ThreadPoolExecutor(max_workers=applicants, thread_name_prefix="applicant")
        self._inflight = 0
        #: Applicants that came so far (answered or not).
        self.arrived = 0
        self._inflight_lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Sign every member in; start one inbox watcher per role and one thread per member."""
        watchers: dict[str, Member] = {}
        for member in self.members:
            watchers.setdefault(member.role, member)
        for role, member in watchers.items():
            browser = self._signed_in(member)
            self._spawn(f"inbox-{role}", functools.partial(self._watch, browser, role))
        for member in self.members:
            browser = self._signed_in(member)
            self._spawn(f"staff-{member.username}", functools.partial(self._work, browser, member))

    def _signed_in(self, member: Member) -> Browser:
        browser = Browser(self.base_url)
        try:
            browser.sign_in(member.username)
        except BaseException:
            browser.close()
            raise
        return browser

    def stop(self) -> None:
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        for thread in self._threads:
            thread.join(TIMEOUT + 5)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    # -- applicants ------------------------------------------------------------------------

    def arrive(self, rate: float, seconds: float) -> int:
        """Applicants arrive every ``1/rate`` seconds for ``seconds``; returns how many came.

        Open loop: an applicant comes on time even when earlier ones still wait for the app
        (up to the pool's size; beyond it they queue, which shows as intake falling behind).
        """
        count = max(1, round(rate * seconds))
        began = time.monotonic()
        for index in range(count):
            delay = began + index / rate - time.monotonic()
            if delay > 0 and self._stop.wait(delay):
                return index
            with self._inflight_lock:
                self.arrived += 1
            self._pool.submit(self._apply)
        return count

    @property
    def inflight(self) -> int:
        with self._inflight_lock:
            return self._inflight

    @property
    def queued(self) -> int:
        """Tasks an inbox showed that no member has started on yet (if this grows, the
        driver's staff, not Alur, are too few)."""
        return sum(tasks.qsize() for tasks in self._queues.values())

    def _apply(self) -> None:
        with self._inflight_lock:
            self._inflight += 1
        browser = Browser(self.base_url)
        try:
            self._apply_with(browser)
        except Exception as exc:  # noqa: BLE001 - counted; the run goes on
            self.recorder.error(f"intake: {type(exc).__name__}: {exc}"[:200])
        finally:
            browser.close()
            with self._inflight_lock:
                self._inflight -= 1

    def _apply_with(self, browser: Browser) -> None:
        page = browser.get(f"/layanan/{SERVICE}").text
        data = {**INTAKE, "requestedTime": self.requested}
        recorder = self.recorder
        phase = recorder.phase
        submitted = time.monotonic()
        recorder.intake_started()
        try:
            response = browser.post(
                f"/layanan/{SERVICE}/ajukan",
                data={"csrf_token": csrf_of(page), "data": json.dumps(data)},
                files={"files::ktp": ("ktp.pdf", self.pdf, "application/pdf")},
                headers={"Accept": "application/json"},
            )
        except BaseException:
            recorder.intake_failed()
            raise
        answered = time.monotonic()
        if response.status_code != 201:
            recorder.intake_failed()
            recorder.error(f"intake: HTTP {response.status_code}")
            return
        target = str(response.json()["redirect"])
        code = target.rstrip("/").split("/")[-2]
        recorder.accepted(code, submitted, answered, phase)
        browser.get(target)  # the browser goes on to the receipt page

    # -- staff -----------------------------------------------------------------------------

    def _watch(self, browser: Browser, role: str) -> None:
        """Keep the role's inbox open: reload it, hand out each task shown the first time."""
        handed: set[int] = set()
        try:
            while not self._stop.is_set():
                began = time.monotonic()
                try:
                    page = browser.get("/tugas?tampilan=tersedia").text
                except Exception as exc:  # noqa: BLE001 - counted; the next reload retries
                    self.recorder.error(f"inbox: {type(exc).__name__}")
                    self._stop.wait(0.5)
                    continue
                shown = time.monotonic()
                self.recorder.inbox_loaded((shown - began) * 1000)
                for row in inbox_rows(page):
                    if row.task_id in handed:
                        continue
                    handed.add(row.task_id)
                    self.recorder.seen(row.code, row.name, shown)
                    if row.name in STEPS and STEPS[row.name].role == role:
                        self._queues[role].put(row)
                self._pause(role, began)
        finally:
            browser.close()

    def _pause(self, role: str, began: float) -> None:
        """Wait until the next load of the role's inbox is due: ``interval`` after the last
        one began, or ``tight`` as soon as a submitted form waits for a task to appear."""
        while not self._stop.is_set():
            every = self.tight if self.recorder.awaiting(role) > 0 else self.interval
            rest = every - (time.monotonic() - began)
            if rest <= 0:
                return
            self._stop.wait(min(rest, 0.01))

    def _work(self, browser: Browser, member: Member) -> None:
        tasks = self._queues[member.role]
        try:
            while not self._stop.is_set():
                try:
                    row = tasks.get(timeout=0.2)
                except queue.Empty:
                    continue
                try:
                    self._complete(browser, row)
                except Exception as exc:  # noqa: BLE001 - counted; the member goes on
                    self.recorder.error(f"task: {type(exc).__name__}: {exc}"[:200])
        finally:
            browser.close()

    def _complete(self, browser: Browser, row: Row) -> None:
        step = STEPS[row.name]
        recorder = self.recorder
        token = csrf_of(browser.get(f"/tugas/{row.task_id}").text)
        claimed = browser.post(f"/tugas/{row.task_id}/klaim", data={"csrf_token": token})
        if claimed.status_code != 200:
            recorder.error(f"claim: HTTP {claimed.status_code}")
            return
        data = json.dumps(step.data(self.schedule))
        started, wall = time.monotonic(), time.time()
        if step.next is not None:
            recorder.expect(row.code, step.next, row.name, started)
        try:
            response = browser.post(
                f"/tugas/{row.task_id}/selesaikan",
                data={"csrf_token": token, "data": data},
                headers={"Accept": "application/json"},
            )
        except BaseException:
            if step.next is not None:
                recorder.drop(row.code, step.next)
            raise
        answered = time.monotonic()
        if response.status_code != 200:
            recorder.error(f"complete: HTTP {response.status_code}")
            if step.next is not None:
                recorder.drop(row.code, step.next)
            return
        recorder.completed(row, started, answered, wall)
        if step.next is not None:
            recorder.answered(row.code, step.next, answered)
        browser.get(str(response.json()["redirect"]))  # back to the inbox, as the page does
