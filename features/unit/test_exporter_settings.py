"""The exporter's settings: Alur's database URL in JDBC form, and the broker settings that load
it (``stack.exporter``); the reader of what it writes (``storage.engine_records``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from stack import exporter, sbom, zeebe
from stack.exporter import ExporterConfig, JdbcTarget, jdbc_target
from storage import engine_records
from storage.models import EngineRecord


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////srv/alur/alur.db", JdbcTarget("jdbc:sqlite:/srv/alur/alur.db")),
        ("sqlite:///var/alur.db", JdbcTarget("jdbc:sqlite:/repo/var/alur.db")),
        ("sqlite:///../data/./alur.db", JdbcTarget("jdbc:sqlite:/data/alur.db")),
        (
            "postgresql+psycopg://alur:rahasia@postgres:5432/alur",
            JdbcTarget("jdbc:postgresql://postgres:5432/alur", "alur", "rahasia"),
        ),
        (
            # Escapes in the password are SQLAlchemy's; the exporter gets the password itself.
            "postgresql+psycopg://alur:p%40ss%3Aw%2Fd@10.0.0.5/alur",
            JdbcTarget("jdbc:postgresql://10.0.0.5:5432/alur", "alur", "p@ss:w/d"),
        ),
        (
            "postgresql://u@db.example.go.id:6543/layanan?sslmode=require",
            JdbcTarget("jdbc:postgresql://db.example.go.id:6543/layanan?sslmode=require", "u"),
        ),
        (
            "postgresql+psycopg://u:p@[::1]:5433/alur",
            JdbcTarget("jdbc:postgresql://[::1]:5433/alur", "u", "p"),
        ),
    ],
)
def test_alurs_database_url_in_jdbc_form(url: str, expected: JdbcTarget) -> None:
    assert jdbc_target(url, base=Path("/repo")) == expected


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "mysql+pymysql://u:p@db/alur",
        "postgresql+psycopg://u:p@/alur?host=/var/run/postgresql",
    ],
)
def test_a_database_the_broker_cannot_share_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="exporter"):
        jdbc_target(url)


def test_the_broker_loads_the_exporter_with_alurs_database(tmp_path: Path) -> None:
    config = zeebe.ZeebeConfig(
        home=tmp_path,
        data_dir=tmp_path / "data",
        java_home="/java",
        ports=zeebe.ZeebePorts(),
        exporter=ExporterConfig(
            tmp_path / "alur-exporter.jar",
            JdbcTarget("jdbc:postgresql://db:5432/alur", "alur", "rahasia"),
        ),
    )
    env = config.environ()
    assert env["ZEEBE_BROKER_EXPORTERS_ALUR_CLASSNAME"] == exporter.CLASS_NAME
    assert env["ZEEBE_BROKER_EXPORTERS_ALUR_JARPATH"] == str(tmp_path / "alur-exporter.jar")
    assert env["ZEEBE_BROKER_EXPORTERS_ALUR_ARGS_URL"] == "jdbc:postgresql://db:5432/alur"
    assert env["ZEEBE_BROKER_EXPORTERS_ALUR_ARGS_USER"] == "alur"
    assert env["ZEEBE_BROKER_EXPORTERS_ALUR_ARGS_PASSWORD"] == "rahasia"
    without = zeebe.ZeebeConfig(tmp_path, tmp_path, "/java", zeebe.ZeebePorts()).environ()
    assert not [name for name in without if name.startswith("ZEEBE_BROKER_EXPORTERS_")]


def test_the_java_class_named_is_the_one_in_the_sources() -> None:
    package, _, name = exporter.CLASS_NAME.rpartition(".")
    source = exporter.PROJECT / "src/main/java" / package.replace(".", "/") / f"{name}.java"
    assert f"public final class {name} implements Exporter" in source.read_text()
    assert f'TABLE = "{exporter.TABLE}"' in (source.parent / "JdbcSink.java").read_text()
    assert EngineRecord.__tablename__ == exporter.TABLE


def _row(partition: int, position: int, instance: int) -> EngineRecord:
    return EngineRecord(
        partition_id=partition,
        position=position,
        record_key=position,
        value_type="PROCESS_INSTANCE",
        intent="ELEMENT_COMPLETED",
        timestamp_ms=position,
        process_instance_key=instance,
        record_json='{"value": {"elementId": "x"}}',
        written_at_ms=position,
    )


def test_records_are_read_after_each_partitions_cursor_in_log_order(
    fresh_db: sessionmaker[Session],
) -> None:
    with fresh_db() as db:
        # Written out of order on purpose: the reader orders by position.
        for partition, position, instance in [(2, 7, 20), (1, 9, 10), (1, 3, 10), (2, 4, 21)]:
            db.add(_row(partition, position, instance))
        db.commit()
        assert engine_records.partitions(db) == [1, 2]
        first = engine_records.read_each(db, {}, limit=10)
        assert [(r.partition_id, r.position) for r in first] == [(1, 3), (1, 9), (2, 4), (2, 7)]
        cursor = engine_records.advance({}, first[:1])
        assert cursor == {1: 3}
        rest = engine_records.read_each(db, cursor, limit=1)
        assert [(r.partition_id, r.position) for r in rest] == [(1, 9), (2, 4)]
        assert engine_records.advance(cursor, rest) == {1: 9, 2: 4}
        assert [r.position for r in engine_records.read_after(db, 2, 4)] == [7]
        assert [r.position for r in engine_records.of_instance(db, 10)] == [3, 9]
        assert engine_records.value_of(first[0]) == {"elementId": "x"}


def test_the_sbom_lists_the_libraries_inside_the_jar_at_the_poms_versions() -> None:
    pom = (exporter.PROJECT / "pom.xml").read_text()
    listed = {(c["group"], c["name"]): c for c in sbom.exporter_components()}
    assert set(listed) == {("org.xerial", "sqlite-jdbc"), ("org.postgresql", "postgresql")}
    for (_, name), component in listed.items():
        assert f"<{name}.version>{component['version']}</{name}.version>" in pom
    # The broker's own classes stay out of the jar (provided), so out of this list too.
    assert "<scope>provided</scope>" in pom
