"""Process owners edit a diagram in the browser, see the lint's findings and deploy versions.

Runs on the real broker with the real workers: a case started before a deploy finishes on
the version it started on, a case started after runs on the new one.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from alur import intake
from alur.deploys import deploy_all
from alur.gateway import Starter
from alur.settings import Settings
from alur.usertasks import Bridge
from features.support.browser import WIDTHS, open_context, screenshot, sign_in_browser
from features.support.engine import Engine, advance_until
from features.web.conftest import PASSWORD, claim_and_complete, csrf_of, serving, sign_in
from stack.local import REPO, Stack, load_agencies
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import accounts, cases, deployments, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import Case, DiagramDraft, HumanTask
from web import create_app
from workers.deps import make_deps
from workers.registry import build_routers

HERE = Path(__file__).resolve().parent
DIAGRAM = HERE / "modeler" / "uji_perubahan.bpmn"
#: SOP 1's diagram: wide, with lanes, the one whose palette used to cover its first steps.
SOP_DIAGRAM = REPO / "bpmn" / "kemenpanrb_konsultasi_surat.bpmn"
SOP_PROCESS = "KemenPANRB_KonsultasiSurat"
PROCESS = "Uji_PerubahanDiagram"
UNIT = "kemenpanrb-kelembagaan"
OLD_LABEL = "Disposisi pimpinan"
NEW_LABEL = "Disposisi pimpinan (diperbarui)"
STAFF = {
    "pemilik": ("Wulan Sari", "alur.pemilik_proses"),
    "pimpinan": ("Dr. Aba Subagja, M.Si.", "kemenpanrb.pimpinan"),
}


@dataclass
class Owners:
    app: Flask
    settings: Settings
    sessions: Any
    clients: dict[str, FlaskClient] = field(default_factory=dict)

    def client(self, username: str) -> FlaskClient:
        if username not in self.clients:
            client = self.app.test_client()
            sign_in(client, username)
            self.clients[username] = client
        return self.clients[username]


def deploy_bpmn_dir(settings: Settings) -> None:
    """What the installation does at every start, in a thread: once the session's browser
    runs, Playwright's event loop occupies the test thread and ``asyncio.run`` refuses it."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(deploy_all, settings, "uji").result(60)


@pytest.fixture(scope="module")
def owners(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Owners]:
    root = tmp_path_factory.mktemp("modeler")
    bpmn_dir = root / "bpmn"
    bpmn_dir.mkdir()
    shutil.copy(DIAGRAM, bpmn_dir / DIAGRAM.name)
    url = f"sqlite:///{root / 'alur.db'}"
    migrate.upgrade(url)
    db_engine = make_engine(url)
    sessions = make_sessionmaker(db_engine)
    settings = replace(
        stack.settings, database_url=url, bpmn_dir=bpmn_dir, forms_dir=REPO / "forms"
    )
    with sessions() as db:
        accounts.ensure_unit(db, "kemenpanrb", "Kementerian PANRB")
        accounts.ensure_unit(db, UNIT, "Deputi Kelembagaan dan Tata Laksana", "kemenpanrb")
        for username, (name, role) in STAFF.items():
            accounts.create_user(
                db, username, PASSWORD, full_name=name, unit_code=UNIT, roles=[role]
            )
        db.commit()
    # deploy/agencies.toml as make run loads it (units made above stay as they are)
    load_agencies(url)
    deploy_bpmn_dir(settings)
    deps = make_deps(settings, sessions, stack.s3_client())
    worker = engine.run_worker(build_routers(deps))
    bridge = Bridge(engine.channel, sessions, sweep_seconds=0.3, name="alur-test-modeler")
    running = engine.submit(bridge.run())
    app = create_app(settings)
    yield Owners(app, settings, sessions)
    engine.call(bridge.stop())
    running.result(10)
    engine.stop_worker(worker)
    db_engine.dispose()


@pytest.fixture(scope="module")
def live(owners: Owners) -> Iterator[str]:
    with serving(owners.app) as url:
        yield url


def start_case(owners: Owners, subject: str) -> Case:
    """A case of the test process, started on whatever version is the latest."""
    starter = Starter(owners.settings.zeebe_address)
    try:
        with owners.sessions() as db:
            case, _pin = cases.create(
                db,
                cases.NewCase(
                    service_code="uji-perubahan",
                    bpmn_process_id=PROCESS,
                    unit_code=UNIT,
                    applicant_name="Dinas Kominfo Kabupaten Sleman",
                    applicant_email=None,
                    subject=subject,
                    data={},
                ),
            )
            assert intake.start_case(db, starter, case)
            db.refresh(case)
            db.expunge(case)
            return case
    finally:
        starter.close()


def open_task(owners: Owners, case: Case, clock: BrokerClock) -> HumanTask:
    def find() -> HumanTask | None:
        with owners.sessions() as db:
            return db.scalar(
                select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.status == "open")
            )

    # The broker's clock moves on while waiting: a step's job that went to a worker stream
    # being closed (an earlier module's) comes back after its 60 s timeout, as in production.
    advance_until(
        clock,
        2_000,
        lambda: find() is not None,
        timeout=30,
        interval=0.25,
        what=f"the task of {case.tracking_code}",
    )
    task = find()
    assert task is not None
    return task


def complete(owners: Owners, task: HumanTask, data: dict[str, Any]) -> None:
    claim_and_complete(owners.client("pimpinan"), task.id, data)


def closed(owners: Owners, case: Case) -> Case:
    def find() -> Case | None:
        with owners.sessions() as db:
            row = db.get(Case, case.id)
            return row if row is not None and row.closed_at is not None else None

    wait_until(lambda: find() is not None, timeout=20, what=f"{case.tracking_code} closed")
    row = find()
    assert row is not None
    return row


def save(client: FlaskClient, xml: str | bytes) -> Any:
    token = csrf_of(client.get(f"/pemilik-proses/diagram/{PROCESS}").get_data(as_text=True))
    return client.post(
        f"/pemilik-proses/diagram/{PROCESS}/simpan",
        data=xml,
        headers={"X-CSRF-Token": token, "Content-Type": "application/xml"},
    )


def deploy(client: FlaskClient, draft: object) -> Any:
    token = csrf_of(client.get(f"/pemilik-proses/diagram/{PROCESS}").get_data(as_text=True))
    return client.post(
        f"/pemilik-proses/diagram/{PROCESS}/terapkan",
        json={"draft": draft},
        headers={"X-CSRF-Token": token},
    )


def versions(owners: Owners) -> list[int]:
    with owners.sessions() as db:
        return [row.version for row in deployments.versions(db, PROCESS)]


@pytest.mark.hostile
def test_only_process_owners_open_the_modeler(owners: Owners):
    anonymous = owners.app.test_client()
    assert anonymous.get("/pemilik-proses/diagram").status_code == 302
    assert owners.client("pimpinan").get("/pemilik-proses/diagram").status_code == 403
    assert (
        owners.client("pimpinan").get(f"/pemilik-proses/diagram/{PROCESS}.bpmn").status_code == 403
    )
    listing = owners.client("pemilik").get("/pemilik-proses/diagram").get_data(as_text=True)
    assert "Uji perubahan diagram" in listing and "uji_perubahan.bpmn" in listing
    opened = owners.client("pemilik").get(f"/pemilik-proses/diagram/{PROCESS}.bpmn")
    assert opened.status_code == 200 and b'id="Uji_PerubahanDiagram"' in opened.data


def test_a_diagram_with_findings_is_saved_but_not_deployed(owners: Owners):
    before = versions(owners)
    broken = DIAGRAM.read_text(encoding="utf-8").replace(
        'candidateGroups="kemenpanrb.pimpinan"', 'candidateGroups="peran.tidak.ada"'
    )
    client = owners.client("pemilik")
    response = save(client, broken)
    assert response.status_code == 200
    body = response.get_json()
    assert body["deployable"] is False
    assert {f["element"] for f in body["findings"]} == {"Task_DisposisiPimpinan"}
    assert "peran.tidak.ada" in body["findings"][0]["message"]
    refused = deploy(client, body["draft"])
    assert refused.status_code == 422
    assert "temuan" in refused.get_json()["error"]
    assert versions(owners) == before
    with owners.sessions() as db:
        draft = db.get(DiagramDraft, body["draft"])
        assert draft is not None and draft.saved_by == "pemilik" and draft.deployed_key is None
    fixed = save(client, DIAGRAM.read_bytes()).get_json()  # the owner repairs the draft
    assert fixed["deployable"] is True and fixed["findings"] == []


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b"", "kosong"),
        (b"<bukan-xml", "bukan XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<d>&b;</d>",
            "DOCTYPE",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
            "DOCTYPE",
        ),
        (
            DIAGRAM.read_bytes().replace(b"Uji_PerubahanDiagram", b"Proses_Lain"),
            "tepat satu proses",
        ),
        (b"<a>" + b" " * (2 * 1024 * 1024) + b"</a>", "lebih dari"),
    ],
    ids=["empty", "malformed", "entity-expansion", "external-entity", "other-process", "huge"],
)
def test_unsafe_or_foreign_diagrams_are_refused_with_a_reason(
    owners: Owners, xml: bytes, reason: str
):
    with owners.sessions() as db:
        drafts = len(list(db.scalars(select(DiagramDraft.id))))
    response = save(owners.client("pemilik"), xml)
    assert response.status_code == 422
    assert reason in response.get_json()["error"]
    with owners.sessions() as db:
        assert len(list(db.scalars(select(DiagramDraft.id)))) == drafts


@pytest.mark.hostile
def test_saving_needs_the_csrf_token(owners: Owners):
    response = owners.client("pemilik").post(
        f"/pemilik-proses/diagram/{PROCESS}/simpan",
        data=DIAGRAM.read_bytes(),
        headers={"Content-Type": "application/xml"},
    )
    assert response.status_code in (400, 403)


@pytest.mark.hostile
def test_a_diagram_zeebe_rejects_is_not_deployed_and_the_owner_reads_why(owners: Owners):
    before = versions(owners)
    rejected = DIAGRAM.read_text(encoding="utf-8").replace(
        "=&#34;Disposisi oleh &#34; + officers", "=&#34;Disposisi oleh &#34; + officers +"
    )
    client = owners.client("pemilik")
    saved = save(client, rejected).get_json()
    assert saved["deployable"] is True, saved["findings"]
    response = deploy(client, saved["draft"])
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error.startswith("Zeebe menolak diagram ini:") and "Task_CatatSelesai" in error
    assert versions(owners) == before
    assert save(client, DIAGRAM.read_bytes()).get_json()["deployable"] is True


def sign_in_as_owner(page: Page, live: str) -> None:
    sign_in_browser(page, live, "pemilik", PASSWORD)


def edit_label_in_the_modeler(page: Page, live: str) -> None:
    """The process owner renames a step on the canvas, saves, and deploys."""
    sign_in_as_owner(page, live)
    page.goto(f"{live}/pemilik-proses/diagram")
    page.get_by_role("link", name="Ubah").click()
    expect(page.locator("#status")).to_have_text("Diagram dimuat.")
    task = page.locator('.djs-element[data-element-id="Task_DisposisiPimpinan"]')
    task.dblclick()
    editor = page.locator(".djs-direct-editing-parent")
    expect(editor).to_be_visible()
    page.keyboard.press("Control+A")
    page.keyboard.type(NEW_LABEL)
    page.locator('.djs-element[data-element-id="End_Selesai"]').click()
    expect(page.locator("#status")).to_have_text("Ada perubahan yang belum disimpan.")
    page.get_by_role("button", name="Simpan dan periksa").click()
    expect(page.locator("#status")).to_have_text(
        "Tersimpan. Tidak ada temuan: diagram siap diterapkan."
    )
    page.get_by_role("button", name="Terapkan sebagai versi baru").click()
    expect(page.locator("#status")).to_contain_text(re.compile(r"Versi \d+ diterapkan"))


def test_a_new_version_from_the_browser_runs_new_cases_while_old_ones_finish_on_theirs(
    owners: Owners, live: str, new_page: Callable[[], Page], clock: BrokerClock
):
    old_case = start_case(owners, "Kasus sebelum perubahan")
    old_task = open_task(owners, old_case, clock)
    assert old_task.name == OLD_LABEL
    old_versions = versions(owners)

    edit_label_in_the_modeler(new_page(), live)

    assert len(versions(owners)) == len(old_versions) + 1
    new_case = start_case(owners, "Kasus sesudah perubahan")
    new_task = open_task(owners, new_case, clock)
    assert new_task.name == NEW_LABEL
    assert new_case.process_definition_key != old_case.process_definition_key
    with owners.sessions() as db:
        newest = deployments.latest(db, PROCESS)
        assert newest is not None and newest.deployed_by == "pemilik"
        assert new_case.process_definition_key == newest.zeebe_key
        assert f'name="{NEW_LABEL}"' in (newest.content or "")

    history = owners.client("pemilik").get(f"/pemilik-proses/diagram/{PROCESS}/riwayat")
    text = history.get_data(as_text=True)
    assert f"nama «{OLD_LABEL}» → «{NEW_LABEL}»" in text.replace("&#34;", '"')
    assert old_case.tracking_code in text and new_case.tracking_code in text

    complete(owners, old_task, {"officers": "Rudi Hartono"})
    complete(owners, new_task, {"officers": "Rina Kusuma"})
    assert closed(owners, old_case).status == "selesai"
    assert closed(owners, new_case).status == "selesai"

    # The next start of the installation deploys bpmn/ again: the owner's version stays.
    deploy_bpmn_dir(owners.settings)
    with owners.sessions() as db:
        current = deployments.latest(db, PROCESS)
        assert current is not None and current.zeebe_key == newest.zeebe_key


@pytest.fixture(scope="module")
def sop_live(owners: Owners, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The owners' app with SOP 1's diagram in its ``bpmn/`` (opened, never deployed here)."""
    folder = tmp_path_factory.mktemp("modeler-sop")
    shutil.copy(SOP_DIAGRAM, folder / SOP_DIAGRAM.name)
    with serving(create_app(replace(owners.settings, bpmn_dir=folder))) as url:
        yield url


#: English words of the modeler's menus and panel that must not show once it is in Bahasa.
ENGLISH = re.compile(
    r"\b(Create|Append|General|Documentation|Delete|Change|Connect|Search|Name|Assignment|"
    r"Candidate|Implementation|Inputs?|Outputs?|Headers?|Task|Event|Gateway|Toggle|Section|"
    r"List|Element|Properties|Select|results?|found)\b"
)
LAYOUT = """() => {
  const box = (element) => {
    const r = element.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  };
  const shapes = [...document.querySelectorAll("#canvas .djs-element")].flatMap((element) => {
    const visual = element.querySelector(":scope > .djs-visual");
    const r = visual && visual.getBoundingClientRect();
    const id = element.dataset.elementId;
    return r && r.width > 0 && r.height > 0 ? [{ id, ...box(visual) }] : [];
  });
  return {
    palette: box(document.querySelector(".djs-palette")),
    canvas: box(document.getElementById("canvas")),
    properties: box(document.getElementById("properties")),
    shapes,
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"] - 1
        and b["left"] < a["right"] - 1
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    )


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["left"] >= outer["left"] - 1
        and inner["right"] <= outer["right"] + 1
        and inner["top"] >= outer["top"] - 1
        and inner["bottom"] <= outer["bottom"] + 1
    )


def english_in(page: Page, selector: str) -> list[str]:
    """English words in what ``selector`` shows: its text and its tooltips."""
    texts = page.locator(selector).evaluate_all(
        """(roots) => roots.flatMap((root) => [root.innerText,
             ...[...root.querySelectorAll("[title], [aria-label], [placeholder]")].flatMap((e) =>
               ["title", "aria-label", "placeholder"].map((a) => e.getAttribute(a) || ""))])"""
    )
    return sorted({word for text in texts for word in ENGLISH.findall(text)})


@pytest.mark.parametrize(
    ("size", "locale"),
    [("desktop", "en-US"), ("desktop", "id-ID"), ("ponsel", "id-ID")],
    ids=["1280-en-US", "1280-id-ID", "360-id-ID"],
)
def test_the_modeler_speaks_bahasa_and_shows_the_whole_diagram_beside_its_palette(
    sop_live: str, browser: Browser, size: str, locale: str
):
    width, height = WIDTHS[size]
    context = open_context(browser, size, locale)
    try:
        page = context.new_page()
        sign_in_as_owner(page, sop_live)
        page.goto(f"{sop_live}/pemilik-proses/diagram/{SOP_PROCESS}")
        expect(page.locator("#status")).to_have_text("Diagram dimuat.")

        # The palette's tooltips are Bahasa whatever the browser's language.
        palette = page.locator(".djs-palette .entry").evaluate_all("es => es.map(e => e.title)")
        assert {"Buat tugas", "Buat peristiwa awal", "Buat gerbang", "Buat elemen"} <= set(palette)
        assert english_in(page, "#palette") == []

        # Palette, canvas and properties side by side (stacked on a phone); after loading,
        # every element of the diagram is in view and none lies under the palette.
        layout = page.evaluate(LAYOUT)
        shapes = layout["shapes"]
        assert len(shapes) > 30, shapes
        hidden = [s["id"] for s in shapes if overlaps(s, layout["palette"])]
        assert hidden == [], f"under the palette: {hidden}"
        cut = [s["id"] for s in shapes if not inside(s, layout["canvas"])]
        assert cut == [], f"outside the canvas: {cut}"
        if size == "desktop":
            assert layout["palette"]["right"] <= layout["canvas"]["left"] + 1
            assert layout["canvas"]["right"] <= layout["properties"]["left"] + 1
            assert layout["canvas"]["bottom"] <= height, "the canvas ends below the window"
        else:
            assert layout["palette"]["bottom"] <= layout["canvas"]["top"] + 1
            assert layout["canvas"]["bottom"] <= layout["properties"]["top"] + 1
        assert layout["scrollWidth"] <= width + 1, "the page scrolls sideways"
        screenshot(page, f"modeler-{size}-{locale}")

        # A user task: its context pad and its properties, in Bahasa.
        task = page.locator('.djs-element[data-element-id="Task_AnalisisKonsultasi"]')
        task.locator(":scope > .djs-hit").click(force=True)
        pad = page.locator(".djs-context-pad .entry").evaluate_all("es => es.map(e => e.title)")
        assert {"Sambungkan tugas", "Sambungkan gerbang", "Ganti jenis elemen", "Hapus"} <= set(pad)
        header = page.locator(".bio-properties-panel-header-type")
        expect(header).to_have_text(re.compile("^Tugas pengguna$", re.IGNORECASE))
        groups = page.locator(".bio-properties-panel-group-header-title").all_text_contents()
        assert {"Umum", "Dokumentasi", "Implementasi", "Penugasan", "Formulir"} <= set(groups)
        assert {"Pemetaan masukan", "Pemetaan keluaran", "Tajuk tugas"} <= set(groups)
        page.locator(".bio-properties-panel-group-header", has_text="Penugasan").click()
        expect(page.locator("#properties")).to_contain_text("Kelompok kandidat")
        page.locator(".bio-properties-panel-group-header", has_text="Umum").click()
        expect(page.locator("#properties")).to_contain_text("Nama")
        assert english_in(page, ".djs-context-pad, #properties") == []
        screenshot(page, f"modeler-{size}-{locale}-tugas")

        # The replace menu: element names and their descriptions.
        page.locator('.djs-context-pad .entry[data-action="replace"]').click()
        popup = page.locator(".djs-popup")
        expect(popup).to_contain_text("Ganti jenis elemen")
        expect(popup).to_contain_text("Tugas layanan")
        expect(popup).to_contain_text("Tugas yang dikerjakan orang tanpa aplikasi")
        page.keyboard.type("tugas")
        expect(popup).to_contain_text(re.compile(r"\d+ hasil ditemukan"))
        assert english_in(page, ".djs-popup") == []
        page.keyboard.press("Escape")
    finally:
        context.close()
