"""Process owners edit a diagram in the browser, see the lint's findings, and deploy it.

Saving keeps a draft with its findings; only a draft without findings can be deployed, and
only a draft of the same process (its ``bpmnProcessId`` is fixed). Zeebe gives a deployed
draft the next version: cases already running keep the version they started on, new cases
take the new one. A diagram Zeebe rejects is not recorded and the owner reads Zeebe's reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import grpc
from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request

from alur import bpmn, lint, roles, stepdiff
from alur.gateway import Deployer
from storage import case_status, deployments
from web.auth import roles_required
from web.extensions import db

bp = Blueprint("modeler", __name__, url_prefix="/pemilik-proses/diagram")
OWNER_ROLES = roles.OWNERS
#: The largest diagram the modeler may save; the shipped ones are far below 1 MB.
MAX_DIAGRAM_BYTES = 2 * 1024 * 1024


class DiagramError(ValueError):
    """A saved diagram that cannot be kept: the message is for the process owner."""


@dataclass(frozen=True)
class Shipped:
    """A diagram of the installation: the file in ``bpmn/`` and the process it holds."""

    path: Path
    process_id: str
    name: str


def _shipped() -> dict[str, Shipped]:
    folder = Path(current_app.extensions["alur.settings"].bpmn_dir)
    found: dict[str, Shipped] = {}
    for path in sorted(folder.glob("*.bpmn")):
        for process_id, name in _processes(path.read_bytes()):
            found[process_id] = Shipped(path, process_id, name)
    return found


def _processes(data: bytes) -> list[tuple[str, str]]:
    return [(p.id, p.name) for p in bpmn.read(data).processes]


def _diagram(process_id: str) -> Shipped:
    found = _shipped().get(process_id)
    if found is None:
        abort(404)
    return found


def checked_upload(data: bytes, process_id: str) -> str:
    """The diagram text if it is one well-formed BPMN diagram of ``process_id``."""
    if not data.strip():
        raise DiagramError("Diagram kosong.")
    if len(data) > MAX_DIAGRAM_BYTES:
        raise DiagramError(f"Diagram lebih dari {MAX_DIAGRAM_BYTES // 1024 // 1024} MB.")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise DiagramError("Diagram tidak boleh memuat DOCTYPE atau deklarasi entitas.")
    try:
        text = data.decode("utf-8")
        processes = _processes(data)
    except (UnicodeDecodeError, bpmn.Unreadable) as exc:
        raise DiagramError(f"Diagram bukan XML yang sah: {exc}") from exc
    ids = [pid for pid, _name in processes]
    if ids != [process_id]:
        raise DiagramError(
            f"Diagram harus memuat tepat satu proses dengan id {process_id!r} "
            f"(ditemukan: {', '.join(ids) or 'tidak ada'})."
        )
    return text


def _current_xml(process_id: str) -> tuple[str, str]:
    """What the modeler opens, and where it comes from: a draft, the latest version, the file."""
    with db() as session:
        draft = deployments.open_draft(session, process_id)
        if draft is not None:
            return draft.content, f"draf tersimpan {draft.saved_at:%Y-%m-%d %H:%M} UTC"
        newest = deployments.latest(session, process_id)
        if newest is not None and newest.content:
            return newest.content, f"versi {newest.version} yang berlaku"
    return _diagram(process_id).path.read_text(encoding="utf-8"), "berkas diagram"


@bp.get("")
@roles_required(*OWNER_ROLES)
def index() -> str:
    """Every process with its current version and the cases running on each version."""
    rows = []
    with db() as session:
        for process_id, shipped in _shipped().items():
            running = deployments.running_cases(session, process_id)
            rows.append(
                {
                    "shipped": shipped,
                    "latest": deployments.latest(session, process_id),
                    "running": sum(len(cases) for cases in running.values()),
                    "draft": deployments.open_draft(session, process_id),
                }
            )
    return render_template("owners/diagrams.html", rows=rows)


@bp.get("/<process_id>")
@roles_required(*OWNER_ROLES)
def edit(process_id: str) -> str:
    """The modeler (bpmn-js for Camunda 8) with the diagram loaded."""
    shipped = _diagram(process_id)
    _xml, source = _current_xml(process_id)
    return render_template("owners/modeler.html", shipped=shipped, source=source)


@bp.get("/<process_id>.bpmn")
@roles_required(*OWNER_ROLES)
def xml(process_id: str) -> Response:
    """The text the modeler opens; also a download to commit to the repository."""
    _diagram(process_id)
    text, _source = _current_xml(process_id)
    return Response(text, mimetype="application/xml")


@bp.post("/<process_id>/simpan")
@roles_required(*OWNER_ROLES)
def save(process_id: str) -> tuple[Response, int]:
    """Keep the edited diagram as a draft and answer with the lint's findings."""
    shipped = _diagram(process_id)
    try:
        text = checked_upload(request.get_data(cache=False), process_id)
    except DiagramError as exc:
        return jsonify(error=str(exc)), 422
    forms_dir = Path(current_app.extensions["alur.settings"].forms_dir)
    context = lint.default_context(forms_dir)
    found = lint.lint_text(text.encode("utf-8"), shipped.path.name, context)
    findings = [{"line": f.line, "element": f.element, "message": f.message} for f in found]
    with db() as session:
        draft = deployments.save_draft(
            session,
            bpmn_process_id=process_id,
            resource_name=shipped.path.name,
            content=text,
            findings=findings,
            saved_by=g.user.username,
        )
        draft_id = draft.id
    return jsonify(draft=draft_id, findings=findings, deployable=not findings), 200


@bp.post("/<process_id>/terapkan")
@roles_required(*OWNER_ROLES)
def deploy(process_id: str) -> tuple[Response, int]:
    """Deploy a saved draft without findings as the process's next version."""
    _diagram(process_id)
    payload: dict[str, Any] = request.get_json(silent=True) or {}
    with db() as session:
        draft = deployments.draft(session, process_id, payload.get("draft"))
        if draft is None:
            return jsonify(error="Draf tidak ditemukan: simpan diagram dulu."), 404
        if draft.findings:
            return jsonify(
                error="Diagram masih punya temuan lint: perbaiki dan simpan lagi sebelum "
                "diterapkan.",
                findings=draft.findings,
            ), 422
        deployer: Deployer = current_app.extensions["alur.deployer"]
        try:
            deployed = deployer.deploy_process(draft.resource_name, draft.content)
        except grpc.RpcError as error:
            reason = error.details() if hasattr(error, "details") else str(error)
            return jsonify(error=f"Zeebe menolak diagram ini: {reason}"), 422
        deployments.record(session, [deployed], g.user.username)
        draft.deployed_key = deployed.key
        session.commit()
    return jsonify(
        version=deployed.version,
        message=f"Versi {deployed.version} diterapkan: kasus baru memakai versi ini; kasus "
        "yang sedang berjalan tetap pada versinya.",
    ), 200


@bp.get("/<process_id>/riwayat")
@roles_required(*OWNER_ROLES)
def history(process_id: str) -> str:
    """Who deployed which version when, what changed, and which cases run on it."""
    shipped = _diagram(process_id)
    with db() as session:
        versions = deployments.versions(session, process_id)
        running = deployments.running_cases(session, process_id)
        rows = []
        for index, version in enumerate(versions):
            previous = versions[index + 1] if index + 1 < len(versions) else None
            changes = (
                [asdict(c) for c in stepdiff.diff(previous.content, version.content)]
                if previous is not None and previous.content and version.content
                else None
            )
            rows.append(
                {
                    "version": version,
                    "changes": changes,
                    "cases": [
                        {
                            "code": c.tracking_code,
                            "status": case_status.label(c.status),
                            "since": c.created_at,
                        }
                        for c in running.get(version.zeebe_key, [])
                    ],
                }
            )
    return render_template("owners/history.html", shipped=shipped, rows=rows)
