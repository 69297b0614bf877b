"""``alur``: commands for operators and process owners."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from alur import agency_file, lint, pki, soptable
from alur import settings as alur_settings
from alur.deploys import deploy_all
from storage.db import make_engine, make_sessionmaker


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="alur", description="Alur: SOP layanan publik")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("deploy", help="deploy every diagram and form to Zeebe")
    lint_cmd = commands.add_parser("lint", help="periksa diagram BPMN (default: bpmn/*.bpmn)")
    lint_cmd.add_argument("paths", nargs="*", type=Path)
    sop_cmd = commands.add_parser("sop", help="cetak tabel SOP dari diagram (HTML, atau PDF)")
    sop_cmd.add_argument("path", type=Path)
    sop_cmd.add_argument("--pdf", type=Path, help="tulis PDF ke berkas ini")
    agencies_cmd = commands.add_parser("agencies", help="data instansi (kop surat, register, unit)")
    agency_actions = agencies_cmd.add_subparsers(dest="action", required=True)
    load_cmd = agency_actions.add_parser(
        "load", help="muat instansi dari berkas TOML, mis. deploy/agencies.toml"
    )
    load_cmd.add_argument("path", type=Path)
    load_cmd.add_argument(
        "--hanya-baru",
        action="store_true",
        help="hanya tambahkan yang belum ada; yang sudah ada tidak diubah",
    )
    pki_cmd = commands.add_parser(
        "pki", help="otoritas sertifikat lokal untuk tanda tangan elektronik (ALUR_SIGNER=lokal)"
    )
    pki_actions = pki_cmd.add_subparsers(dest="action", required=True)
    pki_actions.add_parser(
        "init", help="buat CA lokal di ALUR_SIGNING_DIR bila belum ada (aman diulang)"
    )
    args = parser.parse_args(argv)
    if args.command == "pki":
        return init_pki(alur_settings.signing_directory())
    if args.command == "agencies":
        return load_agencies(args.path, only_new=args.hanya_baru)
    if args.command == "lint":
        return run_lint(args.paths)
    if args.command == "sop":
        sop = soptable.table(
            args.path.read_bytes(), Path("forms"), calendar_file=alur_settings.calendar_path()
        )
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


def load_agencies(path: Path, *, only_new: bool = False, database_url: str | None = None) -> int:
    """Load the agencies' file into the database (``ALUR_DATABASE_URL``); exit 1 on a refusal,
    which changes nothing."""
    try:
        data = agency_file.read(path)
    except (OSError, agency_file.AgencyFileError) as error:
        print(f"Berkas instansi ditolak: {error}", file=sys.stderr)
        return 1
    engine = make_engine(database_url or alur_settings.database_url())
    try:
        with make_sessionmaker(engine)() as session:
            report = agency_file.load(session, data, f"berkas:{path}", only_new=only_new)
    except agency_file.AgencyFileError as error:
        print(f"Berkas instansi ditolak: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    for line in report.lines():
        print(line)
    return 0


def init_pki(directory: Path) -> int:
    """Create the local certificate authority in ``directory`` unless it has one; exit 1 when
    the directory cannot be used."""
    ca = pki.LocalCA(directory)
    try:
        print(pki.summary(ca, created=ca.ensure()))
    except pki.PkiError as error:
        print(f"CA lokal tidak dapat disiapkan: {error}", file=sys.stderr)
        return 1
    return 0


def run_lint(paths: list[Path]) -> int:
    """Print every finding; exit 1 if there is any."""
    context = lint.default_context(Path("forms"))
    findings = lint.lint(paths or sorted(Path("bpmn").glob("*.bpmn")), context)
    for finding in findings:
        print(finding)
    print(f"{len(findings)} temuan." if findings else "Tidak ada temuan.")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
