"""``python -m stack install [--test]``, ``python -m stack run`` and ``python -m stack sbom``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alur import settings as alur_settings
from stack import assets, exporter, local, system, zeebe
from stack.procs import StackError


def install(*, for_tests: bool) -> None:
    """Everything outside the Python environment: Debian packages, npm assets, Zeebe."""
    packages = system.RUN_PACKAGES + (system.TEST_PACKAGES if for_tests else ())
    system.ensure(packages, local.say)
    assets.ensure_assets(local.REPO, local.say)
    stack_settings = alur_settings.load_stack()
    # The tests also need every other pinned version: the engine benchmark measures each.
    wanted = {stack_settings.zeebe_version, *(zeebe.KNOWN_SHA256 if for_tests else ())}
    for version in sorted(wanted):
        home = zeebe.ensure_distribution(version, stack_settings.cache_dir)
        local.say(f"==> Zeebe {version} siap di {home}")
        jar = exporter.ensure_built(version, stack_settings.cache_dir, local.say)
        local.say(f"==> Exporter Alur untuk Zeebe {version} siap di {jar}")


def write_sbom(output: Path) -> int:
    """Write the SBOM, print the licence families; 1 if a licence is unknown or it is invalid."""
    # Imported here: their libraries come with the test extra, which `run` does not need.
    from stack import licences, sbom

    knowledge = licences.load_knowledge()
    found = sbom.build(local.REPO, knowledge)
    target = output if output.is_absolute() else local.REPO / output
    sbom.write(found, target)
    local.say(f"==> {len(found.components)} komponen ditulis ke {target}")
    print(sbom.summary(found.components, knowledge))
    for what in found.not_installed:
        print(f"!! not installed here, so not listed: {what}", file=sys.stderr)
    failures = licences.problems(found.components, knowledge) + sbom.schema_errors(found.document)
    for failure in failures:
        print(f"!! {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stack")
    commands = parser.add_subparsers(dest="command", required=True)
    install_cmd = commands.add_parser("install", help="install what the stack needs")
    install_cmd.add_argument("--test", action="store_true", help="also what the tests need")
    commands.add_parser("run", help="start the whole stack until Ctrl-C")
    sbom_cmd = commands.add_parser("sbom", help="write the CycloneDX SBOM with every licence")
    sbom_cmd.add_argument("--output", type=Path, default=Path("var/sbom/alur.cdx.json"))
    args = parser.parse_args(argv)
    try:
        if args.command == "install":
            install(for_tests=args.test)
            return 0
        if args.command == "sbom":
            return write_sbom(args.output)
        install(for_tests=False)
        return local.run()
    except StackError as exc:
        print(f"!! {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
