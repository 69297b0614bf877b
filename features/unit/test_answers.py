"""A form's answers as people read them: labels, option labels, Indonesian dates, file names."""

from __future__ import annotations

from alur.answers import answers

SCHEMA = {
    "components": [
        {"type": "text", "text": "Petunjuk"},
        {
            "type": "radio",
            "key": "mode",
            "label": "Konsultasi diselenggarakan",
            "values": [
                {"label": "Tatap muka langsung", "value": "tatap_muka"},
                {"label": "Daring", "value": "daring"},
            ],
        },
        {
            "type": "group",
            "components": [
                {
                    "type": "datetime",
                    "key": "schedule",
                    "subtype": "datetime",
                    "dateLabel": "Tanggal pelaksanaan",
                },
                {"type": "checkbox", "key": "agreed", "label": "Setuju"},
                {"type": "number", "key": "copies", "label": "Jumlah salinan"},
                {"type": "filepicker", "key": "ktp", "label": "Salinan KTP"},
                {
                    "type": "checklist",
                    "key": "kinds",
                    "label": "Jenis",
                    "values": [{"label": "Perorangan", "value": "perorangan"}],
                },
            ],
        },
    ]
}


def test_answers_read_as_a_person_reads_them():
    data = {
        "workerNote": "dari mesin",
        "kinds": ["perorangan"],
        "ktp": ["7"],
        "copies": 7,
        "agreed": True,
        "schedule": "2026-12-10T10:00+07:00",
        "mode": "tatap_muka",
    }
    assert answers(SCHEMA, data, filenames={"7": "ktp.pdf"}) == [
        ("Konsultasi diselenggarakan", "Tatap muka langsung"),
        ("Tanggal pelaksanaan", "10 Desember 2026 pukul 10.00 WIB"),
        ("Setuju", "Ya"),
        ("Jumlah salinan", "7"),  # a number is never taken for a file id
        ("Salinan KTP", "ktp.pdf"),
        ("Jenis", "Perorangan"),
        ("workerNote", "dari mesin"),  # no form asked for it: under its key
    ]


def test_skipped_and_missing_keys_are_left_out():
    assert answers(SCHEMA, {"mode": "daring", "name": "Siti"}, skip={"name"}) == [
        ("Konsultasi diselenggarakan", "Daring")
    ]
    assert answers(None, {"x": "12:30 rapat"}) == [("x", "12:30 rapat")]
