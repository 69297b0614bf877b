"""Demo units and accounts for a local stack: one account per role, all sharing one password.

``make run`` seeds them (``ALUR_DEMO_ACCOUNTS=true``) so every lane of the five SOPs can be
tried at once. The password is published here and printed by the launcher: **local demo
only**. Never turn ``ALUR_DEMO_ACCOUNTS`` on where real people work.

:func:`seed` is idempotent: a unit or an account that already exists (by code, by username)
is left exactly as it is, even if someone changed it since.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage import accounts
from storage.models import StaffRole, StaffUser

#: The password of every demo account. Local demo only.
DEMO_PASSWORD = "alur-demo-2026"
EMAIL_DOMAIN = "demo.alur.localhost"


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    parent_code: str | None = None


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    unit_name: str
    roles: tuple[str, ...]
    position: str = ""
    unit_code: str = ""
    nip: str | None = None


#: Parents before children. Kementerian Kesehatan is the example Instansi of SOP 5.
UNITS: tuple[DemoUnit, ...] = (
    DemoUnit("kemenpanrb", "Kementerian PANRB"),
    DemoUnit("kemenpanrb-kelembagaan", "Deputi Bidang Kelembagaan dan Tata Laksana", "kemenpanrb"),
    DemoUnit("spbe-tim-koordinasi", "Tim Koordinasi SPBE Nasional"),
    DemoUnit("dpmptsp-jatim", "DPMPTSP Provinsi Jawa Timur"),
    DemoUnit("kasn", "Komisi Aparatur Sipil Negara (KASN)"),
    DemoUnit("lapor-nasional", "Pengelola Nasional SP4N-LAPOR!"),
    DemoUnit("kemenkes", "Kementerian Kesehatan"),
    DemoUnit("kemenkes-yankes", "Direktorat Jenderal Pelayanan Kesehatan", "kemenkes"),
    DemoUnit("kemenkes-rsup-sardjito", "RSUP Dr. Sardjito Yogyakarta", "kemenkes-yankes"),
)


def _account(
    username: str,
    full_name: str,
    position: str,
    unit_code: str,
    roles: tuple[str, ...],
    nip: str | None,
) -> DemoAccount:
    unit_name = next(unit.name for unit in UNITS if unit.code == unit_code)
    return DemoAccount(username, full_name, unit_name, roles, position, unit_code, nip)


#: One account per role of ``alur.roles.ROLES``; ``admin`` holds both of Alur's own roles.
ACCOUNTS: tuple[DemoAccount, ...] = (
    # SOP 1 and 2: Kementerian PANRB
    _account(
        "petugas.panrb",
        "Dewi Lestari, S.Sos.",
        "Analis Pelayanan Publik",
        "kemenpanrb-kelembagaan",
        ("kemenpanrb.petugas",),
        "199203152019032011",
    ),
    _account(
        "pimpinan.panrb",
        "Drs. Agus Prasetyo, M.Si.",
        "Sekretaris Deputi Bidang Kelembagaan dan Tata Laksana",
        "kemenpanrb-kelembagaan",
        ("kemenpanrb.pimpinan",),
        "197008121995031002",
    ),
    _account(
        "menteri.panrb",
        "Dr. Rahmat Hidayat",
        "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        "kemenpanrb",
        ("kemenpanrb.menteri",),
        None,
    ),
    _account(
        "deputi.kelembagaan",
        "Dr. Sri Wahyuni, M.A.P.",
        "Deputi Bidang Kelembagaan dan Tata Laksana",
        "kemenpanrb-kelembagaan",
        ("kemenpanrb.deputi",),
        "196904231994032001",
    ),
    _account(
        "asdep.kelembagaan",
        "Yusuf Maulana, S.T., M.T.",
        "Asisten Deputi Transformasi Digital Pemerintahan",
        "kemenpanrb-kelembagaan",
        ("kemenpanrb.asdep",),
        "197805092003121001",
    ),
    _account(
        "tim.spbe",
        "Ratna Kusumawati, S.Kom., M.T.I.",
        "Sekretaris Tim Koordinasi SPBE Nasional",
        "spbe-tim-koordinasi",
        ("spbe.tim_koordinasi",),
        "198102172006042001",
    ),
    # SOP 3: DPMPTSP
    _account(
        "fo.dpmptsp",
        "Nur Aini",
        "Petugas Front Office",
        "dpmptsp-jatim",
        ("dpmptsp.front_office",),
        "199507302020122012",
    ),
    _account(
        "analis.dpmptsp",
        "Fajar Nugroho, S.H.",
        "Analis Kebijakan Ahli Muda",
        "dpmptsp-jatim",
        ("dpmptsp.analis",),
        "198909112014021003",
    ),
    _account(
        "kabid.dpmptsp",
        "Endang Susilowati, S.E., M.M.",
        "Kepala Bidang Pengaduan, Kebijakan dan Pelaporan Layanan",
        "dpmptsp-jatim",
        ("dpmptsp.kabid",),
        "197506182000032004",
    ),
    _account(
        "sekretaris.dpmptsp",
        "Joko Santoso, S.Sos., M.Si.",
        "Sekretaris Dinas",
        "dpmptsp-jatim",
        ("dpmptsp.sekretaris",),
        "197211041998031005",
    ),
    _account(
        "kadis.dpmptsp",
        "Ir. Bambang Wicaksono, M.T.",
        "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "dpmptsp-jatim",
        ("dpmptsp.kadis",),
        "196805201993031007",
    ),
    # SOP 4: KASN
    _account(
        "sekretariat.kasn",
        "Lia Kurniawati, A.Md.",
        "Pengadministrasi Persuratan",
        "kasn",
        ("kasn.sekretariat",),
        "199411262019022006",
    ),
    _account(
        "asisten.kasn",
        "Dimas Ardiansyah, S.IP.",
        "Asisten Komisioner Bidang Pengawasan Pengisian JPT",
        "kasn",
        ("kasn.asisten",),
        "199001072015031002",
    ),
    _account(
        "pimpinan.kasn",
        "Prof. Dr. Hariyanto Wibowo",
        "Wakil Ketua KASN",
        "kasn",
        ("kasn.pimpinan",),
        None,
    ),
    # SOP 5: SP4N-LAPOR!
    _account(
        "admin.lapor",
        "Wulan Septiani, S.Kom.",
        "Admin Nasional SP4N-LAPOR!",
        "lapor-nasional",
        ("lapor.admin_nasional",),
        "199309142018012001",
    ),
    _account(
        "admin.kemenkes",
        "Andi Saputra, S.I.Kom.",
        "Pranata Humas, Biro Komunikasi dan Pelayanan Publik",
        "kemenkes",
        ("lapor.admin_instansi",),
        "198706222010121002",
    ),
    _account(
        "admin.yankes",
        "Maya Anggraini, S.K.M.",
        "Pengelola Pengaduan, Sekretariat Ditjen Pelayanan Kesehatan",
        "kemenkes-yankes",
        ("lapor.admin_eselon1",),
        "199102032015032003",
    ),
    _account(
        "admin.sardjito",
        "Teguh Prasetya, S.Kep., Ns.",
        "Pengelola Pengaduan Masyarakat",
        "kemenkes-rsup-sardjito",
        ("lapor.admin_upt",),
        "198812152011011004",
    ),
    # Alur itself
    _account(
        "pemilik.proses",
        "Indah Permatasari, S.T., M.B.A.",
        "Analis Tata Laksana Ahli Madya",
        "kemenpanrb-kelembagaan",
        ("alur.pemilik_proses",),
        "198204282008012008",
    ),
    _account(
        "admin",
        "Ahmad Fauzi, S.Kom.",
        "Pranata Komputer Ahli Muda",
        "kemenpanrb",
        ("alur.admin", "alur.pemilik_proses"),
        "199006192015031001",
    ),
)


def seed(session: Session) -> list[DemoAccount]:
    """Create the demo units and accounts that do not exist yet, commit, list every account."""
    for unit in UNITS:
        accounts.ensure_unit(session, unit.code, unit.name, unit.parent_code)
    # One published password, so one argon2id hash for all: a first start stays quick.
    password_hash: str | None = None
    for account in ACCOUNTS:
        if accounts.find_user(session, account.username) is not None:
            continue
        password_hash = password_hash or accounts.hash_password(DEMO_PASSWORD)
        session.add(
            StaffUser(
                username=account.username,
                full_name=account.full_name,
                position=account.position,
                nip=account.nip,
                email=f"{account.username}@{EMAIL_DOMAIN}",
                password_hash=password_hash,
                unit_code=account.unit_code,
                roles=[StaffRole(role=role) for role in account.roles],
            )
        )
        session.flush()
    session.commit()
    return list(ACCOUNTS)
