"""Intake of a service several agencies run (issue 27): when more than one unit receives the
service (``Unit.services``, ``layanan`` in ``deploy/agencies.toml``), the applicant chooses the
agency addressed ("Instansi tujuan") and the case goes to that agency's unit; a missing or
unknown choice is refused in Bahasa and stores nothing. A registrar registers into the
receiving unit of their own unit chain. A service with one receiving unit or none works as
before.

The receiving units are the shipped ones (DPMPTSP Jawa Timur and Sleman both receive
``pengaduan-dpmptsp``); the service is a test service of that code using the web tests' own
intake form and diagram, so nothing here depends on SOP 3's own form. Real broker, S3 and
database.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.test import TestResponse

from alur import agencies as core_agencies
from alur import agency_file, services
from alur.letter_parts import Letterhead
from features.web.conftest import SERVICE, Site, sign_in
from features.web.test_case_flow import received, submit, task_of
from features.web.test_registration import stored
from storage import accounts, cases, documents
from storage.models import CaseDocument
from web import public, registration
from web.submission import CHECK_FIELDS

pytestmark = pytest.mark.platform

#: SOP 3's service code, on the web tests' form and diagram; staff register it by letter.
MANY = replace(
    SERVICE,
    code="pengaduan-dpmptsp",
    agency="dpmptsp",
    unit_code="dpmptsp-jatim",
    registrars=("dpmptsp.front_office",),
    channels=(("surat", "Surat"),),
)
PAGE = f"/layanan/{MANY.code}"
ACTION = f"{PAGE}/ajukan"
REGISTER = f"/tugas/daftarkan/{MANY.code}"
JATIM = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Jawa Timur"
SLEMAN = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Sleman"
#: username -> unit: front offices of both agencies, and a desk beneath Sleman's.
FRONT_OFFICES = {
    "fo-jatim": "dpmptsp-jatim",
    "fo-sleman": "dpmptsp-sleman",
    "loket-sleman": "dpmptsp-sleman-loket",
}


@pytest.fixture(scope="module")
def offices(site: Site) -> dict[str, FlaskClient]:
    """The installation's agencies and units (as ``make run`` loads them) in the site's
    database, and a signed-in front office of each DPMPTSP."""
    with site.sessions() as db:
        agency_file.load(db, agency_file.shipped(), "uji", only_new=True)
        accounts.ensure_unit(db, "dpmptsp-sleman-loket", "Loket DPMPTSP Sleman", "dpmptsp-sleman")
        for username, unit in FRONT_OFFICES.items():
            accounts.create_user(
                db, username, "Rahasia-Sekali-2026", full_name=username, unit_code=unit,
                roles=["dpmptsp.front_office"],
            )  # fmt: skip
        db.commit()
    clients = {}
    for username in FRONT_OFFICES:
        clients[username] = site.app.test_client()
        sign_in(clients[username], username)
    return clients


@pytest.fixture(autouse=True)
def catalogue(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app offers the service of two receiving units and the one of a single unit."""
    monkeypatch.setitem(site.app.extensions, "alur.services", (MANY, SERVICE))


def apply(
    client: FlaskClient, unit: str | None, data: dict[str, Any] | None = None
) -> TestResponse:
    """Post the intake form as its page does, with ``unit`` chosen as the agency addressed
    (None: nothing chosen)."""
    fields = {public.DESTINATION: unit} if unit is not None else {}
    return submit(client, data, page=PAGE, action=ACTION, fields=fields)


def receipt_text(site: Site, case_id: int) -> str:
    with site.sessions() as db:
        doc = db.scalar(
            select(CaseDocument).where(
                CaseDocument.case_id == case_id, CaseDocument.kind == "tanda_terima"
            )
        )
    assert doc is not None
    data = documents.read_document(site.app.extensions["alur.s3"], doc)
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_the_service_page_asks_which_agency_the_application_is_for(
    site: Site, offices: dict[str, FlaskClient]
):
    page = site.app.test_client().get(PAGE).get_data(as_text=True)
    assert 'data-extra="tambahan-permohonan"' in page and "Instansi tujuan" in page
    assert 'id="instansi_tujuan-field"' in page
    assert 'name="instansi_tujuan" required' in page
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', page)
    assert options == [
        ("", "Pilih instansi tujuan"),
        ("dpmptsp-sleman", SLEMAN),
        ("dpmptsp-jatim", JATIM),
    ]
    # A service received by one unit (or none) asks nothing.
    single = site.app.test_client().get(f"/layanan/{SERVICE.code}").get_data(as_text=True)
    assert "instansi_tujuan" not in single and "data-alur-form" in single


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("unit", "message"),
    [
        (None, public.DESTINATION_MISSING),
        ("", public.DESTINATION_MISSING),
        ("dpmptsp", public.DESTINATION_UNKNOWN),  # an agency's code, not a unit
        ("dpmptsp-jabar", public.DESTINATION_UNKNOWN),  # a unit that does not receive it
        ("dpmptsp-sleman-loket", public.DESTINATION_UNKNOWN),  # beneath a receiving unit
        ("<script>", public.DESTINATION_UNKNOWN),
    ],
    ids=["absent", "empty", "agency-code", "other-unit", "child-unit", "markup"],
)
def test_an_application_without_a_known_agency_is_refused_and_stores_nothing(
    site: Site, offices: dict[str, FlaskClient], unit: str | None, message: str
):
    before = stored(site)
    refused = apply(site.app.test_client(), unit)
    assert refused.status_code == 400
    assert refused.get_json() == {"message": CHECK_FIELDS, "errors": {"instansi_tujuan": message}}
    assert stored(site) == before  # no case, no file, so nothing started in the engine
    # With the form wrong too, both are said at once.
    both = apply(site.app.test_client(), unit, {"applicantName": ""})
    assert set(both.get_json()["errors"]) >= {"instansi_tujuan", "applicantName"}
    assert stored(site) == before


def test_the_chosen_agency_receives_the_case_and_only_its_staff_see_it(
    site: Site, offices: dict[str, FlaskClient]
):
    assert public.DESTINATION_MISSING == "Pilih instansi tujuan permohonan Anda."
    made = {}
    for unit in ("dpmptsp-sleman", "dpmptsp-jatim"):
        citizen = site.app.test_client()
        code, _ = received(citizen, apply(citizen, unit))
        with site.sessions() as db:
            case = cases.by_code(db, code)
            assert case is not None and case.unit_code == unit
            made[unit] = (case.id, code)
    # The receipt is on the chosen agency's letterhead.
    assert "PEMERINTAH KABUPATEN SLEMAN" in receipt_text(site, made["dpmptsp-sleman"][0])
    assert "PEMERINTAH PROVINSI JAWA TIMUR" in receipt_text(site, made["dpmptsp-jatim"][0])
    # Its first task is in that unit: its own front office sees it, the other agency's not.
    for unit, me, other in (
        ("dpmptsp-sleman", "fo-sleman", "fo-jatim"),
        ("dpmptsp-jatim", "fo-jatim", "fo-sleman"),
    ):
        task = task_of(site, made[unit][1], "Task_PeriksaPermohonan")
        assert task.unit_code == unit
        assert offices[me].get(f"/tugas/{task.id}").status_code == 200
        assert offices[other].get(f"/tugas/{task.id}").status_code == 403
        listing = offices[other].get("/tugas?tampilan=tersedia").get_data(as_text=True)
        assert f'href="/tugas/{task.id}"' not in listing
    # A service of one receiving unit goes to it, as before: nothing to choose.
    citizen = site.app.test_client()
    code, _ = received(
        citizen,
        submit(citizen, page=f"/layanan/{SERVICE.code}", action=f"/layanan/{SERVICE.code}/ajukan"),
    )
    with site.sessions() as db:
        single = cases.by_code(db, code)
    assert single is not None and single.unit_code == SERVICE.unit_code


def register(client: FlaskClient) -> TestResponse:
    fields = {registration.CHANNEL: "surat"}
    return submit(client, page=REGISTER, action=REGISTER, fields=fields)


@pytest.mark.hostile
def test_a_registrar_registers_into_the_receiving_unit_of_their_own_agency(
    site: Site, offices: dict[str, FlaskClient], staff: dict[str, FlaskClient]
):
    for username, unit, label in (
        ("fo-jatim", "dpmptsp-jatim", JATIM),
        ("fo-sleman", "dpmptsp-sleman", SLEMAN),
        ("loket-sleman", "dpmptsp-sleman", SLEMAN),  # a desk beneath Sleman's unit
    ):
        client = offices[username]
        assert f'href="{REGISTER}"' in client.get("/tugas/daftarkan").get_data(as_text=True)
        form = client.get(REGISTER).get_data(as_text=True)
        assert label in form and "instansi_tujuan" not in form  # the member does not choose
        code, _ = received(client, register(client))
        with site.sessions() as db:
            case = cases.by_code(db, code)
        assert case is not None and case.unit_code == unit, username
        assert case.registered_by == username
    # Members with the role in no receiving unit's chain may not register it.
    before = stored(site)
    for outsider in ("siti", "asep"):
        assert staff[outsider].get(REGISTER).status_code == 403, outsider
        assert register(staff[outsider]).status_code == 403, outsider
        listing = staff[outsider].get("/tugas/daftarkan").get_data(as_text=True)
        assert f'href="{REGISTER}"' not in listing
    assert stored(site) == before


def test_an_agency_is_named_for_applicants_by_its_government():
    head = Letterhead(
        name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        parent="Pemerintah Kabupaten Sleman",
    )
    agency = core_agencies.Agency("dpmptsp-sleman", head, "Sleman")
    assert services.agency_label(agency) == SLEMAN
    named = replace(agency, display_name="DPMPTSP Kabupaten Sleman")
    assert services.agency_label(named) == "DPMPTSP Kabupaten Sleman"
    plain = replace(agency, letterhead=replace(head, parent=""))
    assert services.agency_label(plain) == head.name
    receiving = ["dpmptsp-jatim", "dpmptsp-sleman"]
    chain = ["dpmptsp-sleman-loket", "dpmptsp-sleman", "pemkab-sleman"]
    assert services.registrar_unit(MANY, receiving, chain) == "dpmptsp-sleman"
    assert services.registrar_unit(MANY, receiving, ["kasn"]) is None
    assert services.registrar_unit(MANY, ["dpmptsp-sleman"], ["kasn"]) == MANY.unit_code
