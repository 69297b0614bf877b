"""SOP 3: information and complaint service of a DPMPTSP (seed 001, ``SOPS.md`` §3).

Many DPMPTSPs run it in one installation: the units that receive its cases (``layanan`` in the
agencies' data) each belong to their own agency, and the diagram's tasks name no agency, so
each case is registered, numbered and timed by its own agency (``workers.variables``).
"""

from __future__ import annotations

from alur.services import COMPLAINT_CHANNELS, ONLINE, Requirement, Service
from alur.sop import DemoAccount, Role, Sop

_STAFF = ("dpmptsp.front_office", "dpmptsp.analis")
#: The seed's channels other than the online form: the front office registers what comes in
#: person, by letter, through the complaint box, SMS, e-mail, telephone, SP4N-LAPOR! or other
#: electronic media.
_CHANNELS = tuple((code, label) for code, label in COMPLAINT_CHANNELS.items() if code != ONLINE[0])

SOP = Sop(
    number=3,
    agency="dpmptsp",
    service=Service(
        code="pengaduan-dpmptsp",
        name="Layanan Informasi dan Pengaduan",
        agency="dpmptsp",
        summary="Permintaan informasi dan pengaduan atas layanan perizinan dan penanaman modal.",
        time_limit="2 sampai 10 hari kerja sejak berkas dinyatakan lengkap.",
        bpmn_process_id="DPMPTSP_Pengaduan",
        intake_form_id="dpmptsp-pengaduan-permohonan",
        unit_code="dpmptsp-jatim",
        place="Surabaya",
        requirements=(
            Requirement("Formulir pengaduan"),
            Requirement("Surat pernyataan kebenaran pengaduan yang ditandatangani", "statement"),
            Requirement("Bukti pendukung", "evidence"),
        ),
        registrars=("dpmptsp.front_office",),
        channels=_CHANNELS,
    ),
    roles=(
        Role("dpmptsp.front_office", "Front Office DPMPTSP"),
        Role("dpmptsp.analis", "JFT Analis Kebijakan"),
        Role("dpmptsp.kabid", "Kepala Bidang Pengaduan", supervises=_STAFF),
        Role("dpmptsp.sekretaris", "Sekretaris DPMPTSP"),
        Role(
            "dpmptsp.kadis",
            "Kepala Dinas DPMPTSP",
            supervises=(*_STAFF, "dpmptsp.kabid", "dpmptsp.sekretaris"),
        ),
    ),
    group_labels={"dpmptsp": "DPMPTSP"},
    registers=("pengaduan", "surat-keluar", "berita-acara"),
    demo_accounts=(
        DemoAccount(
            "fo.dpmptsp",
            "Nur Aini",
            "Petugas Front Office",
            "dpmptsp-jatim",
            ("dpmptsp.front_office",),
            "199507302020122012",
        ),
        DemoAccount(
            "analis.dpmptsp",
            "Fajar Nugroho, S.H.",
            "Analis Kebijakan Ahli Muda",
            "dpmptsp-jatim",
            ("dpmptsp.analis",),
            "198909112014021003",
        ),
        DemoAccount(
            "kabid.dpmptsp",
            "Endang Susilowati, S.E., M.M.",
            "Kepala Bidang Pengaduan, Kebijakan dan Pelaporan Layanan",
            "dpmptsp-jatim",
            ("dpmptsp.kabid",),
            "197506182000032004",
        ),
        DemoAccount(
            "sekretaris.dpmptsp",
            "Joko Santoso, S.Sos., M.Si.",
            "Sekretaris Dinas",
            "dpmptsp-jatim",
            ("dpmptsp.sekretaris",),
            "197211041998031005",
        ),
        DemoAccount(
            "kadis.dpmptsp",
            "Ir. Bambang Wicaksono, M.T.",
            "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "dpmptsp-jatim",
            ("dpmptsp.kadis",),
            "196805201993031007",
        ),
        # Another DPMPTSP of the installation: it sees none of East Java's cases.
        DemoAccount(
            "fo.sleman",
            "Sri Wahyuni",
            "Petugas Front Office",
            "dpmptsp-sleman",
            ("dpmptsp.front_office",),
            "199201152019032008",
        ),
    ),
)
