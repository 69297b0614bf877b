"""``python -m features.report``: run the fault and hostile-input suites, print one table.

Runs the tests marked ``faults`` or ``hostile`` (issue 14) on their own isolated stack, as
the README's test command does, with ``ALUR_FAULT_TALLY`` pointing at a scratch file the
tests' :mod:`features.support.tally` fills; then prints what was tried and what held. Exits
non-zero when pytest failed or a row does not pass. Extra arguments go to pytest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from features.support.tally import ROWS, TALLY_FILE

REPO = Path(__file__).resolve().parent.parent


def passes(rule: str, first: int, second: int) -> bool:
    return second == 0 if rule == "zero" else first == second and first > 0


def table(totals: dict[str, list[int]]) -> tuple[str, bool]:
    """The report's lines and whether every row passes."""
    lines = [f"{'':42} {'':>8} {'':>8}  result"]
    ok = True
    for row, (first_label, second_label, rule) in ROWS.items():
        first, second = totals.get(row, [0, 0])
        good = passes(rule, first, second)
        ok = ok and good
        label = f"{first_label} / {second_label}"
        lines.append(f"{label:42} {first:>8,} {second:>8,}  {'pass' if good else 'FAIL'}")
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    extra = sys.argv[1:] if argv is None else argv
    with tempfile.TemporaryDirectory(prefix="alur-report-") as scratch:
        target = Path(scratch) / "tally.json"
        env = {**os.environ, TALLY_FILE: str(target)}
        command = [sys.executable, "-m", "pytest", "-m", "faults or hostile", "-q", *extra]
        run = subprocess.run(command, cwd=REPO, env=env, check=False)
        if not target.exists():
            print("Tidak ada angka: pytest berhenti sebelum akhir sesi.", file=sys.stderr)
            return run.returncode or 1
        record = json.loads(target.read_text(encoding="utf-8"))
    text, ok = table(record["totals"])
    print()
    print("Faults and hostile input (issue 14)")
    print(text)
    return 0 if ok and run.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
