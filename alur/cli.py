"""``alur``: commands for operators and process owners."""

from __future__ import annotations

import argparse
import getpass
import sys

from alur import settings as alur_settings
from alur.deploys import deploy_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="alur", description="Alur: SOP layanan publik")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("deploy", help="deploy every diagram and form to Zeebe")
    args = parser.parse_args(argv)
    settings = alur_settings.load()
    if args.command == "deploy":
        for item in deploy_all(settings, deployed_by=getpass.getuser()):
            print(f"{item.kind:7} {item.resource_id} versi {item.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
