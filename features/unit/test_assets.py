"""Vendoring of the form-js browser build (stack.assets), offline.

The first test uses the ``node_modules`` already installed in the repository (it is skipped
when they are not); the others put a fake ``npm`` on PATH.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from stack import assets
from stack.procs import StackError

REPO = Path(__file__).resolve().parents[2]
PIN = json.loads((REPO / "package.json").read_text())["dependencies"]["@bpmn-io/form-js"]


def make_repo(root: Path, *, installed: str | None = None) -> Path:
    """A repository with the real package.json and, optionally, a stub form-js install."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "package.json", root / "package.json")
    if installed is not None:
        stub_install(root, installed)
    return root


def stub_install(repo: Path, version: str) -> None:
    package = repo / "node_modules" / "@bpmn-io" / "form-js"
    (package / "dist" / "assets").mkdir(parents=True, exist_ok=True)
    (package / "package.json").write_text(json.dumps({"version": version}))
    (package / "dist" / "form-viewer.umd.js").write_text("global.FormViewer = {};\n")
    (package / "dist" / "assets" / "form-js.css").write_text(".fjs-container {}\n")
    (package / "LICENSE").write_text("MIT\n")


def fake_npm(bin_dir: Path, body: str) -> Path:
    """An ``npm`` script that records its arguments and environment, then runs ``body``."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    npm = bin_dir / "npm"
    npm.write_text(
        "#!/bin/sh\n"
        'echo "$@" > "$PWD/npm-args"\n'
        'echo "$IBM_TELEMETRY_DISABLED" > "$PWD/npm-telemetry"\n' + body
    )
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    return npm


def installer_body(version: str) -> str:
    """Shell that installs a stub form-js of ``version`` into the current directory."""
    package = "node_modules/@bpmn-io/form-js"
    return (
        f"mkdir -p {package}/dist/assets\n"
        f'echo \'{{"version": "{version}"}}\' > {package}/package.json\n'
        f"echo 'global.FormViewer = {{}};' > {package}/dist/form-viewer.umd.js\n"
        f"echo '.fjs-container {{}}' > {package}/dist/assets/form-js.css\n"
        f"echo MIT > {package}/LICENSE\n"
    )


@pytest.fixture
def npm_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return bin_dir


def test_vendors_the_installed_form_js_viewer(tmp_path: Path):
    installed = REPO / "node_modules" / "@bpmn-io" / "form-js"
    if assets.installed_version(REPO) != PIN:
        pytest.skip(f"node_modules holds no @bpmn-io/form-js {PIN}: run npm ci first")
    repo = make_repo(tmp_path / "repo")
    (repo / "node_modules" / "@bpmn-io").mkdir(parents=True)
    (repo / "node_modules" / "@bpmn-io" / "form-js").symlink_to(installed)
    said: list[str] = []

    target = assets.ensure_assets(repo, said.append)

    assert target == repo / "web" / "static" / "vendor" / "form-js"
    for name in ("form-viewer.umd.js", "form-js.css", "LICENSE"):
        assert (target / name).stat().st_size > 0, name
    viewer = (target / "form-viewer.umd.js").read_text()
    assert "global.FormViewer = {}" in viewer
    assert ".fjs-container" in (target / "form-js.css").read_text()
    assert "flatpickr" in (target / "form-js.css").read_text()
    assert said and PIN in said[-1]
    assert not any("npm ci" in line for line in said)

    said.clear()
    assets.ensure_assets(repo, said.append)
    assert said == []  # unchanged files are not copied again


def test_runs_npm_ci_without_telemetry_when_form_js_is_missing(tmp_path: Path, npm_path: Path):
    fake_npm(npm_path, installer_body(PIN))
    repo = make_repo(tmp_path / "repo")
    said: list[str] = []

    target = assets.ensure_assets(repo, said.append)

    assert (repo / "npm-args").read_text().split() == ["ci", "--no-audit", "--no-fund"]
    assert (repo / "npm-telemetry").read_text().strip() == "true"
    assert (target / "form-viewer.umd.js").read_text() == "global.FormViewer = {};\n"
    assert any("npm ci" in line for line in said)


def test_runs_npm_ci_when_another_version_is_installed(tmp_path: Path, npm_path: Path):
    fake_npm(npm_path, installer_body(PIN))
    repo = make_repo(tmp_path / "repo", installed="1.0.0")
    assets.ensure_assets(repo, lambda _line: None)
    assert (repo / "npm-args").exists()
    assert assets.installed_version(repo) == PIN


def test_does_not_run_npm_when_the_pin_is_installed(tmp_path: Path, npm_path: Path):
    fake_npm(npm_path, "exit 1\n")
    repo = make_repo(tmp_path / "repo", installed=PIN)
    assets.ensure_assets(repo, lambda _line: None)
    assert not (repo / "npm-args").exists()


def test_recopies_a_vendored_file_that_changed(tmp_path: Path):
    repo = make_repo(tmp_path / "repo", installed=PIN)
    target = assets.ensure_assets(repo, lambda _line: None)
    (target / "form-js.css").write_text("/* edited */")
    said: list[str] = []
    assets.ensure_assets(repo, said.append)
    assert (target / "form-js.css").read_text() == ".fjs-container {}\n"
    assert said and "form-js.css" in said[0] and "LICENSE" not in said[0]


def test_missing_npm_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    repo = make_repo(tmp_path / "repo")
    with pytest.raises(StackError, match="npm is needed"):
        assets.ensure_assets(repo, lambda _line: None)


def test_failing_npm_is_reported_with_its_output(tmp_path: Path, npm_path: Path):
    fake_npm(npm_path, "echo 'npm error 404 Not Found' >&2\nexit 1\n")
    repo = make_repo(tmp_path / "repo")
    with pytest.raises(StackError, match=r"npm ci failed \(exit 1\)") as error:
        assets.ensure_assets(repo, lambda _line: None)
    assert "404 Not Found" in str(error.value)


def test_a_lock_that_installs_another_version_is_reported(tmp_path: Path, npm_path: Path):
    fake_npm(npm_path, installer_body("1.0.0"))
    repo = make_repo(tmp_path / "repo")
    with pytest.raises(StackError, match=f"installed @bpmn-io/form-js 1.0.0.*pins {PIN}"):
        assets.ensure_assets(repo, lambda _line: None)


def test_package_json_without_the_pin_is_reported(tmp_path: Path):
    (tmp_path / "package.json").write_text(json.dumps({"name": "x", "dependencies": {}}))
    with pytest.raises(StackError, match="does not pin @bpmn-io/form-js"):
        assets.ensure_assets(tmp_path, lambda _line: None)


def test_the_pin_is_exact_and_locked():
    assert PIN == "1.23.0"
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"] == {"@bpmn-io/form-js": PIN}
    assert lock["packages"]["node_modules/@bpmn-io/form-js"]["version"] == PIN
    assert all(
        entry.get("integrity", "").startswith("sha512-")
        for path, entry in lock["packages"].items()
        if path
    )
