"""SOP 4: consultation on merit-system violations with KASN (seed 002, ``SOPS.md`` §4).

The agency is data: the role codes ``kasn.*`` name functions of the working group that
supervises the filling of senior executive posts, and their labels name the function, not the
agency, so an installation may give the function to another agency (its letterhead and
registers come from the agency ``kasn`` of the agencies' data, ``deploy/agencies.toml``).
"""

from __future__ import annotations

from alur.services import Requirement, Service
from alur.sop import DemoAccount, Role, Sop

#: The applicant's ways in besides the online intake (``web.registration``): the code a
#: diagram's gateway reads in ``saluran``, and what staff read.
CHANNELS: tuple[tuple[str, str], ...] = (
    ("surat", "Surat"),
    ("email", "E-mail"),
    ("tatap_muka", "Datang ke kantor KASN"),
)

SOP = Sop(
    number=4,
    agency="kasn",
    service=Service(
        code="konsultasi-kasn",
        name="Konsultasi Pelanggaran Sistem Merit",
        agency="kasn",
        summary="Konsultasi atas dugaan pelanggaran sistem merit dalam pengisian jabatan "
        "pimpinan tinggi, secara tertulis (surat, e-mail, formulir daring) atau tatap muka.",
        time_limit="Tertulis: 1 minggu sejak konfirmasi bahwa permohonan diproses. "
        "Tatap muka: pada hari kedatangan.",
        bpmn_process_id="KASN_KonsultasiMerit",
        intake_form_id="kasn-konsultasi-permohonan",
        unit_code="kasn",
        requirements=(
            Requirement(
                "Identitas pemohon konsultasi: nama, keterangan jabatan, lembaga yang "
                "bersangkutan, dan kontak yang dapat dihubungi"
            ),
            Requirement("Informasi substansi permasalahan konsultasi", "matter"),
        ),
        feedback=(
            "Surat resmi kepada Ketua Komisi Aparatur Sipil Negara, Jl. Let. Jend. MT. Haryono "
            "Kav. 52-53 Pancoran, Kota Jakarta Selatan 12770",
            "Hotline telepon 021-7972098",
            "E-mail humas@kasn.go.id atau persuratan@kasn.go.id",
            "Website Lapor KASN: https://lapor.kasn.go.id/",
            "Website Whistle Blowing System KASN: https://wbs.kasn.go.id",
            "Saran dan masukan/apresiasi: Facebook KomisiASNResmi, Instagram kasn_ri, "
            "Twitter KASN_RI",
        ),
        # Letters and e-mails are registered by the secretariat, visitors by the reception.
        registrars=("kasn.sekretariat", "kasn.resepsionis"),
        channels=CHANNELS,
    ),
    roles=(
        Role("kasn.resepsionis", "Resepsionis (registrasi tamu konsultasi)"),
        Role("kasn.sekretariat", "Sekretariat (persuratan dan disposisi)"),
        Role(
            "kasn.pokja",
            "Ketua Kelompok Kerja Pengawasan Bidang Pengisian Jabatan Pimpinan Tinggi",
            supervises=("kasn.sekretariat", "kasn.asisten", "kasn.resepsionis"),
        ),
        Role("kasn.asisten", "Asisten (telaah dan tanggapan konsultasi)"),
        Role(
            "kasn.pimpinan",
            "Pimpinan (persetujuan tanggapan konsultasi)",
            supervises=("kasn.pokja", "kasn.sekretariat", "kasn.asisten", "kasn.resepsionis"),
        ),
    ),
    group_labels={"kasn": "KASN"},
    registers=("surat-masuk", "surat-keluar"),
    # In the order a written consultation meets them (README, "What runs today").
    demo_accounts=(
        DemoAccount(
            "resepsionis.kasn",
            "Nur Aini Rahmawati",
            "Pengadministrasi Umum (Resepsionis)",
            "kasn",
            ("kasn.resepsionis",),
            "199705142022032004",
        ),
        DemoAccount(
            "sekretariat.kasn",
            "Lia Kurniawati, A.Md.",
            "Pengadministrasi Persuratan",
            "kasn",
            ("kasn.sekretariat",),
            "199411262019022006",
        ),
        DemoAccount(
            "pokja.kasn",
            "Dr. Rahmat Santoso, M.P.A.",
            "Ketua Kelompok Kerja Pengawasan Bidang Pengisian Jabatan Pimpinan Tinggi",
            "kasn",
            ("kasn.pokja",),
            "197503212000031003",
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
