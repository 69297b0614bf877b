"""Licences on the record (issue 22): the SBOM of ``make sbom`` and the licence guard.

The SBOM is built from this machine's real installation (the venv, ``package-lock.json``,
dpkg, the Zeebe versions of :mod:`stack.zeebe`); no server is started. A new dependency whose
licence is missing, unclear or not accepted in ``deploy/licences.toml`` fails
:func:`test_every_component_has_an_accepted_licence`, naming it: read its licence in its own
files and record it there with where you read it (the README's *Licences* section).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from alur import settings as alur_settings
from stack import licences, sbom, system, zeebe

pytestmark = pytest.mark.platform

REPO = Path(__file__).resolve().parents[2]
KNOWLEDGE = licences.load_knowledge()
#: The licence file at the top of each Zeebe distribution, by the licence it holds.
ZEEBE_LICENCE_FILES = {
    "ZEEBE-COMMUNITY-LICENSE-1.1.txt": "Zeebe Community License v1.1",
    "CAMUNDA-LICENSE-1.0.txt": "Camunda License 1.0",
}


@pytest.fixture(scope="module")
def built() -> sbom.Sbom:
    return sbom.build(REPO, KNOWLEDGE)


def _named(found: sbom.Sbom, name: str) -> list[dict[str, Any]]:
    return [c for c in found.components if c["name"] == name]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_component_has_an_accepted_licence(built: sbom.Sbom) -> None:
    problems = licences.problems(built.components, KNOWLEDGE)
    assert not problems, (
        "components whose licence is not on the record (check each in its own files, then add "
        "it to deploy/licences.toml with its source):\n" + "\n".join(problems)
    )


def test_the_sbom_is_valid_cyclonedx_and_written_the_same_twice(
    built: sbom.Sbom, tmp_path: Path
) -> None:
    assert built.document["specVersion"] == sbom.SPEC_VERSION
    assert sbom.schema_errors(built.document) == []
    assert built.document["metadata"]["component"]["name"] == "alur"
    assert "timestamp" not in built.document["metadata"]
    sbom.write(built, tmp_path / "a.json")
    sbom.write(sbom.build(REPO, KNOWLEDGE), tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_every_locked_python_package_appears_at_its_pin(built: sbom.Sbom) -> None:
    listed = {
        _normal(c["name"]): c["version"]
        for c in built.components
        if str(c["purl"]).startswith("pkg:pypi/")
    }
    pins = dict(
        line.strip().split("==", 1)
        for line in (REPO / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert pins
    wrong = {name: pin for name, pin in pins.items() if listed.get(_normal(name)) != pin}
    assert not wrong, f"locked packages missing from the SBOM or at another version: {wrong}"


def test_the_sbom_holds_zeebe_seaweedfs_java_npm_and_debian(built: sbom.Sbom) -> None:
    configured = alur_settings.load_stack().zeebe_version
    brokers = {c["version"]: c for c in _named(built, zeebe.ARTIFACT)}
    assert configured in brokers
    assert set(zeebe.KNOWN_SHA256) <= set(brokers)
    assert licences.licence_of(brokers[configured]) in ZEEBE_LICENCE_FILES.values()
    assert brokers[configured]["purl"] == (
        f"pkg:maven/io.camunda/camunda-zeebe@{configured}?type=tar.gz"
    )
    (seaweedfs,) = _named(built, "seaweedfs")
    assert licences.licence_of(seaweedfs) == "Apache-2.0"
    (java,) = _named(built, "openjdk")
    assert licences.licence_of(java) == "GPL-2.0-only WITH Classpath-exception-2.0"
    npm = [c for c in built.components if sbom.ecosystem(c) == "npm"]
    assert {"form-js", "camunda-bpmn-js"} <= {c["name"] for c in npm}
    debian = [c for c in built.components if sbom.ecosystem(c) == "Debian"]
    assert debian, f"no Debian package of stack/system.py installed: {built.not_installed}"
    assert {c["name"] for c in debian} <= set(system.RUN_PACKAGES + system.TEST_PACKAGES)


def test_the_default_broker_may_run_in_production_and_the_table_knows_why() -> None:
    default = alur_settings.load_stack({}).zeebe_version
    licence = KNOWLEDGE.overrides[f"maven/io.camunda/camunda-zeebe@{default}"].licence
    assert KNOWLEDGE.accepted[licence].production
    assert not KNOWLEDGE.accepted["Camunda License 1.0"].production
    for version in zeebe.KNOWN_SHA256:
        assert f"maven/io.camunda/camunda-zeebe@{version}" in KNOWLEDGE.overrides


@pytest.mark.parametrize("version", sorted(zeebe.KNOWN_SHA256))
def test_the_recorded_zeebe_licence_is_the_one_in_the_distribution(version: str) -> None:
    home = alur_settings.load_stack().cache_dir / "zeebe" / version
    if not home.is_dir():
        pytest.skip(f"Zeebe {version} is not unpacked on this machine")
    in_distribution = [ZEEBE_LICENCE_FILES[f] for f in ZEEBE_LICENCE_FILES if (home / f).is_file()]
    recorded = KNOWLEDGE.overrides[f"maven/io.camunda/camunda-zeebe@{version}"].licence
    assert in_distribution == [recorded]


def test_every_override_names_a_component_alur_installs(built: sbom.Sbom) -> None:
    keys = {licences.component_key(c) for c in built.components}
    listed = keys | {key.rsplit("@", 1)[0] for key in keys}
    debian = {f"deb/debian/{p}" for p in system.RUN_PACKAGES + system.TEST_PACKAGES}
    stale = sorted(set(KNOWLEDGE.overrides) - listed - debian)
    assert not stale, f"overrides for components no longer installed (remove them): {stale}"


def test_an_unknown_or_missing_licence_is_reported_by_name() -> None:
    def made_up(name: str, stated: list[dict[str, Any]]) -> dict[str, Any]:
        component = {
            "type": "library",
            "name": name,
            "version": "1.0.0",
            "purl": f"pkg:npm/{name}@1.0.0",
            "licenses": stated,
        }
        return licences.settle(component, KNOWLEDGE)

    components = [
        made_up("left-pad-unknown", [{"license": {"name": "Do What You Like Licence"}}]),
        made_up("nothing-stated", []),
        made_up("gpl-library", [{"license": {"id": "GPL-3.0-only"}}]),
        made_up(
            "two-without-and-or-or",
            [{"license": {"id": "MIT"}}, {"license": {"id": "GPL-2.0-only"}}],
        ),
        made_up("plain-mit", [{"license": {"id": "MIT"}}]),
        made_up("a-choice", [{"expression": "SSPL-1.0 OR Apache-2.0"}]),
    ]
    reported = "\n".join(licences.problems(components, KNOWLEDGE))
    assert 'npm/left-pad-unknown@1.0.0: licence "Do What You Like Licence"' in reported
    assert "npm/nothing-stated@1.0.0: no licence stated" in reported
    assert 'npm/gpl-library@1.0.0: licence "GPL-3.0-only"' in reported
    assert "(only for deb/)" in reported
    assert "npm/two-without-and-or-or@1.0.0: several licences" in reported
    assert "plain-mit" not in reported
    assert "a-choice" not in reported
    assert licences.family(components[-1], KNOWLEDGE) == "permissive"


def test_debian_copyright_files_translate_to_spdx() -> None:
    text = (
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: pango\n\n"
        "Files: *\nCopyright: someone\nLicense: LGPL-2+ and LGPL-2.1+\n\n"
        "Files: debian/*\nLicense: GPL-2+\n"
    )
    assert (
        licences.debian_licence(text, KNOWLEDGE.debian) == "LGPL-2.0-or-later AND LGPL-2.1-or-later"
    )
    unknown = text.replace("LGPL-2+ and LGPL-2.1+", "GPL with Classpath exception")
    assert licences.debian_licence(unknown, KNOWLEDGE.debian) is None
    assert licences.debian_licence("This package was debianized by ...", KNOWLEDGE.debian) is None
