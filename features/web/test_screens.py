"""What people see, at a desktop's width and a phone's: the intake form, the receipt page,
the tracking page, the inbox and a task page, in Chromium. Each is saved under
``var/screenshots/`` for a reviewer to look at, and the citizens' pages must fit a 360 px
phone without sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from features.support.browser import WIDTHS, fits, open_context, screenshot, sign_in_browser
from features.web.conftest import PASSWORD, Site
from features.web.test_case_flow import apply_in_browser, received, submit, task_of

pytestmark = pytest.mark.platform


@pytest.fixture(params=sorted(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    """A page at each of the two widths people use."""
    context = open_context(browser, request.param)
    yield request.param, context.new_page()
    context.close()


def test_the_citizens_pages_fit_a_phone_and_a_desktop(
    site: Site, live_url: str, sized: tuple[str, Page]
):
    size, page = sized
    page.goto(f"{live_url}/layanan")
    screenshot(page, f"katalog-{size}")
    assert fits(page), "katalog"
    page.goto(f"{live_url}/layanan/uji-layanan")
    expect(page.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    screenshot(page, f"formulir-permohonan-{size}")
    assert fits(page), "formulir"
    # Sent from the phone as from the desktop: the receipt page with code and PIN.
    code, pin = apply_in_browser(page)
    screenshot(page, f"tanda-terima-{size}")
    assert fits(page), "tanda terima"

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
    screenshot(page, f"pelacakan-{size}")
    assert fits(page), "pelacakan"


def test_staff_pages_read_well_at_both_widths(
    site: Site, live_url: str, sized: tuple[str, Page], new_page: Callable[[], Page]
):
    size, page = sized
    client = site.app.test_client()
    code, _ = received(client, submit(client))
    task = task_of(site, code, "Task_PeriksaPermohonan")
    sign_in_browser(page, live_url, "siti", PASSWORD)
    screenshot(page, f"kotak-tugas-{size}")
    if size == "desktop":  # the menu and the member's name on one line
        header = page.locator("header.top").bounding_box()
        assert header is not None and header["height"] < 70, header
    page.goto(f"{live_url}/tugas/{task.id}")
    expect(page.get_by_role("heading", name="Pemohon")).to_be_visible()
    screenshot(page, f"halaman-tugas-{size}")
    # The case panel reads as lines of text, not a column a syllable wide.
    width = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll('dl.facts dd')]"
        ".map(e => e.getBoundingClientRect().width))"
    )
    assert width > 200, width
