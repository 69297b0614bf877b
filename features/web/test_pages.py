"""Every page of the staff and public apps, in Chromium: no serious or critical accessibility
violation (axe-core, from npm), no English UI text outside proper names, no ISO timestamp in
what people read. New pages join by being reachable from the lists below."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from alur import agency_file
from features.support.browser import sign_in_browser
from features.web.conftest import PASSWORD, Site
from features.web.test_case_flow import apply_in_browser, received, submit, task_of
from storage import accounts

pytestmark = pytest.mark.platform

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: Words of English UI text; a page showing one (outside proper names) is not in Bahasa.
#: Not "April": the month has that name in Bahasa Indonesia too (a page dated in April, by
#: the engine's clock the tests move months ahead, is in Bahasa).
ENGLISH = re.compile(
    r"\b(Select|Browse|Search|Submit|Cancel|Save|Delete|Remove|Next|Previous|Loading|Required"
    r"|required|Field|No files|No results|Upload|Download|Login|Logout|Sign in|Password"
    r"|Username|Dashboard|Settings|Home|Back|Close|Open|Error|Warning|Date|Time|Today"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March"
    r"|June|July|August|October|December)\b"
)
#: Proper names allowed to be English (the form renderer's required watermark).
PROPER_NAMES = ("Powered by bpmn.io",)
ISO_TIMESTAMP = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2})?\b")


@pytest.fixture(scope="module")
def admin(site: Site) -> str:
    with site.sessions() as db:
        accounts.create_user(
            db,
            "admin-halaman",
            PASSWORD,
            full_name="Ratna Sari",
            unit_code="pemprov",
            roles=["alur.admin", "alur.pemilik_proses"],
        )
        db.commit()
        agency_file.load(db, agency_file.shipped(), "uji", only_new=True)  # /admin/instansi
    return "admin-halaman"


def problems_of(page: Page) -> list[str]:
    """What a reviewer would flag on the page as it is now."""
    found = []
    text = page.evaluate("() => document.body.innerText")
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    found += [f"teks Inggris: {m}" for m in sorted(set(ENGLISH.findall(text)))]
    found += [f"tanggal ISO: {m}" for m in sorted(set(ISO_TIMESTAMP.findall(text)))]
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' (' + v.impact + '): '
              + v.nodes.map(n => n.target.join(' ')).join(', '));
        }"""
    )
    found += [f"aksesibilitas: {v}" for v in violations]
    return found


@pytest.fixture
def visit(
    new_page: Callable[[], Page], live_url: str
) -> Iterator[Callable[[Page, str], list[str]]]:
    def go(page: Page, path: str) -> list[str]:
        response = page.goto(f"{live_url}{path}")
        assert response is not None and response.status < 400, (path, response and response.status)
        if page.locator("[data-alur-form]").count():
            expect(page.locator("[data-alur-form][data-ready=true]")).to_be_attached()
        return [f"{path}: {p}" for p in problems_of(page)]

    yield go


def test_every_public_page_is_in_bahasa_and_accessible(
    site: Site, live_url: str, new_page: Callable[[], Page], visit: Callable[[Page, str], list[str]]
):
    page = new_page()
    client = site.app.test_client()
    code, pin = received(client, submit(client))
    found: list[str] = []
    for path in ["/", "/layanan", "/lacak", "/masuk", "/layanan/uji-layanan"]:
        found += visit(page, path)
    # The receipt page, reached as the applicant reaches it: by submitting the form.
    apply_in_browser(page)
    found += [f"/lacak/<kode>/diterima: {p}" for p in problems_of(page)]
    page.goto(f"{live_url}/lacak")
    page.get_by_label("Kode pelacakan").fill(code)
    page.get_by_label("PIN").fill(pin)
    page.get_by_role("button", name="Lacak").click()
    expect(page.locator("#status")).to_be_visible()
    found += [f"/lacak/<kode>: {p}" for p in problems_of(page)]
    assert found == []


def test_every_staff_page_is_in_bahasa_and_accessible(
    site: Site,
    live_url: str,
    admin: str,
    new_page: Callable[[], Page],
    visit: Callable[[Page, str], list[str]],
):
    client = site.app.test_client()
    code, _ = received(client, submit(client))
    task = task_of(site, code, "Task_PeriksaPermohonan")
    page = new_page()
    sign_in_browser(page, live_url, "siti", PASSWORD)
    found: list[str] = []
    for path in [
        "/tugas",
        "/tugas?tampilan=tersedia",
        "/tugas?tampilan=selesai",
        f"/tugas/{task.id}",
        "/register",
        "/sla",
    ]:
        found += visit(page, path)
    # The task's form, rendered once the task is claimed.
    page.goto(f"{live_url}/tugas/{task.id}")
    page.get_by_role("button", name="Klaim tugas").click()
    expect(page.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    found += [f"/tugas/<id> (formulir): {p}" for p in problems_of(page)]
    page.get_by_role("button", name="Keluar").click()
    sign_in_browser(page, live_url, admin, PASSWORD)
    # An administrator's whole menu and name fit one line at 1280 px.
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] < 70, header
    for path in [
        "/admin/akun",
        "/admin/akun/baru",
        "/admin/unit",
        "/admin/instansi",
        "/admin/instansi/baru",
        "/admin/instansi/dpmptsp",
        "/pemilik-proses/sop",
        "/pemilik-proses/diagram",
    ]:
        found += visit(page, path)
    # The modeler itself, once bpmn-js has drawn the diagram.
    page.goto(f"{live_url}/pemilik-proses/diagram/KemenPANRB_KonsultasiSurat")
    expect(page.locator(".djs-container .djs-element").first).to_be_attached()
    found += [f"/pemilik-proses/diagram/<proses>: {p}" for p in problems_of(page)]
    assert found == []
