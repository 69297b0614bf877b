"""Installing the pinned npm packages and vendoring their browser builds (stack.assets).

The first tests use the ``node_modules`` the install step put in the repository (they fail,
naming the fix, when it was not run); the others put a fake ``npm`` on PATH.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import stat
from pathlib import Path

import pytest

from stack import assets
from stack.procs import StackError

REPO = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((REPO / "package.json").read_text())
PINS: dict[str, str] = {**MANIFEST["dependencies"], **MANIFEST["devDependencies"]}
FORM_JS = "@bpmn-io/form-js"
MODELER = "camunda-bpmn-js"
#: What the modeler page needs: the build, its stylesheet with everything it imports, the bpmn
#: font files that stylesheet points at, and the licence; and the read-only viewer of the case
#: pages' progress picture (its stylesheets are among the modeler's).
MODELER_FILES = [
    "LICENSE",
    "base-modeler.css",
    "bpmn-font/css/bpmn-embedded.css",
    "bpmn-font/font/bpmn.eot",
    "bpmn-font/font/bpmn.svg",
    "bpmn-js.css",
    "camunda-cloud-modeler.css",
    "camunda-cloud-modeler.production.min.js",
    "camunda-cloud-navigated-viewer.production.min.js",
    "color-picker.css",
    "diagram-js-minimap.css",
    "diagram-js.css",
    "element-template-chooser.css",
    "element-templates.css",
    "popup-menu.css",
    "properties-panel.css",
]


def stub_install(repo: Path, versions: dict[str, str]) -> None:
    """Stub packages in ``repo/node_modules``; the modeler's stylesheet imports and uses a font."""
    for name, version in versions.items():
        package = repo / "node_modules" / name
        package.mkdir(parents=True, exist_ok=True)
        (package / "package.json").write_text(json.dumps({"version": version}))
        (package / "LICENSE").write_text("MIT\n")
    form_js = repo / "node_modules" / FORM_JS / "dist"
    if form_js.parent.is_dir():
        (form_js / "assets").mkdir(parents=True, exist_ok=True)
        (form_js / "form-viewer.umd.js").write_text("global.FormViewer = {};\n")
        (form_js / "assets" / "form-js.css").write_text(".fjs-container {}\n")
    modeler = repo / "node_modules" / MODELER / "dist"
    if modeler.parent.is_dir():
        (modeler / "assets" / "font").mkdir(parents=True, exist_ok=True)
        (modeler / "camunda-cloud-modeler.production.min.js").write_text("self.BpmnModeler=1\n")
        (modeler / "camunda-cloud-navigated-viewer.production.min.js").write_text(
            "self.BpmnNavigatedViewer=1\n"
        )
        (modeler / "assets" / "camunda-cloud-modeler.css").write_text(
            "@import './base.css';\n.x { background: url(\"data:image/svg+xml;utf8,<svg/>\") }\n"
        )
        (modeler / "assets" / "base.css").write_text(
            "@font-face { src: url('font/icons.woff2?v=1#icons') format('woff2'); }\n"
        )
        (modeler / "assets" / "font" / "icons.woff2").write_bytes(b"wOF2")


def make_repo(root: Path, *, installed: dict[str, str] | None = None) -> Path:
    """A repository with the real package.json and, optionally, stub packages installed."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "package.json", root / "package.json")
    if installed is not None:
        stub_install(root, installed)
    return root


def fake_npm(bin_dir: Path, body: str) -> Path:
    """An ``npm`` script that records its arguments and environment, then runs ``body``."""
    npm = bin_dir / "npm"
    npm.write_text(
        "#!/bin/sh\n"
        'echo "$@" > "$PWD/npm-args"\n'
        'echo "$IBM_TELEMETRY_DISABLED" > "$PWD/npm-telemetry"\n' + body
    )
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    return npm


def installer(tmp_path: Path, versions: dict[str, str]) -> str:
    """Shell for the fake npm that installs stubs of ``versions`` into the current directory."""
    stubs = tmp_path / "stubs"
    stub_install(stubs, versions)
    return f"rm -rf node_modules && cp -R {stubs / 'node_modules'} node_modules\n"


@pytest.fixture
def npm_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return bin_dir


@pytest.fixture
def installed_repo(tmp_path: Path) -> Path:
    """A repository whose node_modules links to the packages installed in this one."""
    wrong = assets.outdated(REPO, PINS)
    if wrong:
        pytest.fail(
            f"node_modules lacks the pinned npm packages {sorted(wrong)}: run `make install` "
            "(python -m stack install --test runs npm ci)"
        )
    repo = make_repo(tmp_path / "repo")
    for name in PINS:
        (repo / "node_modules" / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / "node_modules" / name).symlink_to(REPO / "node_modules" / name)
    return repo


def test_vendors_the_installed_form_js_viewer_and_camunda_modeler(installed_repo: Path):
    said: list[str] = []

    root = assets.ensure_assets(installed_repo, said.append)

    assert root == installed_repo / "web" / "static" / "vendor"
    form_js = root / "form-js"
    assert sorted(p.name for p in form_js.iterdir()) == [
        "LICENSE",
        "form-js.css",
        "form-viewer.umd.js",
    ]
    assert "global.FormViewer = {}" in (form_js / "form-viewer.umd.js").read_text()
    assert "flatpickr" in (form_js / "form-js.css").read_text()
    modeler = root / "camunda-bpmn-js"
    vendored = sorted(p.relative_to(modeler).as_posix() for p in modeler.rglob("*") if p.is_file())
    assert vendored == MODELER_FILES
    assert all((modeler / name).stat().st_size > 0 for name in vendored)
    build = (modeler / "camunda-cloud-modeler.production.min.js").read_text()
    assert ".BpmnModeler=" in build[:1000]  # the UMD wrapper sets the global
    assert [line for line in said if "npm ci" in line] == []
    assert f"{FORM_JS} {PINS[FORM_JS]}" in said[0] and f"{MODELER} {PINS[MODELER]}" in said[1]

    said.clear()
    assets.ensure_assets(installed_repo, said.append)
    assert said == []  # unchanged files are not copied again


def test_every_relative_reference_of_the_vendored_modeler_css_resolves(installed_repo: Path):
    modeler = assets.ensure_assets(installed_repo, lambda _line: None) / "camunda-bpmn-js"
    reference = re.compile(r"""(?:@import\s+|url\()['"]?(\.{1,2}/[^'")?#]+)""")
    checked = set()
    for css in modeler.rglob("*.css"):
        for path in reference.findall(css.read_text()):
            target = posixpath.normpath(posixpath.join(css.parent.as_posix(), path))
            assert Path(target).is_file(), f"{css.relative_to(modeler)}: {path} is not vendored"
            checked.add(Path(target).relative_to(modeler).as_posix())
    assert {"diagram-js.css", "properties-panel.css", "bpmn-font/font/bpmn.eot"} <= checked


def test_runs_npm_ci_with_dev_packages_and_without_telemetry_when_one_is_missing(
    tmp_path: Path, npm_path: Path
):
    fake_npm(npm_path, installer(tmp_path, PINS))
    missing_one = {name: version for name, version in PINS.items() if name != "bpmnlint"}
    repo = make_repo(tmp_path / "repo", installed=missing_one)
    said: list[str] = []

    root = assets.ensure_assets(repo, said.append)

    args = (repo / "npm-args").read_text().split()
    assert args == ["ci", "--include=dev", "--no-audit", "--no-fund"]
    assert (repo / "npm-telemetry").read_text().strip() == "true"
    assert assets.installed_version(repo, "bpmnlint") == PINS["bpmnlint"]
    assert (root / "form-js" / "form-viewer.umd.js").read_text() == "global.FormViewer = {};\n"
    assert any("npm ci" in line for line in said)


def test_vendors_what_a_stylesheet_imports_and_points_at_in_its_place(tmp_path: Path):
    repo = make_repo(tmp_path / "repo", installed=PINS)

    modeler = assets.ensure_assets(repo, lambda _line: None) / "camunda-bpmn-js"

    vendored = sorted(p.relative_to(modeler).as_posix() for p in modeler.rglob("*") if p.is_file())
    assert vendored == [
        "LICENSE",
        "base.css",
        "camunda-cloud-modeler.css",
        "camunda-cloud-modeler.production.min.js",
        "camunda-cloud-navigated-viewer.production.min.js",
        "font/icons.woff2",
    ]


def test_a_stylesheet_reference_outside_the_package_is_refused(tmp_path: Path):
    repo = make_repo(tmp_path / "repo", installed=PINS)
    css = repo / "node_modules" / MODELER / "dist" / "assets" / "camunda-cloud-modeler.css"
    css.write_text("@import '../../../other/x.css';\n")
    with pytest.raises(StackError, match="outside its package folder"):
        assets.ensure_assets(repo, lambda _line: None)


def test_a_missing_referenced_file_is_reported(tmp_path: Path):
    repo = make_repo(tmp_path / "repo", installed=PINS)
    (repo / "node_modules" / MODELER / "dist" / "assets" / "font" / "icons.woff2").unlink()
    with pytest.raises(StackError, match=r"icons\.woff2 is missing or empty"):
        assets.ensure_assets(repo, lambda _line: None)


@pytest.mark.parametrize("package", ["@bpmn-io/form-js", "zeebe-bpmn-moddle"])
def test_runs_npm_ci_when_another_version_is_installed(
    tmp_path: Path, npm_path: Path, package: str
):
    fake_npm(npm_path, installer(tmp_path, PINS))
    repo = make_repo(tmp_path / "repo", installed={**PINS, package: "1.0.0"})
    assets.ensure_assets(repo, lambda _line: None)
    assert (repo / "npm-args").exists()
    assert assets.installed_version(repo, package) == PINS[package]


def test_does_not_run_npm_when_every_pin_is_installed(tmp_path: Path, npm_path: Path):
    fake_npm(npm_path, "exit 1\n")
    repo = make_repo(tmp_path / "repo", installed=PINS)
    assets.ensure_assets(repo, lambda _line: None)
    assert not (repo / "npm-args").exists()


def test_recopies_a_vendored_file_that_changed(tmp_path: Path):
    repo = make_repo(tmp_path / "repo", installed=PINS)
    root = assets.ensure_assets(repo, lambda _line: None)
    (root / "form-js" / "form-js.css").write_text("/* edited */")
    said: list[str] = []
    assets.ensure_assets(repo, said.append)
    assert (root / "form-js" / "form-js.css").read_text() == ".fjs-container {}\n"
    assert len(said) == 1 and "form-js.css" in said[0] and "LICENSE" not in said[0]


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
    fake_npm(npm_path, installer(tmp_path, {**PINS, FORM_JS: "1.0.0"}))
    repo = make_repo(tmp_path / "repo")
    with pytest.raises(StackError, match=rf"{FORM_JS} 1\.0\.0 \(pin {PINS[FORM_JS]}\)"):
        assets.ensure_assets(repo, lambda _line: None)


def test_package_json_without_a_vendored_package_is_reported(tmp_path: Path):
    (tmp_path / "package.json").write_text(json.dumps({"name": "x", "dependencies": {}}))
    with pytest.raises(StackError, match=f"does not pin {FORM_JS}, {MODELER}"):
        assets.ensure_assets(tmp_path, lambda _line: None)


def test_a_version_range_in_package_json_is_refused(tmp_path: Path):
    manifest = {**MANIFEST, "devDependencies": {**MANIFEST["devDependencies"], "bpmnlint": "^11"}}
    (tmp_path / "package.json").write_text(json.dumps(manifest))
    with pytest.raises(StackError, match=r"must pin exact versions: bpmnlint \^11"):
        assets.ensure_assets(tmp_path, lambda _line: None)


def test_the_pins_are_exact_and_locked():
    assert PINS == {
        "@bpmn-io/form-js": "1.23.0",
        "camunda-bpmn-js": "5.30.2",
        "bpmnlint": "11.15.0",
        "bpmnlint-plugin-camunda-compat": "2.61.0",
        "zeebe-bpmn-moddle": "2.0.0",
        "axe-core": "4.14.1",
    }
    lock = json.loads((REPO / "package-lock.json").read_text())
    root = lock["packages"][""]
    assert root["dependencies"] == MANIFEST["dependencies"]
    assert root["devDependencies"] == MANIFEST["devDependencies"]
    for name, version in PINS.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert all(
        entry.get("integrity", "").startswith("sha512-")
        for path, entry in lock["packages"].items()
        if path
    )
