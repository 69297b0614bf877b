"""Values as Zeebe hands them over from FEEL, and the FEEL of form conditions."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


def parse_date_time(text: str) -> datetime:
    """An ISO-8601 date-time; a FEEL date-time's zone id suffix is dropped.

    Zeebe serialises ``now()`` as ``2026-11-25T17:00:41.028Z[Etc/UTC]``. Raises
    ``ValueError`` for anything else that is not ISO-8601.
    """
    return datetime.fromisoformat(text.split("[", 1)[0].replace("Z", "+00:00"))


# Form conditions ###############################################################################
# The small part of FEEL that form conditions use ("=canBeHeld != \"tidak\"", "=a = 1 and
# not(b)"), evaluated on the server so that a field hidden in the browser is neither required
# nor kept there either. Anything outside it is refused (None) and the form keeps the old,
# looser rule for that field.

_TOKEN = re.compile(
    r"""\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>-?[0-9]+(?:\.[0-9]+)?)"""
    r"""|(?P<op>!=|<=|>=|=|<|>|\(|\))|(?P<name>[A-Za-z_][A-Za-z0-9_]*))"""
)
_WORDS = {"true": True, "false": False, "null": None}


@dataclass(frozen=True)
class Condition:
    """A parsed condition; :meth:`holds` evaluates it on a form's data."""

    tree: Any

    def holds(self, data: Mapping[str, Any]) -> bool:
        return _truth(_evaluate(self.tree, data))


def condition(expression: str) -> Condition | None:
    """The condition ``expression`` (``=...``) states, or None when it uses more FEEL than
    comparisons of fields with literals joined by ``and``, ``or`` and ``not(...)``."""
    if not isinstance(expression, str) or not expression.startswith("="):
        return None
    tokens = _tokens(expression[1:])
    if tokens is None:
        return None
    parser = _Parser(tokens)
    try:
        tree = parser.disjunction()
    except ValueError:
        return None
    return Condition(tree) if parser.done() else None


def _tokens(text: str) -> list[tuple[str, Any]] | None:
    found: list[tuple[str, Any]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            return None
        position = match.end()
        if match["string"] is not None:
            found.append(("literal", json.loads(match["string"])))
        elif match["number"] is not None:
            found.append(("literal", float(match["number"])))
        elif match["op"] is not None:
            found.append(("op", match["op"]))
        elif match["name"] in _WORDS:
            found.append(("literal", _WORDS[match["name"]]))
        elif match["name"] in ("and", "or", "not"):
            found.append(("op", match["name"]))
        else:
            found.append(("name", match["name"]))
    return found


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]]) -> None:
        self.tokens = tokens
        self.at = 0

    def done(self) -> bool:
        return self.at == len(self.tokens)

    def _peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self, kind: str, value: Any = None) -> Any:
        token = self._peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            raise ValueError("unexpected token")
        self.at += 1
        return token[1]

    def disjunction(self) -> Any:
        tree = self.conjunction()
        while self._peek() == ("op", "or"):
            self.at += 1
            tree = ("or", tree, self.conjunction())
        return tree

    def conjunction(self) -> Any:
        tree = self.unary()
        while self._peek() == ("op", "and"):
            self.at += 1
            tree = ("and", tree, self.unary())
        return tree

    def unary(self) -> Any:
        if self._peek() == ("op", "not"):
            self.at += 1
            self._take("op", "(")
            tree = self.disjunction()
            self._take("op", ")")
            return ("not", tree)
        if self._peek() == ("op", "("):
            self.at += 1
            tree = self.disjunction()
            self._take("op", ")")
            return tree
        left = self.operand()
        token = self._peek()
        if token is not None and token[0] == "op" and token[1] in ("=", "!=", "<", ">", "<=", ">="):
            self.at += 1
            return ("compare", token[1], left, self.operand())
        return left

    def operand(self) -> Any:
        token = self._peek()
        if token is None or token[0] not in ("name", "literal"):
            raise ValueError("operand expected")
        self.at += 1
        return token


def _evaluate(tree: Any, data: Mapping[str, Any]) -> Any:
    head = tree[0]
    if head == "literal":
        return tree[1]
    if head == "name":
        return data.get(tree[1])
    if head == "not":
        return not _truth(_evaluate(tree[1], data))
    if head == "and":
        return _truth(_evaluate(tree[1], data)) and _truth(_evaluate(tree[2], data))
    if head == "or":
        return _truth(_evaluate(tree[1], data)) or _truth(_evaluate(tree[2], data))
    _, op, left_tree, right_tree = tree
    left, right = _evaluate(left_tree, data), _evaluate(right_tree, data)
    if op in ("=", "!="):
        same = _same(left, right)
        return same if op == "=" else not same
    if not (_number(left) and _number(right)):
        return False  # FEEL: null for incomparable values, which a condition reads as false
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(left: Any, right: Any) -> bool:
    if _number(left) and _number(right):
        return float(left) == float(right)
    return bool(left == right) and type(left) is type(right)


def _truth(value: Any) -> bool:
    return value is True
