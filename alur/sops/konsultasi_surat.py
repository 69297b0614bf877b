"""SOP 1: consultation with the Ministry of PAN-RB by letter (seed 000, ``SOPS.md`` §1)."""

from __future__ import annotations

from alur.services import Requirement, Service
from alur.sop import DemoAccount, Role, Sop

SOP = Sop(
    number=1,
    agency="kemenpanrb",
    service=Service(
        code="konsultasi-kemenpanrb",
        name="Konsultasi melalui Surat",
        agency="kemenpanrb",
        summary="Konsultasi bidang kelembagaan, tata laksana, dan SPBE secara tatap muka "
        "atau daring.",
        time_limit="Surat jawaban paling lama 1 hari; konsultasi paling lama 3 hari.",
        bpmn_process_id="KemenPANRB_KonsultasiSurat",
        intake_form_id="kemenpanrb-konsultasi-permohonan",
        unit_code="kemenpanrb-kelembagaan",
        requirements=(
            Requirement("Identitas pemohon (perorangan, instansi, LSM, ormas, parpol, lainnya)"),
            Requirement("Nomor kontak dan alamat e-mail"),
            Requirement("Pokok permasalahan yang dikonsultasikan"),
            Requirement("Maksud dan tujuan konsultasi"),
            Requirement("Waktu yang dimohonkan"),
            Requirement("Salinan KTP/paspor yang masih berlaku", "identityDocument"),
        ),
        feedback=(
            "Surat kepada Sekretaris Kementerian PANRB, Jl. Jend. Sudirman Kav. 69, "
            "Jakarta Selatan 12190",
            "Telepon 021-7398381 atau 021-7398382; faksimile 021-5252720",
            "E-mail halomenpan@menpan.go.id",
            "SP4N-LAPOR!: www.lapor.go.id, SMS 1708, aplikasi SP4N-LAPOR!",
        ),
    ),
    roles=(
        Role("kemenpanrb.petugas", "Petugas Layanan Konsultasi (Kementerian PANRB)"),
        Role(
            "kemenpanrb.pimpinan",
            "Pimpinan Pemberi Disposisi (Kementerian PANRB)",
            supervises=("kemenpanrb.petugas", "kemenpanrb.asdep"),
        ),
    ),
    group_labels={"kemenpanrb": "Kementerian PANRB"},
    registers=("surat-masuk", "surat-keluar"),
    demo_accounts=(
        DemoAccount(
            "petugas.panrb",
            "Dewi Lestari, S.Sos.",
            "Analis Pelayanan Publik",
            "kemenpanrb-kelembagaan",
            ("kemenpanrb.petugas",),
            "199203152019032011",
        ),
        DemoAccount(
            "pimpinan.panrb",
            "Drs. Agus Prasetyo, M.Si.",
            "Sekretaris Deputi Bidang Kelembagaan dan Tata Laksana",
            "kemenpanrb-kelembagaan",
            ("kemenpanrb.pimpinan",),
            "197008121995031002",
        ),
    ),
)
