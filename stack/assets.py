"""Browser builds the web app serves, installed with npm and copied into ``web/static/vendor``.

``package.json`` pins ``@bpmn-io/form-js`` exactly and ``package-lock.json`` pins the rest.
``npm ci`` runs only when ``node_modules`` lacks the pinned form-js; it always runs with
``IBM_TELEMETRY_DISABLED=true`` (``@carbon/*`` packages pulled in by form-js otherwise try to
report usage from a postinstall script). The form-js viewer is a ready UMD build (global
``FormViewer``), so no bundler is involved: the launcher copies it, its stylesheet (which
already holds the base styles and flatpickr's date picker theme) and its licence into
``web/static/vendor/form-js/``, a generated folder that git ignores.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from stack.procs import StackError

FORM_JS = "@bpmn-io/form-js"
#: Where the vendored files go, relative to the repository.
VENDOR_DIR = Path("web/static/vendor/form-js")
#: Vendored file name -> its path inside the installed form-js package.
FORM_JS_FILES = {
    "form-viewer.umd.js": "dist/form-viewer.umd.js",
    "form-js.css": "dist/assets/form-js.css",
    "LICENSE": "LICENSE",
}
NPM_TIMEOUT = 900


def pinned_version(repo: Path) -> str:
    """The form-js version ``package.json`` pins."""
    try:
        manifest = json.loads((repo / "package.json").read_text(encoding="utf-8"))
        return str(manifest["dependencies"][FORM_JS])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StackError(f"package.json does not pin {FORM_JS}: {exc}") from exc


def installed_version(repo: Path) -> str | None:
    """The form-js version in ``node_modules``, or ``None`` when it is not installed."""
    try:
        manifest = json.loads(
            (repo / "node_modules" / FORM_JS / "package.json").read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        return None
    version = manifest.get("version") if isinstance(manifest, dict) else None
    return version if isinstance(version, str) else None


def npm_ci(repo: Path, say: Callable[[str], None]) -> None:
    """Install exactly what ``package-lock.json`` says, without telemetry."""
    npm = shutil.which("npm")
    if npm is None:
        raise StackError(
            "npm is needed to install the web assets (form-js); install Node.js 20+ and npm "
            "(Debian: apt-get install nodejs npm)"
        )
    say("==> Memasang aset web dengan npm ci")
    env = {**os.environ, "IBM_TELEMETRY_DISABLED": "true"}
    try:
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
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


def _copy_if_changed(source: Path, target: Path) -> bool:
    """Copy ``source`` over ``target`` atomically unless they are equal; True if copied."""
    if not source.is_file() or source.stat().st_size == 0:
        raise StackError(f"{source} is missing or empty: reinstall with npm ci")
    if target.is_file() and target.read_bytes() == source.read_bytes():
        return False
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    return True


def ensure_assets(repo: Path, say: Callable[[str], None] = print) -> Path:
    """Install the pinned form-js if needed and vendor its browser build; return the folder."""
    wanted = pinned_version(repo)
    if installed_version(repo) != wanted:
        npm_ci(repo, say)
        found = installed_version(repo)
        if found != wanted:
            raise StackError(
                f"npm ci installed {FORM_JS} {found or 'nothing'}, package.json pins {wanted}: "
                "regenerate package-lock.json with npm install"
            )
    package = repo / "node_modules" / FORM_JS
    target = repo / VENDOR_DIR
    target.mkdir(parents=True, exist_ok=True)
    copied = [
        name
        for name, source in FORM_JS_FILES.items()
        if _copy_if_changed(package / source, target / name)
    ]
    if copied:
        say(f"==> form-js {wanted} disalin ke {VENDOR_DIR}: " + ", ".join(copied))
    return target
