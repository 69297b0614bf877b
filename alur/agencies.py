"""The agencies whose letters Alur issues: letterhead, place of signing, time zone.

An installation edits these to its own letterhead; the codes match ``alur.numbering`` and the
``instansi`` header of the diagrams' letter tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

from alur.letters import Letterhead


@dataclass(frozen=True)
class Agency:
    code: str
    letterhead: Letterhead
    place: str
    timezone: str = "Asia/Jakarta"


AGENCIES: tuple[Agency, ...] = (
    Agency(
        "kemenpanrb",
        Letterhead(
            name="Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            units=("Republik Indonesia",),
            address="Jalan Jenderal Sudirman Kav. 69, Jakarta Selatan 12190",
            contact="Telepon (021) 7398381 · Laman www.menpan.go.id",
        ),
        "Jakarta",
    ),
    Agency(
        "dpmptsp",
        Letterhead(
            name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            parent="Pemerintah Provinsi Jawa Timur",
            address="Jalan Pahlawan No. 116, Surabaya 60174",
            contact="Telepon (031) 3520041 · Laman dpmptsp.jatimprov.go.id",
        ),
        "Surabaya",
    ),
    Agency(
        "kasn",
        Letterhead(
            name="Komisi Aparatur Sipil Negara",
            units=("Republik Indonesia",),
            address="Jalan Letjen M.T. Haryono Kav. 52-53, Jakarta Selatan 12770",
            contact="Laman www.kasn.go.id",
        ),
        "Jakarta",
    ),
    Agency(
        "lapor",
        Letterhead(
            name="Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            units=("Pengelola Nasional SP4N-LAPOR!",),
            address="Jalan Jenderal Sudirman Kav. 69, Jakarta Selatan 12190",
            contact="Laman www.lapor.go.id · SMS 1708",
        ),
        "Jakarta",
    ),
)


def agency(code: str) -> Agency:
    for item in AGENCIES:
        if item.code == code:
            return item
    raise KeyError(f"unknown agency {code!r}")
