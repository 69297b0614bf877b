"""Prepare storage: ``python -m storage.migrate [revision -m MESSAGE]``.

With no argument it upgrades the database named by ``ALUR_DATABASE_URL`` to the newest
revision (the same migrations run on SQLite and PostgreSQL) and creates the S3 buckets with
versioning (the letters bucket with object lock too). docker-compose runs it once before the
workers and the web app start.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from alur.settings import Settings, load
from storage import s3

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def prepare(settings: Settings) -> None:
    """Schema at the newest revision, buckets present and versioned (letters' with lock)."""
    upgrade(settings.database_url)
    client = s3.make_client(
        settings.s3_endpoint,
        settings.s3_access_key,
        settings.s3_secret_key,
        secure=settings.s3_secure,
        region=settings.s3_region,
    )
    s3.ensure_buckets(
        client,
        [settings.s3_bucket_documents, settings.s3_bucket_uploads],
        locked={settings.s3_bucket_letters: settings.letter_retention_days},
    )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    settings = load()
    if args[:1] == ["revision"]:
        message = args[args.index("-m") + 1] if "-m" in args else "change"
        command.revision(alembic_config(settings.database_url), message=message, autogenerate=True)
    else:
        prepare(settings)


if __name__ == "__main__":
    main()
