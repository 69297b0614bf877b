"""Electronic signatures on a PKCS#11 token (issue 25): the SoftHSM2 lane.

A real SoftHSM2 token (Debian ``softhsm2``, installed by ``stack/system.py``) is initialised
in a temporary directory; the signer's key pair is generated on the token and its
certificate, issued by a test CA, stored beside it under the label the convention of
:mod:`alur.signing` names (the signer's NIP). Letters are then signed through
``signing.backend(settings)`` with ``ALUR_SIGNER=pkcs11`` and checked by poppler's ``pdfsig``
and by :mod:`alur.signature_check`.

SoftHSM reads ``SOFTHSM2_CONF`` once, when a process first initialises the module, and
python-pkcs11 keeps the module loaded: every test here shares one token directory, set up
before the module is first loaded in this process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from alur import settings, signature_check, signing
from alur.letters import render_letter
from features.platform.test_signing import REQUIRED, pdfsig
from features.unit.test_letter_kinds import letter

pytestmark = pytest.mark.platform

#: Where Debian's softhsm2 puts its PKCS#11 module.
MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN = "alur-uji"
PIN = "246810"
SO_PIN = "13579135"
KASN = signing.SignerIdentity(
    username="agus.pramono",
    name="Agus Pramono, S.H., M.H.",
    position="Asisten Komisioner Bidang Pengawasan Pengisian Jabatan Pimpinan Tinggi",
    nip="198001102005011003",
    agency="Komisi Aparatur Sipil Negara",
)


@dataclass(frozen=True)
class Token:
    settings: settings.Settings
    ca: x509.Certificate
    directory: Path


def _ca() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA Uji PKCS#11 Alur")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _provision(
    label: str, who: signing.SignerIdentity, ca_key: rsa.RSAPrivateKey, ca: x509.Certificate
) -> None:
    """Generate ``who``'s key pair on the token under ``label``, and store beside it a
    certificate for it issued by ``ca`` (and ``ca``'s own certificate)."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass

    token = pkcs11.lib(MODULE).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        public, _private = session.generate_keypair(
            KeyType.RSA,
            2048,
            label=label,
            id=b"\x01",
            store=True,
            private_template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False},
        )
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
            int.from_bytes(public[Attribute.MODULUS], "big"),
        )
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name(
                    [
                        x509.NameAttribute(NameOID.COMMON_NAME, who.name),
                        x509.NameAttribute(NameOID.SERIAL_NUMBER, who.nip or who.username),
                        x509.NameAttribute(NameOID.TITLE, who.position),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, who.agency),
                    ]
                )
            )
            .issuer_name(ca.subject)
            .public_key(numbers.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=7))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                critical=True,
            )
            .sign(ca_key, hashes.SHA256())
        )
        for cert, cert_label, cert_id in ((certificate, label, b"\x01"), (ca, "CA Uji", b"\xca")):
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: cert_label,
                    Attribute.ID: cert_id,
                    Attribute.SUBJECT: cert.subject.public_bytes(),
                    Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                }
            )


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    util = shutil.which("softhsm2-util")
    assert util and Path(MODULE).exists(), (
        "SoftHSM2 is missing (softhsm2-util, " + MODULE + "): `make install` installs the"
        " Debian package softhsm2 (stack/system.py TEST_PACKAGES)"
    )
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {directory / 'tokens'}\n"
        "objectstore.backend = file\nlog.level = ERROR\n",
        encoding="utf-8",
    )
    before = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    try:
        subprocess.run(
            [util, "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN],
            check=True,
            capture_output=True,
            env={**os.environ, "SOFTHSM2_CONF": str(conf)},
        )
        ca_key, ca = _ca()
        _provision(KASN.nip or "", KASN, ca_key, ca)
        pin_file = directory / "pin"
        pin_file.write_text(PIN + "\n", encoding="utf-8")
        pin_file.chmod(0o600)
        configured = replace(
            settings.load(REQUIRED),
            signer="pkcs11",
            pkcs11_module=MODULE,
            pkcs11_token=TOKEN,
            pkcs11_pin_file=str(pin_file),
            signing_trust="",
        )
        yield Token(configured, ca, directory)
    finally:
        if before is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = before


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    return render_letter(letter("kasn_tanggapan"))


def test_a_letter_signed_on_the_token_is_valid_for_pdfsig_and_for_alur(
    token: Token, unsigned: bytes, tmp_path: Path
) -> None:
    backend = signing.backend(token.settings)
    assert backend.kind == "pkcs11"
    signed = backend.sign(unsigned, KASN, reason="Tanggapan KASN", location="Jakarta")
    assert signed.startswith(unsigned)

    seen = pdfsig(signed, tmp_path)
    assert seen["Signature Validation"] == "Signature is Valid."
    assert "Total document signed" in seen
    assert seen["Signer Certificate Common Name"] == KASN.name

    ca_der = token.ca.public_bytes(serialization.Encoding.DER)
    assert backend.trust_roots() == [ca_der], "the token's CA certificate"
    report = signature_check.check(signed, backend.trust_roots())
    assert report.status == "sah", report.reason
    assert report.signer_name == KASN.name

    # The same trust from ALUR_SIGNING_TRUST (a PEM file) instead of the token.
    pem = tmp_path / "ca.pem"
    pem.write_bytes(token.ca.public_bytes(serialization.Encoding.PEM))
    from_file = signing.backend(replace(token.settings, signing_trust=str(pem)))
    assert from_file.trust_roots() == [ca_der]
    assert signature_check.check(signed, from_file.trust_roots()).status == "sah"


def test_a_signer_without_a_key_on_the_token_is_refused_in_bahasa(
    token: Token, unsigned: bytes
) -> None:
    backend = signing.backend(token.settings)
    stranger = replace(KASN, username="budi", name="Budi Santoso", nip="199001012015011001")
    with pytest.raises(signing.SigningError) as refused:
        backend.sign(unsigned, stranger, reason="Tanggapan KASN", location="Jakarta")
    message = str(refused.value)
    assert "tidak memiliki kunci" in message
    assert "199001012015011001" in message and "Budi Santoso" in message
    # Without a NIP the label is the username.
    minister = replace(stranger, nip=None)
    with pytest.raises(signing.SigningError, match="label 'budi'"):
        backend.sign(unsigned, minister, reason="Tanggapan KASN", location="Jakarta")


def test_a_wrong_pin_or_token_is_named(token: Token, unsigned: bytes, tmp_path: Path) -> None:
    wrong = tmp_path / "pin"
    wrong.write_text("000000", encoding="utf-8")
    with pytest.raises(signing.SigningError, match="PIN token PKCS#11 'alur-uji' salah"):
        signing.backend(replace(token.settings, pkcs11_pin_file=str(wrong))).sign(
            unsigned, KASN, reason="x", location="Jakarta"
        )
    with pytest.raises(signing.SigningError, match="tidak ditemukan"):
        signing.backend(replace(token.settings, pkcs11_token="tidak-ada")).sign(
            unsigned, KASN, reason="x", location="Jakarta"
        )
    # The token still signs afterwards (nothing stayed logged in or locked).
    signed = signing.backend(token.settings).sign(unsigned, KASN, reason="x", location="Jakarta")
    roots = [token.ca.public_bytes(serialization.Encoding.DER)]
    assert signature_check.check(signed, roots).status == "sah"
