"""Electronic signatures (issue 25): PDF/A-3b letters signed with PAdES by the local CA,
checked by poppler's ``pdfsig`` and ``pdffonts`` as well as by :mod:`alur.signature_check`.

Real tools only: letters rendered by WeasyPrint, signed by pyHanko with keys of a real
:class:`alur.pki.LocalCA` in a temporary directory, read back by poppler (Debian
``poppler-utils``, installed by ``stack/system.py``).
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from lxml import etree
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from alur import pki, settings, signature_check, signing
from alur.letters import render_letter, render_receipt
from features.support.tally import Tally
from features.unit.test_letter_kinds import letter
from features.unit.test_letters import RECEIPT

pytestmark = pytest.mark.platform

REPO = Path(__file__).resolve().parents[2]
RINI = signing.SignerIdentity(
    username="rini.kartika",
    name="Dr. Rini Kartika, S.Sos., M.Si.",
    position="a.n. Menteri Pendayagunaan Aparatur Negara\ndan Reformasi Birokrasi\n"
    "Deputi Bidang Kelembagaan dan Tata Laksana",
    nip="197203141998032001",
    agency="Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
)
REASON = "Surat Jawaban Konsultasi nomor B-215/D.KT/XII/2026"
XMP_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: `make install` installs it (stack/system.py)"
    return found


def run(*argv: str | Path) -> str:
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def pdfsig(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    """``pdfsig``'s lines about the file's only signature, as {label: value} (a line
    without a colon, e.g. "Total document signed", maps to itself)."""
    path = tmp_path / "pdfsig.pdf"
    path.write_bytes(pdf)
    out = run(tool("pdfsig"), path)
    assert out.count("Signature #") == 1, out
    lines: dict[str, str] = {}
    for line in out.splitlines():
        match = re.match(r"\s+- (.+?)(?:: (.*))?$", line)
        if match:
            lines[match[1]] = match[2] if match[2] is not None else match[1]
    return lines


def fonts_embedded(pdf: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    """(font name, emb column) of every font ``pdffonts`` lists."""
    path = tmp_path / "pdffonts.pdf"
    path.write_bytes(pdf)
    out = run(tool("pdffonts"), path)
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["name", "type"], out
    emb = lines[0].index("emb")
    return [(line.split()[0], line[emb : emb + 3]) for line in lines[2:] if line.strip()]


def pdfa_identification(pdf: bytes, tmp_path: Path) -> tuple[str | None, str | None]:
    """(pdfaid:part, pdfaid:conformance) of the XMP ``pdfinfo -meta`` prints (the latest
    revision's), as attributes or elements."""
    path = tmp_path / "meta.pdf"
    path.write_bytes(pdf)
    xmp = run(tool("pdfinfo"), "-meta", path)
    start, end = xmp.index("<x:xmpmeta"), xmp.rindex("</x:xmpmeta>") + len("</x:xmpmeta>")
    root = etree.fromstring(xmp[start:end].encode())

    def value(name: str) -> str | None:
        for description in root.iterfind(".//rdf:Description", XMP_NS):
            found = description.get(f"{{{XMP_NS['pdfaid']}}}{name}")
            if found is None:
                element = description.find(f"pdfaid:{name}", XMP_NS)
                found = element.text if element is not None else None
            if found is not None:
                return found
        return None

    return value("part"), value("conformance")


def producers(pdf: bytes, tmp_path: Path) -> tuple[str, str | None]:
    """The Info dictionary's Producer (``pdfinfo``) and the XMP's ``pdf:Producer``."""
    path = tmp_path / "producer.pdf"
    path.write_bytes(pdf)
    info = re.search(r"^Producer:\s+(.*)$", run(tool("pdfinfo"), path), re.MULTILINE)
    assert info, "no Producer in the Info dictionary"
    xmp = re.search(r'pdf:Producer(?:="([^"]*)"|>([^<]*)<)', run(tool("pdfinfo"), "-meta", path))
    return info[1].strip(), (xmp[1] or xmp[2]) if xmp else None


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    return render_letter(letter("konsultasi_jawaban"))


@pytest.fixture
def local(tmp_path: Path) -> signing.LocalSigning:
    made = signing.backend(
        replace(settings.load(REQUIRED), signer="lokal", signing_dir=tmp_path / "pki")
    )
    assert isinstance(made, signing.LocalSigning)
    return made


REQUIRED = {"ALUR_S3_ACCESS_KEY": "a", "ALUR_S3_SECRET_KEY": "b", "ALUR_SECRET_KEY": "c"}


def sign(backend: signing.SigningBackend, pdf: bytes, who: signing.SignerIdentity = RINI) -> bytes:
    return backend.sign(pdf, who, reason=REASON, location="Jakarta")


def test_a_signed_letter_is_valid_for_pdfsig_and_for_alur(
    local: signing.LocalSigning, unsigned: bytes, tmp_path: Path
) -> None:
    before = time.time()
    signed = sign(local, unsigned)
    after = time.time()
    assert signed.startswith(unsigned), "the signature is an incremental update"

    seen = pdfsig(signed, tmp_path)
    assert seen["Signature Validation"] == "Signature is Valid."
    assert "Total document signed" in seen
    assert seen["Signature Type"] == "ETSI.CAdES.detached"
    assert seen["Signing Hash Algorithm"] == "SHA-256"
    assert seen["Signer Certificate Common Name"] == RINI.name
    assert "serialNumber=197203141998032001" in seen["Signer full Distinguished Name"]
    # No NSS database holds the installation's root: pdfsig knows the chain, not whom to trust.
    assert seen["Certificate Validation"] == "Certificate issuer isn't Trusted."

    report = signature_check.check(signed, local.trust_roots())
    assert report.status == "sah", report.reason
    assert report.valid
    assert report.signer_name == RINI.name
    assert report.signed_at is not None
    assert before - 1 <= report.signed_at.timestamp() <= after + 1, "the machine's real time"
    assert report.signed_revision_sha256 == hashlib.sha256(signed).hexdigest()
    assert "sah" in report.reason and RINI.name in report.reason
    certificate = local.ca.credentials(RINI).certificate
    assert report.certificate_sha256 == certificate.fingerprint(hashes.SHA256()).hex()


def test_the_certificate_names_the_signer_and_chains_to_the_installations_root(
    local: signing.LocalSigning,
) -> None:
    credentials = local.ca.credentials(RINI)
    cert = credentials.certificate
    subject = {attribute.oid: attribute.value for attribute in cert.subject}
    assert subject[NameOID.COMMON_NAME] == RINI.name
    assert subject[NameOID.SERIAL_NUMBER] == RINI.nip
    assert subject[NameOID.ORGANIZATION_NAME] == RINI.agency
    assert subject[NameOID.TITLE] == " ".join(RINI.position.split())
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert cert.issuer == credentials.chain[0].subject == local.ca.root().subject
    cert.verify_directly_issued_by(local.ca.root())
    # Validity from the machine's clock, whatever today is.
    assert (
        cert.not_valid_before_utc.timestamp() <= time.time() < cert.not_valid_after_utc.timestamp()
    )

    directory = local.ca.directory
    assert (directory.stat().st_mode & 0o777) == 0o700
    assert (directory / pki.CA_KEY).stat().st_mode & 0o777 == 0o600
    signer_files = list((directory / pki.SIGNERS).iterdir())
    assert len(signer_files) == 1 and signer_files[0].stat().st_mode & 0o777 == 0o600


def test_one_byte_changed_inside_the_signed_range_is_caught_by_both(
    local: signing.LocalSigning, unsigned: bytes, tmp_path: Path
) -> None:
    signed = sign(local, unsigned)
    # The middle byte of the largest stream of the rendered letter (a font): inside the first
    # signed range, and the file still parses.
    streams = list(re.finditer(rb"(?<!end)stream\r?\n", unsigned))
    ends = [unsigned.index(b"endstream", m.end()) for m in streams]
    start, end = max(zip((m.end() for m in streams), ends, strict=True), key=lambda s: s[1] - s[0])
    changed = bytearray(signed)
    changed[(start + end) // 2] ^= 0x01

    seen = pdfsig(bytes(changed), tmp_path)
    assert seen["Signature Validation"] == "Digest Mismatch."

    report = signature_check.check(bytes(changed), local.trust_roots())
    assert report.status == "diubah", report.reason
    assert "diubah" in report.reason
    assert report.signer_name == RINI.name


def test_an_incremental_update_after_signing_is_content_added(
    local: signing.LocalSigning, unsigned: bytes, tmp_path: Path
) -> None:
    signed = sign(local, unsigned)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page_ref = writer.root["/Pages"]["/Kids"].raw_get(0)
    note = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.NumberObject(n) for n in (100, 100, 300, 130)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject("Nomor: B-999/PALSU"),
            generic.NameObject("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
        }
    )
    writer.register_annotation(page_ref, writer.add_object(note))
    out = io.BytesIO()
    writer.write(out)
    updated = out.getvalue()
    assert updated.startswith(signed)

    assert "Not total document signed" in pdfsig(updated, tmp_path)
    report = signature_check.check(updated, local.trust_roots())
    assert report.status == "diubah", report.reason
    assert "ada perubahan yang ditambahkan" in report.reason
    # What was signed can still be matched with the issued file.
    assert report.signed_revision_sha256 == hashlib.sha256(signed).hexdigest()


def test_a_letter_signed_under_another_ca_is_not_trusted(
    local: signing.LocalSigning, unsigned: bytes, tmp_path: Path
) -> None:
    other = signing.LocalSigning(pki.LocalCA(tmp_path / "lain"))
    signed = sign(other, unsigned)
    assert pdfsig(signed, tmp_path)["Signature Validation"] == "Signature is Valid."
    report = signature_check.check(signed, local.trust_roots())
    assert report.status == "tidak_sah", report.reason
    assert "tidak diterbitkan oleh otoritas sertifikat yang dipercaya" in report.reason
    assert signature_check.check(signed, other.trust_roots()).status == "sah"


@pytest.mark.hostile
def test_hostile_files_get_an_answer_never_an_exception(
    local: signing.LocalSigning, unsigned: bytes, tally: Tally
) -> None:
    signed = sign(local, unsigned)
    roots = local.trust_roots()
    tried: dict[str, bytes] = {
        "empty": b"",
        "garbage": bytes(range(256)) * 40,
        "text": b"Surat ini sah.",
        "pdf header only": b"%PDF-1.7\n%%EOF\n",
        "unsigned letter": unsigned,
        "signed, cut in half": signed[: len(signed) // 2],
        "signed, last 100 bytes cut": signed[:-100],
        "signed, signature contents zeroed": re.sub(
            rb"/Contents <([0-9A-Fa-f]{200,})>",
            lambda m: b"/Contents <" + b"0" * len(m[1]) + b">",
            signed,
        ),
        "signed, byte range widened": signed.replace(b"/ByteRange [0 ", b"/ByteRange [1 ", 1),
    }
    answers = {name: signature_check.check(data, roots) for name, data in tried.items()}
    refused = [name for name, report in answers.items() if report.status != "sah"]
    tally.add("inputs", expected=len(tried), found=len(refused))
    assert all(data != signed for data in tried.values())
    assert refused == list(tried)
    for name in ("empty", "garbage", "text", "pdf header only", "unsigned letter"):
        assert answers[name].status == "tanpa_tanda_tangan", (name, answers[name])
    assert answers["signed, signature contents zeroed"].status == "tidak_sah"
    for name in ("signed, cut in half", "signed, last 100 bytes cut"):
        assert answers[name].status in {"diubah", "tanpa_tanda_tangan"}, (name, answers[name])
    assert all(report.reason for report in answers.values())


def test_every_font_is_embedded_and_the_xmp_says_pdfa_3b_before_and_after_signing(
    local: signing.LocalSigning, unsigned: bytes, tmp_path: Path
) -> None:
    # The receipt uses the stylesheet's data: URI check-mark font, the letter Liberation.
    for document in (unsigned, render_receipt(RECEIPT)):
        for pdf in (document, sign(local, document)):
            fonts = fonts_embedded(pdf, tmp_path)
            assert fonts, "no font listed"
            assert all(emb == "yes" for _, emb in fonts), fonts
            assert pdfa_identification(pdf, tmp_path) == ("3", "B")
            info_producer, xmp_producer = producers(pdf, tmp_path)
            assert info_producer == xmp_producer, "PDF/A: Info and XMP agree"
    receipt_fonts = {
        name.split("+")[-1] for name, _ in fonts_embedded(render_receipt(RECEIPT), tmp_path)
    }
    assert "Alur-Centang" in receipt_fonts


def test_the_certificate_is_issued_again_when_the_position_changes(
    local: signing.LocalSigning, unsigned: bytes
) -> None:
    first = local.ca.credentials(RINI).certificate
    assert local.ca.credentials(RINI).certificate == first, "kept while nothing changed"
    moved = replace(RINI, position="Sekretaris Kementerian")
    second = local.ca.credentials(moved).certificate
    assert second.serial_number != first.serial_number
    assert second.subject.get_attributes_for_oid(NameOID.TITLE)[0].value == moved.position
    # A fresh LocalCA over the same directory (another process) finds the new certificate.
    assert pki.LocalCA(local.ca.directory).credentials(moved).certificate == second

    report = signature_check.check(sign(local, unsigned, moved), local.trust_roots())
    assert report.status == "sah"
    assert report.certificate_sha256 == second.fingerprint(hashes.SHA256()).hex()


def test_concurrent_first_uses_of_an_empty_directory_make_one_ca(tmp_path: Path) -> None:
    directory = tmp_path / "pki"
    go = tmp_path / "go"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from cryptography.hazmat.primitives import hashes\n"
        "from alur.pki import LocalCA\n"
        "Path(sys.argv[3]).touch()\n"
        "while not Path(sys.argv[2]).exists(): time.sleep(0.005)\n"
        "ca = LocalCA(Path(sys.argv[1]))\n"
        "created = ca.ensure()\n"
        "print(created, ca.root().fingerprint(hashes.SHA256()).hex())\n"
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(directory), str(go), str(tmp_path / f"siap-{n}")],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("siap-*"))) < len(children):  # all imported, all waiting
        assert time.monotonic() < deadline, "the children did not start"
        time.sleep(0.01)
    go.touch()
    answers = [child.communicate(timeout=120)[0].split() for child in children]
    assert all(child.returncode == 0 for child in children)
    assert sorted(created for created, _ in answers) == ["False", "False", "False", "True"]
    assert len({fingerprint for _, fingerprint in answers}) == 1
    assert sorted(p.name for p in directory.iterdir()) == [".lock", "ca.crt", "ca.key"]


def test_backend_follows_alur_signer_and_refuses_in_bahasa(tmp_path: Path) -> None:
    base = replace(settings.load(REQUIRED), signing_dir=tmp_path / "pki")
    assert signing.backend(base).kind == "lokal"
    with pytest.raises(signing.SigningError, match="tidak dikenal"):
        signing.backend(replace(base, signer="bsre"))
    with pytest.raises(signing.SigningError, match="ALUR_PKCS11_MODULE"):
        signing.backend(replace(base, signer="pkcs11"))
    with pytest.raises(signing.SigningError, match="bukan PDF"):
        signing.backend(base).sign(b"bukan pdf", RINI, reason="x", location="Jakarta")


def test_pki_init_is_idempotent(tmp_path: Path) -> None:
    env = {"ALUR_SIGNING_DIR": str(tmp_path / "pki"), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-m", "alur.cli", "pki", "init"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    assert runs[0].stdout.startswith("CA lokal dibuat di")
    assert runs[1].stdout.startswith("CA lokal sudah ada di")
    assert runs[0].stdout.split()[-1] == runs[1].stdout.split()[-1]  # the same fingerprint
