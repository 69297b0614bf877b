"""What Alur knows about licences, and the judgement of each component's licence.

``deploy/licences.toml`` holds the licences Alur accepts (with what each means in plain words
and its family) and the reviewed overrides for components whose metadata states no clear
licence. :func:`settle` gives a CycloneDX component one licence (its override, else its own
declaration when that is one SPDX id, expression or name); :func:`problems` names every
component whose licence is then missing, unclear or not accepted. :mod:`stack.sbom` builds the
components; ``features/platform/test_licences.py`` fails on any problem.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    get_spdx_licensing,
)
from packageurl import PackageURL

LICENCES_FILE = Path(__file__).resolve().parent.parent / "deploy" / "licences.toml"
#: Licence families, least to most restrictive: an AND takes the most restrictive of its
#: parts, an OR the least restrictive accepted choice.
FAMILIES = (
    "permissive",
    "permissive with conditions",
    "weak copyleft",
    "strong copyleft",
    "source-available",
)
#: ``cyclonedx-py`` copies trove classifiers beside the SPDX id it derived from them.
_CLASSIFIER = "License :: "
_SPDX = get_spdx_licensing()

Component = dict[str, Any]


@dataclass(frozen=True)
class Accepted:
    family: str
    means: str
    production: bool = True
    #: Component keys (prefixes) the licence is accepted for; empty: every component.
    only: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Override:
    licence: str
    source: str


@dataclass(frozen=True)
class Knowledge:
    """``deploy/licences.toml``: accepted licences, overrides, Debian licence names."""

    accepted: Mapping[str, Accepted]
    overrides: Mapping[str, Override]
    debian: Mapping[str, str]

    def override(self, key: str) -> Override | None:
        """The override for ``type/name@version``, else for ``type/name`` (Debian)."""
        return self.overrides.get(key) or self.overrides.get(key.rsplit("@", 1)[0])


def load_knowledge(path: Path = LICENCES_FILE) -> Knowledge:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    accepted = {}
    for name, entry in data.get("accepted", {}).items():
        if entry.get("family") not in FAMILIES:
            raise ValueError(f"{path}: {name}: family must be one of {', '.join(FAMILIES)}")
        accepted[name] = Accepted(
            family=entry["family"],
            means=entry["means"],
            production=entry.get("production", True),
            only=tuple(entry.get("only", ())),
            url=entry.get("url"),
        )
    overrides = {
        key: Override(entry["licence"], entry["source"])
        for key, entry in data.get("overrides", {}).items()
    }
    return Knowledge(accepted, overrides, dict(data.get("debian", {})))


def component_key(component: Component) -> str:
    """``type/namespace/name@version`` from the purl (``npm/@bpmn-io/form-js@1.23.0``)."""
    purl = PackageURL.from_string(component["purl"])
    namespace = f"{purl.namespace}/" if purl.namespace else ""
    return f"{purl.type}/{namespace}{purl.name}@{purl.version}"


def licence_of(component: Component) -> str | None:
    """The one licence (id, expression or name) a component states, or None."""
    entries = component.get("licenses") or []
    if len(entries) != 1:
        return None
    entry = entries[0]
    if "expression" in entry:
        return str(entry["expression"])
    licence = entry.get("license", {})
    value = licence.get("id") or licence.get("name")
    return str(value) if value else None


def _parse(licence: str) -> Any:
    """The SPDX expression tree of ``licence``; ExpressionError when it is not SPDX."""
    parsed = _SPDX.parse(licence, validate=True, strict=True)
    if parsed is None:
        raise ExpressionError("empty")
    return parsed


def _symbol_name(node: Any) -> str:
    if isinstance(node, LicenseWithExceptionSymbol):
        return f"{node.license_symbol.key} WITH {node.exception_symbol.key}"
    return str(node.key)


def _rank(licence: str, key: str, knowledge: Knowledge) -> int | None:
    """Index in FAMILIES of what ``licence`` asks of component ``key``; None: not accepted."""

    def accepted(name: str) -> int | None:
        entry = knowledge.accepted.get(name)
        if entry is None or (entry.only and not key.startswith(entry.only)):
            return None
        return FAMILIES.index(entry.family)

    def walk(node: Any) -> int | None:
        if isinstance(node, LicenseSymbol | LicenseWithExceptionSymbol):
            return accepted(_symbol_name(node))
        ranks = [walk(arg) for arg in node.args]
        if isinstance(node, AND):
            return None if None in ranks else max(r for r in ranks if r is not None)
        if isinstance(node, OR):
            chosen = [r for r in ranks if r is not None]
            return min(chosen) if chosen else None
        return None

    if licence in knowledge.accepted:
        return accepted(licence)
    try:
        return walk(_parse(licence))
    except ExpressionError:
        return None


def family(component: Component, knowledge: Knowledge) -> str | None:
    licence = licence_of(component)
    rank = _rank(licence, component_key(component), knowledge) if licence else None
    return None if rank is None else FAMILIES[rank]


def problems(components: Iterable[Component], knowledge: Knowledge) -> list[str]:
    """One line per component whose licence is missing, unclear or not accepted, naming it."""
    found = []
    for component in components:
        key = component_key(component)
        entries = component.get("licenses") or []
        licence = licence_of(component)
        if not entries:
            found.append(f"{key}: no licence stated")
        elif licence is None:
            stated = " | ".join(_describe(entry) for entry in entries)
            found.append(f"{key}: several licences, not saying whether all or one apply: {stated}")
        elif _rank(licence, key, knowledge) is None:
            accepted = knowledge.accepted.get(licence)
            where = f" (only for {', '.join(accepted.only)})" if accepted else ""
            found.append(
                f'{key}: licence "{licence}" is not accepted in {LICENCES_FILE.name}{where}'
            )
    return found


def _describe(entry: Mapping[str, Any]) -> str:
    if "expression" in entry:
        return str(entry["expression"])
    licence = entry.get("license", {})
    return str(licence.get("id") or licence.get("name") or "?")


def _entry(licence: str, knowledge: Knowledge, acknowledgement: str) -> dict[str, Any]:
    """The CycloneDX ``licenses`` item for one licence: SPDX id, SPDX expression or a name."""
    try:
        parsed = _parse(licence)
    except ExpressionError:
        named: dict[str, Any] = {"name": licence, "acknowledgement": acknowledgement}
        accepted = knowledge.accepted.get(licence)
        if accepted and accepted.url:
            named["url"] = accepted.url
        return {"license": named}
    if isinstance(parsed, LicenseSymbol):
        return {"license": {"id": parsed.key, "acknowledgement": acknowledgement}}
    return {"expression": str(parsed), "acknowledgement": acknowledgement}


def _declared(entries: list[dict[str, Any]]) -> str | None:
    """One clear licence from what the metadata declares, or None when unclear or absent."""
    expressions = [str(e["expression"]) for e in entries if "expression" in e]
    ids = sorted({str(e["license"]["id"]) for e in entries if "id" in e.get("license", {})})
    names = [str(e["license"]["name"]) for e in entries if "name" in e.get("license", {})]
    plain_names = [n for n in names if not n.startswith(_CLASSIFIER)]
    if len(expressions) == 1 and not ids and not plain_names:
        return expressions[0]
    if not expressions and len(ids) == 1 and not plain_names:
        return ids[0]
    if not expressions and not ids and len(names) == 1:
        return names[0]
    return None


def settle(component: Component, knowledge: Knowledge) -> Component:
    """Give ``component`` one licence: the override, else its declared one when clear.

    An unclear declaration (several licences, or none) is left as it is for :func:`problems`.
    """
    declared_entries: list[dict[str, Any]] = component.get("licenses") or []
    override = knowledge.override(component_key(component))
    properties = list(component.get("properties", []))
    if override is not None:
        component["licenses"] = [_entry(override.licence, knowledge, "concluded")]
        stated = " | ".join(_describe(e) for e in declared_entries) or "nothing"
        properties += [
            {"name": "alur:licence:declared", "value": stated},
            {"name": "alur:licence:source", "value": override.source},
        ]
    else:
        declared = _declared(declared_entries)
        if declared is not None:
            component["licenses"] = [_entry(declared, knowledge, "declared")]
    rank = family(component, knowledge) if component.get("licenses") else None
    if rank is not None:
        properties.append({"name": "alur:licence:family", "value": rank})
    if properties:
        component["properties"] = sorted(properties, key=lambda p: (p["name"], p["value"]))
    return component


def declared_entry(licence: str | None) -> list[dict[str, Any]]:
    """How a package manager's licence string reads before settling: id, expression or name."""
    if not licence:
        return []
    try:
        parsed = _parse(licence)
    except ExpressionError:
        return [{"license": {"name": licence}}]
    if isinstance(parsed, LicenseSymbol):
        return [{"license": {"id": parsed.key}}]
    return [{"expression": str(parsed)}]


def debian_licence(copyright_text: str, names: Mapping[str, str]) -> str | None:
    """SPDX licence of a machine-readable (DEP-5) copyright file's ``Files: *`` paragraph.

    None when the file is not machine-readable or names a licence ``names`` cannot translate.
    """
    if "copyright-format" not in copyright_text.split("\n", 1)[0]:
        return None
    paragraphs = [p for p in re.split(r"\n\s*\n", copyright_text) if p.strip()]
    files_star = [p for p in paragraphs if re.search(r"^Files:\s*\*\s*$", p, re.MULTILINE)]
    for paragraph in files_star or paragraphs[:1]:
        match = re.search(r"^License:[ \t]*(\S.*)$", paragraph, re.MULTILINE)
        if match:
            return _translate_debian(match[1].strip(), names)
    return None


def _translate_debian(licence: str, names: Mapping[str, str]) -> str | None:
    parts = []
    for token in licence.split():
        if token.lower() in ("and", "or"):
            parts.append(token.upper())
        elif token in names:
            parts.append(names[token])
        else:
            return None
    return " ".join(parts) or None
