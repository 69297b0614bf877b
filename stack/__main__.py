"""``python -m stack install [--test]`` and ``python -m stack run``."""

from __future__ import annotations

import argparse
import sys

from alur import settings as alur_settings
from stack import assets, local, system, zeebe
from stack.procs import StackError


def install(*, for_tests: bool) -> None:
    """Everything outside the Python environment: Debian packages, npm assets, Zeebe."""
    packages = system.RUN_PACKAGES + (system.TEST_PACKAGES if for_tests else ())
    system.ensure(packages, local.say)
    assets.ensure_assets(local.REPO, local.say)
    stack_settings = alur_settings.load_stack()
    home = zeebe.ensure_distribution(stack_settings.zeebe_version, stack_settings.cache_dir)
    local.say(f"==> Zeebe {stack_settings.zeebe_version} siap di {home}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stack")
    commands = parser.add_subparsers(dest="command", required=True)
    install_cmd = commands.add_parser("install", help="install what the stack needs")
    install_cmd.add_argument("--test", action="store_true", help="also what the tests need")
    commands.add_parser("run", help="start the whole stack until Ctrl-C")
    args = parser.parse_args(argv)
    try:
        if args.command == "install":
            install(for_tests=args.test)
            return 0
        install(for_tests=False)
        return local.run()
    except StackError as exc:
        print(f"!! {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
