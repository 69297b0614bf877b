"""The agencies' file (``deploy/agencies.toml``, issue 24): the shipped one is whole, and a
wrong file is refused with a Bahasa message that names the key, before any database is
touched."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from alur import agency_file

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


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agencies.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_holds_the_four_agencies_their_registers_and_units():
    shipped = agency_file.shipped()
    assert shipped.codes == {"kemenpanrb", "dpmptsp", "kasn", "lapor"}
    assert ("dpmptsp", "pengaduan") in shipped.register_keys
    assert shipped.register("dpmptsp", "pengaduan").kind == "pengaduan"
    assert shipped.register("kemenpanrb", "surat-masuk").kind == "surat-masuk"
    outgoing = shipped.register("kemenpanrb", "surat-keluar")
    assert outgoing.render(17, date(2026, 11, 3)) == "B-17/KL.01/XI/2026"
    assert shipped.agency("lapor").name == "Pengelola Nasional SP4N-LAPOR! (Kementerian PANRB)"
    logo = shipped.agency("dpmptsp").letterhead.logo
    assert logo is not None and logo.content_type == "image/png"
    assert shipped.unit_name("kemenkes-rsup-sardjito") == "RSUP Dr. Sardjito Yogyakarta"


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
}


@pytest.mark.parametrize("case", WRONG, ids=list(WRONG))
def test_a_wrong_file_is_refused_naming_its_key(case: str, tmp_path: Path):
    text, message = WRONG[case]
    if "a.toml" in text:
        shutil.copy(written(tmp_path, GOOD), tmp_path / "a.toml")
    with pytest.raises(agency_file.AgencyFileError) as refused:
        agency_file.read(written(tmp_path, text))
    assert message in str(refused.value)
