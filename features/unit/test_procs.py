"""The launcher's PID files: a leftover child is stopped even after it exec'd; nothing else is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from stack.procs import Supervisor, reap_stale, wait_until

# A shell that replaces itself with Python, as Zeebe's start script becomes java.
EXEC_SLEEPER = ["sh", "-c", f"exec {sys.executable} -c 'import time; time.sleep(600)'"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_a_leftover_child_is_stopped_though_its_command_line_changed(tmp_path: Path):
    abandoned = Supervisor(tmp_path / "logs", pid_dir=tmp_path / "run")
    child = abandoned.start("zeebe", EXEC_SLEEPER)
    wait_until(
        lambda: "sleep" in Path(f"/proc/{child.pid}/cmdline").read_text(),
        timeout=10,
        what="the exec",
    )
    said: list[str] = []
    reap_stale(tmp_path / "run", said.append)  # the next launcher, after a SIGKILL
    child.popen.wait(10)
    assert not _alive(child.pid)
    assert said == [f"  menghentikan sisa proses sebelumnya: zeebe (PID {child.pid})"]
    assert not list((tmp_path / "run").glob("*.pid"))


def test_a_recycled_pid_is_left_alone(tmp_path: Path):
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        run = tmp_path / "run"
        run.mkdir()
        # A PID file naming the bystander's PID, but recorded for a process started earlier.
        (run / "web.pid").write_text(json.dumps({"pid": bystander.pid, "started": 1}))
        said: list[str] = []
        reap_stale(run, said.append)
        assert said == []
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()
