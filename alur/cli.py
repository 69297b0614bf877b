"""``alur``: commands for operators and process owners."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from alur import lint, soptable
from alur import settings as alur_settings
from alur.deploys import deploy_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="alur", description="Alur: SOP layanan publik")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("deploy", help="deploy every diagram and form to Zeebe")
    lint_cmd = commands.add_parser("lint", help="periksa diagram BPMN (default: bpmn/*.bpmn)")
    lint_cmd.add_argument("paths", nargs="*", type=Path)
    sop_cmd = commands.add_parser("sop", help="cetak tabel SOP dari diagram (HTML, atau PDF)")
    sop_cmd.add_argument("path", type=Path)
    sop_cmd.add_argument("--pdf", type=Path, help="tulis PDF ke berkas ini")
    args = parser.parse_args(argv)
    if args.command == "lint":
        return run_lint(args.paths)
    if args.command == "sop":
        sop = soptable.table(args.path.read_bytes(), Path("forms"))
        if args.pdf:
            args.pdf.write_bytes(soptable.render_pdf(sop))
        else:
            print(soptable.render_html(sop))
        return 0
    settings = alur_settings.load()
    if args.command == "deploy":
        for item in deploy_all(settings, deployed_by=getpass.getuser()):
            print(f"{item.kind:7} {item.resource_id} versi {item.version}")
    return 0


def run_lint(paths: list[Path]) -> int:
    """Print every finding; exit 1 if there is any."""
    from workers.registry import lint_context  # the entry point may see every layer

    context = lint_context(Path("forms"))
    findings = lint.lint(paths or sorted(Path("bpmn").glob("*.bpmn")), context)
    for finding in findings:
        print(finding)
    print(f"{len(findings)} temuan." if findings else "Tidak ada temuan.")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
