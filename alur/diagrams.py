"""Reading deployed BPMN diagrams with lxml: what a step is called and what it documents."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


@dataclass(frozen=True)
class Element:
    id: str
    name: str
    documentation: str


@lru_cache(maxsize=64)
def elements(xml: str) -> dict[str, Element]:
    """Every BPMN element with an id, by id. Cached: a definition never changes once deployed."""
    root = etree.fromstring(xml.encode("utf-8"), _PARSER)
    found: dict[str, Element] = {}
    for node in root.iter(f"{{{BPMN_NS}}}*"):
        element_id = node.get("id")
        if not element_id:
            continue
        doc = node.find(f"{{{BPMN_NS}}}documentation")
        text = " ".join((doc.text or "").split()) if doc is not None else ""
        found[element_id] = Element(element_id, node.get("name") or "", text)
    return found


def element_name(xml: str | None, element_id: str) -> str:
    """The element's name, or its id when the diagram is unknown or the element unnamed."""
    if not xml:
        return element_id
    element = elements(xml).get(element_id)
    return (element.name if element and element.name else element_id).strip()


def step_done(step: str) -> str:
    """ "<step> selesai" for the timeline, without doubling a name that already ends so."""
    return step if step.lower().endswith("selesai") else f"{step} selesai"
