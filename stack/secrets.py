"""Per-installation secrets, generated on first start and never committed."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

KEYS = (
    "ALUR_S3_ACCESS_KEY",
    "ALUR_S3_SECRET_KEY",
    "ALUR_SECRET_KEY",
    "SEAWEED_JWT_WRITE",
    "SEAWEED_JWT_READ",
    "SEAWEED_JWT_FILER_WRITE",
    "SEAWEED_JWT_FILER_READ",
)


def generate() -> dict[str, str]:
    values = {key: secrets.token_urlsafe(32) for key in KEYS}
    values["ALUR_S3_ACCESS_KEY"] = "alur" + secrets.token_hex(8)
    return values


def load_or_create(path: Path) -> dict[str, str]:
    """Read ``path``; create it (mode 0600) with fresh secrets if it is missing."""
    if path.is_file():
        values = json.loads(path.read_text())
        if all(key in values for key in KEYS):
            return values
    values = generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(json.dumps(values, indent=2))
    return values
