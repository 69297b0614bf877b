"""A JSON file a test session writes at its end, also when pytest-xdist splits the session.

Each xdist worker writes its own part (``<file>.<worker id>``); the controller, which runs no
test, merges the parts into ``<file>`` at its own end and removes them. A serial session
writes ``<file>`` itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Merge = Callable[[list[Any]], Any]


def _worker(config: pytest.Config) -> str | None:
    workerinput = getattr(config, "workerinput", None)
    return None if workerinput is None else str(workerinput["workerid"])


def _parts(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f"{target.name}.gw*"))


def _distributed(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "numprocesses", None))


def clear_parts(config: pytest.Config, variable: str) -> None:
    """At the controller's start: parts an interrupted session left must not be merged."""
    target = os.environ.get(variable)
    if target and _worker(config) is None:
        for part in _parts(Path(target)):
            part.unlink()


def write(config: pytest.Config, variable: str, data: Any, merge: Merge) -> None:
    """Write ``data`` to the file ``variable`` names (nothing when it is unset)."""
    target = os.environ.get(variable)
    if not target:
        return
    path = Path(target)
    worker = _worker(config)
    if worker is not None:
        Path(f"{path}.{worker}").write_text(json.dumps(data), encoding="utf-8")
        return
    if _distributed(config):
        parts = _parts(path)
        data = merge([json.loads(part.read_text(encoding="utf-8")) for part in parts])
        for part in parts:
            part.unlink()
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
