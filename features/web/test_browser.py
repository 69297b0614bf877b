"""In real Chromium: a citizen applies, staff sign in, claim, fill the form and complete it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from features.support.browser import sign_in_browser
from features.web.conftest import PASSWORD, Site
from features.web.test_case_flow import PDF, received, submit, task_of
from storage.models import HumanTask

pytestmark = pytest.mark.platform


def test_citizen_applies_and_staff_complete_the_task_in_the_browser(
    site: Site, live_url: str, new_page: Callable[[], Page]
):
    citizen = new_page()
    citizen.goto(f"{live_url}/layanan/uji-layanan")
    expect(citizen.get_by_text("Salinan KTP").first).to_be_visible()
    # The browser refuses an empty form before anything is sent.
    citizen.get_by_role("button", name="Kirim permohonan").click()
    expect(citizen.locator(".fjs-form-field-error").first).to_be_visible()

    citizen.get_by_label("Nama pemohon").fill("Ahmad Fauzi")
    citizen.get_by_label("E-mail").fill("ahmad@example.id")
    citizen.get_by_label("Perihal").fill("Izin usaha mikro")
    citizen.get_by_label("Jumlah salinan").fill("2")
    citizen.get_by_label("Jumlah salinan").blur()  # form-js commits a field on blur
    citizen.locator("input[type=file]").set_input_files(
        files=[{"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    citizen.get_by_role("button", name="Kirim permohonan").click()
    citizen.wait_for_url(re.compile(r"/lacak/ALR-[0-9A-Z-]+/diterima$"))
    code = citizen.locator("#kode-pelacakan").inner_text().strip()
    expect(citizen.locator("#pin")).to_have_text(re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}"))
    with citizen.expect_download() as download:
        citizen.get_by_text("Unduh tanda terima (PDF)").click()
    assert download.value.suggested_filename == f"tanda-terima-{code}.pdf"

    task = task_of(site, code, "Task_PeriksaPermohonan")
    staff = new_page()
    sign_in_browser(staff, live_url, "siti", PASSWORD)
    staff.goto(f"{live_url}/tugas?tampilan=tersedia")
    staff.get_by_role("row", name=re.compile(code)).get_by_role("link").click()
    expect(staff.get_by_text("Ahmad Fauzi").first).to_be_visible()
    staff.get_by_role("button", name="Klaim tugas").click()
    staff.locator(".fjs-select-display").click()
    staff.get_by_text("Lengkap", exact=True).click()
    staff.get_by_label("Catatan").fill("Berkas lengkap dan sah.")
    staff.get_by_label("Catatan").blur()
    staff.get_by_role("button", name="Selesaikan tugas").click()
    staff.wait_for_url(re.compile(r"/tugas$"))
    expect(staff.get_by_text("Tugas selesai.")).to_be_visible()

    following = task_of(site, code, "Task_SetujuiPermohonan")  # the process moved on in Zeebe
    assert following.variables["keputusan"] == "lengkap"
    assert following.variables["catatan"] == "Berkas lengkap dan sah."
    with site.sessions() as db:
        done = db.scalar(select(HumanTask).where(HumanTask.id == task.id))
        assert done is not None and done.status == "completed" and done.completed_by == "siti"


def test_the_server_refuses_a_bad_upload_beside_its_field_and_keeps_the_answers(
    site: Site, live_url: str, new_page: Callable[[], Page]
):
    citizen = new_page()
    citizen.goto(f"{live_url}/layanan/uji-layanan")
    citizen.get_by_label("Nama pemohon").fill("Ahmad Fauzi")
    citizen.get_by_label("E-mail").fill("ahmad@example.id")
    citizen.get_by_label("Perihal").fill("Izin usaha mikro")
    citizen.get_by_label("Perihal").blur()
    fake = b"MZ\x90\x00" + b"\x00" * 64  # a Windows program named like a PDF
    citizen.locator("input[type=file]").set_input_files(
        files=[{"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": fake}]
    )
    citizen.get_by_role("button", name="Kirim permohonan").click()
    field = citizen.locator(".fjs-form-field", has=citizen.locator("input[type=file]"))
    expect(field.locator(".fjs-form-field-error")).to_contain_text("Jenis berkas")
    expect(citizen.get_by_role("alert")).to_contain_text("Periksa kembali")
    expect(citizen.get_by_label("Nama pemohon")).to_have_value("Ahmad Fauzi")
    assert "/layanan/uji-layanan" in citizen.url


def test_staff_of_another_unit_see_a_403_page(
    site: Site, live_url: str, new_page: Callable[[], Page]
):
    client = site.app.test_client()
    code, _ = received(client, submit(client))
    task = task_of(site, code, "Task_PeriksaPermohonan")
    other = new_page()
    sign_in_browser(other, live_url, "asep", PASSWORD)
    response = other.goto(f"{live_url}/tugas/{task.id}")
    assert response is not None and response.status == 403
    expect(other.get_by_role("heading")).to_have_text("Anda tidak berwenang membuka halaman ini.")
