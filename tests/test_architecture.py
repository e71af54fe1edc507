"""Layer rules that must not silently break (import-linter checks them too, in tools/dev.py)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ietp_desktop"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_only_ui_imports_pyside6() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _modules(PACKAGE)
        if path.relative_to(PACKAGE).parts[0] != "ui"
        and any(name.split(".")[0] == "PySide6" for name in _imports(path))
    ]
    assert offenders == []


def test_domain_imports_nothing_of_the_project_but_itself_and_no_sql_or_qt() -> None:
    forbidden_roots = {"sqlalchemy", "sqlite3", "PySide6", "alembic"}
    offenders = []
    for path in _modules(PACKAGE / "domain"):
        for name in _imports(path):
            root = name.split(".")[0]
            project_outside_domain = root == "ietp_desktop" and not name.startswith(
                "ietp_desktop.domain"
            )
            if root in forbidden_roots or project_outside_domain:
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_a_forbidden_import_would_be_caught(tmp_path: Path) -> None:
    """The check itself can fail: a domain module importing storage is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from ietp_desktop.storage.models import Visit\nimport PySide6.QtCore\n")
    assert {"ietp_desktop.storage.models", "PySide6.QtCore"} <= _imports(bad)


def test_ui_never_imports_the_office() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _modules(PACKAGE / "ui")
        if any(name.startswith("ietp_desktop.office") for name in _imports(path))
    ]
    assert offenders == []


def test_architecture_md_shows_the_diagram_the_code_has() -> None:
    """ARCHITECTURE.md's diagram is generated from the imports; regenerate it when they change:
    .venv/bin/python tools/architecture_diagram.py --write"""
    import importlib.util

    tool = PACKAGE.parent / "tools" / "architecture_diagram.py"
    spec = importlib.util.spec_from_file_location("architecture_diagram", tool)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    doc = (PACKAGE.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    shown = doc[doc.index(module.BEGIN) + len(module.BEGIN) : doc.index(module.END)].strip()
    assert shown == module.diagram().strip()
