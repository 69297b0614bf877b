"""What poppler's ``pdfsig`` says of a signed PDF: a peer tool's view of our signatures."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PdfsigReport:
    output: str

    @property
    def valid(self) -> bool:
        """The signature matches the bytes it covers (whatever pdfsig thinks of the issuer)."""
        return "Signature Validation: Signature is Valid." in self.output

    @property
    def whole_document(self) -> bool:
        """Nothing was added after signing."""
        return "- Total document signed" in self.output

    @property
    def signer(self) -> str:
        for line in self.output.splitlines():
            if "Signer Certificate Common Name:" in line:
                return line.split(":", 1)[1].strip()
        return ""


def pdfsig(pdf: bytes) -> PdfsigReport:
    """Run ``pdfsig`` on ``pdf`` (it reads files only)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "surat.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(
            ["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False
        )
    return PdfsigReport(done.stdout + done.stderr)
