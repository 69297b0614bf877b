"""Browser fixtures: Debian's headless Chromium driven by Playwright (nothing downloaded)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",  # root in CI containers
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


#: The widths people use: an office desktop and a citizen's phone (CSS pixels).
WIDTHS = {"desktop": (1280, 800), "ponsel": (360, 740)}
#: Where browser tests leave screenshots for a reviewer (git ignores var/).
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def open_context(browser: Browser, size: str = "desktop", locale: str = "id-ID") -> BrowserContext:
    """A fresh browser context in Indonesia (WIB) at one of :data:`WIDTHS`."""
    width, height = WIDTHS[size]
    context = browser.new_context(
        locale=locale,
        timezone_id="Asia/Jakarta",
        viewport={"width": width, "height": height},
        is_mobile=size == "ponsel",
    )
    context.set_default_timeout(15_000)
    return context


def screenshot(page: Page, name: str, full_page: bool = True) -> None:
    """``var/screenshots/<name>.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def fits(page: Page) -> bool:
    """Nothing sticks out sideways: the page scrolls only up and down."""
    return bool(
        page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    )


def sign_in_browser(page: Page, base: str, username: str, password: str) -> None:
    """Staff sign-in through the page, as a person does."""
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("button", name="Keluar").wait_for()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright (nothing downloaded)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Fresh pages, each in its own browser context (its own cookies)."""
    contexts: list[BrowserContext] = []

    def make() -> Page:
        context = open_context(browser)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
