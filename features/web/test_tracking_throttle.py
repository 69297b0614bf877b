"""Wrong tracking PINs stay slow to guess, and a stranger cannot keep the applicant out.

The browser that submitted a case, or that once gave its PIN, carries a device cookie and is
counted on its own; strangers are limited per code and address, per address, and per code
from every address together (``storage.throttle.PER_CODE_DAY``). The real app, database and
S3; the app's clock (``utcnow`` in ``web.public`` and ``web.auth``) is held still and moved by
the tests, so the waits are exact and nobody sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from itertools import count

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Browser as ChromiumBrowser
from playwright.sync_api import BrowserContext, Page, expect
from werkzeug.test import TestResponse

from features.support.browser import WIDTHS, fits, open_context, screenshot
from features.support.tally import Tally
from features.web.conftest import PASSWORD, Site, csrf_of
from features.web.test_case_flow import apply_in_browser, received, submit
from storage import accounts, throttle
from storage.models import utcnow
from web import auth, public

pytestmark = [pytest.mark.platform, pytest.mark.hostile]

COOKIE = public.TRACKING_DEVICES.name
_addresses = count(1)


class Clock:
    """The app's time: still until a test moves it, and only forward."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(scope="module")
def clock() -> Iterator[Clock]:
    held = Clock(utcnow())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(public, "utcnow", held)
        patch.setattr(auth, "utcnow", held)
        yield held


def new_address() -> str:
    """A loopback-free address no other test of the module uses."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


class Browser:
    """A browser at an address, with the tracking page's CSRF token."""

    def __init__(self, site: Site, address: str | None = None) -> None:
        self.client: FlaskClient = site.app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = address or new_address()
        self.token = csrf_of(self.client.get("/lacak").get_data(as_text=True))

    def track(self, code: str, pin: str) -> TestResponse:
        return self.client.post("/lacak", data={"kode": code, "pin": pin, "csrf_token": self.token})

    def opens(self, code: str, pin: str) -> bool:
        """Code and PIN lead to the case page, which shows the case."""
        answer = self.track(code, pin)
        if answer.status_code != 302 or answer.location != f"/lacak/{code}":
            return False
        page = self.client.get(answer.location)
        return page.status_code == 200 and code in page.get_data(as_text=True)


def apply(site: Site, address: str | None = None) -> tuple[Browser, str, str]:
    """A citizen applies: their browser, the tracking code and the PIN."""
    owner = Browser(site, address)
    code, pin = received(owner.client, submit(owner.client))
    return owner, code, pin


def wrong(pin: str, n: int) -> str:
    guess = f"{n:08d}"[:4] + "-" + f"{n:08d}"[4:]
    return guess if guess != pin else "ZZZZ-ZZZZ"


def text(answer: TestResponse) -> str:
    return answer.get_data(as_text=True)


def test_the_device_cookie_is_signed_httponly_and_names_no_code(site: Site, clock: Clock):
    owner = Browser(site)
    answer = submit(owner.client)
    code, _ = received(owner.client, answer)
    cookie = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith(f"{COOKIE}="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path", "max-age"} <= attributes
    assert "SameSite=Lax" in cookie and "Path=/lacak" in cookie
    assert "Max-Age=31536000" in cookie  # a year from the last success
    value = cookie.split(";")[0].split("=", 1)[1]
    assert code not in value and code.replace("-", "") not in value


def test_a_strangers_wrong_pins_never_keep_the_owners_browser_out(
    site: Site, clock: Clock, tally: Tally
):
    """Behind one address (a carrier's NAT shares one among many people) a stranger exhausts
    both the code's and the address's limits; the owner's browsers there (the one that applied,
    and a phone that once gave the PIN) open the case."""
    shared = new_address()
    owner, code, pin = apply(site, shared)
    phone = Browser(site, shared)
    assert phone.opens(code, pin)  # the owner's second device: trusted from now on
    stranger = Browser(site, shared)
    answers = [stranger.track(code, wrong(pin, n)) for n in range(5)]
    answers.append(stranger.track(code, pin))  # the right PIN too waits now
    refused = answers[-1]
    tally.add("inputs", 1, int(refused.status_code == 429))
    assert [a.status_code for a in answers] == [404] * 5 + [429]
    assert "PIN tidak cocok" in text(answers[0])
    assert "Terlalu banyak percobaan yang salah. Coba lagi dalam 15 menit." in text(refused)
    assert owner.opens(code, pin) and phone.opens(code, pin)
    assert Browser(site, shared).track(code, pin).status_code == 429  # a device never used

    # The stranger goes on with other codes from the same address, up to the address's limit.
    for n in range(throttle.PER_ADDRESS.attempts - 5):
        made_up = f"ALR-0000-{n // throttle.PER_TARGET.attempts:04d}"
        assert stranger.track(made_up, "AAAA-AAAA").status_code == 404
    by_address = stranger.track("ALR-1111-1111", "AAAA-AAAA")
    tally.add("inputs", 1, int(by_address.status_code == 429))
    assert by_address.status_code == 429
    assert "Coba lagi dalam 15 menit" in text(by_address)
    assert owner.opens(code, pin)
    # The owner's browser mistyping is told the PIN is wrong, not to wait.
    assert owner.track(code, wrong(pin, 1)).status_code == 404

    clock.advance(throttle.PER_TARGET.window)
    assert stranger.track(code, wrong(pin, 9)).status_code == 404  # slow, not shut out


def test_the_daily_cap_per_code_holds_across_addresses_even_at_once(
    site: Site, clock: Clock, tally: Tally
):
    """Guesses from many addresses at the same moment: the code's daily cap admits exactly
    ``PER_CODE_DAY.attempts`` of them, then refuses everyone without the device cookie, the
    owner's new phone included, while the owner's browser still opens the case."""
    owner, code, pin = apply(site)
    cap = throttle.PER_CODE_DAY.attempts
    botnet = [Browser(site) for _ in range(cap + 8)]
    with ThreadPoolExecutor(4) as pool:
        burst = list(pool.map(lambda b: b[1].track(code, wrong(pin, b[0])), enumerate(botnet)))
    statuses = [a.status_code for a in burst]
    assert set(statuses) <= {404, 429} and statuses.count(404) <= cap
    # Whatever the race refused early, fresh addresses get exactly the rest of the day's guesses.
    admitted = statuses.count(404)
    while True:
        answer = Browser(site).track(code, wrong(pin, admitted))
        if answer.status_code != 404:
            break
        admitted += 1
        assert admitted <= cap
    tally.add("inputs", 1, int(admitted == cap and answer.status_code == 429))
    assert admitted == cap and answer.status_code == 429

    phone = Browser(site)  # the owner, on a device that never opened the case
    waits = phone.track(code, pin)
    assert waits.status_code == 429
    assert "Kode pelacakan ini terlalu sering dicoba dengan PIN yang salah" in text(waits)
    assert "perangkat yang pernah dipakai untuk mengajukan atau melacaknya" in text(waits)
    assert "coba lagi dalam 24 jam." in text(waits)

    assert owner.opens(code, pin)  # the browser that applied never waits
    assert owner.track(code, wrong(pin, 1)).status_code == 404

    clock.advance(timedelta(hours=6))
    assert "coba lagi dalam 18 jam." in text(phone.track(code, pin))
    clock.advance(timedelta(hours=18))
    assert phone.opens(code, pin)  # a day later


def test_a_foreign_or_forged_device_cookie_earns_no_trust(site: Site, clock: Clock, tally: Tally):
    owner, code, pin = apply(site)
    value = owner.client.get_cookie(COOKIE, path="/lacak")
    assert value is not None
    stranger, _, _ = apply(site)  # trusted for a case of their own, not for this one
    forger = Browser(site)
    tampered = value.value[:-2] + ("AA" if not value.value.endswith("AA") else "BB")
    forger.client.set_cookie(COOKIE, tampered, path="/lacak")
    held = 0
    for browser in (stranger, forger):
        answers = [browser.track(code, wrong(pin, n)).status_code for n in range(5)]
        answers.append(browser.track(code, pin).status_code)
        held += answers == [404] * 5 + [429]
    tally.add("inputs", 2, held)
    assert held == 2
    assert owner.opens(code, pin)


def test_a_stolen_device_cookie_guesses_at_most_a_few_a_day(site: Site, clock: Clock, tally: Tally):
    """Whoever copies the owner's cookie is counted in the device's own bucket: five wrong
    PINs in 15 minutes, twenty a day."""
    owner, code, pin = apply(site)
    value = owner.client.get_cookie(COOKIE, path="/lacak")
    assert value is not None
    thief = Browser(site)
    thief.client.set_cookie(COOKIE, value.value, path="/lacak")
    tried = 0
    rounds = throttle.PER_DEVICE_DAY.attempts // throttle.PER_DEVICE.attempts
    for done in range(1, rounds + 1):
        for _ in range(throttle.PER_DEVICE.attempts):
            assert thief.track(code, wrong(pin, tried)).status_code == 404
            tried += 1
        refused = thief.track(code, wrong(pin, tried))
        assert refused.status_code == 429
        if done < rounds:
            assert "Coba lagi dalam 15 menit." in text(refused)
            clock.advance(throttle.PER_DEVICE.window)
    # Twenty in 45 minutes: the day's limit waits for the first of them to be a day old.
    tally.add("inputs", 1, int(refused.status_code == 429))
    assert tried == throttle.PER_DEVICE_DAY.attempts
    assert "Coba lagi dalam 23 jam 15 menit." in text(refused)


def test_strangers_wrong_passwords_never_keep_staff_out_of_their_own_browser(
    site: Site, clock: Clock, tally: Tally
):
    with site.sessions() as db:
        accounts.create_user(
            db, "wati", PASSWORD, full_name="Wati", unit_code="dpmptsp", roles=["kasn.asisten"]
        )
        db.commit()

    def sign_in(client: FlaskClient, password: str) -> int:
        token = csrf_of(client.get("/masuk").get_data(as_text=True))
        data = {"username": "wati", "password": password, "csrf_token": token}
        return client.post("/masuk", data=data).status_code

    def sign_out(client: FlaskClient) -> None:
        token = csrf_of(client.get("/tugas").get_data(as_text=True))
        assert client.post("/keluar", data={"csrf_token": token}).status_code == 302

    office = site.app.test_client()
    assert sign_in(office, PASSWORD) == 302
    sign_out(office)
    stranger = site.app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = new_address()
    assert [sign_in(stranger, "salah") for _ in range(6)] == [401] * 5 + [429]
    new_laptop = site.app.test_client()
    new_laptop.environ_base["REMOTE_ADDR"] = new_address()
    refused = new_laptop.post(
        "/masuk",
        data={
            "username": "wati",
            "password": PASSWORD,
            "csrf_token": csrf_of(new_laptop.get("/masuk").get_data(as_text=True)),
        },
    )
    assert refused.status_code == 429  # a device that never signed in waits, as before
    assert "Terlalu banyak percobaan masuk yang salah" in text(refused)
    mistyped, right = sign_in(office, "salah"), sign_in(office, PASSWORD)
    tally.add("inputs", 1, int(right == 302))
    assert (mistyped, right) == (401, 302)


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_in_chromium_the_applicants_browser_opens_what_a_new_device_must_wait_for(
    site: Site,
    live_url: str,
    browser: ChromiumBrowser,
    clock: Clock,
    size: str,
    monkeypatch: pytest.MonkeyPatch,
):
    """The browser that applied keeps an HttpOnly device cookie for the tracking page; once
    strangers have used the code's guesses, a new device reads why it must wait (screenshot
    ``pelacakan-ditunda``), and the applicant's browser opens the case."""
    monkeypatch.setattr(throttle, "PER_CODE_DAY", throttle.Limit(3, timedelta(days=1)))

    def new_context() -> BrowserContext:
        return open_context(browser, size)

    def track(page: Page, code: str, pin: str) -> None:
        page.goto(f"{live_url}/lacak")
        page.get_by_label("Kode pelacakan").fill(code)
        page.get_by_label("PIN").fill(pin)
        page.get_by_role("button", name="Lacak").click()

    applicant, phone = new_context(), new_context()
    try:
        page = applicant.new_page()
        page.goto(f"{live_url}/layanan/uji-layanan")
        code, pin = apply_in_browser(page)
        cookie = next(c for c in applicant.cookies() if c["name"] == COOKIE)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/lacak"

        for n in range(3):
            assert Browser(site).track(code, wrong(pin, n)).status_code == 404
        other = phone.new_page()
        track(other, code, pin)
        notice = other.get_by_role("alert")
        expect(notice).to_contain_text("terlalu sering dicoba dengan PIN yang salah")
        expect(notice).to_contain_text("coba lagi dalam 24 jam")
        expect(other.get_by_label("Kode pelacakan")).to_have_value(code)
        screenshot(other, f"pelacakan-ditunda-{size}")
        assert fits(other)

        track(page, code, pin)
        expect(page.locator("#status")).to_be_visible()
    finally:
        applicant.close()
        phone.close()
