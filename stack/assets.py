"""Front-end packages from npm; their browser builds are copied into ``web/static/vendor``.

``package.json`` pins every package it names exactly: the browser builds in ``dependencies``,
the test suite's ``bpmnlint`` with its Camunda plugin in ``devDependencies``;
``package-lock.json`` pins the rest. ``npm ci`` runs when any pinned package is missing from
``node_modules`` or at another version. It always runs with ``IBM_TELEMETRY_DISABLED=true``
(``@carbon/*`` packages pulled in by form-js and the modeler otherwise try to report usage from
a postinstall script) and always installs the dev dependencies, which the tests use.

Both browser builds are ready UMD bundles, so no bundler is involved. The launcher copies them
into folders of ``web/static/vendor/``, which git ignores:

- ``form-js/``: the form-js viewer (global ``FormViewer``), its stylesheet (which already holds
  the base styles and flatpickr's date picker theme) and its licence;
- ``camunda-bpmn-js/``: the Camunda 8 modeler with its properties panel (global
  ``BpmnModeler``), ``camunda-cloud-modeler.css`` and every stylesheet and font it reaches
  through ``@import`` and ``url()`` (diagram-js, bpmn-js, the bpmn font, the properties panel,
  element templates, ...), placed as in the package so relative references resolve, and its
  licence.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from stack.procs import StackError


@dataclass(frozen=True)
class Bundle:
    """Files of one npm package that the web app serves from ``VENDOR_ROOT / folder``."""

    package: str
    folder: str
    #: Paths inside the package; each lands in the folder under its base name, and the files a
    #: stylesheet references keep their place relative to that stylesheet.
    files: tuple[str, ...]


BUNDLES = (
    Bundle(
        "@bpmn-io/form-js",
        "form-js",
        ("dist/form-viewer.umd.js", "dist/assets/form-js.css", "LICENSE"),
    ),
    Bundle(
        "camunda-bpmn-js",
        "camunda-bpmn-js",
        (
            "dist/camunda-cloud-modeler.production.min.js",
            "dist/camunda-cloud-navigated-viewer.production.min.js",
            "dist/assets/camunda-cloud-modeler.css",
            "LICENSE",
        ),
    ),
)
#: Where the vendored folders go, relative to the repository.
VENDOR_ROOT = Path("web/static/vendor")
NPM_TIMEOUT = 900
_EXACT_VERSION = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?")
#: ``@import 'x.css'``, ``@import url(x.css)`` and ``url(...)``, quoted or not.
_CSS_REFERENCE = re.compile(
    r"""(?:@import\s+(?:url\(\s*)?|url\(\s*)(?:"([^"]*)"|'([^']*)'|([^\s'")]+))"""
)


def pinned_versions(repo: Path) -> dict[str, str]:
    """Every package ``package.json`` pins (dependencies and devDependencies): its version."""
    try:
        manifest = json.loads((repo / "package.json").read_text(encoding="utf-8"))
        pins = {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise StackError(f"package.json cannot be read: {exc}") from exc
    missing = [bundle.package for bundle in BUNDLES if bundle.package not in pins]
    if missing:
        raise StackError("package.json does not pin " + ", ".join(missing))
    loose = [f"{name} {version}" for name, version in pins.items() if not _exact(version)]
    if loose:
        raise StackError("package.json must pin exact versions: " + ", ".join(loose))
    return pins


def _exact(version: object) -> bool:
    return isinstance(version, str) and _EXACT_VERSION.fullmatch(version) is not None


def installed_version(repo: Path, package: str) -> str | None:
    """The version of ``package`` in ``node_modules``, or ``None`` when it is not installed."""
    try:
        manifest = json.loads(
            (repo / "node_modules" / package / "package.json").read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        return None
    version = manifest.get("version") if isinstance(manifest, dict) else None
    return version if isinstance(version, str) else None


def outdated(repo: Path, pins: Mapping[str, str]) -> dict[str, str | None]:
    """Pinned packages missing from ``node_modules`` or at another version: what is there."""
    found = {name: installed_version(repo, name) for name in pins}
    return {name: version for name, version in found.items() if version != pins[name]}


def npm_ci(repo: Path, say: Callable[[str], None]) -> None:
    """Install exactly what ``package-lock.json`` says, dev dependencies too, without telemetry."""
    npm = shutil.which("npm")
    if npm is None:
        raise StackError(
            "npm is needed to install the web assets (form-js, the modeler) and bpmnlint; "
            "install Node.js 20+ and npm (Debian: apt-get install nodejs npm)"
        )
    say("==> Memasang paket npm dengan npm ci")
    env = {**os.environ, "IBM_TELEMETRY_DISABLED": "true"}
    try:
        result = subprocess.run(
            [npm, "ci", "--include=dev", "--no-audit", "--no-fund"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise StackError(f"npm ci did not finish within {NPM_TIMEOUT}s") from exc
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).strip().splitlines()[-30:])
        raise StackError(f"npm ci failed (exit {result.returncode}):\n{output}")


def css_references(css: str) -> list[str]:
    """Relative paths a stylesheet imports or points at with ``url()``, minus query/fragment."""
    references = []
    for match in _CSS_REFERENCE.finditer(css):
        path = re.split(r"[?#]", match[1] or match[2] or match[3] or "", maxsplit=1)[0]
        if path and ":" not in path and not path.startswith("/"):
            references.append(path)
    return references


def vendored_files(package: Path, files: tuple[str, ...]) -> dict[str, Path]:
    """Name in the vendored folder -> installed file: ``files`` and what their CSS references."""
    found: dict[str, Path] = {}
    pending = [(PurePosixPath(path).name, package / path) for path in files]
    while pending:
        name, source = pending.pop()
        if name in found:
            continue
        if not source.is_file() or source.stat().st_size == 0:
            raise StackError(f"{source} is missing or empty: reinstall with npm ci")
        found[name] = source
        if not name.endswith(".css"):
            continue
        for reference in css_references(source.read_text(encoding="utf-8", errors="replace")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), reference))
            if target.startswith("../"):
                raise StackError(f"{source} references {reference}, outside its package folder")
            pending.append((target, Path(os.path.normpath(source.parent / reference))))
    return dict(sorted(found.items()))


def _copy_if_changed(source: Path, target: Path) -> bool:
    """Copy ``source`` over ``target`` atomically unless they are equal; True if copied."""
    if target.is_file() and target.read_bytes() == source.read_bytes():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    return True


def ensure_assets(repo: Path, say: Callable[[str], None] = print) -> Path:
    """Install the pinned npm packages if needed, vendor the browser builds; return VENDOR_ROOT."""
    pins = pinned_versions(repo)
    if outdated(repo, pins):
        npm_ci(repo, say)
        wrong = outdated(repo, pins)
        if wrong:
            raise StackError(
                "npm ci did not install what package.json pins: "
                + ", ".join(
                    f"{name} {v or 'nothing'} (pin {pins[name]})" for name, v in wrong.items()
                )
                + "; regenerate package-lock.json with npm install"
            )
    for bundle in BUNDLES:
        folder = VENDOR_ROOT / bundle.folder
        files = vendored_files(repo / "node_modules" / bundle.package, bundle.files)
        copied = [
            name for name, source in files.items() if _copy_if_changed(source, repo / folder / name)
        ]
        if copied:
            say(
                f"==> {bundle.package} {pins[bundle.package]} disalin ke {folder}: "
                + ", ".join(copied)
            )
    return repo / VENDOR_ROOT
