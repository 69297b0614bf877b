"""Alur's Zeebe exporter (``exporter/``): built per Zeebe version, loaded by every broker Alur runs.

The exporter runs inside the broker and writes the engine's records Alur needs (jobs completed
and by whom, elements completed or terminated, incidents) into the ``engine_record`` table of
Alur's own database, over JDBC (issue 23). This module builds its jar with Maven
(:mod:`stack.maven`: per Zeebe version, cached by a digest of the pom and sources, under
``ALUR_CACHE_DIR``), turns Alur's SQLAlchemy database URL into the exporter's JDBC arguments,
and names the broker settings that load it. ``docker-compose.yml`` sets the same settings for
the cluster's brokers, whose image carries the jar (``exporter/Dockerfile``).

Maven compiles it with ECJ (see ``exporter/pom.xml``), in Maven's own process on the machine's
Java (Debian's ``maven`` brings a Java 17 runtime): no JDK is needed, only Maven.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy.engine import make_url

from stack import maven

PROJECT = Path(__file__).resolve().parent.parent / "exporter"
#: The exporter's class, as the broker's ``...EXPORTERS_ALUR_CLASSNAME`` names it.
CLASS_NAME = "alur.exporter.AlurExporter"
JAR = "alur-exporter.jar"
#: The exporter's id in the broker's configuration (``zeebe.broker.exporters.alur``).
EXPORTER_ID = "alur"
#: The table it writes (``storage.models.EngineRecord``).
TABLE = "engine_record"
#: The licences of the libraries the jar carries (the SBOM lists them; ``bundled``), as their
#: poms on Maven Central state them.
BUNDLED_LICENCES = {
    # sqlite-jdbc's pom: "The Apache Software License, Version 2.0".
    "org.xerial:sqlite-jdbc": "Apache-2.0",
    # postgresql's pom: "BSD-2-Clause, copyright PostgreSQL Global Development Group".
    "org.postgresql:postgresql": "BSD-2-Clause",
}
_POM = "{http://maven.apache.org/POM/4.0.0}"


@dataclass(frozen=True)
class Bundled:
    """A library inside the exporter's jar."""

    group: str
    artifact: str
    version: str
    licence: str


def bundled(project: Path = PROJECT) -> list[Bundled]:
    """The libraries the jar carries (the pom's dependencies the broker does not provide), at
    the versions the pom pins."""
    pom = ElementTree.parse(project / "pom.xml").getroot()
    properties = {
        element.tag.removeprefix(_POM): (element.text or "").strip()
        for element in pom.iterfind(f"{_POM}properties/*")
    }
    found = []
    for dependency in pom.iterfind(f"{_POM}dependencies/{_POM}dependency"):
        if dependency.findtext(f"{_POM}scope") == "provided":
            continue
        group = dependency.findtext(f"{_POM}groupId", "")
        artifact = dependency.findtext(f"{_POM}artifactId", "")
        version = dependency.findtext(f"{_POM}version", "")
        if version.startswith("${"):
            version = properties[version.removeprefix("${").removesuffix("}")]
        licence = BUNDLED_LICENCES[f"{group}:{artifact}"]
        found.append(Bundled(group, artifact, version, licence))
    return found


@dataclass(frozen=True)
class JdbcTarget:
    """Where the exporter writes: a JDBC URL, and for PostgreSQL the role and password (kept out
    of the URL, so the broker's log, which prints the URL, never shows the password)."""

    url: str
    user: str | None = None
    password: str | None = None


def jdbc_target(database_url: str, base: Path | None = None) -> JdbcTarget:
    """The JDBC form of Alur's SQLAlchemy ``database_url`` (``ALUR_DATABASE_URL``).

    ``sqlite:///var/alur.db`` (relative to ``base``, default the working directory: the broker
    runs elsewhere) and ``sqlite:////abs/alur.db`` become ``jdbc:sqlite:/abs/alur.db``;
    ``postgresql+psycopg://user:pw@host:5432/db?sslmode=require`` becomes
    ``jdbc:postgresql://host:5432/db?sslmode=require`` with the user and password apart
    (percent-escapes decoded). Query parameters are passed on as they are (``sslmode`` means
    the same to both drivers).

    Raises:
        ValueError: a database the exporter cannot share with Alur (in-memory SQLite, another
            kind of database, a PostgreSQL socket directory).
    """
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        name = url.database or ""
        if name in ("", ":memory:") or name.startswith("file:") or "?" in name:
            raise ValueError(f"the exporter needs an SQLite file it can share, not {name!r}")
        path = Path(name)
        if not path.is_absolute():
            path = (base or Path.cwd()) / path
        return JdbcTarget(f"jdbc:sqlite:{os.path.normpath(path)}")
    if backend == "postgresql":
        host = url.host or "localhost"
        if host.startswith("/") or "host" in url.query:
            raise ValueError("the exporter reaches PostgreSQL over TCP, not a socket directory")
        if ":" in host:  # an IPv6 address
            host = f"[{host}]"
        query = urlencode(sorted(url.query.items()), doseq=True)
        jdbc = f"jdbc:postgresql://{host}:{url.port or 5432}/{url.database or ''}"
        return JdbcTarget(f"{jdbc}?{query}" if query else jdbc, url.username, url.password)
    raise ValueError(f"the exporter writes to SQLite or PostgreSQL, not {backend}")


def broker_environ(jar: str, target: JdbcTarget) -> dict[str, str]:
    """The broker settings that load the exporter (as environment variables)."""
    prefix = f"ZEEBE_BROKER_EXPORTERS_{EXPORTER_ID.upper()}_"
    env = {
        f"{prefix}CLASSNAME": CLASS_NAME,
        f"{prefix}JARPATH": jar,
        f"{prefix}ARGS_URL": target.url,
    }
    if target.user is not None:
        env[f"{prefix}ARGS_USER"] = target.user
    if target.password is not None:
        env[f"{prefix}ARGS_PASSWORD"] = target.password
    return env


@dataclass(frozen=True)
class ExporterConfig:
    """The exporter as one broker loads it: its jar and Alur's database."""

    jar: Path
    target: JdbcTarget

    def environ(self) -> dict[str, str]:
        return broker_environ(str(self.jar), self.target)


def ensure_built(
    version: str,
    cache_dir: Path,
    say: Callable[[str], None] = print,
    *,
    maven_repo: Path | None = None,
    project: Path = PROJECT,
) -> Path:
    """The exporter's jar for Zeebe ``version``, built first if the cache has none."""
    home = maven.cached_home(cache_dir, "exporter", project, version)
    maven.build(
        project,
        home,
        version,
        (JAR,),
        env=maven.environ(),
        what="the Zeebe exporter",
        say=say,
        maven_repo=maven_repo,
    )
    return home / JAR
