"""Run the Alembic migrations: ``python -m storage.migrate [revision -m MESSAGE]``.

With no argument it upgrades the database named by ``ALUR_DATABASE_URL`` to the newest
revision. The same migrations run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def main(argv: list[str] | None = None) -> None:
    from alur import settings

    args = sys.argv[1:] if argv is None else argv
    url = settings.load().database_url
    if args[:1] == ["revision"]:
        message = args[args.index("-m") + 1] if "-m" in args else "change"
        command.revision(alembic_config(url), message=message, autogenerate=True)
    else:
        upgrade(url)


if __name__ == "__main__":
    main()
