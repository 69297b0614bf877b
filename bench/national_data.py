"""The data of benchmark 3 (:mod:`bench.national`): a year of national-scale history.

Units (agencies with four units each), staff holding the lanes of one SOP, finished cases
(85 % *selesai*, 10 % *ditolak*, 5 % *dibatalkan*) whose human steps were claimed and
completed, and open cases waiting at one open task (a third of them claimed). Python makes
the ``case_file`` and ``human_task`` rows and loads them in bulk (:mod:`bench.bulk`); the
task groups and the case timelines, which follow from those rows, are then derived by
``INSERT ... SELECT`` in the database itself, a chunk of cases at a time, with the timeline
lines of a chunk interleaved in time as cases progress side by side.

Everything is seeded: both database lanes get the same rows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Insert, String, case, cast, insert, literal, null, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from alur import roles, sops
from bench.bulk import Loader, Row, instant
from bench.core import Size
from storage import cases
from storage.models import Case, CaseEvent, HumanTask, HumanTaskGroup

KPR = "KemenPANRB_KonsultasiSurat"
SPBE = "KemenPANRB_PertimbanganSPBE"
DPM = "DPMPTSP_Pengaduan"
KASN = "KASN_KonsultasiMerit"
LAPOR = "LAPOR_DisposisiPengaduan"
HOUR, DAY = 3600, 86400
#: Cases per chunk: one transaction, one round of derived rows.
CHUNK = 20_000
KEY_BASE = 2251799813685248


@dataclass(frozen=True)
class Step:
    """A human step of an SOP: who does it, its element, its name, its time limit."""

    role: str
    element_id: str
    name: str
    limit_hours: int


#: Each SOP's share of the cases and its human steps in order (SOPs 1, 2, 4 and 5 as in
#: their diagrams).
PROCESSES: dict[str, tuple[float, tuple[Step, ...]]] = {
    KPR: (
        0.15,
        (
            Step("kemenpanrb.pimpinan", "Task_DisposisiPimpinan", "Disposisi pimpinan", 24),
            Step("kemenpanrb.petugas", "Task_AnalisisKonsultasi", "Analisis konsultasi", 48),
            Step("kemenpanrb.petugas", "Task_TetapkanJadwal", "Tetapkan jadwal dan narahubung", 24),
            Step("kemenpanrb.petugas", "Task_LaksanakanKonsultasi", "Laksanakan konsultasi", 72),
        ),
    ),
    SPBE: (
        0.10,
        (
            Step("kemenpanrb.menteri", "Task_DisposisiMenteri", "Disposisi kepada Deputi", 24),
            Step(
                "kemenpanrb.deputi",
                "Task_PelajariUsulan",
                "Pelajari usulan dan disposisi kepada Asisten Deputi",
                24,
            ),
            Step(
                "kemenpanrb.asdep",
                "Task_UjiKelengkapan",
                "Uji kelengkapan proposal dan persyaratan",
                48,
            ),
            Step("kemenpanrb.asdep", "Task_Telaah", "Telaah, kaji dan analisis usulan", 72),
            Step("kemenpanrb.deputi", "Task_UndangRapat", "Undang rapat pembahasan usulan", 24),
            # One task per invited member agency in the diagram; one here.
            Step(
                "spbe.tim_koordinasi",
                "Task_ValidasiAnggota",
                "Validasi dan analisis usulan oleh instansi anggota",
                120,
            ),
            Step("kemenpanrb.deputi", "Task_CatatHasilRapat", "Catat hasil rapat", 24),
            Step(
                "kemenpanrb.asdep",
                "Task_PembahasanTeknis",
                "Pembahasan teknis dengan instansi pengusul",
                72,
            ),
            Step("kemenpanrb.deputi", "Task_ReviuHasil", "Teliti dan reviu hasil pembahasan", 48),
            Step(
                "kemenpanrb.deputi",
                "Task_SiapkanRekomendasi",
                "Siapkan surat pertimbangan/rekomendasi",
                48,
            ),
            Step(
                "kemenpanrb.menteri",
                "Task_TandatanganiRekomendasi",
                "Tandatangani surat pertimbangan",
                48,
            ),
        ),
    ),
    DPM: (
        0.25,
        (
            Step("dpmptsp.front_office", "Task_TerimaPengaduan", "Terima pengaduan", 8),
            Step("dpmptsp.analis", "Task_TelaahPengaduan", "Telaah pengaduan", 48),
            Step("dpmptsp.kabid", "Task_VerifikasiKabid", "Verifikasi kepala bidang", 24),
            Step("dpmptsp.sekretaris", "Task_ParafSekretaris", "Paraf sekretaris", 24),
            Step("dpmptsp.kadis", "Task_TandaTanganKadis", "Tanda tangan kepala dinas", 24),
        ),
    ),
    KASN: (
        0.10,
        (
            Step("kasn.sekretariat", "Task_DisposisiSekretariat", "Disposisi Sekretariat KASN", 24),
            Step("kasn.pokja", "Task_DisposisiPokja", "Disposisi Ketua Kelompok Kerja", 24),
            Step("kasn.asisten", "Task_TelaahPermohonan", "Telaah permohonan", 24),
            Step(
                "kasn.asisten", "Task_AnalisisTanggapan", "Analisis dan susun konsep tanggapan", 72
            ),
            Step("kasn.pokja", "Task_ParafTanggapan", "Paraf Ketua Kelompok Kerja", 24),
            Step(
                "kasn.pimpinan",
                "Task_TandatanganiTanggapan",
                "Setujui dan tandatangani surat tanggapan",
                48,
            ),
        ),
    ),
    LAPOR: (
        0.40,
        (
            # As in bpmn/lapor_disposisi_pengaduan.bpmn (the path down to a UPT); the national
            # step has no unit: SP4N-LAPOR!'s national admin verifies every online report.
            Step(
                "lapor.admin_nasional",
                "Task_VerifikasiNasional",
                "Verifikasi, identifikasi dan disposisi ke instansi",
                72,
            ),
            Step("lapor.admin_instansi", "Task_TerimaInstansi", "Terima disposisi laporan", 1),
            Step(
                "lapor.admin_instansi",
                "Task_VerifikasiInstansi",
                "Verifikasi dan identifikasi laporan",
                72,
            ),
            Step(
                "lapor.admin_instansi",
                "Task_DisposisiInstansi",
                "Disposisi laporan ke Admin Eselon 1",
                72,
            ),
            Step(
                "lapor.admin_eselon1", "Task_TerimaEselon1", "Terima laporan dari Admin Instansi", 1
            ),
            Step("lapor.admin_eselon1", "Task_ResponAwal", "Beri respon awal kepada pelapor", 72),
            Step(
                "lapor.admin_eselon1",
                "Task_VerifikasiEselon1",
                "Verifikasi laporan terdisposisi",
                1,
            ),
            Step("lapor.admin_upt", "Task_TerimaUpt", "Terima laporan dari Admin Eselon 1", 1),
            Step("lapor.admin_upt", "Task_JawabUpt", "Tindak lanjut substantif oleh UPT", 1),
        ),
    ),
}
NATIONAL_ROLE = "lapor.admin_nasional"
SOP_ROLES = {code for code in roles.ROLES if not code.startswith("alur.")}
#: Roles that only register cases for applicants (``Service.registrars``) and hold no task:
#: KASN's reception desk.
TASKLESS = {"kasn.resepsionis"}
STEPS = [step for _, steps in PROCESSES.values() for step in steps]
if {step.role for step in STEPS} != SOP_ROLES - TASKLESS:  # every other lane has tasks
    raise RuntimeError("bench.national_data.PROCESSES must cover every SOP role")
#: A finished case ends as (status, outcome, the timeline's last status line).
ENDINGS = {
    "selesai": ("Selesai: jawaban dikirim kepada pemohon", "Permohonan selesai"),
    "ditolak": ("Ditolak: persyaratan tidak lengkap", "Permohonan ditolak"),
    "dibatalkan": ("Dibatalkan atas permintaan pemohon", "Permohonan dibatalkan"),
}


@dataclass(frozen=True)
class Scale:
    units: int
    staff: int
    open_tasks: int
    finished_cases: int
    #: Runs of each measured operation, of an agency's dashboard, of the argon2 PIN check.
    repetitions: int
    agency_repetitions: int
    pin_checks: int


SCALES: dict[Size, Scale] = {
    "tiny": Scale(10, 50, 1_000, 5_000, 20, 5, 3),
    "full": Scale(50, 1_000, 100_000, 1_000_000, 200, 50, 30),
}


@dataclass(frozen=True)
class Member:
    username: str
    unit: str
    roles: frozenset[str]


@dataclass
class World:
    """What the measurements sample: the instant "now", units, staff, finished cases."""

    now: int
    units: list[tuple[str, str, str | None]]
    members: list[Member]
    finished: list[int] = field(default_factory=list)  # up to 20,000 finished case ids
    cases: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    #: Of the generation time: building the indexes, counting, VACUUM/ANALYZE.
    index_seconds: float = 0.0


def tracking_code(case_id: int) -> str:
    """ALR-XXXX-XXXX from the id through a bijection of 40 bits: unique, random-looking."""
    value = (case_id * 0x9E3779B97F) % (1 << 40)
    chars = []
    for _ in range(8):
        value, digit = divmod(value, 32)
        chars.append(cases.ALPHABET[digit])
    return f"{cases.PREFIX}{''.join(chars[:4])}-{''.join(chars[4:])}"


def unit_tree(count: int) -> list[tuple[str, str, str | None]]:
    """(code, name, parent): agencies, each with four units beneath it."""
    found: list[tuple[str, str, str | None]] = []
    for a in range(1, max(count // 5, 1) + 1):
        top = f"instansi-{a:02d}"
        found.append((top, f"Instansi {a:02d}", None))
        found += [(f"{top}-unit-{u}", f"Unit {u} Instansi {a:02d}", top) for u in range(1, 5)]
    return found[:count]


CASE_COLUMNS = (
    "id",
    "tracking_code",
    "pin_hash",
    "service_code",
    "bpmn_process_id",
    "process_instance_key",
    "process_definition_key",
    "unit_code",
    "applicant_name",
    "applicant_email",
    "subject",
    "data",
    "status",
    "outcome",
    "overdue_at",
    "created_at",
    "closed_at",
)
TASK_COLUMNS = (
    "id",
    "job_key",
    "process_instance_key",
    "process_definition_key",
    "bpmn_process_id",
    "element_id",
    "name",
    "element_instance_key",
    "form_key",
    "candidate_groups",
    "assignee",
    "due_at",
    "variables",
    "status",
    "result",
    "completed_by",
    "created_at",
    "closed_at",
    "case_id",
    "tracking_code",
    "unit_code",
    "claimed_at",
)
USER_COLUMNS = (
    "id",
    "username",
    "full_name",
    "position",
    "nip",
    "email",
    "password_hash",
    "unit_code",
    "active",
    "created_at",
)
TABLES = (
    "unit",
    "staff_user",
    "staff_role",
    "case_file",
    "human_task",
    "human_task_group",
    "case_event",
)
RESULT = '{"keputusan": "lanjut", "catatan": "Sesuai persyaratan"}'


@dataclass(frozen=True)
class CaseRef:
    """What every row of one case repeats."""

    case_id: int
    code: str
    unit: str
    process: str
    instance: int
    definition: int


@dataclass(frozen=True)
class Chunk:
    """Consecutive cases (ids ``first`` to ``last``) and their tasks (``first_task`` to
    ``last_task``), as rows."""

    first: int
    last: int
    first_task: int
    last_task: int
    cases: list[Row]
    tasks: list[Row]


class Generator:
    """The rows of the ``case_file`` and ``human_task`` tables, and the staff."""

    def __init__(self, scale: Scale, now: int, pin_hash: str) -> None:
        self.scale, self.now, self.pin_hash = scale, now, pin_hash
        self.rng = random.Random(13)
        self.units = unit_tree(scale.units)
        self.codes = [code for code, _, _ in self.units]
        self.service = {s.bpmn_process_id: s.code for s in sops.CATALOG}
        self.processes = list(PROCESSES)
        self.weights = [PROCESSES[p][0] for p in self.processes]
        self.members: list[Member] = []
        self.who: dict[tuple[str | None, str], list[str]] = {}
        self.task_id = 0

    def staff_rows(self) -> tuple[list[Row], list[Row], list[Row]]:
        """Units, staff accounts (each with one or two lanes of one SOP) and their roles."""
        rng = self.rng
        users, held = [], []
        joined = instant(self.now - 400 * DAY)
        for i in range(1, self.scale.staff + 1):
            unit = rng.choice(self.codes)
            steps = PROCESSES[rng.choices(self.processes, self.weights)[0]][1]
            lanes = sorted({s.role for s in steps})
            mine = frozenset(rng.sample(lanes, min(len(lanes), rng.choice((1, 1, 2)))))
            username = f"pegawai{i:04d}"
            self.members.append(Member(username, unit, mine))
            for role in mine:
                self.who.setdefault((unit, role), []).append(username)
                self.who.setdefault((None, role), []).append(username)
            nip = f"19{rng.randrange(70, 99)}0101200{rng.randrange(100000, 999999)}"
            name = f"Pegawai {i:04d}"
            users.append((i, username, name, "", nip, None, self.pin_hash, unit, True, joined))
            held += [(i, role) for role in sorted(mine)]
        return [tuple(unit) for unit in self.units], users, held

    def chunks(self, world: World) -> Iterator[Chunk]:
        """Finished cases spread over the last 13 months, then open cases of the last 30
        days, in chunks of ``CHUNK`` cases."""
        scale, now, rng = self.scale, self.now, self.rng
        finished, total = scale.finished_cases, scale.finished_cases + scale.open_tasks
        sample_every = max(finished // 20_000, 1)
        start, span = now - 395 * DAY, 390 * DAY
        for first in range(1, total + 1, CHUNK):
            last = min(first + CHUNK - 1, total)
            first_task = self.task_id + 1
            case_rows: list[Row] = []
            task_rows: list[Row] = []
            for case_id in range(first, last + 1):
                if case_id <= finished:
                    created = start + (case_id * span) // finished + rng.randrange(HOUR)
                    self._case(case_id, created, case_rows, task_rows, open_case=False)
                    if case_id % sample_every == 0:
                        world.finished.append(case_id)
                else:
                    created = now - rng.randrange(HOUR, 30 * DAY)
                    self._case(case_id, created, case_rows, task_rows, open_case=True)
            yield Chunk(first, last, first_task, self.task_id, case_rows, task_rows)
        world.cases = total

    def _case(
        self,
        case_id: int,
        created: int,
        case_rows: list[Row],
        task_rows: list[Row],
        *,
        open_case: bool,
    ) -> None:
        rng, now = self.rng, self.now
        process = rng.choices(self.processes, self.weights)[0]
        steps = PROCESSES[process][1]
        ref = CaseRef(
            case_id,
            tracking_code(case_id),
            rng.choice(self.codes),
            process,
            4 * KEY_BASE + case_id,
            KEY_BASE + 1 + self.processes.index(process),
        )
        status = "diproses"
        if open_case:
            done = rng.randrange(len(steps))
        else:
            pick = rng.random()
            status = "selesai" if pick < 0.85 else "ditolak" if pick < 0.95 else "dibatalkan"
            done = len(steps) if status == "selesai" else rng.randrange(1, len(steps))
        # Offsets from the submission; then the case is placed to end (or wait) before now.
        offsets: list[tuple[Step, int, int, int, str]] = []
        t = 30
        for step in steps[:done]:
            # Most steps are claimed within hours; one in ten waits days (and is often late).
            wait = 2 * DAY if rng.random() < 0.1 else 4 * HOUR
            claim = t + int(rng.expovariate(1 / wait))
            closed = claim + 600 + int(rng.expovariate(1 / (3 * HOUR)))
            offsets.append((step, t, claim, closed, self._person(ref, step)))
            t = closed + 20
        end = t + 60
        base = min(created, now - t - 120 if open_case else now - HOUR - end)
        for step, made, claim, closed, who in offsets:
            due = base + made + step.limit_hours * HOUR
            task_rows.append(
                self._task_row(ref, step, base + made, due, who, base + claim, closed=base + closed)
            )
        outcome, overdue_at, closed_at = None, None, None
        if open_case:
            step, made = steps[done], base + t
            open_due = None if rng.random() < 0.1 else made + step.limit_hours * HOUR
            assignee, claimed = None, None
            if rng.random() < 0.35:
                claimed = min(made + int(rng.expovariate(1 / (2 * HOUR))), now - 60)
                assignee = self._person(ref, step)
            task_rows.append(self._task_row(ref, step, made, open_due, assignee, claimed))
            if open_due is not None and open_due < now and rng.random() < 0.5:
                overdue_at = instant(open_due)  # the escalation timer marked it
            if done == 0 and assignee is None:
                status = "diterima"
        else:
            outcome = ENDINGS[status][0]
            closed_at = instant(base + end)
        case_rows.append(
            (
                case_id,
                ref.code,
                self.pin_hash,
                self.service.get(process, process),
                process,
                ref.instance,
                ref.definition,
                ref.unit,
                f"Pemohon {case_id}",
                f"pemohon{case_id}@contoh.id",
                f"Permohonan layanan nomor {case_id}",
                (
                    f'{{"namaPemohon": "Pemohon {case_id}", '
                    f'"email": "pemohon{case_id}@contoh.id", '
                    f'"perihal": "Permohonan layanan nomor {case_id}", '
                    '"isiPermohonan": "Mohon penjelasan dan tindak lanjut atas permohonan kami.", '
                    f'"identityDocument": [{case_id}]}}'
                ),
                status,
                outcome,
                overdue_at,
                instant(base),
                closed_at,
            )
        )

    def _person(self, ref: CaseRef, step: Step) -> str:
        """Someone holding the step's role in the case's unit (anywhere for national steps)."""
        unit = None if step.role == NATIONAL_ROLE else ref.unit
        found = self.who.get((unit, step.role)) or self.who.get((None, step.role))
        return self.rng.choice(found) if found else "pegawai-lain"

    def _task_row(
        self,
        ref: CaseRef,
        step: Step,
        made: int,
        due: int | None,
        assignee: str | None,
        claimed: int | None,
        *,
        closed: int | None = None,
    ) -> Row:
        """The ``human_task`` row of ``step``: completed when ``closed`` is given, else open."""
        self.task_id += 1
        unit = None if step.role == NATIONAL_ROLE else ref.unit
        variables = f'{{"caseId": {ref.case_id}, "trackingCode": "{ref.code}", "unitCode": ' + (
            f'"{unit}"}}' if unit else "null}"
        )
        done = closed is not None
        return (
            self.task_id,
            KEY_BASE + 2 * self.task_id,
            ref.instance,
            ref.definition,
            ref.process,
            step.element_id,
            step.name,
            3 * KEY_BASE + self.task_id,
            str(KEY_BASE + 100 + STEPS.index(step)),
            f'["{step.role}"]',
            assignee,
            instant(due) if due is not None else None,
            variables,
            "completed" if done else "open",
            RESULT if done else None,
            assignee if done else None,
            instant(made),
            instant(closed) if closed is not None else None,
            ref.case_id,
            ref.code,
            unit,
            instant(claimed) if claimed is not None else None,
        )


# -- rows derived in the database ------------------------------------------------------------


def _text(value: str) -> ColumnElement[str]:
    return cast(literal(value), String)


def _json(text: ColumnElement[str], dialect: str) -> ColumnElement[str]:
    """JSON text into a JSON column: PostgreSQL wants the cast, SQLite stores the text."""
    return cast(text, JSON) if dialect == "postgresql" else text


def groups_of(chunk: Chunk) -> Insert:
    """``human_task_group`` rows of the chunk's tasks: one per candidate group."""
    t = HumanTask.__table__.c
    role = case({step.element_id: step.role for step in STEPS}, value=t.element_id)
    chosen = select(
        t.id, role, t.status, t.unit_code, t.assignee.is_not(None), t.due_at, t.created_at
    ).where(t.id.between(chunk.first_task, chunk.last_task))
    columns = ["task_id", "role", "status", "unit_code", "claimed", "due_at", "created_at"]
    return insert(HumanTaskGroup).from_select(columns, chosen)


def timelines_of(chunk: Chunk, dialect: str) -> Insert:
    """The chunk's ``case_event`` rows, oldest first: what intake, the web app (claims and
    completions) and the workers (receipt, status, letter, e-mail) would have appended."""
    c, t = Case.__table__.c, HumanTask.__table__.c
    empty = _json(_text("{}"), dialect)
    detail = _json(
        _text('{"taskId": ')
        + cast(t.id, String)
        + _text(', "elementId": "')
        + t.element_id
        + _text('"}'),
        dialect,
    )

    def line(
        at: ColumnElement[Any],
        kind: str,
        title: ColumnElement[str],
        actor: ColumnElement[Any],
        public: bool,
        body: ColumnElement[str],
        job: str | None,
        seq: int,
    ) -> tuple[ColumnElement[Any], ...]:
        source = _text(f"job:{job}:") + cast(c.id, String) if job else cast(null(), String)
        return (
            at.label("at"),
            _text(kind).label("kind"),
            title.label("title"),
            actor.label("actor"),
            literal(public).label("public"),
            body.label("detail"),
            source.label("source_key"),
            literal(seq).label("seq"),
        )

    in_chunk = c.id.between(chunk.first, chunk.last)
    nobody = cast(null(), String)
    intake = [
        ("diterima", "Permohonan diterima", True, None),
        ("dokumen", "Tanda terima diterbitkan", True, "tanda-terima"),
        ("surel", "Tanda terima dikirim ke pemohon", False, "surel-tanda-terima"),
    ]
    selects = [
        select(
            c.id.label("case_id"), *line(c.created_at, k, _text(ti), nobody, p, empty, j, n)
        ).where(in_chunk)
        for n, (k, ti, p, j) in enumerate(intake)
    ]
    task_lines = [
        (t.claimed_at, "Tugas diklaim", t.assignee, False, t.claimed_at.is_not(None), 4),
        (t.closed_at, None, t.completed_by, True, t.status == "completed", 5),
    ]
    for at, title, actor, public, where, n in task_lines:
        text = _text(title) if title else t.name + _text(" selesai")
        selects.append(
            select(
                t.case_id.label("case_id"), *line(at, "tugas", text, actor, public, detail, None, n)
            ).where(t.id.between(chunk.first_task, chunk.last_task), where)
        )
    status = case({s: _text(e[1]) for s, e in ENDINGS.items()}, value=c.status)
    selects.append(
        select(c.id, *line(c.closed_at, "status", status, nobody, True, empty, "status", 6)).where(
            in_chunk, c.closed_at.is_not(None)
        )
    )
    letter = [
        ("dokumen", "Surat jawaban diterbitkan", True, "surat", 7),
        ("surel", "Surat jawaban dikirim ke pemohon", False, "surel-surat", 8),
    ]
    for k, ti, p, j, n in letter:
        selects.append(
            select(c.id, *line(c.closed_at, k, _text(ti), nobody, p, empty, j, n)).where(
                in_chunk, c.status == "selesai"
            )
        )
    every = union_all(*selects).subquery()
    columns = ["case_id", "at", "kind", "title", "actor", "public", "detail", "source_key"]
    ordered = select(*(every.c[name] for name in columns)).order_by(
        every.c.at, every.c.case_id, every.c.seq
    )
    return insert(CaseEvent).from_select(columns, ordered)


def generate(url: str, scale: Scale, now: int, pin_hash: str, say: Callable[[str], None]) -> World:
    """Fill the migrated, empty database at ``url``; return the world to sample."""
    generator = Generator(scale, now, pin_hash)
    loader = Loader(url)
    unit_rows, users, held = generator.staff_rows()
    loader.put("unit", ("code", "name", "parent_code"), unit_rows)
    loader.put("staff_user", USER_COLUMNS, users)
    loader.put("staff_role", ("user_id", "role"), held)
    loader.commit()
    world = World(now, generator.units, generator.members)
    total = scale.finished_cases + scale.open_tasks
    indexes = loader.drop_indexes(TABLES)
    reported = time.monotonic()
    for chunk in generator.chunks(world):
        loader.put("case_file", CASE_COLUMNS, chunk.cases)
        loader.put("human_task", TASK_COLUMNS, chunk.tasks)
        loader.run(groups_of(chunk))
        loader.run(timelines_of(chunk, loader.dialect))
        loader.commit()
        if time.monotonic() - reported > 20:
            reported = time.monotonic()
            say(f"      {chunk.last:,} of {total:,} cases")
    say(f"      building {len(indexes)} indexes")
    began = time.monotonic()
    loader.create_indexes(indexes)
    world.counts = {table: loader.count(table) for table in TABLES}
    loader.finish(("staff_user", "case_file", "human_task", "case_event"))
    world.index_seconds = time.monotonic() - began
    return world
