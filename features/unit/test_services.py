"""The service catalogue: every requirement that names a field is enforced by the intake form."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from alur import forms, services, sops
from features.web.conftest import SERVICE

INTAKE = Path(__file__).resolve().parents[1] / "web" / "diagrams" / "uji-layanan-permohonan.form"


def _form(edit: dict[str, object] | None = None) -> forms.Form:
    schema = json.loads(INTAKE.read_text(encoding="utf-8"))
    for component in schema["components"]:
        if component["key"] == "identityDocument" and edit is not None:
            component.update(edit)
    return forms.parse_form(schema)


def test_the_test_service_intake_meets_its_checklist():
    assert services.unmet(SERVICE, _form()) == []


def test_an_optional_required_document_is_reported():
    problems = services.unmet(SERVICE, _form({"validate": {"required": False}}))
    assert problems == ["identityDocument: must be a required field of uji-layanan-permohonan"]


def test_a_requirement_without_its_field_is_reported():
    moved = replace(SERVICE, requirements=(services.Requirement("Surat kuasa", "powerOfAttorney"),))
    assert services.unmet(moved, _form()) == [
        "powerOfAttorney: not in intake form uji-layanan-permohonan"
    ]


def test_service_codes_and_processes_are_unique():
    codes = [s.code for s in sops.CATALOG]
    processes = [s.bpmn_process_id for s in sops.CATALOG]
    assert len(set(codes)) == len(codes) == 5
    assert len(set(processes)) == len(processes)
