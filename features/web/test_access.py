"""Hostile access over HTTP: every state change needs its CSRF token; staff of another unit or
role, and strangers, get 403/404 for a case's task, documents and timeline and learn nothing;
repeated wrong passwords and tracking PINs are throttled."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import BuildError

from features.support.tally import Tally
from features.web.conftest import PASSWORD, Site, csrf_of, sign_in
from features.web.test_case_flow import INTAKE, received, submit, task_of
from storage import accounts
from storage.models import Case, CaseDocument, HumanTask

pytestmark = [pytest.mark.platform, pytest.mark.hostile]


def state_changes(app: Flask) -> list[str]:
    """Every URL that takes a POST, PUT, PATCH or DELETE, with made-up path values."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.methods or not rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            continue
        try:
            url = adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, 1))
        except BuildError:  # a path value that is not a number
            url = adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, "uji"))
        urls.append(url)
    return sorted(set(urls))


def test_every_state_change_refuses_a_request_without_its_csrf_token(
    site: Site, staff: dict[str, FlaskClient], tally: Tally
):
    urls = state_changes(site.app)
    assert "/tugas/1/selesaikan" in urls and "/layanan/1/ajukan" in urls  # the walk works
    anonymous = site.app.test_client()
    refused = 0
    for url in urls:
        for client in (anonymous, staff["rina"]):
            answer = client.post(url, data={"csrf_token": "palsu", "data": "{}"})
            ok = answer.status_code == 400 and "Token keamanan" in answer.get_data(as_text=True)
            refused += ok
            assert ok, (url, answer.status_code)
    tally.add("inputs", 2 * len(urls), refused)


def test_another_unit_or_role_gets_nothing_of_a_case(
    site: Site, staff: dict[str, FlaskClient], tally: Tally
):
    citizen = site.app.test_client()
    code, _ = received(citizen, submit(citizen))
    task = task_of(site, code, "Task_PeriksaPermohonan")
    with site.sessions() as db:
        case = db.scalar(select(Case).where(Case.tracking_code == code))
        assert case is not None
        docs = list(db.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id)))
    secrets = (code, INTAKE["applicantName"], f'href="/tugas/{task.id}"')
    tried = refused = 0
    # asep: same role, another province; dewi: another agency and role.
    for outsider in ("asep", "dewi"):
        client = staff[outsider]
        token = csrf_of(client.get("/tugas").get_data(as_text=True))
        requests = [
            ("GET", f"/tugas/{task.id}", {}),
            *[("GET", f"/dokumen/{d.id}", {}) for d in docs],
        ]
        requests += [
            ("POST", f"/tugas/{task.id}/klaim", {"csrf_token": token}),
            ("POST", f"/tugas/{task.id}/tugaskan", {"csrf_token": token, "username": outsider}),
            ("POST", f"/tugas/{task.id}/selesaikan", {"csrf_token": token, "data": "{}"}),
            ("GET", f"/tugas?kode={code}", {}),
            ("GET", "/tugas?tampilan=tersedia", {}),
            ("GET", "/tugas?tampilan=tim", {}),
            ("GET", f"/lacak/{code}", {}),
        ]
        for method, url, data in requests:
            answer = client.open(url, method=method, data=data)
            body = answer.get_data(as_text=True)
            # A listing answers 200 without the case; anything else must refuse.
            listing = url.startswith("/tugas?")
            kept_out = answer.status_code in ((200,) if listing else (302, 403, 404))
            # The code the outsider typed may be echoed back (the search box); nothing else.
            quiet = not any(secret in body for secret in secrets if secret not in url)
            tried += 1
            refused += kept_out and quiet
            assert kept_out and quiet, (outsider, method, url, answer.status_code)
    with site.sessions() as db:
        row = db.get(HumanTask, task.id)
        assert row is not None and row.assignee is None and row.status == "open"
    tally.add("cross_unit", tried, refused)


def test_wrong_passwords_are_throttled_per_account(site: Site, tally: Tally):
    with site.sessions() as db:  # an account of its own: the others sign in all module long
        accounts.create_user(
            db, "tono", PASSWORD, full_name="Tono", unit_code="dpmptsp", roles=["kasn.asisten"]
        )
        db.commit()
    client = site.app.test_client()
    token = csrf_of(client.get("/masuk").get_data(as_text=True))
    answers = [
        client.post("/masuk", data={"username": "tono", "password": "salah", "csrf_token": token})
        for _ in range(6)
    ]
    assert [a.status_code for a in answers] == [401] * 5 + [429]
    assert "Terlalu banyak percobaan" in answers[-1].get_data(as_text=True)
    # Even the right password waits now; another account is not affected.
    right = client.post(
        "/masuk", data={"username": "tono", "password": PASSWORD, "csrf_token": token}
    )
    assert right.status_code == 429
    sign_in(site.app.test_client(), "siti")
    tally.add("inputs", 2, int(answers[-1].status_code == 429) + int(right.status_code == 429))


def test_wrong_tracking_pins_are_throttled_per_code(site: Site, tally: Tally):
    citizen = site.app.test_client()
    code, pin = received(citizen, submit(citizen))
    stranger = site.app.test_client()
    token = csrf_of(stranger.get("/lacak").get_data(as_text=True))

    def guess(value: str) -> int:
        answer = stranger.post("/lacak", data={"kode": code, "pin": value, "csrf_token": token})
        return answer.status_code

    statuses = [guess(f"AAAA-AAA{n}") for n in range(5)] + [guess(pin)]
    assert statuses == [404] * 5 + [429]  # the right PIN too, while the code is throttled
    tally.add("inputs", 1, int(statuses[-1] == 429))


@pytest.mark.faults
def test_staff_racing_for_the_same_tasks_claim_and_complete_each_once(site: Site, tally: Tally):
    """Three members of the role claim four tasks at once, then each winner submits twice at
    once: one assignee per task, one completion per task, one next step per case."""
    citizen = site.app.test_client()
    codes = [received(citizen, submit(citizen))[0] for _ in range(4)]
    tasks = [task_of(site, code, "Task_PeriksaPermohonan") for code in codes]
    racers = ["siti", "budi", "yanti"]

    def signed_in(username: str) -> FlaskClient:
        client = site.app.test_client()
        sign_in(client, username)
        return client

    pairs = [(name, task.id, signed_in(name)) for task in tasks for name in racers]

    def claim(pair: tuple[str, int, FlaskClient]) -> None:
        _, task_id, client = pair
        token = csrf_of(client.get(f"/tugas/{task_id}").get_data(as_text=True))
        client.post(f"/tugas/{task_id}/klaim", data={"csrf_token": token})

    with ThreadPoolExecutor(len(pairs)) as pool:
        list(pool.map(claim, pairs))
    with site.sessions() as db:
        owners = {t.id: db.get(HumanTask, t.id).assignee for t in tasks}  # type: ignore[union-attr]
    assert all(owner in racers for owner in owners.values()), owners

    def submit_twice(task: HumanTask) -> list[int]:
        winner = next(c for name, tid, c in pairs if tid == task.id and name == owners[task.id])
        again = signed_in(owners[task.id])

        def complete(client: FlaskClient) -> int:
            token = csrf_of(client.get(f"/tugas/{task.id}").get_data(as_text=True))
            data = {"csrf_token": token, "data": '{"keputusan": "lengkap"}'}
            headers = {"Accept": "application/json"}
            return client.post(
                f"/tugas/{task.id}/selesaikan", data=data, headers=headers
            ).status_code

        with ThreadPoolExecutor(2) as both:
            return sorted(both.map(complete, [winner, again]))

    answers = [submit_twice(task) for task in tasks]
    nexts = [task_of(site, code, "Task_SetujuiPermohonan") for code in codes]
    with site.sessions() as db:
        following = [
            db.scalar(
                select(func.count()).where(
                    HumanTask.tracking_code == code,
                    HumanTask.element_id == "Task_SetujuiPermohonan",
                )
            )
            for code in codes
        ]
    once = sum(a.count(200) == 1 and f == 1 for a, f in zip(answers, following, strict=True))
    tally.add("faults", len(tasks), once)
    assert len(nexts) == len(codes)
    assert all(a.count(200) == 1 for a in answers), answers  # the other: 409, not open
    assert following == [1] * len(codes)


@pytest.mark.parametrize(
    "typed",
    ["' OR '1'='1", "ALR-0000'; DROP TABLE case_file;--", "%' OR 1=1 --", "\\'\"); --"],
)
def test_sql_metacharacters_in_lookups_find_nothing_and_break_nothing(
    site: Site, staff: dict[str, FlaskClient], typed: str, tally: Tally
):
    citizen = site.app.test_client()
    code, _ = received(citizen, submit(citizen))
    search = staff["siti"].get("/tugas", query_string={"kode": typed})
    stranger = site.app.test_client()
    token = csrf_of(stranger.get("/lacak").get_data(as_text=True))
    lookup = stranger.post("/lacak", data={"kode": typed, "pin": typed, "csrf_token": token})
    with site.sessions() as db:
        intact = db.scalar(select(Case.id).where(Case.tracking_code == code)) is not None
    held = (
        search.status_code == 200
        and code not in search.get_data(as_text=True)
        and lookup.status_code == 404
        and intact
    )
    tally.add("inputs", 2, 2 * int(held))
    assert held, (search.status_code, lookup.status_code, intact)
