"""The public services Alur offers: one per SOP (declared in ``alur.sops``, whose
``CATALOG`` lists them), with the seed's requirements checklist.

A service opens for online intake when its intake form is in ``forms/`` and its process is
deployed; until then its page shows the requirements and says intake is not open yet.
The intake form's keys ``applicantName``, ``applicantEmail`` and ``subject`` fill the case
record; every other key becomes a process variable.

Staff holding one of a service's ``registrars`` roles register cases on an applicant's behalf
(``/tugas/daftarkan``): the same intake form, plus the channel it came through, one of the
service's ``channels``. The online intake records :data:`ONLINE`. Either way the process
starts with the channel's code in the variable ``saluran``.

A service many agencies run (a DPMPTSP's complaints: every province and regency has one) has
a receiving unit per agency: the units whose ``services`` list its code (``layanan`` in
``deploy/agencies.toml``), its :func:`receivers`. With more than one, the applicant chooses
the agency addressed and the case goes to that unit; a registrar registers into the receiving
unit of their own unit chain (:func:`registrar_unit`). With none or one, every case goes to
the service's own ``unit_code``, as before.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from alur import agencies, forms
from storage import accounts, cases


@dataclass(frozen=True)
class Requirement:
    """One line of the seed's requirements checklist, and the form field that meets it."""

    label: str
    field_key: str | None = None  # None: shown, met by the form as a whole
    required: bool = True


@dataclass(frozen=True)
class Service:
    code: str  # in URLs: /layanan/<code>
    name: str
    #: The code of the agency that offers it (agency data, ``alur.agencies``); the web app
    #: shows applicants its name (``web.extensions.agency_name``).
    agency: str
    summary: str
    time_limit: str
    bpmn_process_id: str
    intake_form_id: str
    #: The unit that receives new cases (``unitCode`` of the first tasks); staff of units
    #: above it see them too. Codes match the units an administrator created (``/admin``).
    unit_code: str | None
    requirements: tuple[Requirement, ...] = field(default_factory=tuple)
    fee: str = "Tidak dipungut biaya"
    place: str = "Jakarta"
    #: Where complaints, suggestions and feedback about the service go (from the seed).
    feedback: tuple[str, ...] = ()
    #: The roles whose holders register cases on behalf of applicants (``/tugas/daftarkan``).
    registrars: tuple[str, ...] = ()
    #: The channels (code, Bahasa label) a registrar chooses from: how the application came.
    channels: tuple[tuple[str, str], ...] = ()
    #: Cases follow their routing (SP4N-LAPOR!): only the units a case is routed to now — its
    #: open tasks — may open it; a unit that disposed it away or returned it no longer can.
    routed: bool = False
    #: The intake's checkbox by which the applicant stays anonymous to the units handling the
    #: case (SP4N-LAPOR!'s *Anonim*), and the intake fields that identify them: when ticked,
    #: those fields are kept out of the case and its process (``web.public``).
    anonymous_key: str | None = None
    identity_keys: tuple[str, ...] = ()
    #: The service's cases are listed for the public (``/layanan/<code>/laporan``, as
    #: SP4N-LAPOR! lists reports) with the answers staff gave in this task form field; the
    #: intake's checkbox ``confidential_key`` keeps a case off the list (*Rahasia*).
    published_answer_key: str | None = None
    confidential_key: str | None = None
    #: The answers (form field, value) by which a unit returns a routed case as not its
    #: authority, counted on the national view (``web.routing``).
    returns: tuple[tuple[str, str], ...] = ()
    #: The complaint channel of every other service (SP4N-LAPOR!): a case's tracking page
    #: offers to start a report here about that case (``Case.related_case_id``).
    complaints_hub: bool = False


#: The channel of the public online intake (``/layanan/<code>``), as (code, label).
ONLINE: tuple[str, str] = (cases.ONLINE_CHANNEL, "Formulir daring")


def is_anonymous(service: Service, data: Mapping[str, Any]) -> bool:
    """Whether the applicant of ``data`` (the intake's checked answers) asked to stay
    anonymous."""
    return service.anonymous_key is not None and data.get(service.anonymous_key) is True


def is_confidential(service: Service, data: Mapping[str, Any]) -> bool:
    """Whether the applicant of ``data`` asked that the public not see the case."""
    return service.confidential_key is not None and data.get(service.confidential_key) is True


def without_identity(service: Service, data: Mapping[str, Any]) -> dict[str, Any]:
    """The intake's answers without the fields that identify the applicant."""
    return {key: value for key, value in data.items() if key not in service.identity_keys}


def channel_label(service: Service | None, code: str) -> str:
    """What people read for a channel ``code`` of ``service`` (the code itself if unknown)."""
    declared = dict(service.channels) if service else {}
    return dict([ONLINE, *declared.items()]).get(code, code)


@dataclass(frozen=True)
class Receiver:
    """A unit that receives a service's cases for its agency, as applicants choose it."""

    unit_code: str
    agency_code: str | None
    #: What the applicant reads: the agency's name for applicants, or its letterhead name with
    #: the government it belongs to ("Dinas ... Satu Pintu Kabupaten Sleman").
    label: str


def receivers(session: Session, service: Service) -> tuple[Receiver, ...]:
    """The units that receive ``service``'s cases, each labelled for applicants, by label.
    More than one: the case's unit is chosen (:func:`chooses`); otherwise the service's own
    ``unit_code`` receives every case."""
    agency_of = accounts.unit_agencies(session)
    found = []
    for unit in accounts.receiving_units(session, service.code):
        code = agency_of.get(unit.code)
        agency = agencies.find(session, code) if code else None
        found.append(Receiver(unit.code, code, agency_label(agency) if agency else unit.name))
    labels = [receiver.label for receiver in found]
    names = {unit.code: unit.name for unit in accounts.list_units(session)}
    distinct = [
        Receiver(r.unit_code, r.agency_code, f"{r.label} ({names[r.unit_code]})")
        if labels.count(r.label) > 1
        else r
        for r in found
    ]
    return tuple(sorted(distinct, key=lambda r: (r.label, r.unit_code)))


def agency_label(agency: agencies.Agency) -> str:
    """An agency as applicants tell it from others of the same name: its name for applicants
    if it has one, else its letterhead name followed by the government above it without the
    word "Pemerintah" ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Jawa
    Timur")."""
    if agency.display_name:
        return agency.display_name
    above = agency.letterhead.parent.strip()
    if above.lower().startswith("pemerintah "):
        above = above[len("pemerintah ") :].strip()
    return f"{agency.letterhead.name} {above}" if above else agency.letterhead.name


def chooses(found: Sequence[Receiver]) -> bool:
    """Whether the applicant chooses the agency addressed: more than one unit receives."""
    return len(found) > 1


def registrar_unit(
    service: Service, receiving: Collection[str], chain: Sequence[str]
) -> str | None:
    """The unit a case registered by a member whose unit chain (their unit, then those above
    it) is ``chain`` goes to: with more than one receiving unit, the nearest of the chain that
    receives the service (None: none does); otherwise the service's own unit."""
    if len(receiving) > 1:
        return next((unit for unit in chain if unit in receiving), None)
    return service.unit_code


def may_register(
    service: Service,
    roles: Collection[str],
    units: Collection[str],
    receiving: Collection[str] = (),
    chain: Sequence[str] = (),
) -> bool:
    """Whether a member holding ``roles`` in ``units`` (their unit and those beneath it) may
    register cases of ``service``: one of its registrar roles, and its receiving unit in their
    reach, as for its tasks (a service without a unit is national). When more than one unit
    receives it (``receiving``), one of them must be in the member's ``chain`` (their unit and
    those above it): the case goes there (:func:`registrar_unit`)."""
    held = any(role in roles for role in service.registrars)
    if not held or not service.channels:
        return False
    if len(receiving) > 1:
        return registrar_unit(service, receiving, chain) is not None
    return service.unit_code is None or service.unit_code in units


def by_code(services: tuple[Service, ...], code: str) -> Service | None:
    return next((service for service in services if service.code == code), None)


def hub(services: tuple[Service, ...]) -> Service | None:
    """The service every other service's complaints go to, if one is declared."""
    return next((service for service in services if service.complaints_hub), None)


def by_process(services: tuple[Service, ...], process_id: str) -> Service | None:
    return next((s for s in services if s.bpmn_process_id == process_id), None)


def unmet(service: Service, form: forms.Form) -> list[str]:
    """How the intake form fails the service's requirements checklist (empty when it meets it).

    Each requirement naming a field needs that field in the form, required and unconditional,
    so an application cannot be submitted without it.
    """
    problems = []
    for requirement in service.requirements:
        if requirement.field_key is None:
            continue
        try:
            component = form.component(requirement.field_key)
        except KeyError:
            problems.append(f"{requirement.field_key}: not in intake form {form.id}")
            continue
        if requirement.required and (not component.required or component.conditional):
            problems.append(f"{requirement.field_key}: must be a required field of {form.id}")
    return problems


#: How a complaint reached the DPMPTSP (SOP 3's channels): form value -> what staff read.
COMPLAINT_CHANNELS: dict[str, str] = {
    "langsung": "Datang langsung",
    "surat": "Surat",
    "kotak": "Kotak pengaduan",
    "sms": "SMS",
    "email": "E-mail",
    "telepon": "Telepon",
    "lapor": "SP4N-LAPOR!",
    ONLINE[0]: ONLINE[1],
    "lainnya": "Media elektronik lain",
}
