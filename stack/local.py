"""A whole Alur stack on one machine: Zeebe, SeaweedFS, SMTP, the database, workers, web app.

``make run`` uses :func:`local_stack` (fixed loopback ports, state under ``var/`` so cases
survive a restart); the tests use :func:`test_stack` (free ports, a throw-away directory,
the broker's controlled clock). Both start the same servers the same way.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import urllib.request
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from alur import agency_file, demo, pki
from alur import settings as alur_settings
from alur.deploys import deploy_all
from stack import exporter as exporter_build
from stack import seaweed as seaweed_server
from stack import smtp as smtp_server
from stack import zeebe as zeebe_server
from stack.ports import free_ports
from stack.procs import Managed, Supervisor, reap_stale, wait_until
from stack.secrets import generate, load_or_create
from storage import migrate, s3
from storage.db import make_engine, make_sessionmaker
from storage.deployments import Deployed

REPO = Path(__file__).resolve().parent.parent
#: Who the agencies' history names for what the launcher loaded.
AGENCIES_WHO = "berkas:deploy/agencies.toml"
Say = Callable[[str], None]


def say(message: str) -> None:
    print(message, flush=True)


@dataclass
class Stack:
    """The plan of a stack and, once started, its processes."""

    root: Path
    settings: alur_settings.Settings
    zeebe: zeebe_server.ZeebeConfig
    seaweed: seaweed_server.SeaweedConfig
    #: The local SMTP server: mail to applicants lands in ``smtp.maildir``.
    smtp: smtp_server.SmtpConfig
    supervisor: Supervisor
    children: dict[str, Managed] = field(default_factory=dict)
    #: Seeded after migrating when ``settings.demo_accounts`` is on (``make run`` only).
    demo_accounts: list[demo.DemoAccount] = field(default_factory=list)

    @property
    def clock(self) -> zeebe_server.BrokerClock:
        return zeebe_server.BrokerClock(self.zeebe.management_url)

    def app_environ(self, settings: alur_settings.Settings | None = None) -> dict[str, str]:
        """The environment of a worker or web process: ``settings`` (default the stack's)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ALUR_", "ZEEBE_"))}
        env.update(alur_settings.to_environ(settings or self.settings))
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONPATH"] = str(REPO)
        return env

    def s3_client(self) -> s3.Minio:
        st = self.settings
        return s3.make_client(
            st.s3_endpoint,
            st.s3_access_key,
            st.s3_secret_key,
            secure=st.s3_secure,
            region=st.s3_region,
        )

    # -- servers -------------------------------------------------------------------------

    def start_servers(self, log: Say = say) -> None:
        """Zeebe, SeaweedFS and SMTP (in parallel), then the schema and the buckets."""
        client = self.s3_client()
        with ThreadPoolExecutor(max_workers=3) as pool:
            log("==> Menyalakan Zeebe, SeaweedFS dan server SMTP lokal")
            zeebe_started = pool.submit(zeebe_server.start, self.zeebe, self.supervisor)
            seaweed_started = pool.submit(
                seaweed_server.start, self.seaweed, self.supervisor, lambda: s3.is_reachable(client)
            )
            smtp_started = pool.submit(smtp_server.start, self.smtp, self.supervisor)
            self.children["smtp"] = smtp_started.result()
            log(f"    SMTP siap di {self.smtp.url}, surat disimpan di {self.smtp.maildir}/")
            self.children["seaweedfs"] = seaweed_started.result()
            log(f"    SeaweedFS S3 siap di {self.settings.s3_endpoint}")
            self.children["zeebe"] = zeebe_started.result()
            log(f"    Zeebe siap di {self.settings.zeebe_address}")
        log("==> Migrasi basis data dan bucket S3")
        migrate.prepare(self.settings)
        for line in load_agencies(self.settings.database_url):
            log(f"    {line}")
        log(f"    {prepare_signing(self.settings)}")
        if self.settings.demo_accounts:
            self.demo_accounts = seed_demo(self.settings.database_url)
            log(f"    {len(self.demo_accounts)} akun demo siap")

    def deploy(self, log: Say = say, deployed_by: str = "launcher") -> list[Deployed]:
        """Deploy every diagram and form, and record new versions in the database."""
        result = deploy_all(self.settings, deployed_by)
        for item in result:
            log(f"    {item.kind:7} {item.resource_id} versi {item.version}")
        return result

    # -- applications --------------------------------------------------------------------

    def start_workers(
        self,
        settings: alur_settings.Settings | None = None,
        *,
        name: str = "workers",
        extra_env: Mapping[str, str] | None = None,
    ) -> Managed:
        """``python -m workers`` with ``settings`` (default the stack's); ``extra_env`` is
        for the fault tests (``alur.faults``)."""
        env = {**self.app_environ(settings), **(extra_env or {})}
        child = self.supervisor.start(name, [sys.executable, "-m", "workers"], env=env, cwd=REPO)
        wait_until(
            lambda: "worker started" in child.log_path.read_text(errors="replace"),
            timeout=60,
            what="the job workers",
            child=child,
        )
        self.children[name] = child
        return child

    def start_web(self, workers: int = 2) -> Managed:
        st = self.settings
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{st.web_host}:{st.web_port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            # Its default control socket (~/.gunicorn/gunicorn.ctl) is one path shared by every
            # stack on the machine (tests start several); nothing here uses it.
            "--no-control-socket",
            "web:create_app()",
        ]
        child = self.supervisor.start("web", argv, env=self.app_environ(), cwd=REPO)
        url = f"http://{st.web_host}:{st.web_port}/kesehatan"
        wait_until(
            lambda: urllib.request.urlopen(url, timeout=2).status == 200,
            timeout=60,
            what="the web app",
            child=child,
        )
        self.children["web"] = child
        return child

    def stop(self) -> None:
        self.supervisor.stop_all()
        self.children.clear()


def local_stack(environ: Mapping[str, str] | None = None) -> Stack:
    """The stack of ``make run``: default ports on 127.0.0.1, state in ``var/``."""
    env = dict(os.environ if environ is None else environ)
    stack_settings = alur_settings.load_stack(env)
    data = (REPO / env.get("ALUR_DATA_DIR", "var")).resolve()
    secrets = load_or_create(data / "secrets.json")
    for key, value in secrets.items():
        env.setdefault(key, value)
    env.setdefault("ALUR_DATA_DIR", str(data))
    env.setdefault("ALUR_DATABASE_URL", f"sqlite:///{data / 'alur.db'}")
    env.setdefault("ALUR_SIGNING_DIR", str(data / "pki"))
    env.setdefault("ALUR_BPMN_DIR", str(REPO / "bpmn"))
    env.setdefault("ALUR_FORMS_DIR", str(REPO / "forms"))
    env.setdefault("ALUR_DEMO_ACCOUNTS", "true")
    settings = alur_settings.load(env)
    # The servers listen where the settings say the applications will look for them.
    zeebe_ports = zeebe_server.ZeebePorts(
        gateway=_port(settings.zeebe_address),
        rest=_port(settings.zeebe_rest_url),
        management=_port(settings.zeebe_management_url),
    )
    zeebe_config = _zeebe_config(
        stack_settings, data / "zeebe", zeebe_ports, settings.database_url, controlled=False
    )
    seaweed_config = seaweed_server.SeaweedConfig(
        data_dir=data / "seaweedfs",
        ports=replace(seaweed_server.SeaweedPorts.local(), s3=_port(settings.s3_endpoint)),
        secrets=_seaweed_secrets(env),
    )
    smtp_config = smtp_server.SmtpConfig(port=settings.smtp_port, maildir=data / "mail")
    supervisor = Supervisor(log_dir=data / "logs", pid_dir=data / "run")
    return Stack(data, settings, zeebe_config, seaweed_config, smtp_config, supervisor)


def test_stack(root: Path, environ: Mapping[str, str] | None = None) -> Stack:
    """An isolated stack for tests: free ports, data in ``root``, controlled broker clock."""
    env = dict(os.environ if environ is None else environ)
    stack_settings = alur_settings.load_stack(env)
    secrets = generate()
    z = zeebe_server.ZeebePorts(*free_ports(5))
    seaweed_ports = seaweed_server.SeaweedPorts.free()
    web_port, smtp_port = free_ports(2)
    values = {
        **secrets,
        "ZEEBE_ADDRESS": f"127.0.0.1:{z.gateway}",
        "ALUR_ZEEBE_REST_URL": f"http://127.0.0.1:{z.rest}",
        "ALUR_ZEEBE_MANAGEMENT_URL": f"http://127.0.0.1:{z.management}",
        "ALUR_S3_ENDPOINT": f"127.0.0.1:{seaweed_ports.s3}",
        "ALUR_DATABASE_URL": f"sqlite:///{root / 'alur.db'}",
        "ALUR_SMTP_HOST": smtp_server.HOST,
        "ALUR_SMTP_PORT": str(smtp_port),
        "ALUR_WEB_PORT": str(web_port),
        "ALUR_PUBLIC_BASE_URL": f"http://127.0.0.1:{web_port}",
        "ALUR_DATA_DIR": str(root),
        "ALUR_SIGNING_DIR": str(root / "pki"),
        "ALUR_BPMN_DIR": str(REPO / "bpmn"),
        "ALUR_FORMS_DIR": str(REPO / "forms"),
    }
    settings = alur_settings.load(values)
    zeebe_config = _zeebe_config(
        stack_settings, root / "zeebe", z, settings.database_url, controlled=True
    )
    seaweed_config = seaweed_server.SeaweedConfig(
        data_dir=root / "seaweedfs", ports=seaweed_ports, secrets=_seaweed_secrets(secrets)
    )
    smtp_config = smtp_server.SmtpConfig(port=smtp_port, maildir=root / "mail")
    return Stack(
        root, settings, zeebe_config, seaweed_config, smtp_config, Supervisor(root / "logs")
    )


def load_agencies(database_url: str) -> list[str]:
    """The agencies, registers and units of ``deploy/agencies.toml`` the database lacks (those
    it has, perhaps edited in ``/admin``, stay as they are); what was done, in Bahasa."""
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session:
            report = agency_file.load(session, agency_file.shipped(), AGENCIES_WHO, only_new=True)
    finally:
        engine.dispose()
    return [f"Data instansi ({agency_file.SHIPPED.relative_to(REPO)}): " + " ".join(report.lines())]


def prepare_signing(settings: alur_settings.Settings) -> str:
    """The local certificate authority letters are signed with (``ALUR_SIGNER=lokal``),
    created if missing, as ``python -m alur.cli pki init`` does; what it is, in Bahasa."""
    if settings.signer != "lokal":
        return f"Tanda tangan elektronik: ALUR_SIGNER={settings.signer}"
    ca = pki.LocalCA(settings.signing_dir)
    return pki.summary(ca, created=ca.ensure())


def seed_demo(database_url: str) -> list[demo.DemoAccount]:
    """Demo units and one account per role in the database at ``database_url`` (idempotent)."""
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session:
            return demo.seed(session)
    finally:
        engine.dispose()


def demo_table(accounts: list[demo.DemoAccount]) -> list[str]:
    """The lines ``make run`` prints: who to sign in as, for which lane, in which unit."""
    rows = [("nama pengguna", "peran", "unit")]
    rows += [(a.username, ", ".join(a.roles), demo.unit_name(a.unit_code)) for a in accounts]
    width_user = max(len(row[0]) for row in rows)
    width_role = max(len(row[1]) for row in rows)
    lines = [f"Akun demo (hanya demo lokal), kata sandi semuanya: {demo.DEMO_PASSWORD}"]
    lines += [f"  {u:<{width_user}}  {r:<{width_role}}  {n}" for u, r, n in rows]
    return lines


def _port(address: str) -> int:
    """The port of ``host:port`` or ``scheme://host:port``."""
    return int(address.rstrip("/").rsplit(":", 1)[1])


def _zeebe_config(
    stack_settings: alur_settings.StackSettings,
    data_dir: Path,
    ports: zeebe_server.ZeebePorts,
    database_url: str,
    *,
    controlled: bool,
) -> zeebe_server.ZeebeConfig:
    """The broker of a stack, exporting into the stack's database (``stack.exporter``)."""
    version = stack_settings.zeebe_version
    java_home = zeebe_server.java_home(stack_settings.java_home)
    jar = exporter_build.ensure_built(version, stack_settings.cache_dir)
    return zeebe_server.ZeebeConfig(
        home=zeebe_server.ensure_distribution(version, stack_settings.cache_dir),
        data_dir=data_dir,
        java_home=java_home,
        ports=ports,
        controlled_clock=controlled,
        heap=stack_settings.zeebe_heap,
        # Relative SQLite paths are the launcher's (the repository), not the broker's.
        exporter=exporter_build.ExporterConfig(
            jar, exporter_build.jdbc_target(database_url, base=REPO)
        ),
    )


def _seaweed_secrets(env: Mapping[str, str]) -> seaweed_server.SeaweedSecrets:
    return seaweed_server.SeaweedSecrets(
        access_key=env["ALUR_S3_ACCESS_KEY"],
        secret_key=env["ALUR_S3_SECRET_KEY"],
        jwt_write=env["SEAWEED_JWT_WRITE"],
        jwt_read=env["SEAWEED_JWT_READ"],
        jwt_filer_write=env["SEAWEED_JWT_FILER_WRITE"],
        jwt_filer_read=env["SEAWEED_JWT_FILER_READ"],
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(log: Say = say) -> int:
    """``make run``: start everything, print the URLs, stop everything on Ctrl-C."""
    started = time.monotonic()
    # Ctrl-C even when started in the background (where the shell ignores SIGINT), and a
    # plain `kill` (SIGTERM) stops everything the same way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    stack = local_stack()
    assert stack.supervisor.pid_dir is not None
    reap_stale(stack.supervisor.pid_dir, log)
    try:
        stack.start_servers(log)
        log("==> Memasang diagram dan formulir")
        stack.deploy(log)
        log("==> Menyalakan pekerja (workers) dan aplikasi web")
        stack.start_workers()
        stack.start_web()
        st = stack.settings
        log("")
        log(f"Alur siap dalam {time.monotonic() - started:.0f} detik.")
        log(f"  Aplikasi web      {st.public_base_url}/")
        log(f"  Cek kesehatan     {st.public_base_url}/kesehatan")
        log(f"  Zeebe gRPC        {st.zeebe_address}   REST {st.zeebe_rest_url}")
        log(f"  S3 (SeaweedFS)    http://{st.s3_endpoint}   kunci di {stack.root}/secrets.json")
        log(f"  Surel (SMTP)      {stack.smtp.url}   surat masuk di {stack.smtp.maildir}/new/")
        log(f"  Basis data        {st.database_url}")
        log(f"  Log               {stack.supervisor.log_dir}/")
        if stack.demo_accounts:
            log("")
            for line in demo_table(stack.demo_accounts):
                log(line)
            log("")
        log("Tekan Ctrl-C untuk menghentikan semuanya.")
        while True:
            time.sleep(1)
            dead = stack.supervisor.check_alive()
            if dead is not None:
                log(f"!! {dead.name} berhenti (kode {dead.popen.returncode}):")
                log(dead.log_tail())
                return 1
    except KeyboardInterrupt:
        log("\n==> Menghentikan semua proses")
        return 0
    finally:
        stack.stop()
        log("    selesai: tidak ada proses yang tersisa.")
