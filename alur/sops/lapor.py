"""SOP 5: complaint disposition through SP4N-LAPOR! (seed 004, ``SOPS.md`` §5)."""

from __future__ import annotations

from alur.services import Requirement, Service
from alur.sop import DemoAccount, Role, Sop

#: How a report reaches an agency straight, registered by its Admin Instansi on the reporter's
#: behalf (``web.registration``); the diagram sends such a report to the agency at once.
CHANNELS: tuple[tuple[str, str], ...] = (
    ("surat", "Surat"),
    ("sms", "SMS"),
    ("email", "E-mail"),
    ("telepon", "Telepon"),
    ("tatap_muka", "Datang langsung ke instansi"),
    ("media_sosial", "Media sosial instansi"),
)

SOP = Sop(
    number=5,
    agency="lapor",
    service=Service(
        code="lapor",
        name="Pengaduan melalui SP4N-LAPOR!",
        agency="lapor",
        summary="Laporan berupa permintaan informasi, aspirasi, atau pengaduan masyarakat.",
        time_limit="Laporan ditindaklanjuti berjenjang; ditutup otomatis 10 hari setelah dijawab.",
        bpmn_process_id="LAPOR_DisposisiPengaduan",
        intake_form_id="lapor-laporan",
        # The units connected to SP4N-LAPOR! receive reports (``layanan`` in the units' data):
        # the reporter addresses one of them, or the national manager when unsure.
        unit_code=None,
        requirements=(
            Requirement(
                "Kategori laporan: pengaduan, aspirasi, atau permintaan informasi", "category"
            ),
            Requirement("Uraian laporan: apa yang terjadi, di mana dan kapan", "matter"),
            Requirement("Bukti pendukung (jika ada)", "attachment", required=False),
        ),
        feedback=(
            "Laman www.lapor.go.id",
            "SMS 1708",
            "Aplikasi SP4N-LAPOR! (Android dan iOS)",
        ),
        registrars=("lapor.admin_instansi",),
        # *Anonim*: the reporter's name, e-mail and telephone reach no handling unit (issue 29).
        anonymous_key="anonymous",
        identity_keys=("applicantName", "applicantEmail", "applicantPhone"),
        # The public list of reports, with the follow-ups; *Rahasia* keeps a report off it.
        published_answer_key="jawabanSubstantif",
        confidential_key="confidential",
        # The complaint channel of SOPs 1-4: a report started from a case's tracking page.
        complaints_hub=True,
        channels=CHANNELS,
        # Admin Nasional -> Instansi -> Eselon 1 -> UPT, and back: a unit that disposed a
        # report away or returned it no longer opens it (issue 29).
        routed=True,
        # "Bukan kewenangan": Admin Instansi to Admin Nasional, Admin Eselon 1 to Admin Instansi.
        returns=(("wewenangInstansi", "tidak"), ("tindakLanjutEselon1", "kembalikan")),
    ),
    roles=(
        Role("lapor.admin_nasional", "Admin Nasional SP4N-LAPOR!", national=True),
        # Each admin follows the reports routed to a unit below theirs (issue 29: "or to a unit
        # below them"); a report returned above them, or sent to another agency, leaves them.
        Role(
            "lapor.admin_instansi",
            "Admin Instansi",
            supervises=("lapor.admin_instansi", "lapor.admin_eselon1", "lapor.admin_upt"),
        ),
        Role(
            "lapor.admin_eselon1",
            "Admin Eselon 1",
            supervises=("lapor.admin_eselon1", "lapor.admin_upt"),
        ),
        Role("lapor.admin_upt", "Admin UPT"),
    ),
    group_labels={"lapor": "SP4N-LAPOR!"},
    registers=("jawaban",),
    demo_accounts=(
        DemoAccount(
            "admin.lapor",
            "Wulan Septiani, S.Kom.",
            "Admin Nasional SP4N-LAPOR!",
            "lapor-nasional",
            ("lapor.admin_nasional",),
            "199309142018012001",
        ),
        DemoAccount(
            "admin.kemenkes",
            "Andi Saputra, S.I.Kom.",
            "Pranata Humas, Biro Komunikasi dan Pelayanan Publik",
            "kemenkes",
            ("lapor.admin_instansi",),
            "198706222010121002",
        ),
        DemoAccount(
            "admin.yankes",
            "Maya Anggraini, S.K.M.",
            "Pengelola Pengaduan, Sekretariat Ditjen Pelayanan Kesehatan",
            "kemenkes-yankes",
            ("lapor.admin_eselon1",),
            "199102032015032003",
        ),
        DemoAccount(
            "admin.sardjito",
            "Teguh Prasetya, S.Kep., Ns.",
            "Pengelola Pengaduan Masyarakat",
            "kemenkes-rsup-sardjito",
            ("lapor.admin_upt",),
            "198812152011011004",
        ),
    ),
)
