"""Dates typed as people in Indonesia type them, in Chromium set to Indonesian and to English.

Whatever the browser's language, the date field shows the day first with Indonesian month
names, reads 25/12/2099, 2099-12-25 and 25 Desember 2099 alike, and refuses an unreadable,
ambiguous or past date with a Bahasa reason while keeping what was typed. The dates are fixed
and far ahead, so no test depends on the day it runs; they fall on days <= 12 and > 12 and
across a year end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select

from features.support.browser import open_context
from features.web.conftest import Site
from features.web.test_case_flow import PDF
from storage.models import Case

pytestmark = pytest.mark.platform

LOCALES = ["id-ID", "en-US"]


@pytest.fixture(params=LOCALES)
def page_in(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = open_context(browser, locale=request.param)
    yield context.new_page()
    context.close()


def intake(page: Page, base: str) -> None:
    page.goto(f"{base}/layanan/uji-layanan")
    expect(page.locator("[data-alur-form][data-ready=true]")).to_be_attached()


def date_input(page: Page) -> Locator:
    return page.locator(".fjs-form-field-datetime", has_text="Tanggal kunjungan").locator(
        ".fjs-datepicker input.fjs-input"
    )


def time_input(page: Page) -> Locator:
    return page.locator(".fjs-form-field-datetime", has_text="Tanggal kunjungan").locator(
        ".fjs-timepicker input"
    )


def type_into(box: Locator, text: str) -> None:
    box.fill(text)
    box.blur()


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("05/01/2099", "5 Januari 2099"),
        ("5-1-2099", "5 Januari 2099"),
        ("12/11/2099", "12 November 2099"),
        ("25/12/2099", "25 Desember 2099"),
        ("31.12.2099", "31 Desember 2099"),
        ("2100-01-01", "1 Januari 2100"),
        ("17 Agustus 2099", "17 Agustus 2099"),
        ("Jumat, 1 Januari 2100", "1 Januari 2100"),
    ],
)
def test_a_date_is_read_day_first_and_shown_in_bahasa(
    page_in: Page, live_url: str, typed: str, shown: str
):
    intake(page_in, live_url)
    box = date_input(page_in)
    expect(box).to_have_attribute("placeholder", "hh/bb/tttt")
    type_into(time_input(page_in), "09.30")
    type_into(box, typed)
    expect(box).to_have_value(shown)
    expect(time_input(page_in)).to_have_value("09:30")
    field = page_in.locator(".fjs-form-field-datetime", has_text="Tanggal kunjungan")
    expect(field.locator(".fjs-form-field-error")).to_have_count(0)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("25/12/99", "Tahun 99 bisa berarti beberapa abad"),
        ("12/25/2099", "Bulan 25 tidak ada."),
        ("31/11/2099", "Tanggal 31 tidak ada pada bulan November 2099."),
        ("01/01/2020", "Tanggal 1 Januari 2020 sudah lewat"),
        ("25/12", "Tahunnya belum ditulis"),
        ("lusa", "Tanggal tidak terbaca."),
    ],
)
def test_a_date_that_cannot_be_taken_keeps_the_text_and_says_why(
    page_in: Page, live_url: str, typed: str, reason: str
):
    intake(page_in, live_url)
    box = date_input(page_in)
    type_into(box, typed)
    field = page_in.locator(".fjs-form-field-datetime", has_text="Tanggal kunjungan")
    expect(field.locator(".fjs-form-field-error")).to_contain_text(reason)
    expect(box).to_have_value(typed)
    sent: list[str] = []
    page_in.on("request", lambda request: sent.append(request.method))
    page_in.get_by_role("button", name="Kirim permohonan").click()
    expect(page_in.get_by_role("alert")).to_contain_text("Tanggal kunjungan")
    expect(field.locator(".fjs-form-field-error")).to_contain_text(reason)
    assert "POST" not in sent


def test_a_time_that_cannot_be_taken_says_why(page_in: Page, live_url: str):
    intake(page_in, live_url)
    type_into(date_input(page_in), "25/12/2099")
    type_into(time_input(page_in), "25.00")
    field = page_in.locator(".fjs-form-field-datetime", has_text="Tanggal kunjungan")
    expect(field.locator(".fjs-form-field-error")).to_contain_text("Jam tidak terbaca.")
    expect(time_input(page_in)).to_have_value("25.00")


def test_the_calendar_and_the_form_speak_bahasa(page_in: Page, live_url: str):
    intake(page_in, live_url)
    type_into(date_input(page_in), "25/12/2099")
    date_input(page_in).click()
    calendar = page_in.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar.locator(".flatpickr-weekday").first).to_have_text(re.compile(r"^\s*Sen\s*$"))
    expect(calendar.locator(".flatpickr-monthDropdown-month[value='11']")).to_have_text("Desember")
    page_in.keyboard.press("Escape")
    expect(time_input(page_in)).to_have_attribute("placeholder", "jj.mm")
    expect(page_in.get_by_text("Belum ada berkas dipilih")).to_be_visible()
    page_in.get_by_role("button", name="Kirim permohonan").click()
    expect(page_in.get_by_text("Wajib diisi.").first).to_be_visible()
    assert page_in.get_by_text("Field is required.").count() == 0
    expect(page_in.get_by_role("alert")).to_contain_text("Nama pemohon")


def test_the_date_typed_reaches_the_case_as_the_applicant_meant_it(
    site: Site, live_url: str, new_page: Callable[[], Page]
):
    citizen = new_page()
    intake(citizen, live_url)
    citizen.get_by_label("Nama pemohon").fill("Ahmad Fauzi")
    citizen.get_by_label("E-mail").fill("ahmad@example.id")
    citizen.get_by_label("Perihal").fill("Kunjungan lapangan")
    type_into(date_input(citizen), "05/01/2099")
    type_into(time_input(citizen), "09.30")
    citizen.locator("input[type=file]").set_input_files(
        files=[{"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    citizen.get_by_role("button", name="Kirim permohonan").click()
    citizen.wait_for_url(re.compile(r"/diterima$"))
    code = citizen.locator("#kode-pelacakan").inner_text().strip()
    with site.sessions() as db:
        case = db.scalar(select(Case).where(Case.tracking_code == code))
        assert case is not None
        assert case.data["visit"] == "2099-01-05T09:30+07:00"
