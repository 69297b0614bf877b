"""Start and stop the processes of a stack, by PID, with nothing left behind.

Every child is started in its own session, so its process-group id is its PID: stopping a
child signals that group (a shell script and the JVM it execs, `runuser` and the server it
runs) and nothing else. PID files record what a launcher started so that a later launcher can
clean up after one that was killed with SIGKILL, after checking the PID still runs the same
command (a recycled PID is never signalled).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class StackError(RuntimeError):
    """A server of the stack failed to install, start or become ready."""


@dataclass
class Managed:
    """A running child process."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    argv: list[str]

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def _started(pid: int) -> int | None:
    """When the process started (clock ticks since boot): with the PID, it names one process.

    Unlike the command line, it survives ``exec`` (Zeebe's start script becomes ``java``).
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields 3 (state) and 22; the name (field 2) may contain spaces: count after its ")".
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] == "Z" else int(fields[19])  # a zombie has ended already


def group_pids(pgid: int) -> list[int]:
    """The live (not zombie) processes of process group ``pgid``, read from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command come: state, ppid, pgrp, ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(entry.name))
    return pids


def _signal_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


@dataclass
class Supervisor:
    """Owns the children of one launcher; stops them in reverse start order."""

    log_dir: Path
    pid_dir: Path | None = None
    children: list[Managed] = field(default_factory=list)

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Managed:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{name}.log"
        with log_path.open("ab") as log:
            popen = subprocess.Popen(
                list(argv),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=dict(env) if env is not None else None,
                cwd=cwd,
                start_new_session=True,
            )
        child = Managed(name, popen, log_path, list(argv))
        self.children.append(child)
        self._write_pid(child)
        return child

    def _write_pid(self, child: Managed) -> None:
        if self.pid_dir is None:
            return
        self.pid_dir.mkdir(parents=True, exist_ok=True)
        record = {
            "pid": child.pid,
            "started": _started(child.pid),
            "cmdline": _cmdline(child.pid) or child.argv,
        }
        (self.pid_dir / f"{child.name}.pid").write_text(json.dumps(record))

    def stop(self, child: Managed, timeout: float = 20.0) -> None:
        """SIGTERM the child's group, then SIGKILL what is left after ``timeout``."""
        if child.alive():
            _signal_group(child.pid, signal.SIGTERM)
            try:
                child.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(child.pid, signal.SIGKILL)
                child.popen.wait(10)
        # The leader may be gone while members of its group linger; SIGKILL is delivered
        # asynchronously, so wait until they are really gone.
        _signal_group(child.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while group_pids(child.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        if self.pid_dir is not None:
            with contextlib.suppress(FileNotFoundError):
                (self.pid_dir / f"{child.name}.pid").unlink()
        if child in self.children:
            self.children.remove(child)

    def stop_all(self, timeout: float = 20.0) -> None:
        for child in reversed(list(self.children)):
            self.stop(child, timeout)

    def check_alive(self) -> Managed | None:
        """The first child that has exited, if any."""
        return next((c for c in self.children if not c.alive()), None)


def reap_stale(pid_dir: Path, say: Callable[[str], None] = print) -> None:
    """Stop processes a previous launcher started and never stopped (it was SIGKILLed)."""
    if not pid_dir.is_dir():
        return
    for pid_file in sorted(pid_dir.glob("*.pid")):
        try:
            record = json.loads(pid_file.read_text())
            pid, started = int(record["pid"]), record.get("started")
        except (OSError, ValueError, KeyError, TypeError):
            pid_file.unlink(missing_ok=True)
            continue
        if started is not None and _started(pid) == started:
            say(f"  menghentikan sisa proses sebelumnya: {pid_file.stem} (PID {pid})")
            _signal_group(pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while _started(pid) == started and time.monotonic() < deadline:
                time.sleep(0.2)
            _signal_group(pid, signal.SIGKILL)
        pid_file.unlink(missing_ok=True)


def wait_until(
    check: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    child: Managed | None = None,
    interval: float = 0.25,
) -> None:
    """Poll ``check`` until it returns True; fail early if ``child`` died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child is not None and not child.alive():
            raise StackError(
                f"{child.name} exited with code {child.popen.returncode} while waiting for "
                f"{what}; last log lines ({child.log_path}):\n{child.log_tail()}"
            )
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - any failure of a probe means "not ready yet"
            pass
        time.sleep(interval)
    tail = f"\nlast log lines ({child.log_path}):\n{child.log_tail()}" if child else ""
    raise StackError(f"timed out after {timeout:.0f}s waiting for {what}{tail}")
