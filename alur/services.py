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
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from alur import forms
from storage import cases


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


#: The channel of the public online intake (``/layanan/<code>``), as (code, label).
ONLINE: tuple[str, str] = (cases.ONLINE_CHANNEL, "Formulir daring")


def channel_label(service: Service | None, code: str) -> str:
    """What people read for a channel ``code`` of ``service`` (the code itself if unknown)."""
    declared = dict(service.channels) if service else {}
    return dict([ONLINE, *declared.items()]).get(code, code)


def may_register(service: Service, roles: Collection[str], units: Collection[str]) -> bool:
    """Whether a member holding ``roles`` in ``units`` (their unit and those beneath it) may
    register cases of ``service``: one of its registrar roles, and its receiving unit in their
    reach, as for its tasks (a service without a unit is national)."""
    held = any(role in roles for role in service.registrars)
    return (
        held
        and bool(service.channels)
        and (service.unit_code is None or service.unit_code in units)
    )


def by_code(services: tuple[Service, ...], code: str) -> Service | None:
    return next((service for service in services if service.code == code), None)


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
