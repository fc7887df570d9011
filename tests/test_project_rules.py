"""Project-wide rules checked on the source: layering, translations complete, no floats for money."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", ["services", "models", "db"])
def test_services_models_and_db_never_import_qt(layer):
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "app" / layer).rglob("*.py") if "PySide6" in _imports(p)]
    assert offenders == []


def test_views_never_import_sqlalchemy():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "app" / "views").rglob("*.py") if "sqlalchemy" in _imports(p)]
    assert offenders == []


def test_printing_never_imports_sqlalchemy():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "app" / "printing").rglob("*.py") if "sqlalchemy" in _imports(p)]
    assert offenders == []


def test_money_columns_are_integers():
    """Columns named *_fen are integer fen; no Float column anywhere in the models."""
    from sqlalchemy import BigInteger, Float, Integer

    import app.models  # noqa: F401
    from app.models.base import Base

    for table in Base.metadata.tables.values():
        for col in table.columns:
            assert not isinstance(col.type, Float), f"{table.name}.{col.name} is a float"
            if col.name.endswith("_fen"):
                assert isinstance(col.type, (BigInteger, Integer)), f"{table.name}.{col.name} is not integer fen"


def test_every_user_string_has_a_chinese_translation():
    """lupdate over the current code finds no string without a finished zh_CN translation."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def _app_imports(path: Path) -> set[str]:
    """Every app.* module a file imports (at any depth, lazily or not)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("app."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("app"):
            names.add(node.module)
    return names


def test_kernel_imports_nothing_of_the_program_but_itself():
    offenders = {
        str(p.relative_to(ROOT)): sorted(m for m in _app_imports(p) if not m.startswith("app.kernel"))
        for p in (ROOT / "app" / "kernel").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("layer", ["db", "models", "printing"])
def test_lower_layers_never_import_services_or_views(layer):
    offenders = {
        str(p.relative_to(ROOT)): sorted(m for m in _app_imports(p) if m.startswith(("app.services", "app.views")))
        for p in (ROOT / "app" / layer).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_window_start_up_does_not_import_the_command_line_entry_point():
    """app.cli starts the window (app.main); app.main takes what it shares from app.commands.common."""
    assert "app.cli" not in _app_imports(ROOT / "app" / "main.py")
    assert "app.cli" not in _app_imports(ROOT / "app" / "commands" / "common.py")


def test_the_repository_explains_itself():
    """Code and docs point at the project's own docs/, never at pages outside the repository."""
    places = [
        ROOT / "README.md",
        *(ROOT / "docs").rglob("*.md"),
        *(ROOT / "app").rglob("*.py"),
        *(ROOT / "resources").rglob("*.toml"),
        *(ROOT / "bench").rglob("*.py"),
    ]
    outside = [str(p.relative_to(ROOT)) for p in places if "shared/design" in p.read_text(encoding="utf-8")]
    assert outside == []
    for name in ("ARCHITECTURE", "DOMAIN", "TARIFFS", "BENCHMARKS", "DEVELOPING"):
        assert (ROOT / "docs" / f"{name}.md").is_file(), name


@pytest.mark.parametrize("mode", [["format", "--check"], ["check"]])
def test_code_is_formatted_and_lint_clean(mode):
    """ruff with the settings in pyproject.toml: `ruff format` and `ruff check` find nothing to change."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *mode, "app", "bench", "tests", "scripts", "packaging"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
