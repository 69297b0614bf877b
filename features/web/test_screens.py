"""What people see, at a desktop's width and a phone's: the intake form, the receipt page,
the tracking page, the inbox and a task page, in Chromium. Each is saved under
``var/screenshots/`` for a reviewer to look at, and the citizens' pages must fit a 360 px
phone without sideways scrolling."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from features.web.conftest import PASSWORD, Site
from features.web.test_case_flow import received, submit, task_of

pytestmark = pytest.mark.platform

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTHS = {"desktop": (1280, 800), "ponsel": (360, 740)}


@pytest.fixture(params=sorted(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    width, height = WIDTHS[request.param]
    context = browser.new_context(
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        viewport={"width": width, "height": height},
        is_mobile=request.param == "ponsel",
    )
    context.set_default_timeout(15_000)
    yield request.param, context.new_page()
    context.close()


def save(page: Page, name: str, size: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)


def fits(page: Page) -> bool:
    """Nothing sticks out sideways: the page scrolls only up and down."""
    return bool(
        page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    )


def test_the_citizens_pages_fit_a_phone_and_a_desktop(
    site: Site, live_url: str, sized: tuple[str, Page]
):
    size, page = sized
    page.goto(f"{live_url}/layanan")
    save(page, "katalog", size)
    assert fits(page), "katalog"
    page.goto(f"{live_url}/layanan/uji-layanan")
    expect(page.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    save(page, "formulir-permohonan", size)
    assert fits(page), "formulir"

    client = site.app.test_client()
    code, pin = received(client, submit(client))
    page.goto(f"{live_url}/lacak")
    page.get_by_label("Kode pelacakan").fill(code)
    page.get_by_label("PIN").fill(pin)
    page.get_by_role("button", name="Lacak").click()
    expect(page.locator("#status")).to_be_visible()
    # Where it stands, in the applicant's words: received, the rest still to come.
    steps = page.locator("#tahapan li")
    expect(steps).to_have_count(4)
    expect(steps.nth(0)).to_contain_text("Diterima")
    expect(steps.nth(0)).to_have_attribute("aria-current", "step")
    expect(steps.nth(3)).to_contain_text("Surat dikirim")
    expect(steps.nth(3)).to_contain_text("Belum")
    save(page, "pelacakan", size)
    assert fits(page), "pelacakan"


def test_staff_pages_read_well_at_both_widths(
    site: Site, live_url: str, sized: tuple[str, Page], new_page: Callable[[], Page]
):
    size, page = sized
    client = site.app.test_client()
    code, _ = received(client, submit(client))
    task = task_of(site, code, "Task_PeriksaPermohonan")
    page.goto(f"{live_url}/masuk")
    page.get_by_label("Nama pengguna").fill("siti")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/tugas"))
    save(page, "kotak-tugas", size)
    if size == "desktop":  # the menu and the member's name on one line
        header = page.locator("header.top").bounding_box()
        assert header is not None and header["height"] < 70, header
    page.goto(f"{live_url}/tugas/{task.id}")
    expect(page.get_by_role("heading", name="Pemohon")).to_be_visible()
    save(page, "halaman-tugas", size)
    # The case panel reads as lines of text, not a column a syllable wide.
    width = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll('dl.facts dd')]"
        ".map(e => e.getBoundingClientRect().width))"
    )
    assert width > 200, width
