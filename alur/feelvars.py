"""Which variables a FEEL expression reads: a small scanner, not a parser.

``variables("if a.b > 1 then upper case(c) else d")`` is ``["a", "c", "d"]``: the root names
the expression takes from its scope. Skipped: string literals (and temporal literals
``@"..."``), comments, path segments after ``.``, function names before ``(``, keywords and
built-in literals, names the expression binds itself (``for x in``, ``some x in``, ``every x
in``, ``function(x)``, earlier keys of a context literal ``{a: 1, b: a}``), named arguments
``f(name: 1)``, type names after ``instance of``, and everything inside a filter ``xs[...]``
(where names may be the items' own keys). Where the scanner cannot tell, it says nothing:
words written side by side (``first name``: a name with spaces) are not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

#: FEEL keywords and literal names: never variables.
KEYWORDS = frozenset(
    {
        "true",
        "false",
        "null",
        "and",
        "or",
        "not",
        "if",
        "then",
        "else",
        "for",
        "in",
        "return",
        "some",
        "every",
        "satisfies",
        "between",
        "instance",
        "of",
        "function",
        "external",
    }
)
#: Built-in functions whose names contain a keyword; other multi-word names (``string
#: length``) are words side by side, which the scanner never reports anyway.
KEYWORD_FUNCTIONS: tuple[tuple[str, ...], ...] = (
    ("date", "and", "time"),
    ("years", "and", "months", "duration"),
    ("get", "or", "else"),
    ("day", "of", "week"),
    ("day", "of", "year"),
    ("week", "of", "year"),
    ("month", "of", "year"),
    ("last", "day", "of", "month"),
    ("index", "of"),
)
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>"(?:\\.|[^"\\])*(?:"|\Z))
    | (?P<quoted>`[^`]*`)
    | (?P<number>[0-9]+(?:\.[0-9]+)?)
    | (?P<name>[^\W0-9]\w*)
    | (?P<range>\.\.)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ITERATORS = frozenset({"for", "some", "every"})


@dataclass(frozen=True)
class Token:
    kind: str  # name, quoted, string, number, range, or other (one character)
    text: str


@dataclass
class _Frame:
    """An open bracket: ``(``, ``[`` or ``{``."""

    bracket: str
    filter: bool = False  # ``xs[...]``: names may be the items' keys
    params: bool = False  # ``function(...)``: names are bound
    keys: set[str] = field(default_factory=set)  # a context's keys so far
    pending: str | None = None  # the key whose value is being read


def tokens(expression: str) -> list[Token]:
    """The tokens of a FEEL expression, without spaces and comments."""
    found = []
    for match in _TOKEN.finditer(expression):
        kind = str(match.lastgroup)
        if kind in ("space", "comment"):
            continue
        text = match.group()
        found.append(Token(kind, text[1:-1] if kind == "quoted" else text))
    return found


def variables(expression: str) -> list[str]:
    """The root variable names ``expression`` reads, in order of first use, each once."""
    text = expression[1:] if expression.startswith("=") else expression
    scanner = _Scanner(tokens(text))
    reads = list(dict.fromkeys(scanner.run()))
    return [name for name in reads if name not in scanner.bound]


class _Scanner:
    """One pass over the tokens; ``run`` yields candidate reads, ``bound`` collects bindings."""

    def __init__(self, items: list[Token]) -> None:
        self.items = items
        self.stack: list[_Frame] = []
        self.bound: set[str] = {"partial"} if any(t.text == "for" for t in items) else set()
        self.iterating = False  # between ``for``/``some``/``every`` and ``return``/``satisfies``

    def run(self) -> Iterator[str]:
        i = 0
        while i < len(self.items):
            if self.items[i].kind in ("name", "quoted"):
                end = i
                while end < len(self.items) and self.items[end].kind in ("name", "quoted"):
                    end += 1
                yield from self._words(i, end)
                i = self._skip_type(end) if self._typed(i, end) else end
                continue
            self._bracket(i)
            i += 1

    def _at(self, i: int) -> str:
        return self.items[i].text if 0 <= i < len(self.items) else ""

    def _bracket(self, i: int) -> None:
        """Open or close a frame; commit a context key at ``,``."""
        token = self.items[i]
        if token.kind != "other":
            return
        before = self.items[i - 1] if i else None
        if token.text in "([{":
            self.stack.append(
                _Frame(
                    token.text,
                    filter=token.text == "[" and _ends_value(before),
                    params=token.text == "(" and before is not None and before.text == "function",
                )
            )
        elif token.text in ")]}" and self.stack:
            self.stack.pop()
        elif token.text == "," and self.stack and self.stack[-1].pending is not None:
            frame = self.stack[-1]
            frame.keys.add(str(frame.pending))
            frame.pending = None

    def _typed(self, start: int, end: int) -> bool:
        """Whether the words end in ``instance of <type>`` with a type argument ``<...>``."""
        words = [t.text for t in self.items[start:end]]
        return "of" in words and "instance" in words and self._at(end) == "<"

    def _skip_type(self, i: int) -> int:
        """The index after the ``<...>`` starting at ``i``."""
        depth = 0
        while i < len(self.items):
            depth += {"<": 1, ">": -1}.get(self.items[i].text, 0)
            i += 1
            if depth == 0:
                break
        return i

    def _words(self, start: int, end: int) -> Iterator[str]:
        """The reads among the words ``start:end`` written side by side."""
        words = [t.text if t.kind == "name" else f"`{t.text}`" for t in self.items[start:end]]
        after = self._at(end)
        if after == "(":
            kept = _drop_keyword_function(words)
            after, words = (after if kept == words else ""), kept
        if "instance" in words:  # ``x instance of <type words>``: the type is no read
            words = words[: words.index("instance") + 1]
        group: list[str] = []
        path = self._at(start - 1) == "."
        for word in [*words, ""]:
            if word in KEYWORDS or not word:
                following = word or after
                if group:
                    yield from self._group(group, following, path)
                group, path = [], False
                if word in _ITERATORS:
                    self.iterating = True
                elif word in ("return", "satisfies"):
                    self.iterating = False
                continue
            group.append(word)

    def _group(self, group: list[str], following: str, path: bool) -> Iterator[str]:
        """The read in one run of non-keywords, if it is one; ``following`` comes next."""
        name = " ".join(group).strip("`")
        if following == ":":
            self._key(name)
        elif following == "(" or path:
            return
        elif (self.iterating and following == "in") or self._in_params():
            self.bound.add(name)
        elif len(group) == 1 and not self._in_filter() and not self._is_key(name):
            yield name

    def _key(self, name: str) -> None:
        if self.stack and self.stack[-1].bracket == "{":
            frame = self.stack[-1]
            if frame.pending is not None:
                frame.keys.add(frame.pending)
            frame.pending = name.strip("`")

    def _in_filter(self) -> bool:
        return any(frame.filter for frame in self.stack)

    def _in_params(self) -> bool:
        return bool(self.stack) and self.stack[-1].params

    def _is_key(self, name: str) -> bool:
        return any(name in frame.keys for frame in self.stack)


def _drop_keyword_function(words: list[str]) -> list[str]:
    """``words`` without a trailing built-in name that contains a keyword."""
    for phrase in KEYWORD_FUNCTIONS:
        if tuple(words[-len(phrase) :]) == phrase:
            return words[: -len(phrase)]
    return words


def _groups(words: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Runs of non-keywords with the index of their first word."""
    group: list[str] = []
    first = 0
    for index, word in enumerate(words):
        if word in KEYWORDS:
            if group:
                yield first, group
            group = []
            continue
        if not group:
            first = index
        group.append(word)
    if group:
        yield first, group


def _ends_value(token: Token | None) -> bool:
    """Whether ``token`` ends a value, so that a ``[`` after it opens a filter."""
    if token is None:
        return False
    if token.kind == "name":
        return token.text not in KEYWORDS
    return token.kind in ("quoted", "string", "number") or token.text in (")", "]", "}")
