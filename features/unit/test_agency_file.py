"""The agencies' file (``deploy/agencies.toml``, issue 24): the shipped one is whole, and a
wrong file is refused with a Bahasa message that names the key, before any database is
touched. A unit's ``layanan`` (issue 27) names the services whose cases it receives: the
shipped file has two DPMPTSPs receiving SOP 3's complaints, a wrong value is refused naming
the key, and loading stores it once (a second load changes nothing)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alur import agency_file, bpmn, sopcheck, sops
from storage.models import Unit

GOOD = """
[instansi.dpmptsp-sleman]
nama = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
kop_atas = "Pemerintah Kabupaten Sleman"
tempat = "Sleman"
zona_waktu = "Asia/Jakarta"

[[instansi.dpmptsp-sleman.register]]
kode = "surat-keluar"
judul = "Surat keluar DPMPTSP Sleman"
pola = "B-{seq}/DPMPTSP-SLM/{bulan}/{tahun}"
jenis = "surat-keluar"

[[instansi.dpmptsp-sleman.unit]]
kode = "dpmptsp-sleman"
nama = "DPMPTSP Kabupaten Sleman"

[instansi.dpmptsp-sleman.libur]
"2027-05-15" = "Hari Jadi Kabupaten Sleman"
"""


UNIT_NAME = 'nama = "DPMPTSP Kabupaten Sleman"'
RECEIVING = GOOD.replace(UNIT_NAME, UNIT_NAME + '\nlayanan = ["pengaduan-dpmptsp"]')


DIAGRAM = (
    Path(__file__).resolve().parents[1] / "platform" / "diagrams" / "uji_instansi_perkara.bpmn"
)


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agencies.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_holds_the_five_agencies_their_registers_and_units():
    shipped = agency_file.shipped()
    assert shipped.codes == {"kemenpanrb", "dpmptsp", "dpmptsp-sleman", "kasn", "lapor"}
    assert ("dpmptsp", "pengaduan") in shipped.register_keys
    assert shipped.register("dpmptsp", "pengaduan").kind == "pengaduan"
    assert shipped.register("kemenpanrb", "surat-masuk").kind == "surat-masuk"
    outgoing = shipped.register("kemenpanrb", "surat-keluar")
    assert outgoing.render(17, date(2026, 11, 3)) == "B-17/KL.01/XI/2026"
    assert shipped.agency("lapor").name == "Pengelola Nasional SP4N-LAPOR! (Kementerian PANRB)"
    logo = shipped.agency("dpmptsp").letterhead.logo
    assert logo is not None and logo.content_type == "image/png"
    assert shipped.unit_name("kemenkes-rsup-sardjito") == "RSUP Dr. Sardjito Yogyakarta"
    # SOP 2: each member agency of the SPBE coordination team validates in its own unit.
    members = {u.code: u.name for u in shipped.units if u.parent_code == "spbe-tim-koordinasi"}
    assert members == {
        "spbe-komdigi": "Kementerian Komunikasi dan Digital",
        "spbe-bappenas": "Kementerian Perencanaan Pembangunan Nasional/Bappenas",
        "spbe-kemenkeu": "Kementerian Keuangan",
        "spbe-kemendagri": "Kementerian Dalam Negeri",
        "spbe-bssn": "Badan Siber dan Sandi Negara",
        "spbe-brin": "Badan Riset dan Inovasi Nasional",
    }


def test_a_good_file_reads(tmp_path: Path):
    data = agency_file.read(written(tmp_path, GOOD))
    assert data.codes == {"dpmptsp-sleman"}
    assert data.agency("dpmptsp-sleman").letterhead.parent == "Pemerintah Kabupaten Sleman"
    [unit] = data.units
    assert unit.agency_code == "dpmptsp-sleman" and unit.parent_code is None
    assert data.agencies[0].days_off == {date(2027, 5, 15): "Hari Jadi Kabupaten Sleman"}


def test_the_example_day_off_in_the_shipped_file_reads_when_enabled(tmp_path: Path):
    lines = agency_file.SHIPPED.read_text(encoding="utf-8").splitlines()
    enabled = [line[2:] if line.startswith('# "20') else line for line in lines]
    assert enabled != lines
    shutil.copytree(agency_file.SHIPPED.parent / "logo", tmp_path / "logo")
    data = agency_file.read(written(tmp_path, "\n".join(enabled)))
    dpmptsp = next(a for a in data.agencies if a.code == "dpmptsp")
    assert dpmptsp.days_off == {date(2026, 10, 12): "Hari Jadi Provinsi Jawa Timur"}


WRONG = {
    "a typo in a key": (
        GOOD.replace("tempat =", "tempta ="),
        "instansi.dpmptsp-sleman.tempta: kunci tidak dikenal",
    ),
    "a pattern without {seq}": (
        GOOD.replace("B-{seq}/", "B-"),
        "instansi.dpmptsp-sleman.register[0].pola: Pola nomor harus memuat {seq}",
    ),
    "an unknown placeholder": (
        GOOD.replace("{bulan}", "{bidang}"),
        "register[0].pola: Pola nomor memuat {bidang} yang tidak dikenal",
    ),
    "a time zone of Europe": (
        GOOD.replace("Asia/Jakarta", "Europe/Amsterdam"),
        "instansi.dpmptsp-sleman.zona_waktu: Zona waktu harus salah satu dari",
    ),
    "a bad agency code": (
        GOOD.replace("instansi.dpmptsp-sleman", "instansi.DPMPTSP_Sleman"),
        "instansi.DPMPTSP_Sleman: Kode instansi hanya boleh huruf kecil",
    ),
    "a missing logo file": (
        GOOD.replace('zona_waktu = "Asia/Jakarta"', 'zona_waktu = "Asia/Jakarta"\nlogo = "x.png"'),
        "instansi.dpmptsp-sleman.logo: berkas x.png tidak ada",
    ),
    "a logo that is no image": (
        GOOD.replace('zona_waktu = "Asia/Jakarta"', 'zona_waktu = "Asia/Jakarta"\nlogo = "a.toml"'),
        "logo: Logo harus berupa gambar PNG atau JPEG.",
    ),
    "two registers repeating each other's numbers": (
        GOOD + '\n[[instansi.dpmptsp-sleman.register]]\nkode = "lain"\njudul = "Lain"\n'
        'pola = "B-{seq}/DPMPTSP-SLM/{bulan}/{tahun}"\njenis = "surat-keluar"\n',
        "register[1].pola: pola ini dapat menghasilkan nomor yang sama dengan register"
        " surat-keluar milik instansi dpmptsp-sleman",
    ),
    "a child before its parent": (
        GOOD.replace('nama = "DPMPTSP Kabupaten Sleman"', 'nama = "DPMPTSP"\ninduk = "pemkab"'),
        "unit dpmptsp-sleman.induk: unit induk pemkab belum ditulis di atasnya",
    ),
    "a day off that is no date": (
        GOOD.replace('"2027-05-15"', '"15-05-2027"'),
        'instansi.dpmptsp-sleman.libur.15-05-2027: tanggal ditulis "TTTT-BB-HH"',
    ),
    "not TOML at all": ("[instansi\n", "(berkas): bukan TOML yang benar"),
    "services that are not a list": (
        GOOD.replace(UNIT_NAME, UNIT_NAME + '\nlayanan = "pengaduan-dpmptsp"'),
        "instansi.dpmptsp-sleman.unit[0].layanan: harus berupa daftar kode layanan,"
        ' mis. ["pengaduan-dpmptsp"]',
    ),
    "a service that is no text": (
        GOOD.replace(UNIT_NAME, UNIT_NAME + "\nlayanan = [3]"),
        "instansi.dpmptsp-sleman.unit[0].layanan: harus berupa daftar kode layanan",
    ),
    "an unknown service": (
        GOOD.replace(UNIT_NAME, UNIT_NAME + '\nlayanan = ["pengaduan-dpmptsp", "pengaduan"]'),
        "instansi.dpmptsp-sleman.unit[0].layanan: layanan 'pengaduan' tidak dikenal (yang"
        " dikenal: ",
    ),
    "a service written twice": (
        GOOD.replace(
            UNIT_NAME, UNIT_NAME + '\nlayanan = ["pengaduan-dpmptsp", "pengaduan-dpmptsp"]'
        ),
        "instansi.dpmptsp-sleman.unit[0].layanan: layanan pengaduan-dpmptsp ditulis dua kali",
    ),
    "a typo in the key": (
        GOOD.replace(UNIT_NAME, UNIT_NAME + '\nlayan = ["pengaduan-dpmptsp"]'),
        "instansi.dpmptsp-sleman.unit[0].layan: kunci tidak dikenal (yang dikenal: induk, kode,"
        " layanan, nama)",
    ),
}


@pytest.mark.parametrize("case", WRONG, ids=list(WRONG))
def test_a_wrong_file_is_refused_naming_its_key(case: str, tmp_path: Path):
    text, message = WRONG[case]
    if "a.toml" in text:
        shutil.copy(written(tmp_path, GOOD), tmp_path / "a.toml")
    with pytest.raises(agency_file.AgencyFileError) as refused:
        agency_file.read(written(tmp_path, text))
    assert message in str(refused.value)


# --- layanan: the services a unit receives (issue 27) ---------------------------------------


def test_the_shipped_file_has_two_dpmptsp_receiving_complaints():
    shipped = agency_file.shipped()
    receiving = {u.code: u.agency_code for u in shipped.units if u.services}
    complaints = {u.code for u in shipped.units if "pengaduan-dpmptsp" in u.services}
    assert complaints == {"dpmptsp-jatim", "dpmptsp-sleman"}
    assert receiving["dpmptsp-jatim"] == "dpmptsp"
    assert receiving["dpmptsp-sleman"] == "dpmptsp-sleman"
    # SP4N-LAPOR! (SOP 5): the agencies connected to it and the national manager.
    reporting = {u.code for u in shipped.units if "lapor" in u.services}
    assert reporting == {"lapor-nasional", "kemenkes", "kasn"}
    sleman = shipped.agency("dpmptsp-sleman")
    assert sleman.letterhead.parent == "Pemerintah Kabupaten Sleman" and sleman.place == "Sleman"
    assert "55511" in sleman.letterhead.address and sleman.timezone == "Asia/Jakarta"
    # The same registers as the province's, numbered so they never meet.
    own = {code for agency, code in shipped.register_keys if agency == "dpmptsp-sleman"}
    assert own == {code for agency, code in shipped.register_keys if agency == "dpmptsp"}
    outgoing = shipped.register("dpmptsp-sleman", "surat-keluar")
    assert outgoing.render(3, date(2026, 11, 3)) == "B-3/DPMPTSP-SLM/XI/2026"
    # The header comment documents the key.
    assert "layanan (boleh tidak ada)" in agency_file.SHIPPED.read_text(encoding="utf-8")


def test_a_unit_without_layanan_receives_nothing_and_one_with_it_reads(tmp_path: Path):
    [unit] = agency_file.read(written(tmp_path, GOOD)).units
    assert unit.services == ()
    [unit] = agency_file.read(written(tmp_path, RECEIVING)).units
    assert unit.services == ("pengaduan-dpmptsp",)
    other = '[[unit]]\nkode = "dpmptsp-bantul"\nnama = "DPMPTSP Bantul"\nlayanan = []\n'
    [_, bantul] = agency_file.read(written(tmp_path, RECEIVING + other)).units
    assert bantul.services == () and bantul.agency_code is None


def _units(sessions: sessionmaker[Session]) -> dict[str, list[str]]:
    with sessions() as db:
        return {u.code: list(u.services) for u in db.scalars(select(Unit).order_by(Unit.code))}


def test_layanan_loads_once_and_again_changes_nothing(
    fresh_db: sessionmaker[Session], tmp_path: Path
):
    data = agency_file.read(written(tmp_path, RECEIVING))
    with fresh_db() as db:
        assert agency_file.load(db, data, "uji").units == {"created": 1}
    assert _units(fresh_db) == {"dpmptsp-sleman": ["pengaduan-dpmptsp"]}
    with fresh_db() as db:
        assert agency_file.load(db, data, "uji").units == {"unchanged": 1}
        assert agency_file.load(db, data, "uji", only_new=True).units == {"unchanged": 1}
    assert _units(fresh_db) == {"dpmptsp-sleman": ["pengaduan-dpmptsp"]}
    # The file without the key leaves the unit receiving nothing when it overwrites.
    with fresh_db() as db:
        plain = agency_file.read(written(tmp_path, GOOD))
        assert agency_file.load(db, plain, "uji").units == {"updated": 1}
    assert _units(fresh_db) == {"dpmptsp-sleman": []}


def test_make_run_gives_a_unit_from_before_layanan_its_services(
    fresh_db: sessionmaker[Session], tmp_path: Path
):
    """A database loaded before the key (every unit receiving nothing) gets the file's
    ``layanan`` at the next start (``only_new``); what it has stays otherwise."""
    with fresh_db() as db:
        agency_file.load(db, agency_file.read(written(tmp_path, GOOD)), "uji")
        data = agency_file.read(written(tmp_path, RECEIVING))
        assert agency_file.load(db, data, "uji", only_new=True).units == {"updated": 1}
        assert agency_file.load(db, data, "uji", only_new=True).units == {"unchanged": 1}
    assert _units(fresh_db) == {"dpmptsp-sleman": ["pengaduan-dpmptsp"]}
    with fresh_db() as db:
        shipped = agency_file.load(db, agency_file.shipped(), "uji", only_new=True)
    assert shipped.units["created"] == len(agency_file.shipped().units) - 1
    assert _units(fresh_db)["dpmptsp-jatim"] == ["pengaduan-dpmptsp"]
    assert _units(fresh_db)["kasn"] == ["lapor"]
    assert _units(fresh_db)["kemenpanrb"] == []


def test_sopcheck_names_a_receiving_agency_that_lacks_a_register_a_task_numbers_in():
    """A task without the header ``instansi`` numbers in the case's agency's register: every
    agency receiving the service must have it (``alur.sopcheck``)."""
    sop3 = next(sop for sop in sops.SOPS if sop.service.code == "pengaduan-dpmptsp")
    text = DIAGRAM.read_text(encoding="utf-8").replace("Uji_InstansiPerkara", sop3.process_id)
    repository = sopcheck.repository()
    assert repository.receivers["pengaduan-dpmptsp"] == {"dpmptsp", "dpmptsp-sleman"}
    whole = replace(repository, diagrams={"uji.bpmn": bpmn.read(text.encode())})
    assert not [p for p in sopcheck.problems(whole) if "register" in p]
    lacking = replace(whole, registers=set(whole.registers) - {("dpmptsp-sleman", "pengaduan")})
    assert [p for p in sopcheck.problems(lacking) if "register" in p] == [
        "uji.bpmn: Task_Catat: register 'pengaduan' does not exist for 'dpmptsp-sleman', whose"
        " units receive 'pengaduan-dpmptsp' (the task has no header instansi)"
    ]
