"""Every reference between the SOP declarations, the diagrams, the forms and the agencies
resolves (issue 24).

A declaration names roles, registers, an agency, an intake form and demo accounts; a diagram
names candidate groups, forms and, in its task headers, an agency, a register and a letter
kind (a task without the agency header works for the case's agency, so the register it names
must exist for every agency whose units receive the service: ``layanan`` in the agencies'
file). A typo in any of them would surface only when a case reaches that step; :func:`problems`
finds them all at once, each as a sentence naming where it is. ``features/unit/test_sops.py``
runs it on the repository and on a broken declaration per kind of defect.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from alur import agency_file, bpmn, contract, forms, letter_kinds, roles, services, sops
from alur.sop import Sop

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates" / "letters"


@dataclass(frozen=True)
class World:
    """What the declarations may refer to."""

    sops: tuple[Sop, ...]
    #: Diagram file name -> the diagram.
    diagrams: Mapping[str, bpmn.Diagram]
    form_ids: Collection[str]
    agencies: Collection[str]
    #: (agency, register code) pairs that exist.
    registers: Collection[tuple[str, str]]
    letter_kinds: Collection[str]
    templates: Collection[str]
    units: Collection[str]
    platform_roles: Collection[str] = field(
        default_factory=lambda: frozenset(role.code for role in roles.PLATFORM)
    )
    #: Service code -> the agencies whose units receive its cases (a unit's ``layanan``).
    receivers: Mapping[str, Collection[str]] = field(default_factory=dict)
    #: Form id -> the keys of its fields (empty: not read, nothing checked against them).
    form_keys: Mapping[str, Collection[str]] = field(default_factory=dict)


def repository() -> World:
    """The repository as it is: ``bpmn/``, ``forms/``, the declarations and the agencies'
    file ``deploy/agencies.toml`` (agency codes, registers and units; no database needed)."""
    shipped = agency_file.shipped()
    return World(
        sops=sops.SOPS,
        diagrams={
            p.name: bpmn.read(p.read_bytes()) for p in sorted((REPO / "bpmn").glob("*.bpmn"))
        },
        form_ids=_form_ids(REPO / "forms"),
        agencies=shipped.codes,
        registers=shipped.register_keys,
        letter_kinds=set(letter_kinds.KINDS),
        templates={p.name for p in TEMPLATES.glob("*.html")},
        units=shipped.unit_codes,
        receivers=receiving_agencies(shipped),
        form_keys=_form_keys(REPO / "forms"),
    )


def receiving_agencies(data: agency_file.AgencyFile) -> dict[str, frozenset[str]]:
    """Service code -> the agencies of the file's units that receive its cases."""
    found: dict[str, set[str]] = {}
    for unit in data.units:
        for code in unit.services if unit.agency_code else ():
            found.setdefault(code, set()).add(unit.agency_code or "")
    return {code: frozenset(agencies) for code, agencies in found.items()}


def _form_ids(folder: Path) -> set[str]:
    return {json.loads(p.read_text())["id"] for p in folder.glob("*.form")}


def _form_keys(folder: Path) -> dict[str, tuple[str, ...]]:
    return {form.id: form.keys for form in map(forms.load_form, sorted(folder.glob("*.form")))}


def problems(world: World) -> list[str]:
    """Every reference that does not resolve, in a stable order."""
    found: list[str] = []
    try:
        declared = sops.roles_of(world.sops)
        labels = sops.group_labels(world.sops)
    except sops.DeclarationError as error:
        return [str(error)]
    known_roles = set(declared) | set(world.platform_roles)
    found += _unique(world.sops)
    for sop in world.sops:
        found += _declaration(sop, world, declared, labels, known_roles)
    found += _diagrams(world, known_roles)
    for code, kind in sorted(letter_kinds.KINDS.items()):
        if code in world.letter_kinds and kind.template not in world.templates:
            found.append(f"letter kind {code!r}: no template {kind.template!r}")
    return found


def _unique(declarations: tuple[Sop, ...]) -> list[str]:
    found = []
    for what, key in (
        ("number", lambda s: str(s.number)),
        ("service code", lambda s: s.service.code),
        ("process id", lambda s: s.process_id),
    ):
        seen: set[str] = set()
        for sop in declarations:
            if key(sop) in seen:
                found.append(f"SOP {sop.number}: {what} {key(sop)!r} is declared twice")
            seen.add(key(sop))
    return found


def _declaration(
    sop: Sop,
    world: World,
    declared: Mapping[str, object],
    labels: Mapping[str, str],
    known_roles: set[str],
) -> list[str]:
    where = f"SOP {sop.number}"
    found = []
    if sop.agency not in world.agencies:
        found.append(f"{where}: agency {sop.agency!r} does not exist")
    if sop.service.agency != sop.agency:
        found.append(
            f"{where}: its service is offered by {sop.service.agency!r}, not {sop.agency!r}"
        )
    for register in sop.registers:
        if (sop.agency, register) not in world.registers:
            found.append(f"{where}: register {register!r} does not exist for {sop.agency!r}")
    for role in sop.roles:
        if sops.prefix(role.code) not in labels:
            found.append(f"{where}: role {role.code!r} has no group label")
        for other in role.supervises:
            if other not in declared:
                found.append(f"{where}: role {role.code!r} supervises unknown role {other!r}")
    for account in sop.demo_accounts:
        for role_code in account.roles:
            if role_code not in known_roles:
                found.append(
                    f"{where}: demo account {account.username!r}: unknown role {role_code!r}"
                )
        if account.unit_code not in world.units:
            found.append(
                f"{where}: demo account {account.username!r}: unknown unit {account.unit_code!r}"
            )
    held = {r for account in sop.demo_accounts for r in account.roles}
    for role in sop.roles:
        if role.code not in held and not _held_elsewhere(role.code, world.sops):
            found.append(f"{where}: no demo account holds role {role.code!r}")
    found += _registration(where, sop)
    found += _anonymity(where, sop, world)
    found += _publication(where, sop, world)
    has_diagram = any(sop.process_id in _process_ids(d) for d in world.diagrams.values())
    if has_diagram and sop.service.intake_form_id not in world.form_ids:
        found.append(f"{where}: intake form {sop.service.intake_form_id!r} is not in forms/")
    return found


def _anonymity(where: str, sop: Sop, world: World) -> list[str]:
    """The intake's anonymity checkbox and identity fields are fields of the intake form, and
    an anonymity checkbox names the fields it keeps out."""
    service = sop.service
    if service.anonymous_key is None:
        return []
    found = [] if service.identity_keys else [f"{where}: anonymity keeps no identity field out"]
    keys = world.form_keys.get(service.intake_form_id)
    if keys is None:
        return found
    for key in (service.anonymous_key, *service.identity_keys):
        if key not in keys:
            found.append(f"{where}: intake form has no field {key!r} (anonymity)")
    return found


def _publication(where: str, sop: Sop, world: World) -> list[str]:
    """A public list's confidentiality checkbox is an intake field, and the answers it
    publishes are a field of some form."""
    service = sop.service
    found = []
    intake = world.form_keys.get(service.intake_form_id)
    if service.confidential_key and intake is not None and service.confidential_key not in intake:
        found.append(f"{where}: intake form has no field {service.confidential_key!r} (Rahasia)")
    answer = service.published_answer_key
    asked = [key for key, _ in service.returns] + ([answer] if answer else [])
    for key in asked if world.form_keys else ():
        if not any(key in keys for keys in world.form_keys.values()):
            found.append(f"{where}: no form has the field {key!r}")
    return found


def _registration(where: str, sop: Sop) -> list[str]:
    """Staff intake: registrars are the SOP's lanes, with channels to choose from, each code
    once and none the online form's (``alur.services.ONLINE``)."""
    service = sop.service
    found = []
    lanes = {role.code for role in sop.roles}
    for role in service.registrars:
        if role not in lanes:
            found.append(f"{where}: registrar role {role!r} is not a lane of SOP {sop.number}")
    if service.registrars and not service.channels:
        found.append(f"{where}: registrars are declared without channels to choose from")
    codes = [code for code, _ in service.channels]
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        found.append(f"{where}: channel {code!r} is declared twice")
    for code, label in service.channels:
        if code == services.ONLINE[0]:
            found.append(f"{where}: channel {code!r} is the online form's, not a registrar's")
        if not code.strip() or not label.strip():
            found.append(f"{where}: channel {code!r} needs a code and a label")
    return found


def _held_elsewhere(role: str, declarations: tuple[Sop, ...]) -> bool:
    return any(role in a.roles for sop in declarations for a in sop.demo_accounts)


def _process_ids(diagram: bpmn.Diagram) -> set[str]:
    return {process.id for process in diagram.processes}


def _diagrams(world: World, known_roles: set[str]) -> list[str]:
    by_process = {sop.process_id: sop for sop in world.sops}
    found = []
    for name, diagram in sorted(world.diagrams.items()):
        for process in diagram.processes:
            sop = by_process.get(process.id)
            if sop is None:
                found.append(f"{name}: process {process.id!r} is not declared by any SOP")
                continue
            own = {r.code for r in sop.roles} | set(world.platform_roles)
            user_tasks = {n.id for n in process.nodes if n.kind == "userTask"}
            for node in process.nodes:
                where = f"{name}: {node.id}"
                for group in node.candidate_groups:
                    if group not in known_roles:
                        found.append(f"{where}: candidate group {group!r} is not a declared role")
                    elif group not in own:
                        found.append(f"{where}: role {group!r} is not a lane of SOP {sop.number}")
                if node.form_id and node.form_id not in world.form_ids:
                    found.append(f"{where}: form {node.form_id!r} is not in forms/")
                found += _headers(where, node, sop, world)
                for header in (contract.HEADER_PERFORMER, contract.HEADER_OFFICER):
                    task = node.headers.get(header)
                    if task is not None and task not in user_tasks:
                        found.append(f"{where}: {task!r} is not a user task of this process")
    return found


def _headers(where: str, node: bpmn.Node, sop: Sop, world: World) -> list[str]:
    found = []
    headers = node.headers
    agency = headers.get(contract.HEADER_AGENCY)
    if agency is not None and agency not in world.agencies:
        found.append(f"{where}: agency {agency!r} does not exist")
    elif agency is not None and agency != sop.agency:
        found.append(f"{where}: agency {agency!r} is not SOP {sop.number}'s ({sop.agency!r})")
    register = headers.get(contract.HEADER_REGISTER)
    if register is not None and register not in sop.registers:
        found.append(f"{where}: register {register!r} is not declared by SOP {sop.number}")
    elif register is not None and agency is None:
        # No header: the case's agency numbers it, so every agency receiving the service.
        for other in sorted(world.receivers.get(sop.service.code, ())):
            if (other, register) not in world.registers:
                found.append(
                    f"{where}: register {register!r} does not exist for {other!r}, whose units"
                    f" receive {sop.service.code!r} (the task has no header"
                    f" {contract.HEADER_AGENCY})"
                )
    kind = headers.get(contract.HEADER_LETTER_KIND)
    if node.job_type == contract.LETTER_ISSUE and kind not in world.letter_kinds:
        found.append(f"{where}: letter kind {kind!r} does not exist")
    return found
