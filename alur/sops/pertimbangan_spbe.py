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
    ),
)
