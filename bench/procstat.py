"""CPU time and resident memory of a process (and its descendants) from Linux's ``/proc``.

CPU time is ``utime + stime`` of ``/proc/<pid>/stat`` (every thread of the process), in clock
ticks of ``SC_CLK_TCK`` (10 ms on Linux). A share of one core over a window is the difference
of two readings divided by the window's wall time.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name (field 3 onwards)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The name (field 2) is in parentheses and may contain spaces or parentheses itself.
    return text.rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    """Every live descendant of ``pid``."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is not None:
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cpu_seconds(pid: int, *, descendants: bool = True) -> float:
    """CPU time (user + system) ``pid`` has used so far, with its live descendants'."""
    total = 0
    for member in [pid, *(children(pid) if descendants else [])]:
        fields = _stat_fields(member)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])  # fields 14 (utime) and 15 (stime)
    return total / TICKS_PER_SECOND


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_bytes(pid: int) -> int:
    """Resident memory now (``VmRSS``); 0 if the process is gone."""
    return _status_kib(pid, "VmRSS") * 1024


def peak_rss_bytes(pid: int) -> int:
    """The highest resident memory over the process's life (``VmHWM``)."""
    return _status_kib(pid, "VmHWM") * 1024


@dataclass(frozen=True)
class CpuReading:
    """CPU seconds of some processes at one instant (``time.monotonic``)."""

    at: float
    seconds: dict[str, float]

    @staticmethod
    def take(pids: dict[str, int], *, alone: dict[str, int] | None = None) -> CpuReading:
        """Read ``pids`` with their descendants and ``alone`` without (e.g. this process,
        whose children are the measured ones)."""
        at = time.monotonic()
        seconds = {name: cpu_seconds(pid) for name, pid in pids.items()}
        for name, pid in (alone or {}).items():
            seconds[name] = cpu_seconds(pid, descendants=False)
        return CpuReading(at, seconds)

    def since(self, earlier: CpuReading) -> dict[str, tuple[float, float]]:
        """Per name: (CPU seconds used, wall seconds) between ``earlier`` and this reading."""
        wall = self.at - earlier.at
        return {name: (used - earlier.seconds[name], wall) for name, used in self.seconds.items()}
