"""SOP 4: consultation on merit-system violations with KASN (seed 002, ``SOPS.md`` §4)."""

from __future__ import annotations

from alur.services import Requirement, Service
from alur.sop import DemoAccount, Role, Sop

SOP = Sop(
    number=4,
    agency="kasn",
    service=Service(
        code="konsultasi-kasn",
        name="Konsultasi Pelanggaran Sistem Merit",
        agency="kasn",
        summary="Konsultasi atas dugaan pelanggaran sistem merit dalam pengisian jabatan "
        "pimpinan tinggi.",
        time_limit="Tertulis: 1 minggu sejak konfirmasi diproses. Tatap muka: hari yang sama.",
        bpmn_process_id="KASN_KonsultasiMerit",
        intake_form_id="kasn-konsultasi-permohonan",
        unit_code="kasn",
        requirements=(
            Requirement("Identitas: nama, jabatan, instansi, kontak"),
            Requirement("Substansi permasalahan"),
        ),
    ),
    roles=(
        Role("kasn.sekretariat", "Sekretariat KASN"),
        Role("kasn.asisten", "Asisten KASN"),
        Role("kasn.pimpinan", "Pimpinan KASN", supervises=("kasn.sekretariat", "kasn.asisten")),
    ),
    group_labels={"kasn": "KASN"},
    registers=("surat-keluar",),
    demo_accounts=(
        DemoAccount(
            "sekretariat.kasn",
            "Lia Kurniawati, A.Md.",
            "Pengadministrasi Persuratan",
            "kasn",
            ("kasn.sekretariat",),
            "199411262019022006",
        ),
        DemoAccount(
            "asisten.kasn",
            "Dimas Ardiansyah, S.IP.",
            "Asisten Komisioner Bidang Pengawasan Pengisian JPT",
            "kasn",
            ("kasn.asisten",),
            "199001072015031002",
        ),
        DemoAccount(
            "pimpinan.kasn",
            "Prof. Dr. Hariyanto Wibowo",
            "Wakil Ketua KASN",
            "kasn",
            ("kasn.pimpinan",),
            None,
        ),
    ),
)
