"""Electronic signatures (*tanda tangan elektronik*) of issued letters: PAdES, one interface.

A :class:`SigningBackend` turns a rendered letter (PDF/A-3b, :func:`alur.letters.render_pdf`)
into the same letter signed: a PAdES baseline signature (``ETSI.CAdES.detached``, SHA-256,
the signing time from the machine's clock and the signer's certificate chain embedded) added
as an incremental update, so the bytes that were rendered stay the first bytes of the signed
file and PDF/A conformance is kept (an invisible signature field with the print flag set; the
letter itself prints the visible electronic-signature block). :func:`backend` picks the
backend ``ALUR_SIGNER`` names; :mod:`alur.signature_check` verifies what they produce.

Backends:

``lokal`` (:class:`LocalSigning`)
    The installation's own certificate authority (:mod:`alur.pki`, files under
    ``ALUR_SIGNING_DIR``): a certificate per signer, issued on first use. For development,
    tests and demonstration.

``pkcs11`` (:class:`Pkcs11Signing`)
    A PKCS#11 token or HSM (``ALUR_PKCS11_MODULE``, ``ALUR_PKCS11_TOKEN``,
    ``ALUR_PKCS11_PIN_FILE``) through pyHanko's PKCS#11 signer. **Convention**: a signer's
    private key and certificate are the token objects whose label (``CKA_LABEL``) is the
    signer's NIP, or their username when they have no NIP (a Minister). The agency's
    administrator puts them there (key generated on the token, certificate from the agency's
    certification authority); the certificates of the CAs above it either are on the token
    too or are in ``ALUR_SIGNING_TRUST``. The PIN is read from a file, not from a variable:
    settings are handed to every child process (:func:`alur.settings.to_environ`) and shown
    by ``docker inspect``, a file (a Docker secret) is not.

A remote signing service (an agency signing through the national certification authority's
API) plugs in as a third class meeting :class:`SigningBackend`, and a branch of
:func:`backend` for its ``ALUR_SIGNER`` value. Which route depends on what the service does:

- It signs a **digest** (most CA signing APIs, and the Cloud Signature Consortium API): the
  backend's ``sign`` builds a subclass of ``pyhanko.sign.signers.Signer`` holding the
  signer's certificate (fetched from the service) and implementing ``async_sign_raw(data,
  digest_algorithm, dry_run=False)``: hash ``data`` (the DER of the CMS signed attributes)
  with ``digest_algorithm``, send it to the service, return the raw signature value it
  answers. It then calls :func:`pades` with that signer, exactly as the two backends here do.
  For the CSC API pyHanko already has that class (``pyhanko.sign.signers.csc_signer``). When
  the service answers later (the signer approves on a phone), pyHanko's interrupted signing
  does the same in two steps (``PdfSigner.digest_doc_for_signing``, then
  ``PdfTBSDocument.finish_signing`` with the signature).
- It signs a **whole PDF** (upload the file, download it signed): ``sign`` sends ``pdf`` and
  returns what comes back, after :func:`alur.signature_check.check` has found it ``sah``
  against the service's CA, so a letter is never issued with a signature nobody verified.

Either way ``trust_roots`` returns the national root (and intermediates) in DER, e.g. from
``ALUR_SIGNING_TRUST``. A backend is shared by the threads of a worker process: ``sign`` must
be safe to call from several at once, and is called from a plain thread (it runs pyHanko's
event loop itself, in a thread of its own when the caller already runs one).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15

from alur import pki
from alur.coroutines import run_coroutine
from alur.settings import Settings

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

#: The digest of every signature (PAdES baseline; pdfsig and every reader know it).
MD_ALGORITHM = "sha256"
#: Signature fields are named TandaTangan1, TandaTangan2... (the first one free).
FIELD_PREFIX = "TandaTangan"


class SigningError(Exception):
    """A letter cannot be signed; the message, in Bahasa Indonesia, tells an operator why
    (the token has no key for the signer, the PIN file is missing...)."""


@dataclass(frozen=True)
class SignerIdentity:
    """Who signs, from their staff account: ``agency`` is the agency's display name, the
    position may span lines (an "a.n." line first)."""

    username: str
    name: str
    position: str
    nip: str | None
    agency: str


class SigningBackend(Protocol):
    """What signs letters. ``kind`` is the ``ALUR_SIGNER`` value that selects it."""

    kind: str

    def sign(self, pdf: bytes, who: SignerIdentity, *, reason: str, location: str) -> bytes:
        """``pdf`` with a PAdES signature of ``who`` added (an incremental update).

        Raises:
            SigningError: with a Bahasa message for the operator.
        """
        ...

    def trust_roots(self) -> list[bytes]:
        """DER certificates a verifier of these letters trusts (the roots, or the CAs)."""
        ...


def backend(settings: Settings) -> SigningBackend:
    """The backend ``ALUR_SIGNER`` names. Nothing is opened or created yet: the local CA is
    created, or the token opened, when the first letter is signed.

    Raises:
        SigningError: an unknown ``ALUR_SIGNER``, or a PKCS#11 setting missing.
    """
    trust = Path(settings.signing_trust) if settings.signing_trust else None
    if settings.signer == LocalSigning.kind:
        return LocalSigning(pki.LocalCA(settings.signing_dir), trust_file=trust)
    if settings.signer == Pkcs11Signing.kind:
        missing = [
            name
            for name, value in (
                ("ALUR_PKCS11_MODULE", settings.pkcs11_module),
                ("ALUR_PKCS11_TOKEN", settings.pkcs11_token),
                ("ALUR_PKCS11_PIN_FILE", settings.pkcs11_pin_file),
            )
            if not value
        ]
        if missing:
            raise SigningError(
                "ALUR_SIGNER=pkcs11 membutuhkan pengaturan " + ", ".join(missing) + "."
            )
        return Pkcs11Signing(
            module=settings.pkcs11_module,
            token=settings.pkcs11_token,
            pin_file=Path(settings.pkcs11_pin_file),
            trust_file=trust,
        )
    raise SigningError(
        f"ALUR_SIGNER={settings.signer!r} tidak dikenal: pilih "
        f"{LocalSigning.kind} atau {Pkcs11Signing.kind}."
    )


# The PAdES step every backend shares ##############################################################


def pades(pdf: bytes, signer: signers.Signer, *, reason: str, location: str, name: str) -> bytes:
    """``pdf`` signed by ``signer`` (any pyHanko signer): a PAdES baseline signature in a new
    invisible signature field, added as an incremental update.

    Raises:
        SigningError: ``pdf`` is not a PDF pyHanko can update, or the signer failed.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError as PyHankoSigningError

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        taken = {field_name for field_name, _, _ in fields.enumerate_sig_fields(writer)}
    except (PdfError, ValueError, KeyError, TypeError) as error:
        raise SigningError(f"Berkas surat bukan PDF yang dapat ditandatangani: {error}") from error
    _align_producer(writer)
    number = 1
    while f"{FIELD_PREFIX}{number}" in taken:
        number += 1
    meta = signers.PdfSignatureMetadata(
        field_name=f"{FIELD_PREFIX}{number}",
        md_algorithm=MD_ALGORITHM,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=name,
    )
    pdf_signer = signers.PdfSigner(meta, signer)

    async def sign() -> bytes:
        out = await pdf_signer.async_sign_pdf(writer, output=io.BytesIO())
        return bytes(out.getvalue())

    try:
        return run_coroutine(sign)
    except (PyHankoSigningError, PdfError) as error:
        raise SigningError(f"Surat tidak dapat ditandatangani: {error}") from error


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Make the Info dictionary's /Producer what pyHanko writes as the XMP ``pdf:Producer``.

    pyHanko appends its name to the Info entry ("WeasyPrint 70.0; pyHanko 0.38.0") but sets the
    XMP one to its name alone; PDF/A wants every Info entry equal to its XMP counterpart, so
    the signed revision says "pyHanko 0.38.0" in both.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    reference = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if not isinstance(reference, generic.IndirectObject):
        return
    info = reference.get_object()
    if isinstance(info, generic.DictionaryObject):
        info["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(reference)


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def read_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate of the PEM file ``path`` (``ALUR_SIGNING_TRUST``).

    Raises:
        SigningError: the file cannot be read or holds no certificate.
    """
    try:
        found = x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError) as error:
        raise SigningError(
            f"Berkas sertifikat tepercaya {path} (ALUR_SIGNING_TRUST) tidak dapat dibaca: {error}"
        ) from error
    return found


def chain_of(
    certificate: x509.Certificate, candidates: Iterable[x509.Certificate]
) -> list[x509.Certificate]:
    """The certificates above ``certificate`` among ``candidates``, issuer first, up to a
    self-signed root or as far as ``candidates`` go."""
    pool = list(candidates)
    chain: list[x509.Certificate] = []
    current = certificate
    while current.issuer != current.subject and len(chain) < 8:
        issuer = next((c for c in pool if _issued(current, c) and c not in chain), None)
        if issuer is None:
            break
        chain.append(issuer)
        current = issuer
    return chain


def _issued(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    if certificate.issuer != issuer.subject:
        return False
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


# lokal ############################################################################################


_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


@lru_cache(maxsize=1)
def _key_signer_class() -> Callable[[pki.Credentials], signers.Signer]:
    """The pyHanko signer over a key already loaded in memory (a class made on first use, so
    importing this module does not import pyHanko, a second's work): pyHanko's
    ``SimpleSigner`` loads, and so checks, the RSA key again for every signature."""
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class KeySigner(signers.Signer):
        def __init__(self, credentials: pki.Credentials) -> None:
            self._key = credentials.key
            super().__init__(
                signing_cert=_asn1(credentials.certificate),
                cert_registry=SimpleCertificateStore.from_certs(
                    [_asn1(c) for c in credentials.chain]
                ),
                embed_roots=True,
            )

        async def async_sign_raw(
            self, data: bytes, digest_algorithm: str, dry_run: bool = False
        ) -> bytes:
            algorithm = _HASHES.get(digest_algorithm.lower())
            if algorithm is None:
                raise SigningError(f"Algoritma digest {digest_algorithm} tidak didukung.")
            return self._key.sign(data, PKCS1v15(), algorithm())

    return KeySigner


class LocalSigning:
    """Signs with certificates of the installation's own CA (:class:`alur.pki.LocalCA`)."""

    kind = "lokal"

    def __init__(self, ca: pki.LocalCA, *, trust_file: Path | None = None) -> None:
        self.ca = ca
        self.trust_file = trust_file

    def sign(self, pdf: bytes, who: SignerIdentity, *, reason: str, location: str) -> bytes:
        try:
            credentials = self.ca.credentials(who)
        except pki.PkiError as error:
            raise SigningError(str(error)) from error
        signer = _key_signer_class()(credentials)
        return pades(pdf, signer, reason=reason, location=location, name=who.name)

    def trust_roots(self) -> list[bytes]:
        """The certificates of ``ALUR_SIGNING_TRUST`` when set, else this CA's root."""
        if self.trust_file is not None:
            return [_der(c) for c in read_certificates(self.trust_file)]
        try:
            return [self.ca.root_der()]
        except pki.PkiError as error:
            raise SigningError(str(error)) from error


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


# pkcs11 ###########################################################################################


_LIBRARIES: dict[str, Any] = {}
_LIBRARIES_LOCK = threading.Lock()
#: One PKCS#11 session at a time in this process: a token's login belongs to the whole
#: process (a second ``C_Login`` is refused with "already logged in"), and closing the last
#: session logs out.
_TOKEN_LOCK = threading.Lock()


def _library(module: str) -> Any:
    """The PKCS#11 module at ``module``, loaded and initialised once per process (a second
    ``C_Initialize`` of the same module is refused)."""
    import pkcs11

    with _LIBRARIES_LOCK:
        if module not in _LIBRARIES:
            try:
                _LIBRARIES[module] = pkcs11.lib(module)
            except pkcs11.PKCS11Error as error:
                raise SigningError(
                    f"Modul PKCS#11 {module} (ALUR_PKCS11_MODULE) tidak dapat dimuat: {error}"
                ) from error
        return _LIBRARIES[module]


class Pkcs11Signing:
    """Signs with the signer's key on a PKCS#11 token, found by label = NIP (or username).

    One signature at a time per process (``_TOKEN_LOCK``); each opens its own session and
    logs in with the PIN read from the file then, so a PIN changed on the token and in the
    file needs no restart.
    """

    kind = "pkcs11"

    def __init__(
        self, *, module: str, token: str, pin_file: Path, trust_file: Path | None = None
    ) -> None:
        self.module = module
        self.token = token
        self.pin_file = pin_file
        self.trust_file = trust_file

    @staticmethod
    def label(who: SignerIdentity) -> str:
        """The label of ``who``'s key and certificate on the token: NIP, else username."""
        return (who.nip or "").strip() or who.username

    def sign(self, pdf: bytes, who: SignerIdentity, *, reason: str, location: str) -> bytes:
        import pkcs11
        from pyhanko.sign.pkcs11 import PKCS11Signer

        label = self.label(who)
        with _TOKEN_LOCK, self._session(login=True) as session:
            certificate = self._certificate(session, label)
            if certificate is None or not self._has_key(session, label):
                raise SigningError(
                    f"Token PKCS#11 '{self.token}' tidak memiliki kunci dan sertifikat untuk"
                    f" penanda tangan {who.name} (label '{label}': NIP, atau nama pengguna bila"
                    " tanpa NIP). Minta pengelola token memasangnya."
                )
            above = chain_of(certificate, self._authorities(session))
            signer = PKCS11Signer(
                session,
                cert_label=label,
                key_label=label,
                signing_cert=_asn1(certificate),
                ca_chain=[_asn1(c) for c in above],
            )
            try:
                return pades(pdf, signer, reason=reason, location=location, name=who.name)
            except pkcs11.PKCS11Error as error:
                raise SigningError(
                    f"Token PKCS#11 '{self.token}' menolak menandatangani untuk {who.name}:"
                    f" {error!r}"
                ) from error

    def trust_roots(self) -> list[bytes]:
        """The certificates of ``ALUR_SIGNING_TRUST`` when set, else the token's CA
        certificates (basic constraints CA)."""
        if self.trust_file is not None:
            return [_der(c) for c in read_certificates(self.trust_file)]
        with _TOKEN_LOCK, self._session(login=False) as session:
            found = [c for c in self._certificates(session) if _is_ca(c)]
        if not found:
            raise SigningError(
                f"Token PKCS#11 '{self.token}' tidak memuat sertifikat CA, dan ALUR_SIGNING_TRUST"
                " kosong: tidak ada yang dapat dipercaya untuk memeriksa tanda tangan."
            )
        return [_der(c) for c in found]

    # -- the token ---------------------------------------------------------------------------

    @contextmanager
    def _session(self, *, login: bool) -> Iterator[Any]:
        import pkcs11

        library = _library(self.module)
        try:
            token = library.get_token(token_label=self.token)
        except (pkcs11.NoSuchToken, pkcs11.MultipleTokensReturned) as error:
            raise SigningError(
                f"Token PKCS#11 berlabel '{self.token}' (ALUR_PKCS11_TOKEN) tidak ditemukan"
                f" satu-satunya di modul {self.module}."
            ) from error
        try:
            session = token.open(user_pin=self._pin()) if login else token.open()
        except pkcs11.PinIncorrect as error:
            raise SigningError(
                f"PIN token PKCS#11 '{self.token}' salah (berkas {self.pin_file})."
            ) from error
        except pkcs11.PKCS11Error as error:
            raise SigningError(
                f"Token PKCS#11 '{self.token}' tidak dapat dibuka: {error!r}"
            ) from error
        try:
            yield session
        finally:
            session.close()

    def _pin(self) -> str:
        try:
            pin = self.pin_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise SigningError(
                f"Berkas PIN token {self.pin_file} (ALUR_PKCS11_PIN_FILE) tidak dapat dibaca:"
                f" {error.strerror}."
            ) from error
        if not pin:
            raise SigningError(f"Berkas PIN token {self.pin_file} kosong.")
        return pin

    @staticmethod
    def _certificates(session: Any, label: str | None = None) -> list[x509.Certificate]:
        from pkcs11 import Attribute, ObjectClass

        query: dict[Any, Any] = {Attribute.CLASS: ObjectClass.CERTIFICATE}
        if label is not None:
            query[Attribute.LABEL] = label
        found = []
        for item in session.get_objects(query):
            try:
                found.append(x509.load_der_x509_certificate(bytes(item[Attribute.VALUE])))
            except ValueError:
                continue  # not an X.509 certificate
        return found

    def _certificate(self, session: Any, label: str) -> x509.Certificate | None:
        found = self._certificates(session, label)
        return found[0] if found else None

    def _authorities(self, session: Any) -> list[x509.Certificate]:
        above = [c for c in self._certificates(session) if _is_ca(c)]
        if self.trust_file is not None:
            above += read_certificates(self.trust_file)
        return above

    @staticmethod
    def _has_key(session: Any, label: str) -> bool:
        from pkcs11 import Attribute, ObjectClass

        query = {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: label}
        return any(True for _ in session.get_objects(query))


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return False
    return bool(constraints.value.ca)
