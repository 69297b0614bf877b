"""The letter world each fault module works in: its own database, the shared servers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from features.support.engine import Engine
from features.support.letterworld import World, make_world
from stack.local import Stack


@pytest.fixture(scope="module")
def world(
    request: pytest.FixtureRequest,
    stack: Stack,
    engine: Engine,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[World]:
    made = make_world(stack, engine, tmp_path_factory.mktemp(request.module.__name__))
    yield made
    made.close()
