"""The import direction the README states, checked on every module of ``alur/``, ``storage/``,
``workers/`` and ``web/`` (their ``import`` statements, read with ``ast``, including those
inside functions):

- ``alur.settings`` imports nothing of the four packages;
- ``storage`` imports nothing of ``alur`` but ``alur.settings``;
- ``alur`` imports ``storage`` (and itself), never ``workers`` or ``web``;
- ``workers`` imports ``alur`` and ``storage``, never ``web``;
- ``web`` imports ``alur`` and ``storage``, never ``workers`` (separate processes);
- none imports ``stack``, ``features`` or ``bench``, which sit on top.

The checker takes a root directory, so a planted upward import in a copy of the tree shows it
reports what it should, with file and line.
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from stack.local import REPO

PACKAGES = ("alur", "storage", "workers", "web")
#: Packages above all four: none of them may import these.
ON_TOP = frozenset({"stack", "features", "bench"})
#: What each layer may import of the project's own packages.
ALLOWED: dict[str, frozenset[str]] = {
    "alur.settings": frozenset({"alur.settings"}),
    "storage": frozenset({"storage", "alur.settings"}),
    "alur": frozenset({"alur", "alur.settings", "storage"}),
    "workers": frozenset({"workers", "alur", "alur.settings", "storage"}),
    "web": frozenset({"web", "alur", "alur.settings", "storage"}),
}


@dataclass(frozen=True, order=True)
class Violation:
    path: str  # relative to the root, with /
    line: int
    module: str
    imported: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.module} imports {self.imported}"


def layer(module: str) -> str | None:
    """The layer a dotted module name belongs to; ``None`` outside the project."""
    if module == "alur.settings" or module.startswith("alur.settings."):
        return "alur.settings"
    top = module.split(".", 1)[0]
    if top in ALLOWED or top in ON_TOP:
        return top
    return None


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(root: Path, dotted: str) -> bool:
    base = root.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(root: Path, path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, with the line of its import statement."""
    module = module_name(root, path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                found.append((node.lineno, candidate if _is_module(root, candidate) else source))
    return found


def violations(root: Path) -> list[Violation]:
    """Every import in ``root``'s alur/, storage/, workers/ and web/ against the layers."""
    found: list[Violation] = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            module = module_name(root, path)
            own = layer(module)
            assert own is not None
            for line, imported in imported_modules(root, path):
                target = layer(imported)
                if target is not None and target not in ALLOWED[own]:
                    relative = path.relative_to(root).as_posix()
                    found.append(Violation(relative, line, module, imported))
    return sorted(set(found))


def test_imports_point_the_way_the_readme_says():
    assert [str(v) for v in violations(REPO)] == []


def test_the_readme_states_the_direction_this_test_enforces():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "features/unit/test_layers.py" in readme


PLANTED = [
    ("storage/db.py", "from workers import registry", "workers.registry"),
    ("storage/db.py", "from alur import lint", "alur.lint"),
    ("storage/models.py", "import web", "web"),
    ("alur/settings.py", "from storage import db", "storage.db"),
    ("alur/cli.py", "from workers.registry import build_routers", "workers.registry"),
    ("alur/lint.py", "from stack.local import REPO", "stack.local"),
    ("web/modeler.py", "from workers import registry", "workers.registry"),
    ("workers/sla.py", "from web import modeler", "web.modeler"),
]


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four packages as they are now (their Python files), to plant imports in."""
    root = tmp_path_factory.mktemp("tree")
    for package in (*PACKAGES, "stack"):
        shutil.copytree(REPO / package, root / package, ignore=_only_python)
    return root


def _only_python(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()]


@pytest.mark.parametrize(("where", "statement", "imported"), PLANTED)
def test_a_planted_upward_import_is_reported_with_file_and_line(
    copy: Path, tmp_path: Path, where: str, statement: str, imported: str
):
    root = tmp_path / "root"
    shutil.copytree(copy, root)
    path = root / where
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, text in enumerate(lines) if text.startswith(("import ", "from ")))
    lines.insert(at, statement)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    module = module_name(root, path)

    planted = Violation(where, at + 1, module, imported)
    assert planted in violations(root)
    assert set(violations(root)) - set(violations(copy)) == {planted}


def test_a_planted_import_inside_a_function_is_reported_too(tmp_path: Path):
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "workers" / "x.py").write_text("")
    (tmp_path / "alur" / "settings.py").write_text("")
    (tmp_path / "storage" / "cases.py").write_text(
        '"""Cases."""\n\nfrom alur import settings\n\n\ndef f():\n    from workers import x\n'
    )
    assert [str(v) for v in violations(tmp_path)] == [
        "storage/cases.py:7: storage.cases imports workers.x"
    ]
