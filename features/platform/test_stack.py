"""The launcher's stack: loopback only, deploys recorded, apps up, nothing left behind."""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from features.support.sockets import group_pids, is_loopback, listening
from stack.local import Stack
from stack.procs import wait_until
from storage.db import make_engine, make_sessionmaker
from storage.models import Deployment

pytestmark = pytest.mark.platform
DIAGRAMS = Path(__file__).resolve().parent / "diagrams"


def test_every_server_listens_on_loopback_only(stack: Stack):
    for name in ("zeebe", "seaweedfs", "smtp"):
        child = stack.children[name]
        ports = listening(child.pid)
        assert ports, f"{name} listens on nothing?"
        exposed = [(addr, port) for addr, port in ports if not is_loopback(addr)]
        assert exposed == [], f"{name} listens beyond loopback: {exposed}"
    zeebe_ports = {port for _, port in listening(stack.children["zeebe"].pid)}
    p = stack.zeebe.ports
    assert {p.gateway, p.command, p.internal, p.rest, p.management} <= zeebe_ports
    assert listening(stack.children["smtp"].pid) == [("127.0.0.1", stack.smtp.port)]


def test_deploy_records_each_new_version_once(stack: Stack, tmp_path: Path):
    bpmn_dir = tmp_path / "bpmn"
    bpmn_dir.mkdir()
    shutil.copy(DIAGRAMS / "uji_gema.bpmn", bpmn_dir)
    own = replace(stack, settings=replace(stack.settings, bpmn_dir=bpmn_dir, forms_dir=tmp_path))
    first = own.deploy(log=lambda _m: None)
    again = own.deploy(log=lambda _m: None)
    assert [d.resource_id for d in first] == ["Uji_Gema"]
    assert again[0].key == first[0].key  # unchanged diagram: same version, nothing new
    engine = make_engine(stack.settings.database_url)
    with make_sessionmaker(engine)() as session:
        rows = session.scalars(select(Deployment).where(Deployment.resource_id == "Uji_Gema"))
        assert [(r.version, r.zeebe_key) for r in rows] == [(first[0].version, first[0].key)]
    engine.dispose()


@pytest.fixture(scope="module")
def apps(stack: Stack) -> Iterator[Stack]:
    stack.start_workers()
    stack.start_web(workers=1)
    try:
        yield stack
    finally:
        for name in ("web", "workers"):
            child = stack.children.pop(name, None)
            if child is not None:
                stack.supervisor.stop(child)


def test_web_app_reports_every_server_healthy(apps: Stack):
    base = apps.settings.public_base_url
    with urllib.request.urlopen(f"{base}/kesehatan", timeout=5) as response:
        body = json.loads(response.read())
    assert body == {"status": "ok", "layanan": {"database": "ok", "s3": "ok", "zeebe": "ok"}}
    with urllib.request.urlopen(f"{base}/", timeout=5) as response:
        page = response.read().decode()
    assert 'lang="id"' in page
    assert "Selamat datang di Alur" in page


def test_apps_listen_on_loopback_only(apps: Stack):
    web_ports = listening(apps.children["web"].pid)
    assert (apps.settings.web_host, apps.settings.web_port) in web_ports
    assert all(is_loopback(addr) for addr, _ in web_ports)
    assert all(is_loopback(addr) for addr, _ in listening(apps.children["workers"].pid))


def test_stopping_leaves_no_process_behind(stack: Stack):
    child = stack.supervisor.start(
        "uji-anak", ["sh", "-c", "sleep 300 & sleep 300 & wait"], env=dict(os.environ)
    )
    wait_until(lambda: len(group_pids(child.pid)) == 3, timeout=10, what="the shell's children")
    stack.supervisor.stop(child, timeout=5)
    assert group_pids(child.pid) == []
