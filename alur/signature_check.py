"""Is this PDF a letter signed as :mod:`alur.signing` signs, and unchanged since? (pyHanko)

:func:`check` answers with a :class:`SignatureReport` whose ``status`` is one of:

``sah``
    Every signature is intact and valid, its certificate chains to one of the trusted roots,
    and the last signature covers the whole file.
``diubah``
    Bytes inside a signed range changed (the digest no longer matches), or something was
    appended after the last signature (a PDF may grow by incremental updates; a letter Alur
    issued never does), or an earlier signature is followed by changes beyond another
    signature, or the file is damaged where a signature was.
``tidak_sah``
    The signature is cryptographically sound but its certificate does not chain to a trusted
    root (a different CA), or the signature itself is broken (wrong key, malformed).
``tanpa_tanda_tangan``
    Not a readable PDF, or a PDF without any signature.

The certificate is checked at the signing time the signature claims (``/M``): letters are
kept for years, longer than a signer's certificate lives, and Alur has no time-stamping
authority to prove that time. That proof is the match of ``signed_revision_sha256`` with the
letter Alur recorded when it issued it (the verification page looks it up). Revocation is not
checked (the local CA publishes no list; a national CA's would need the network).

:func:`check` never raises on hostile input (garbage, a truncated or crafted PDF): whatever
the parser throws becomes a report.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from alur.coroutines import run_coroutine
from alur.dates import DEFAULT_TZ, show_datetime

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

log = logging.getLogger(__name__)

Status = Literal["sah", "diubah", "tidak_sah", "tanpa_tanda_tangan"]

#: A signature dictionary as it appears in the bytes: enough to tell "damaged where it was
#: signed" from "never signed" when the file no longer parses.
_RAW_SIGNATURE = re.compile(rb"/ByteRange\s*\[\s*\d+\s+\d+\s+\d+\s+\d+\s*\]")


@dataclass(frozen=True)
class SignatureReport:
    """What :func:`check` found, for the verification page.

    ``signer_name`` is the certificate's CN, ``signed_at`` the signing time the signature
    claims (aware), ``signed_revision_sha256`` the SHA-256 (hex) of the file up to the end of
    the signature's byte range (the issued file, for the last signature of an unchanged
    letter), ``certificate_sha256`` that of the signer's certificate (DER). ``reason`` is one
    Bahasa sentence for the page. The fields other than ``status`` and ``reason`` are ``None``
    when there is no signature to read them from.
    """

    status: Status
    reason: str
    signer_name: str | None = None
    signed_at: datetime | None = None
    signed_revision_sha256: str | None = None
    certificate_sha256: str | None = None

    @property
    def valid(self) -> bool:
        return self.status == "sah"


def check(pdf: bytes, trust_roots: list[bytes]) -> SignatureReport:
    """Verify every signature of ``pdf`` against ``trust_roots`` (DER certificates)."""
    try:
        return _check(pdf, trust_roots)
    except Exception as error:  # noqa: BLE001 - hostile input: any parser error is an answer
        log.info("signature check failed on hostile input: %r", error)
        if _RAW_SIGNATURE.search(pdf):
            return SignatureReport(
                status="diubah",
                reason="Berkas ini memuat tanda tangan elektronik, tetapi strukturnya rusak:"
                " berkas telah diubah setelah ditandatangani.",
            )
        return SignatureReport(
            status="tanpa_tanda_tangan",
            reason="Berkas ini bukan PDF yang dapat dibaca.",
        )


def _check(pdf: bytes, trust_roots: list[bytes]) -> SignatureReport:
    # pyHanko is imported on first use: a second's work the web app need not pay at start.
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not pdf.lstrip()[:5].startswith(b"%PDF-"):
        return SignatureReport(status="tanpa_tanda_tangan", reason="Berkas ini bukan berkas PDF.")
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    try:
        embedded = list(reader.embedded_regular_signatures)
    except Exception as error:  # noqa: BLE001 - a signature dictionary that cannot be read
        log.info("unreadable signature: %r", error)
        return _broken()
    if not embedded:
        if _RAW_SIGNATURE.search(pdf):
            return SignatureReport(
                status="diubah",
                reason="Berkas ini pernah memuat tanda tangan elektronik yang kini tidak dapat"
                " dibaca: berkas telah diubah setelah ditandatangani.",
            )
        return SignatureReport(
            status="tanpa_tanda_tangan",
            reason="PDF ini tidak memuat tanda tangan elektronik.",
        )
    roots = [asn1_x509.Certificate.load(der) for der in trust_roots]
    reports = []
    for number, signature in enumerate(embedded, start=1):
        try:
            reports.append(_one(pdf, signature, roots, last=number == len(embedded)))
        except Exception as error:  # noqa: BLE001 - a signature pyHanko cannot evaluate
            log.info("signature %d cannot be evaluated: %r", number, error)
            reports.append(_broken())
    # The first problem decides; an unchanged letter is reported by its last signature.
    return next((r for r in reports if r.status != "sah"), reports[-1])


def _broken() -> SignatureReport:
    return SignatureReport(
        status="tidak_sah",
        reason="Tanda tangan elektronik pada berkas ini rusak: isinya tidak dapat dibaca"
        " sebagai tanda tangan.",
    )


def _one(
    pdf: bytes, signature: EmbeddedPdfSignature, roots: list[Any], *, last: bool
) -> SignatureReport:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    claimed = signature.self_reported_timestamp
    context = ValidationContext(
        trust_roots=roots,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=claimed if claimed is not None and claimed <= datetime.now(UTC) else None,
    )
    status = run_coroutine(
        lambda: async_validate_pdf_signature(signature, signer_validation_context=context)
    )
    certificate = signature.signer_cert
    name = _common_name(certificate)
    start, length = int(signature.byte_range[2]), int(signature.byte_range[3])
    facts: dict[str, Any] = {
        "signer_name": name,
        "signed_at": status.signer_reported_dt,
        "signed_revision_sha256": hashlib.sha256(pdf[: start + length]).hexdigest(),
        "certificate_sha256": hashlib.sha256(certificate.dump()).hexdigest(),
    }
    who = name or "penanda tangan yang tidak bernama"
    if not status.intact:
        return SignatureReport(
            status="diubah",
            reason=f"Isi surat telah diubah setelah ditandatangani oleh {who}: sidiknya tidak"
            " lagi cocok dengan tanda tangan elektronik.",
            **facts,
        )
    if last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureReport(
            status="diubah",
            reason=f"Setelah {who} menandatangani surat ini, ada perubahan yang ditambahkan"
            " pada berkasnya.",
            **facts,
        )
    level = status.modification_level
    if not last and (
        status.coverage != SignatureCoverageLevel.ENTIRE_REVISION
        or level is None
        or level > ModificationLevel.FORM_FILLING
    ):
        return SignatureReport(
            status="diubah",
            reason=f"Surat diubah setelah ditandatangani oleh {who}, di luar penambahan"
            " tanda tangan berikutnya.",
            **facts,
        )
    if not status.valid:
        return SignatureReport(
            status="tidak_sah",
            reason=f"Tanda tangan elektronik {who} rusak: tidak dapat dibuktikan dengan"
            " sertifikatnya.",
            **facts,
        )
    if not status.trusted:
        return SignatureReport(
            status="tidak_sah",
            reason=f"Sertifikat {who} tidak diterbitkan oleh otoritas sertifikat yang"
            " dipercaya instansi ini.",
            **facts,
        )
    when = status.signer_reported_dt
    at = f" pada {show_datetime(when, DEFAULT_TZ)}" if when is not None else ""
    return SignatureReport(
        status="sah",
        reason=f"Tanda tangan elektronik sah: ditandatangani oleh {who}{at}, dan surat tidak"
        " diubah sejak itu.",
        **facts,
    )


def _common_name(certificate: asn1_x509.Certificate) -> str | None:
    value = certificate.subject.native.get("common_name")
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value else None
