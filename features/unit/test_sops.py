"""The SOP declarations, the diagrams, the forms and the agencies agree (issue 24).

The repository has no dangling reference; and for each kind of defect a declaration or a
diagram made broken on purpose is caught, with a sentence that says where.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from alur import bpmn, demo, roles, sopcheck, sops
from alur.sop import DemoAccount, Role, Sop
from alur.sops import konsultasi_surat

SOP1 = konsultasi_surat.SOP
WORLD = sopcheck.repository()
DIAGRAM = "kemenpanrb_konsultasi_surat.bpmn"


def _with(*declarations: Sop) -> sopcheck.World:
    """The repository's world with SOP 1 replaced by ``declarations``."""
    rest = tuple(s for s in WORLD.sops if s.number != SOP1.number)
    return replace(WORLD, sops=(*declarations, *rest))


def _with_diagram(edit: tuple[str, str]) -> sopcheck.World:
    """The repository's world with SOP 1's diagram text edited (``old`` -> ``new``)."""
    xml = (sopcheck.REPO / "bpmn" / DIAGRAM).read_text()
    old, new = edit
    assert old in xml, old
    return replace(WORLD, diagrams={**WORLD.diagrams, DIAGRAM: bpmn.read(xml.replace(old, new))})


def test_every_reference_in_the_repository_resolves():
    assert sopcheck.problems(WORLD) == []


def test_the_derived_lists_are_the_declarations():
    assert [s.code for s in sops.CATALOG] == [s.service.code for s in sops.SOPS]
    declared = {role.code for sop in sops.SOPS for role in sop.roles}
    assert set(roles.ROLES) == declared | {roles.ADMIN, roles.PROCESS_OWNER}
    assert roles.SUPERVISES["kemenpanrb.pimpinan"] == {"kemenpanrb.petugas", "kemenpanrb.asdep"}
    assert {"lapor.admin_nasional", roles.ADMIN} == roles.NATIONAL
    assert roles.GROUP_LABELS["kemenpanrb"] == "Kementerian PANRB (SOP 1 dan 2)"
    assert {a.username for a in demo.ACCOUNTS} >= {"petugas.panrb", "admin.sardjito", "admin"}


def _registering(registrars: tuple[str, ...], channels: tuple[tuple[str, str], ...]) -> Sop:
    """SOP 1 with staff intake declared as given."""
    return replace(SOP1, service=replace(SOP1.service, registrars=registrars, channels=channels))


BROKEN_DECLARATIONS = {
    "unknown agency": (
        replace(SOP1, agency="kemenpanrbx", service=replace(SOP1.service, agency="kemenpanrbx")),
        "SOP 1: agency 'kemenpanrbx' does not exist",
    ),
    "service of another agency": (
        replace(SOP1, service=replace(SOP1.service, agency="kasn")),
        "SOP 1: its service is offered by 'kasn', not 'kemenpanrb'",
    ),
    "unknown register": (
        replace(SOP1, registers=("surat-masuk", "surat-keluar", "surat-hilang")),
        "SOP 1: register 'surat-hilang' does not exist for 'kemenpanrb'",
    ),
    "role without a group label": (
        replace(SOP1, roles=(*SOP1.roles, Role("tamu.penerima", "Penerima Tamu"))),
        "SOP 1: role 'tamu.penerima' has no group label",
    ),
    "supervising an unknown role": (
        replace(
            SOP1,
            roles=(
                SOP1.roles[0],
                replace(SOP1.roles[1], supervises=("kemenpanrb.petugass",)),
            ),
        ),
        "SOP 1: role 'kemenpanrb.pimpinan' supervises unknown role 'kemenpanrb.petugass'",
    ),
    "demo account of an unknown role": (
        replace(
            SOP1,
            demo_accounts=(
                *SOP1.demo_accounts,
                DemoAccount("x", "X", "X", "kemenpanrb", ("kemenpanrb.juru_tulis",)),
            ),
        ),
        "SOP 1: demo account 'x': unknown role 'kemenpanrb.juru_tulis'",
    ),
    "demo account in an unknown unit": (
        replace(
            SOP1,
            demo_accounts=(
                *SOP1.demo_accounts,
                DemoAccount("y", "Y", "Y", "kemenpanrb-hilang", ("kemenpanrb.petugas",)),
            ),
        ),
        "SOP 1: demo account 'y': unknown unit 'kemenpanrb-hilang'",
    ),
    "a role no demo account holds": (
        replace(SOP1, demo_accounts=SOP1.demo_accounts[:1]),
        "SOP 1: no demo account holds role 'kemenpanrb.pimpinan'",
    ),
    "intake form missing": (
        replace(SOP1, service=replace(SOP1.service, intake_form_id="kemenpanrb-tidak-ada")),
        "SOP 1: intake form 'kemenpanrb-tidak-ada' is not in forms/",
    ),
    "a registrar of another SOP's lane": (
        _registering(("kasn.sekretariat",), (("surat", "Surat"),)),
        "SOP 1: registrar role 'kasn.sekretariat' is not a lane of SOP 1",
    ),
    "registrars without channels": (
        _registering(("kemenpanrb.petugas",), ()),
        "SOP 1: registrars are declared without channels to choose from",
    ),
    "a channel declared twice": (
        _registering(("kemenpanrb.petugas",), (("surat", "Surat"), ("surat", "Surat dinas"))),
        "SOP 1: channel 'surat' is declared twice",
    ),
    "the online form's channel offered to registrars": (
        _registering(("kemenpanrb.petugas",), (("daring", "Formulir daring"),)),
        "SOP 1: channel 'daring' is the online form's, not a registrar's",
    ),
    "an anonymity checkbox the intake form lacks": (
        replace(
            SOP1,
            service=replace(SOP1.service, anonymous_key="anonim", identity_keys=("applicantName",)),
        ),
        "SOP 1: intake form has no field 'anonim' (anonymity)",
    ),
    "an anonymity that keeps nothing out": (
        replace(SOP1, service=replace(SOP1.service, anonymous_key="applicantType")),
        "SOP 1: anonymity keeps no identity field out",
    ),
    "a published answer no form asks for": (
        replace(SOP1, service=replace(SOP1.service, published_answer_key="jawabanPublik")),
        "SOP 1: no form has the field 'jawabanPublik'",
    ),
    "a return answer no form asks for": (
        replace(SOP1, service=replace(SOP1.service, returns=(("kembalikanKe", "nasional"),))),
        "SOP 1: no form has the field 'kembalikanKe'",
    ),
    "a confidentiality checkbox the intake form lacks": (
        replace(SOP1, service=replace(SOP1.service, confidential_key="rahasia")),
        "SOP 1: intake form has no field 'rahasia' (Rahasia)",
    ),
    "a channel without a label": (
        _registering(("kemenpanrb.petugas",), (("surat", " "),)),
        "SOP 1: channel 'surat' needs a code and a label",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_DECLARATIONS))
def test_a_broken_declaration_is_caught(case: str):
    broken, expected = BROKEN_DECLARATIONS[case]
    assert expected in sopcheck.problems(_with(broken))


def test_two_declarations_of_one_role_must_agree():
    renamed = replace(SOP1, roles=(replace(SOP1.roles[0], code="kemenpanrb.asdep"), SOP1.roles[1]))
    assert sopcheck.problems(_with(renamed)) == [
        "role 'kemenpanrb.asdep' is declared differently twice"
    ]


def test_a_process_declared_twice_is_caught():
    twin = replace(SOP1, number=9, service=replace(SOP1.service, code="kembar"))
    assert "SOP 9: process id 'KemenPANRB_KonsultasiSurat' is declared twice" in (
        sopcheck.problems(replace(WORLD, sops=(*WORLD.sops, twin)))
    )


BROKEN_DIAGRAMS = {
    "a lane no SOP declares": (
        ('candidateGroups="kemenpanrb.pimpinan"', 'candidateGroups="kemenpanrb.sekretaris"'),
        "candidate group 'kemenpanrb.sekretaris' is not a declared role",
    ),
    "another SOP's lane": (
        ('candidateGroups="kemenpanrb.pimpinan"', 'candidateGroups="kasn.asisten"'),
        "role 'kasn.asisten' is not a lane of SOP 1",
    ),
    "a form not in forms/": (
        ('formId="kemenpanrb-konsultasi-disposisi"', 'formId="kemenpanrb-konsultasi-hilang"'),
        "form 'kemenpanrb-konsultasi-hilang' is not in forms/",
    ),
    "an unknown agency in a header": (
        ('key="instansi" value="kemenpanrb"', 'key="instansi" value="kemenpan"'),
        "agency 'kemenpan' does not exist",
    ),
    "another agency in a header": (
        ('key="instansi" value="kemenpanrb"', 'key="instansi" value="kasn"'),
        "agency 'kasn' is not SOP 1's ('kemenpanrb')",
    ),
    "a register the SOP does not declare": (
        ('key="register" value="surat-masuk"', 'key="register" value="nota-dinas"'),
        "register 'nota-dinas' is not declared by SOP 1",
    ),
    "an unknown letter kind": (
        ('key="jenis" value="konsultasi_jawaban"', 'key="jenis" value="konsultasi_jawab"'),
        "letter kind 'konsultasi_jawab' does not exist",
    ),
    "a signer's task that is not a user task": (
        (
            'key="jenis" value="konsultasi_jawaban" />',
            'key="jenis" value="konsultasi_jawaban" /><zeebe:header key="pelaksana" '
            'value="Gateway_KeputusanPimpinan" />',
        ),
        "'Gateway_KeputusanPimpinan' is not a user task of this process",
    ),
    "a process no SOP declares": (
        ('id="KemenPANRB_KonsultasiSurat"', 'id="KemenPANRB_KonsultasiLain"'),
        "process 'KemenPANRB_KonsultasiLain' is not declared by any SOP",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_DIAGRAMS))
def test_a_broken_reference_in_a_diagram_is_caught(case: str):
    edit, expected = BROKEN_DIAGRAMS[case]
    found = sopcheck.problems(_with_diagram(edit))
    assert any(problem.startswith(DIAGRAM) and expected in problem for problem in found), found


def test_a_letter_kind_without_its_template_is_caught():
    world = replace(WORLD, templates=set(WORLD.templates) - {"konsultasi_jawaban.html"})
    assert "letter kind 'konsultasi_jawaban': no template 'konsultasi_jawaban.html'" in (
        sopcheck.problems(world)
    )
