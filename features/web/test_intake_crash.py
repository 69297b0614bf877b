"""The web app killed (``kill -9``) in the middle of an intake, after S3 took the files and
before the case was written: no case, no row, nothing started — the applicant got no receipt
and sends again — and the sweep removes the orphaned files."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from alur import faults
from features.support.tally import Tally
from features.web.conftest import Site
from stack.local import REPO, Stack
from storage import documents
from storage.models import Case, CaseDocument, utcnow

pytestmark = [pytest.mark.platform, pytest.mark.faults]

#: One intake through the real app in its own process, which the fault point kills.
SCRIPT = """
import io, json, re
from alur import settings
from features.web.conftest import SERVICE
from features.web.test_case_flow import INTAKE, PDF
from web import create_app

client = create_app(settings.load(), catalog=(SERVICE,)).test_client()
page = client.get("/layanan/uji-layanan").get_data(as_text=True)
token = re.search(r'name="csrf_token" value="([^"]+)"', page) or re.search(
    r'data-csrf="([^"]+)"', page
)
body = {"data": json.dumps(INTAKE), "csrf_token": token.group(1)}
body["files::ktp"] = (io.BytesIO(PDF), "ktp.pdf")
client.post("/layanan/uji-layanan/ajukan", data=body, content_type="multipart/form-data")
"""


def rowless_uploads(site: Site, stack: Stack) -> list[str]:
    bucket = stack.settings.s3_bucket_uploads
    client = stack.s3_client()
    with site.sessions() as db:
        return [
            item.object_name
            for item in client.list_objects(bucket, prefix="unattached/", recursive=True)
            if db.scalar(select(CaseDocument.id).where(CaseDocument.object_key == item.object_name))
            is None
        ]


def test_a_web_app_killed_mid_intake_writes_nothing_and_its_files_are_swept(
    site: Site, stack: Stack, tally: Tally
):
    settings = site.app.extensions["alur.settings"]
    with site.sessions() as db:
        cases_before = db.scalar(select(func.count()).select_from(Case))
    orphans_before = set(rowless_uploads(site, stack))
    env = {**stack.app_environ(settings), faults.VARIABLE: "intake.after_files_stored"}
    crashed = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=REPO, check=False, timeout=120
    )
    with site.sessions() as db:
        cases_after = db.scalar(select(func.count()).select_from(Case))
    left = set(rowless_uploads(site, stack)) - orphans_before
    with site.sessions() as db:
        swept = documents.sweep_unattached(
            db,
            stack.s3_client(),
            stack.settings.s3_bucket_uploads,
            utcnow() + timedelta(hours=2),
        )
    remaining = set(rowless_uploads(site, stack)) & left
    tally.add("faults", 1, int(crashed.returncode == -9 and cases_after == cases_before))
    tally.add("lost", 1, len(remaining))
    assert crashed.returncode == -9, "the app was not killed at intake.after_files_stored"
    assert cases_after == cases_before, "a case was written by an intake that never finished"
    assert len(left) == 1, left  # the identity card, stored before the crash
    assert swept >= 1 and not remaining
