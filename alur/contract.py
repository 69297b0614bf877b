"""The contract between the diagrams and the workers: every job type a service task may name,
and the variables its worker returns to the process.

Core data, with no worker behind it: ``alur lint`` and the modeler check diagrams against it
without loading a worker module. The workers register one handler per job type
(``workers.registry.build_routers``); ``features/unit/test_contract.py`` checks that the job
types registered are exactly these, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: Issue the letter the task's headers describe (``workers.letters``).
LETTER_ISSUE = "alur.surat.terbitkan"
#: Open the draft of a letter its review chain works on (``workers.letters``,
#: ``alur.review_chain``).
LETTER_DRAFT = "alur.surat.draf"
#: The variable holding the draft ``LETTER_DRAFT`` opened: ``{"nama", "versi", "sidik"}``.
LETTER_DRAFT_OUTPUT = "drafSurat"
#: E-mail the case's documents to the applicant (``workers.letters``).
LETTER_SEND = "alur.surat.kirim"
#: The variable holding the letter ``LETTER_ISSUE`` issued.
LETTER_OUTPUT = "suratTerbit"
#: Enter the case in the register the headers name (``workers.cases``).
REGISTER_RECORD = "alur.register.catat"
#: Set the case's status the header names (``workers.cases``).
CASE_STATUS = "alur.perkara.status"
#: Turn the header's time limit into a due date (``workers.sla``).
SLA_COMPUTE = "alur.sla.hitung"
#: Pause and resume the SLA clock of a due date (``workers.sla``).
SLA_PAUSE = "alur.sla.jeda"
SLA_RESUME = "alur.sla.lanjut"
#: Escalate a late step, behind a non-interrupting timer (``workers.sla``).
SLA_ESCALATE = "alur.sla.terlambat"
#: Return the file to the applicant to complete (``workers.documents_request``): what is
#: missing (``kekuranganBerkas``) is asked once; the answer arrives as the message
#: ``DOCUMENTS_ANSWERED`` (``alur.completion``).
DOCUMENTS_REQUEST = "alur.berkas.minta"
#: The variable holding the request's id: the answer's correlation key is its string.
DOCUMENTS_REQUEST_OUTPUT = "permintaanBerkas"
#: The message that brings the answer, with ``berkasTambahan`` (the documents' ids) and
#: ``berkasDilengkapiOleh`` (``pemohon`` or the username of the member of staff).
#: ``tanggapanPemohon``: the written reply a request with header ``tanggapan`` asked for.
DOCUMENTS_ANSWERED = "alur.berkas.dilengkapi"
#: The units a disposition may choose from, as a select's options (``workers.units``): those
#: receiving the service the header ``layanan`` names, else those directly beneath the unit
#: in ``unitInduk``; returned in the variable the header ``variabel`` names.
UNIT_LIST = "alur.unit.daftar"

#: The variables each job type's worker returns to the process (``alur lint`` checks what the
#: diagrams read against it; a test checks it against what the workers return). ``{h}`` stands
#: for the value of the task header ``h``.
JOB_OUTPUTS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        LETTER_DRAFT: frozenset({LETTER_DRAFT_OUTPUT}),
        LETTER_ISSUE: frozenset({LETTER_OUTPUT}),
        LETTER_SEND: frozenset({"suratTerkirim"}),
        REGISTER_RECORD: frozenset({"nomorRegister"}),
        CASE_STATUS: frozenset(),
        SLA_COMPUTE: frozenset({"{variabel}"}),
        SLA_PAUSE: frozenset({"{variabel}JedaMulai"}),
        SLA_RESUME: frozenset({"{variabel}", "{variabel}JedaMulai", "{variabel}Dijeda"}),
        SLA_ESCALATE: frozenset({"terlambat"}),
        DOCUMENTS_REQUEST: frozenset({DOCUMENTS_REQUEST_OUTPUT}),
        UNIT_LIST: frozenset({"{variabel}"}),
    }
)
#: Every job type a worker handles.
JOB_TYPES = frozenset(JOB_OUTPUTS)

#: Task headers the generic workers read that name things declared elsewhere: the agency
#: (``alur.agencies``), its register (``alur.numbering``) and the letter kind
#: (``alur.letter_kinds``). ``alur.sopcheck`` checks every diagram's values.
HEADER_AGENCY = "instansi"
HEADER_REGISTER = "register"
HEADER_LETTER_KIND = "jenis"
#: A document signed by whoever completed a user task of the case (a record of a meeting
#: the officer held): that task's element id, on the task that issues it.
HEADER_PERFORMER = "pelaksana"
#: Minutes that name the officer who settled a matter with the applicant (a party, beside
#: the signer): the element id of the user task whoever completed it is that officer, on the
#: task that opens the draft or issues the document.
HEADER_OFFICER = "petugas"
#: A letter's review chain (``alur.review_chain``): the header naming the draft, on the task
#: that opens it, on each user task of the chain and on the task that issues it; and the
#: header saying what a user task of the chain does to it.
HEADER_DRAFT = "draf"
HEADER_DRAFT_STAGE = "tahap"
DRAFT_STAGES = ("susun", "paraf", "tandatangan")
