"""The official products of the five SOPs, as data: the letter kinds, the case data fields
they take with their checks, the vocabularies of coded fields, and the titles of the other
documents a case holds.

The machinery these are made of (:class:`~alur.letter_parts.LetterKind`, the field checks)
is in :mod:`alur.letter_parts`; a letter of one of these kinds is built and rendered by
:mod:`alur.letters`. Each kind's template is ``templates/letters/<template>``.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING

from alur.dates import DEFAULT_TZ, local_date
from alur.letter_parts import (
    Check,
    LetterKind,
    choice,
    day,
    days,
    flag,
    items,
    moment,
    paragraphs,
    signer,
    text,
    zone,
)

if TYPE_CHECKING:
    from alur.letters import Letter

#: Codes of ``fields["topic"]`` (SOP 1) → the words printed.
TOPICS = {
    "kelembagaan": "kelembagaan",
    "tata_laksana": "tata laksana",
    "spbe": "Sistem Pemerintahan Berbasis Elektronik (SPBE)",
}
#: Codes of ``fields["mode"]``: how the consultation is held (SOP 1, step 3).
MODES = {"tatap_muka": "tatap muka", "daring": "daring (dalam jaringan)"}
#: Codes of ``fields["recommendation"]`` (SOP 2): the Minister's consideration.
RECOMMENDATIONS = {
    "direkomendasikan": "DIREKOMENDASIKAN",
    "direkomendasikan dengan catatan": "DIREKOMENDASIKAN DENGAN CATATAN",
    "tidak direkomendasikan": "TIDAK DIREKOMENDASIKAN",
}
#: Codes of ``fields["category"]``: the three kinds of SP4N-LAPOR! report (SOP 5).
REPORT_CATEGORIES = {
    "pengaduan": "Pengaduan",
    "aspirasi": "Aspirasi",
    "permintaan_informasi": "Permintaan Informasi",
}
#: The vocabularies by the name the letter templates know them by.
VOCABULARIES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "topics": TOPICS,
        "modes": MODES,
        "recommendations": RECOMMENDATIONS,
        "categories": REPORT_CATEGORIES,
    }
)
#: Who initials the settlement minutes before they are signed (SOP 3, steps 6 and 7).
DEFAULT_INITIALS = (
    "Kepala Bidang Pengaduan, Kebijakan dan Pelaporan Layanan",
    "Sekretaris Dinas",
)

#: Every key a letter's ``fields`` may hold, with its check. Kinds pick from these.
FIELDS: Mapping[str, Check] = MappingProxyType(
    {
        # The applicant's letter (or e-mail) being answered.
        "request_number": text,
        "request_date": day,
        # Consultations (SOP 1 at KemenPAN-RB, SOP 4 at KASN).
        "topic": choice(TOPICS),
        "matter": paragraphs,  # the consultation matter as the applicant put it
        "mode": choice(MODES),
        "schedule": moment,  # when the consultation is held
        "timezone": zone,  # the zone the schedule is printed in (WIB, WITA, WIT)
        "venue": text,  # room and address (tatap muka), meeting link (daring), minutes' place
        "contact_name": text,  # the officer the applicant contacts
        "contact": text,  # their phone and/or e-mail
        "reason": paragraphs,  # why a request is refused or cannot be processed
        "advice": paragraphs,  # what the applicant can do instead
        "response": paragraphs,  # KASN's analysis and answer
        "legal_basis": items,  # regulations cited, one per entry
        "attendees": items,  # who attended a face-to-face consultation, one per entry
        "result": paragraphs,  # what a face-to-face consultation concluded
        # Complaints (SOP 3 at the DPMPTSP).
        "register_number": text,  # the entry in the Buku Register Pengaduan
        "received_on": day,
        "channel": text,  # how it came in: "surat", "SP4N-LAPOR!", ...
        "summary": paragraphs,
        "answer": paragraphs,
        "settlement": paragraphs,  # what both sides agreed
        "officer": signer,  # the DPMPTSP officer who signs the minutes with the complainant
        "initials": items,  # positions that initial the minutes, lowest first
        # Special SPBE applications (SOP 2).
        "proposal_number": text,
        "proposal_date": day,
        "institution": text,  # the proposing ministry, agency or regional government
        "application": text,  # the application's name
        "review_summary": paragraphs,
        "recommendation": choice(RECOMMENDATIONS),
        "notes": items,  # conditions or reasons attached to the recommendation
        "meetings": items,  # the meetings and technical discussions held
        "meeting_date": day,  # the meeting with the coordination team whose results wait
        # SP4N-LAPOR! (SOP 5).
        "tracking_id": text,
        "category": choice(REPORT_CATEGORIES),
        "submitted_on": day,
        "unit": text,  # the unit that gave the substantive answer
        "anonymous": flag,  # the reporter's identity is hidden: no name or address printed
        "close_after_days": days,  # the system closes the report this long after the answer
    }
)

#: Each key of :data:`FIELDS` as a civil servant reads it (what changed between two drafts).
FIELD_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "request_number": "Nomor surat permohonan",
        "request_date": "Tanggal surat permohonan",
        "topic": "Topik konsultasi",
        "matter": "Pokok konsultasi",
        "mode": "Cara konsultasi",
        "schedule": "Jadwal",
        "timezone": "Zona waktu",
        "venue": "Tempat",
        "contact_name": "Narahubung",
        "contact": "Kontak narahubung",
        "reason": "Alasan",
        "advice": "Saran",
        "response": "Tanggapan",
        "legal_basis": "Dasar hukum",
        "attendees": "Yang hadir",
        "result": "Hasil konsultasi",
        "register_number": "Nomor register pengaduan",
        "received_on": "Tanggal diterima",
        "channel": "Saluran",
        "summary": "Ringkasan",
        "answer": "Jawaban",
        "settlement": "Kesepakatan penyelesaian",
        "officer": "Petugas yang menandatangani",
        "initials": "Jabatan pemberi paraf",
        "proposal_number": "Nomor surat usulan",
        "proposal_date": "Tanggal surat usulan",
        "institution": "Instansi pengusul",
        "application": "Nama aplikasi",
        "review_summary": "Ringkasan hasil reviu",
        "recommendation": "Rekomendasi",
        "notes": "Catatan",
        "meetings": "Rapat dan pembahasan teknis",
        "meeting_date": "Tanggal rapat",
        "tracking_id": "Nomor pelacakan laporan",
        "category": "Kategori laporan",
        "submitted_on": "Tanggal laporan disampaikan",
        "unit": "Unit yang menjawab",
        "anonymous": "Identitas pelapor dirahasiakan",
        "close_after_days": "Laporan ditutup setelah (hari)",
    }
)
#: The coded fields and the vocabulary their codes come from.
FIELD_VOCABULARIES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "topic": TOPICS,
        "mode": MODES,
        "recommendation": RECOMMENDATIONS,
        "category": REPORT_CATEGORIES,
    }
)

#: Dates of what a letter answers: none may come after the letter itself.
EARLIER_DATES = ("request_date", "received_on", "proposal_date", "meeting_date", "submitted_on")

#: SOP 2, step 10: how long the proposer has to follow up the meeting's results.
FOLLOW_UP_MONTHS = 2
#: SOP 2, step 10: why a proposal is cancelled, unless the letter says otherwise.
CANCELLATION_REASON = (
    "Sampai dengan batas waktu yang ditentukan, Saudara belum menindaklanjuti hasil rapat "
    "tersebut. Sesuai dengan standar pelayanan, apabila instansi pengusul tidak "
    "menindaklanjuti hasil rapat dalam waktu 2 (dua) bulan, usulan dianggap dibatalkan.",
)


def _schedule_not_before_letter(letter: Letter) -> None:
    tz = letter.fields.get("timezone", DEFAULT_TZ)
    if local_date(letter.fields["schedule"], tz) < letter.date:
        raise ValueError("schedule is before the letter's date")


def _notes_with_conditions(letter: Letter) -> None:
    if letter.fields["recommendation"] == "direkomendasikan dengan catatan" and not (
        letter.fields.get("notes")
    ):
        raise ValueError("a recommendation 'dengan catatan' needs its notes")


def _months_after(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, the last day of a shorter month if need be
    (as the broker adds ``P2M``)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def _cancelled_after_the_follow_up_time(letter: Letter) -> None:
    meeting = letter.fields["meeting_date"]
    if meeting < letter.fields["proposal_date"]:
        raise ValueError("meeting_date is before proposal_date")
    if letter.date < _months_after(meeting, FOLLOW_UP_MONTHS):
        raise ValueError(
            f"a proposal is cancelled only {FOLLOW_UP_MONTHS} months after the meeting"
            f" ({meeting.isoformat()})"
        )


def _fields_checked(kinds: Mapping[str, LetterKind]) -> Mapping[str, LetterKind]:
    """``kinds``, refused if one names a field :data:`FIELDS` has no check for (a typo)."""
    for code, kind in kinds.items():
        unchecked = [key for key in kind.field_keys if key not in FIELDS]
        if unchecked:
            raise ValueError(f"letter kind {code}: no check for field(s) {', '.join(unchecked)}")
    return MappingProxyType(dict(kinds))


#: The official products of the five SOPs, by code.
KINDS: Mapping[str, LetterKind] = _fields_checked(
    {
        # SOP 1, step 4: the reply approving a consultation, with schedule and contact.
        "konsultasi_jawaban": LetterKind(
            template="konsultasi_jawaban.html",
            title="Surat Jawaban Konsultasi",
            required=(
                "request_number",
                "request_date",
                "topic",
                "mode",
                "schedule",
                "venue",
                "contact_name",
                "contact",
            ),
            optional=("matter", "timezone"),
            defaults={"timezone": DEFAULT_TZ},
            check=_schedule_not_before_letter,
        ),
        # SOP 1, step 5: the rejection letter.
        "konsultasi_penolakan": LetterKind(
            template="konsultasi_penolakan.html",
            title="Surat Penolakan Konsultasi",
            required=("request_number", "request_date", "topic", "reason"),
            optional=("matter", "advice"),
        ),
        # SOP 4, steps 4-8: KASN's reply to a written consultation.
        "kasn_tanggapan": LetterKind(
            template="kasn_tanggapan.html",
            title="Surat Tanggapan atas Konsultasi",
            required=("request_date", "matter", "response"),
            optional=("request_number", "legal_basis"),
        ),
        # SOP 4, step 3: the confirmation that a consultation cannot be processed.
        "kasn_konfirmasi": LetterKind(
            template="kasn_konfirmasi.html",
            title="Surat Konfirmasi Permohonan Konsultasi",
            required=("request_date", "matter", "reason"),
            optional=("request_number", "advice"),
        ),
        # SOP 4, face-to-face step 4: the record of the consultation held, for the applicant.
        "kasn_catatan_tatap_muka": LetterKind(
            template="kasn_catatan_tatap_muka.html",
            title="Catatan Hasil Konsultasi Tatap Muka",
            required=("matter", "result"),
            optional=("attendees", "venue"),
        ),
        # SOP 3, procedure B: the reply to a complaint, signed by the Kepala Dinas.
        "pengaduan_jawaban": LetterKind(
            template="pengaduan_jawaban.html",
            title="Surat Jawaban Pengaduan",
            required=("register_number", "received_on", "summary", "answer"),
            optional=("channel",),
        ),
        # SOP 3, procedure A: the settlement minutes, initialled, signed and numbered.
        "berita_acara_pengaduan": LetterKind(
            template="berita_acara_pengaduan.html",
            title="Berita Acara Penyelesaian Pengaduan",
            required=("register_number", "received_on", "summary", "settlement", "officer"),
            optional=("venue", "channel", "initials"),
            defaults={"initials": DEFAULT_INITIALS},
        ),
        # SOP 2, steps 9 and 11: the Minister's consideration/recommendation letter.
        "spbe_rekomendasi": LetterKind(
            template="spbe_rekomendasi.html",
            title="Surat Pertimbangan dan Rekomendasi Aplikasi Khusus SPBE",
            required=(
                "proposal_number",
                "proposal_date",
                "institution",
                "application",
                "review_summary",
                "recommendation",
            ),
            optional=("notes", "legal_basis"),
            check=_notes_with_conditions,
        ),
        # SOP 2, step 10: the proposer did not follow up the meeting's results in 2 months.
        "spbe_pembatalan": LetterKind(
            template="spbe_pembatalan.html",
            title="Surat Pemberitahuan Pembatalan Usulan Pertimbangan Aplikasi Khusus SPBE",
            required=(
                "proposal_number",
                "proposal_date",
                "institution",
                "application",
                "meeting_date",
            ),
            optional=("reason",),
            defaults={"reason": CANCELLATION_REASON},
            check=_cancelled_after_the_follow_up_time,
        ),
        # SOP 2, step 9: the Deputy reports the review to the Minister.
        "nota_dinas": LetterKind(
            template="nota_dinas.html",
            title="Nota Dinas",
            required=("institution", "application", "review_summary", "recommendation"),
            optional=("proposal_number", "proposal_date", "meetings", "notes"),
            check=_notes_with_conditions,
        ),
        # SOP 5, steps 8 and 10: the substantive answer to an SP4N-LAPOR! report.
        "lapor_jawaban": LetterKind(
            template="lapor_jawaban.html",
            title="Surat Tindak Lanjut Laporan SP4N-LAPOR!",
            required=("tracking_id", "category", "summary", "answer", "unit"),
            optional=("submitted_on", "anonymous", "close_after_days"),
            defaults={"anonymous": False},
        ),
    }
)

#: Documents that are not letters: uploads and the receipt.
OTHER_DOCUMENTS = MappingProxyType(
    {
        "lampiran": "Berkas dari pemohon",
        "tanda_terima": "Tanda terima permohonan",
        "surat": "Surat",
    }
)


def document_title(kind: str) -> str:
    """What a stored document is, for people: ``tanda_terima`` → ``"Tanda terima permohonan"``,
    a letter kind → its title."""
    letter = KINDS.get(kind)
    if letter is not None:
        return letter.title
    return OTHER_DOCUMENTS.get(kind, kind.replace("_", " ").capitalize())
