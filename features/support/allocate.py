"""A stand-in worker process for the numbering tests: allocates numbers, maybe dies doing so.

``python -m features.support.allocate URL PREFIX COUNT [before-commit|after-commit]``
allocates COUNT numbers with keys PREFIX-0..; with a crash point it SIGKILLs itself during
the first allocation, before or after the commit.
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import date

from alur.agency_file import shipped
from storage import numbering
from storage.db import make_engine, make_sessionmaker

REGISTER = shipped().register("dpmptsp", "surat-keluar")
ON = date(2026, 11, 23)


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(url: str, prefix: str, count: int, crash: str | None) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    for index in range(count):
        with sessions() as session:
            numbering.allocate(
                session,
                agency=REGISTER.agency,
                register=REGISTER.code,
                year=ON.year,
                key=f"{prefix}-{index}",
                render=lambda seq: REGISTER.render(seq, ON),
                after_increment=die if crash == "before-commit" else None,
            )
        if crash == "after-commit":
            die()
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
