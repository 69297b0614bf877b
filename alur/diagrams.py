"""Deployed BPMN diagrams (read by ``alur.bpmn``): what a step is called and what it documents."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from alur import bpmn


@dataclass(frozen=True)
class Element:
    id: str
    name: str
    documentation: str


@lru_cache(maxsize=64)
def elements(xml: str) -> dict[str, Element]:
    """Every BPMN element with an id, by id. Cached: a definition never changes once deployed."""
    found: dict[str, Element] = {}
    for element in bpmn.read_cached(xml).elements:
        text = " ".join(element.documentation.split())
        found[element.id] = Element(element.id, element.name, text)
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
