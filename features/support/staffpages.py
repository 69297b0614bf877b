"""The staff app and the public forms in Chromium, as the SOPs' browser tests drive them: sign
in as a role, open a case's task from the inbox and claim it, fill form-js fields, finish."""

from __future__ import annotations

import re
from datetime import date, datetime

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from alur.dates import show_date
from features.support.browser import screenshot
from features.support.sopworld import PASSWORD
from features.web.test_pages import problems_of


def fill(page: Page, label: str, value: str) -> None:
    """A form-js text field, committed (form-js takes a value on blur). Filled again if a
    re-render of the form (a date or time picker closing) dropped what was typed."""
    box = page.get_by_label(label, exact=False).first
    for attempt in range(3):
        box.fill(value)
        box.blur()
        try:
            expect(box).to_have_value(value, timeout=2_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def type_date(page: Page, field: Locator, day: date) -> None:
    """Typed as people in Indonesia write dates (day first), whatever the browser's language;
    form-js commits a field on blur."""
    date_input = field.locator(".fjs-datepicker input.fjs-input")
    date_input.fill(f"{day.day:02d}/{day.month:02d}/{day.year}")
    date_input.blur()
    expect(date_input).to_have_value(show_date(day))


def type_datetime(page: Page, label: str, moment: datetime) -> None:
    field = page.locator(".fjs-form-field-datetime", has_text=label)
    type_date(page, field, moment.date())
    time_input = field.locator(".fjs-timepicker input.fjs-input")
    time_input.fill(moment.strftime("%H.%M"))
    time_input.blur()


def work(page: Page, base: str, username: str, code: str, task_name: str) -> None:
    """Sign in as ``username``, open the case's task ``task_name`` from the inbox and claim it;
    the page must read in Bahasa, with no ISO date and no serious axe finding."""
    page.goto(f"{base}/masuk")
    if page.get_by_role("button", name="Keluar").count():
        page.get_by_role("button", name="Keluar").click()
        page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{base}/tugas?tampilan=tersedia&kode={code}")
    page.get_by_role("link", name=task_name).click()
    page.get_by_role("button", name="Klaim tugas").click()
    expect(page.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    assert problems_of(page) == [], task_name


def finish(page: Page) -> None:
    """Submit the task's form and wait for the inbox; a form that is not taken leaves its page
    in ``var/screenshots/tugas-tidak-selesai.png`` for whoever reads the failure."""
    page.get_by_role("button", name="Selesaikan tugas").click()
    try:
        page.wait_for_url(re.compile(r"/tugas$"))
    except PlaywrightError:
        screenshot(page, "tugas-tidak-selesai")
        raise
    expect(page.get_by_text("Tugas selesai.")).to_be_visible()
