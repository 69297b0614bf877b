"""The local certificate authority: the signer ``ALUR_SIGNER=lokal`` signs letters with.

For development, tests and demonstration (the README's *Electronic signatures and PDF/A*): a
letter it signs is cryptographically sound, but only a verifier that trusts this installation's
root (Alur's own verification page does) calls it trusted. An agency signs with its token or HSM
(:mod:`alur.signing`, ``pkcs11``) or a remote signing service instead.

Everything lives as files in one directory (``ALUR_SIGNING_DIR``, default ``var/pki``), mode
0700, never in the database or S3::

    ca.key                      the root's private key (PKCS#8 PEM, 0600)
    ca.crt                      the root certificate (PEM)
    penandatangan/<who>.pem     a signer's private key and certificate in one file (0600)
    .lock                       the lock every process takes before creating anything

The root is created once per installation, on first use or by ``python -m alur.cli pki
init`` (which ``make run`` runs): several worker processes may start at once, so creating
takes an exclusive ``flock`` on ``.lock`` and looks again before writing. A file appears
complete or not at all (written aside, then renamed), and the key before the certificate, so
a process that sees ``ca.crt`` can read ``ca.key``.

A signer's certificate (subject CN = name, cut to 64 bytes; serialNumber = NIP when there is
one; title = position on one line; O = the agency's name; C = ID; key usage digitalSignature
and nonRepudiation, no extended key usage, which verifiers such as NSS would also check) is
issued on first use and kept with its key in one file, so a key and its certificate are
always read together. It is issued again when it expires within :data:`RENEW_BEFORE` (or
has), when the signer's name, NIP, position or agency changed, or when it was not issued by
this root. Validity is computed from the machine's clock at issuance.

Keys are RSA 3072 (what Indonesian certification authorities and every PDF reader accept).
Loading an RSA key checks it, which costs half a second, so a loaded key stays in memory for
as long as its file is unchanged.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

if TYPE_CHECKING:
    from alur.signing import SignerIdentity

KEY_BITS = 3072
#: How long the root is valid: longer than any signer certificate it issues.
CA_VALIDITY = timedelta(days=20 * 365)
#: How long a signer's certificate is valid (never past the root's end).
SIGNER_VALIDITY = timedelta(days=2 * 365)
#: A certificate this close to its end is issued again before signing.
RENEW_BEFORE = timedelta(days=30)
#: Certificates start a little before they are made: a verifier's clock may be behind.
BACKDATE = timedelta(minutes=10)

CA_KEY = "ca.key"
CA_CERT = "ca.crt"
SIGNERS = "penandatangan"
LOCK = ".lock"

#: The Organization of the root: says plainly what kind of CA this is.
CA_ORGANIZATION = "Alur (otoritas sertifikat lokal, bukan PSrE)"


class PkiError(Exception):
    """The local certificate authority cannot be used; the message is in Bahasa Indonesia."""


@dataclass(frozen=True)
class Credentials:
    """What signs for one signer: the private key, the certificate, and the chain above it
    (the root), each certificate as the ``cryptography`` object."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def subject_of(who: SignerIdentity) -> x509.Name:
    """The subject a signer's certificate carries (CN cut to X.509's 64 bytes)."""
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, _cut(_one_line(who.name), 64))]
    if who.nip:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, who.nip.strip()))
    attributes.append(x509.NameAttribute(NameOID.TITLE, _one_line(who.position)))
    attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, _one_line(who.agency)))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"))
    return x509.Name(attributes)


class LocalCA:
    """The certificate authority kept in ``directory``; safe to share between threads."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._mutex = threading.Lock()
        self._root: tuple[int, x509.Certificate] | None = None
        self._loaded: dict[Path, tuple[tuple[int, int, int], Credentials]] = {}

    # -- the root ----------------------------------------------------------------------------

    def ensure(self) -> bool:
        """Create the root if this directory has none; True when this call created it."""
        if (self.directory / CA_CERT).exists():
            return False
        with self._locked():
            if (self.directory / CA_CERT).exists():
                return False
            self._create_root()
            return True

    def root(self) -> x509.Certificate:
        """The root certificate (created first if there is none)."""
        self.ensure()
        path = self.directory / CA_CERT
        try:
            stamp = path.stat().st_mtime_ns
            if self._root is None or self._root[0] != stamp:
                self._root = (stamp, x509.load_pem_x509_certificate(path.read_bytes()))
        except (OSError, ValueError) as error:
            raise PkiError(f"Sertifikat CA lokal di {path} tidak dapat dibaca: {error}") from error
        return self._root[1]

    def root_der(self) -> bytes:
        """The root certificate, DER: what a verifier of this installation's letters trusts."""
        return self.root().public_bytes(serialization.Encoding.DER)

    def _create_root(self) -> None:
        now = datetime.now(UTC)
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        name = x509.Name(
            [
                x509.NameAttribute(
                    NameOID.COMMON_NAME, f"CA Lokal Alur {secrets.token_hex(4).upper()}"
                ),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, CA_ORGANIZATION),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            ]
        )
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE)
            .not_valid_after(now + CA_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        os.chmod(self.directory, 0o700)  # also when it existed before: it will hold keys
        _write(self.directory / CA_KEY, _key_pem(key), mode=0o600)
        _write(
            self.directory / CA_CERT,
            certificate.public_bytes(serialization.Encoding.PEM),
            mode=0o644,
        )

    def _root_key(self) -> rsa.RSAPrivateKey:
        path = self.directory / CA_KEY
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError) as error:
            raise PkiError(f"Kunci CA lokal di {path} tidak dapat dibaca: {error}") from error
        if not isinstance(key, rsa.RSAPrivateKey):
            raise PkiError(f"Kunci CA lokal di {path} bukan kunci RSA.")
        return key

    # -- signers -----------------------------------------------------------------------------

    def credentials(self, who: SignerIdentity) -> Credentials:
        """The key and a current certificate of ``who``, issued now if needed (see the
        module's text for when a certificate is issued again)."""
        root = self.root()
        path = self.directory / SIGNERS / f"{_file_name(who.username)}.pem"
        wanted = subject_of(who)
        found = self._read_signer(path, root)
        if found is not None and _current(found, wanted, root):
            return found
        with self._locked():
            found = self._read_signer(path, root)
            if found is not None and _current(found, wanted, root):
                return found
            self._issue(path, wanted, root)
        issued = self._read_signer(path, root)
        if issued is None:
            raise PkiError(f"Sertifikat penanda tangan di {path} tidak dapat dibaca.")
        return issued

    def _read_signer(self, path: Path, root: x509.Certificate) -> Credentials | None:
        try:
            info = path.stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise PkiError(f"Berkas penanda tangan {path} tidak dapat dibaca: {error}") from error
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        with self._mutex:
            cached = self._loaded.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            data = path.read_bytes()
            key = serialization.load_pem_private_key(data, password=None)
            certificate = x509.load_pem_x509_certificate(data)
        except (OSError, ValueError):
            return None  # unreadable or damaged: issued again
        if not isinstance(key, rsa.RSAPrivateKey):
            return None
        found = Credentials(key=key, certificate=certificate, chain=(root,))
        with self._mutex:
            self._loaded[path] = (stamp, found)
        return found

    def _issue(self, path: Path, subject: x509.Name, root: x509.Certificate) -> None:
        ca_key = self._root_key()
        now = datetime.now(UTC)
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(root.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE)
            .not_valid_after(min(now + SIGNER_VALIDITY, root.not_valid_after_utc))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                _key_usage(digital_signature=True, content_commitment=True), critical=True
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(ca_key, hashes.SHA256())
        )
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write(path, _key_pem(key) + certificate.public_bytes(serialization.Encoding.PEM), 0o600)

    # -- the lock ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle = os.open(self.directory / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise PkiError(
                f"Direktori CA lokal {self.directory} tidak dapat dipakai: {error}"
                " (periksa ALUR_SIGNING_DIR dan haknya)."
            ) from error
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # closing releases the lock


def summary(ca: LocalCA, *, created: bool) -> str:
    """One line for the operator: where the root is, its name and fingerprint (Bahasa)."""
    root = ca.root()
    name = root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    fingerprint = root.fingerprint(hashes.SHA256()).hex()
    done = "dibuat" if created else "sudah ada"
    return f"CA lokal {done} di {ca.directory}: {name!s}, sidik SHA-256 {fingerprint}"


def _current(found: Credentials, wanted: x509.Name, root: x509.Certificate) -> bool:
    """Whether ``found`` may sign now for the signer ``wanted`` describes."""
    certificate = found.certificate
    now = datetime.now(UTC)
    if certificate.subject != wanted or certificate.issuer != root.subject:
        return False
    if not certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc - RENEW_BEFORE:
        return False
    try:
        certificate.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        return False  # issued by an earlier root of this directory
    return True


def _key_usage(
    *,
    digital_signature: bool = False,
    content_commitment: bool = False,
    key_cert_sign: bool = False,
    crl_sign: bool = False,
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` whole or not at all (beside it first, then renamed)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _file_name(username: str) -> str:
    """A file name for ``username``: readable, and distinct for distinct usernames."""
    readable = re.sub(r"[^a-z0-9._-]+", "_", username.lower()).strip("._")[:40] or "akun"
    return f"{readable}-{hashlib.sha256(username.encode()).hexdigest()[:12]}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, at a character boundary."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[:limit].decode(errors="ignore").rstrip()
