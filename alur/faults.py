"""Named points where the fault tests kill a process (``kill -9``) in the middle of work.

The one place outside ``alur.settings`` that reads the environment, on purpose: a test sets
``ALUR_FAULT_POINT`` for the process it is about to crash, and production never sets it.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "ALUR_FAULT_POINT"


def point(name: str) -> None:
    """SIGKILL this process here if ``ALUR_FAULT_POINT`` names this point."""
    if os.environ.get(VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
