"""The public services Alur offers: one per SOP, with the seed's requirements checklist.

A service opens for online intake when its intake form is in ``forms/`` and its process is
deployed; until then its page shows the requirements and says intake is not open yet.
The intake form's keys ``applicantName``, ``applicantEmail`` and ``subject`` fill the case
record; every other key becomes a process variable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alur import forms


@dataclass(frozen=True)
class Requirement:
    """One line of the seed's requirements checklist, and the form field that meets it."""

    label: str
    field_key: str | None = None  # None: shown, met by the form as a whole
    required: bool = True


@dataclass(frozen=True)
class Service:
    code: str  # in URLs: /layanan/<code>
    name: str
    agency: str
    summary: str
    time_limit: str
    bpmn_process_id: str
    intake_form_id: str
    #: The unit that receives new cases (``unitCode`` of the first tasks); staff of units
    #: above it see them too. Codes match the units an administrator created (``/admin``).
    unit_code: str | None
    requirements: tuple[Requirement, ...] = field(default_factory=tuple)
    fee: str = "Tidak dipungut biaya"
    place: str = "Jakarta"
    #: Where complaints, suggestions and feedback about the service go (from the seed).
    feedback: tuple[str, ...] = ()


CATALOG: tuple[Service, ...] = (
    Service(
        code="konsultasi-kemenpanrb",
        name="Konsultasi melalui Surat",
        agency="Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
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
    Service(
        code="pertimbangan-spbe",
        name="Pertimbangan Pembangunan Aplikasi Khusus SPBE",
        agency="Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
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
    Service(
        code="pengaduan-dpmptsp",
        name="Layanan Informasi dan Pengaduan",
        agency="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
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
    ),
    Service(
        code="konsultasi-kasn",
        name="Konsultasi Pelanggaran Sistem Merit",
        agency="Komisi Aparatur Sipil Negara",
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
    Service(
        code="lapor",
        name="Pengaduan melalui SP4N-LAPOR!",
        agency="Biro Komunikasi dan Pelayanan Publik",
        summary="Laporan berupa permintaan informasi, aspirasi, atau pengaduan masyarakat.",
        time_limit="Laporan ditindaklanjuti berjenjang; ditutup otomatis 10 hari setelah dijawab.",
        bpmn_process_id="LAPOR_DisposisiPengaduan",
        intake_form_id="lapor-laporan",
        unit_code=None,
        requirements=(Requirement("Uraian laporan"),),
    ),
)


def by_code(services: tuple[Service, ...], code: str) -> Service | None:
    return next((service for service in services if service.code == code), None)


def by_process(services: tuple[Service, ...], process_id: str) -> Service | None:
    return next((s for s in services if s.bpmn_process_id == process_id), None)


def unmet(service: Service, form: forms.Form) -> list[str]:
    """How the intake form fails the service's requirements checklist (empty when it meets it).

    Each requirement naming a field needs that field in the form, required and unconditional,
    so an application cannot be submitted without it.
    """
    problems = []
    for requirement in service.requirements:
        if requirement.field_key is None:
            continue
        try:
            component = form.component(requirement.field_key)
        except KeyError:
            problems.append(f"{requirement.field_key}: not in intake form {form.id}")
            continue
        if requirement.required and (not component.required or component.conditional):
            problems.append(f"{requirement.field_key}: must be a required field of {form.id}")
    return problems


#: How a complaint reached the DPMPTSP (SOP 3's channels): form value -> what staff read.
COMPLAINT_CHANNELS: dict[str, str] = {
    "langsung": "Datang langsung",
    "surat": "Surat",
    "kotak": "Kotak pengaduan",
    "sms": "SMS",
    "email": "E-mail",
    "telepon": "Telepon",
    "lapor": "SP4N-LAPOR!",
    "daring": "Layanan daring Alur",
    "lainnya": "Media elektronik lain",
}
