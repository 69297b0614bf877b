"""Values as Zeebe hands them over from FEEL."""

from __future__ import annotations

from datetime import datetime


def parse_date_time(text: str) -> datetime:
    """An ISO-8601 date-time; a FEEL date-time's zone id suffix is dropped.

    Zeebe serialises ``now()`` as ``2026-11-25T17:00:41.028Z[Etc/UTC]``. Raises
    ``ValueError`` for anything else that is not ISO-8601.
    """
    return datetime.fromisoformat(text.split("[", 1)[0].replace("Z", "+00:00"))
