"""Staff roles: the lanes of the five SOPs, plus Alur's own administration.

A role code is what a diagram names in ``zeebe:assignmentDefinition candidateGroups``; the
label is what staff read.
"""

from __future__ import annotations

ROLES: dict[str, str] = {
    # SOP 1 and 2: Kementerian PANRB
    "kemenpanrb.petugas": "Petugas Layanan Konsultasi (Kementerian PANRB)",
    "kemenpanrb.pimpinan": "Pimpinan Pemberi Disposisi (Kementerian PANRB)",
    "kemenpanrb.menteri": "Menteri PANRB",
    "kemenpanrb.deputi": "Deputi Bidang Kelembagaan dan Tata Laksana",
    "kemenpanrb.asdep": "Asisten Deputi dan Staf",
    "spbe.tim_koordinasi": "Tim Koordinasi SPBE Nasional",
    # SOP 3: DPMPTSP
    "dpmptsp.front_office": "Front Office DPMPTSP",
    "dpmptsp.analis": "JFT Analis Kebijakan",
    "dpmptsp.kabid": "Kepala Bidang Pengaduan",
    "dpmptsp.sekretaris": "Sekretaris DPMPTSP",
    "dpmptsp.kadis": "Kepala Dinas DPMPTSP",
    # SOP 4: KASN
    "kasn.sekretariat": "Sekretariat KASN",
    "kasn.asisten": "Asisten KASN",
    "kasn.pimpinan": "Pimpinan KASN",
    # SOP 5: SP4N-LAPOR!
    "lapor.admin_nasional": "Admin Nasional SP4N-LAPOR!",
    "lapor.admin_instansi": "Admin Instansi",
    "lapor.admin_eselon1": "Admin Eselon 1",
    "lapor.admin_upt": "Admin UPT",
    # Alur itself
    "alur.pemilik_proses": "Pemilik Proses (penyunting diagram)",
    "alur.admin": "Administrator Alur",
}


def label(code: str) -> str:
    return ROLES.get(code, code)


#: Who supervises whom: a holder of the key role sees the team's tasks of the listed roles
#: in the same unit and may assign them to a member (the heads named in the SOPs).
SUPERVISES: dict[str, frozenset[str]] = {
    "kemenpanrb.pimpinan": frozenset({"kemenpanrb.petugas", "kemenpanrb.asdep"}),
    "kemenpanrb.deputi": frozenset({"kemenpanrb.asdep", "kemenpanrb.petugas"}),
    "dpmptsp.kadis": frozenset(
        {"dpmptsp.front_office", "dpmptsp.analis", "dpmptsp.kabid", "dpmptsp.sekretaris"}
    ),
    "dpmptsp.kabid": frozenset({"dpmptsp.front_office", "dpmptsp.analis"}),
    "kasn.pimpinan": frozenset({"kasn.sekretariat", "kasn.asisten"}),
    "lapor.admin_instansi": frozenset({"lapor.admin_instansi"}),
    "lapor.admin_eselon1": frozenset({"lapor.admin_eselon1"}),
}


def supervised(roles: set[str] | frozenset[str]) -> frozenset[str]:
    """The roles whose tasks a holder of ``roles`` may see as a team and assign."""
    found: set[str] = set()
    for role in roles:
        found |= SUPERVISES.get(role, frozenset())
    return frozenset(found)
