"""SOP 2: review of special e-government (SPBE) application proposals (seed 003, §2)."""

from __future__ import annotations

from alur.services import Requirement, Service
from alur.sop import DemoAccount, Role, Sop

SOP = Sop(
    number=2,
    agency="kemenpanrb",
    service=Service(
        code="pertimbangan-spbe",
        name="Pertimbangan Pembangunan Aplikasi Khusus SPBE",
        agency="kemenpanrb",
        summary="Pertimbangan Menteri PANRB atas pembangunan atau pengembangan aplikasi "
        "khusus SPBE.",
        time_limit="60 hari kerja sejak usulan lengkap dan benar diterima, di luar waktu "
        "validasi Tim Koordinasi SPBE Nasional.",
        bpmn_process_id="KemenPANRB_PertimbanganSPBE",
        intake_form_id="spbe-pertimbangan-permohonan",
        unit_code="kemenpanrb-kelembagaan",
        requirements=(
            Requirement("Surat usulan Menteri/Pimpinan Lembaga/Kepala Daerah", "proposalLetter"),
            Requirement(
                "Proposal dan data dukung: latar belakang dan urgensi, fungsi bisnis dan "
                "layanan, metodologi, kebutuhan data, teknologi, jadwal, sumber anggaran",
                "proposal",
            ),
        ),
    ),
    roles=(
        Role("kemenpanrb.menteri", "Menteri PANRB"),
        Role(
            "kemenpanrb.deputi",
            "Deputi Bidang Kelembagaan dan Tata Laksana",
            supervises=("kemenpanrb.asdep", "kemenpanrb.petugas"),
        ),
        Role("kemenpanrb.asdep", "Asisten Deputi dan Staf"),
        Role("spbe.tim_koordinasi", "Tim Koordinasi SPBE Nasional"),
    ),
    group_labels={"kemenpanrb": "Kementerian PANRB", "spbe": "Tim Koordinasi SPBE Nasional"},
    registers=("surat-keluar", "nota-dinas"),
    demo_accounts=(
        DemoAccount(
            "menteri.panrb",
            "Dr. Rahmat Hidayat",
            "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
            "kemenpanrb",
            ("kemenpanrb.menteri",),
            None,
        ),
        DemoAccount(
            "deputi.kelembagaan",
            "Dr. Sri Wahyuni, M.A.P.",
            "Deputi Bidang Kelembagaan dan Tata Laksana",
            "kemenpanrb-kelembagaan",
            ("kemenpanrb.deputi",),
            "196904231994032001",
        ),
        DemoAccount(
            "asdep.kelembagaan",
            "Yusuf Maulana, S.T., M.T.",
            "Asisten Deputi Transformasi Digital Pemerintahan",
            "kemenpanrb-kelembagaan",
            ("kemenpanrb.asdep",),
            "197805092003121001",
        ),
        DemoAccount(
            "tim.spbe",
            "Ratna Kusumawati, S.Kom., M.T.I.",
            "Sekretaris Tim Koordinasi SPBE Nasional",
            "spbe-tim-koordinasi",
            ("spbe.tim_koordinasi",),
            "198102172006042001",
        ),
        # One member of the team per member agency: each validates the proposal in their own
        # unit's inbox (issue 28).
        DemoAccount(
            "spbe.komdigi",
            "Arief Nugroho, S.T., M.Kom.",
            "Direktur Tata Kelola Pemerintah Digital, Kementerian Komunikasi dan Digital",
            "spbe-komdigi",
            ("spbe.tim_koordinasi",),
            "197706142002121003",
        ),
        DemoAccount(
            "spbe.bappenas",
            "Dr. Laksmi Prameswari, S.E., M.P.P.",
            "Direktur Aparatur Negara dan Transformasi Birokrasi, Kementerian PPN/Bappenas",
            "spbe-bappenas",
            ("spbe.tim_koordinasi",),
            "197911032005022001",
        ),
        DemoAccount(
            "spbe.kemenkeu",
            "Dimas Aryo Wibowo, S.Kom., M.M.",
            "Kepala Bidang Tata Kelola Teknologi Informasi, Pusat Sistem Informasi dan "
            "Teknologi Keuangan, Kementerian Keuangan",
            "spbe-kemenkeu",
            ("spbe.tim_koordinasi",),
            "198203252006021002",
        ),
        DemoAccount(
            "spbe.kemendagri",
            "Drs. Hasanuddin Lubis, M.Si.",
            "Kepala Pusat Data dan Sistem Informasi, Kementerian Dalam Negeri",
            "spbe-kemendagri",
            ("spbe.tim_koordinasi",),
            "196912081995031001",
        ),
        DemoAccount(
            "spbe.bssn",
            "Putri Andayani, S.S.T., M.T.",
            "Direktur Keamanan Siber dan Sandi Pemerintah Pusat, Badan Siber dan Sandi Negara",
            "spbe-bssn",
            ("spbe.tim_koordinasi",),
            "198405172008012002",
        ),
        DemoAccount(
            "spbe.brin",
            "Dr. Eng. Teguh Santoso, M.Eng.",
            "Peneliti Ahli Utama, Pusat Riset Sains Data dan Informasi, Badan Riset dan "
            "Inovasi Nasional",
            "spbe-brin",
            ("spbe.tim_koordinasi",),
            "197502112000031002",
        ),
    ),
)
