"""The direction of imports between the layers (DESIGN.md section 3), checked on the source with `ast`."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import workbench

PACKAGE_DIR = Path(workbench.__file__).resolve().parent
QT_MODULES = frozenset({"PySide6", "shiboken6"})
DOMAIN_THIRD_PARTY_ALLOWED = frozenset({"dateutil"})
UI_FORBIDDEN = ("sqlalchemy", "alembic", "workbench.store")


def _module_name(relative: Path) -> str:
    """Return the dotted module name of a file under workbench/ (relative to the package folder)."""
    parts = ["workbench", *relative.with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """Return (line, absolute module name) for every import in the source, wherever it appears.

    `from X import y` counts as X, except `from <top package> import y`, which counts as <top>.y (y may be a
    subpackage such as workbench.store). Relative imports are resolved against `module`.
    """
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts)
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if "." not in target:
                found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, target))
    return found


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer_of(module: str) -> str | None:
    """Return domain/store/services/ui for a module of those layers, else None."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in ("domain", "store", "services", "ui"):
        return parts[1]
    return None


def import_violations(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Return one sentence per import that breaks the layer rules, for a module of the workbench package."""
    layer = layer_of(module)
    problems: list[str] = []
    for line, name in imported_modules(source, module, is_package=is_package):
        top = _top(name)
        if layer == "domain":
            if top == "workbench":
                if not _within(name, "workbench.domain"):
                    problems.append(f"{module}:{line} domain imports {name}")
            elif top not in sys.stdlib_module_names and top not in DOMAIN_THIRD_PARTY_ALLOWED:
                problems.append(f"{module}:{line} domain imports third-party {name}")
        if layer in ("domain", "store", "services") and top in QT_MODULES:
            problems.append(f"{module}:{line} {layer} imports Qt ({name})")
        if layer == "ui" and any(_within(name, forbidden) for forbidden in UI_FORBIDDEN):
            problems.append(f"{module}:{line} ui imports {name}")
    return problems


def _sources(layer: str) -> list[Path]:
    folder = PACKAGE_DIR / layer
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


def _check_layer(layer: str) -> list[str]:
    problems: list[str] = []
    for path in _sources(layer):
        relative = path.relative_to(PACKAGE_DIR)
        module = _module_name(relative)
        problems += import_violations(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py")
    return problems


@pytest.mark.parametrize("layer", ["domain", "store", "services"])
def test_core_layers_exist_and_are_scanned(layer: str) -> None:
    # A rule checked over zero files would pass silently: make sure the scanner finds the code.
    assert len(_sources(layer)) >= 3, f"workbench/{layer} should hold several modules"


def test_domain_imports_only_itself_the_standard_library_and_dateutil() -> None:
    assert _check_layer("domain") == []


def test_domain_store_and_services_never_import_qt() -> None:
    assert _check_layer("domain") + _check_layer("store") + _check_layer("services") == []


def test_ui_never_imports_storage() -> None:
    # ui/ may not exist yet; once it does, every module in it is checked.
    assert _check_layer("ui") == []


def test_every_source_file_parses() -> None:
    files = sorted(PACKAGE_DIR.rglob("*.py"))
    assert files
    for path in files:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# -- the checker checks itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("workbench.domain.catalog", "from workbench.store import ProjectFile\n"),
        ("workbench.domain.catalog", "import workbench.services.project\n"),
        ("workbench.domain.catalog", "from workbench import paths\n"),
        ("workbench.domain.catalog", "import workbench\n"),
        ("workbench.domain.catalog", "from ..store import schema\n"),
        ("workbench.domain.catalog", "import sqlalchemy\n"),
        ("workbench.domain.catalog", "from platformdirs import user_data_dir\n"),
        ("workbench.domain.catalog", "def f():\n    import yaml\n"),
        ("workbench.domain.catalog", "import PySide6.QtCore\n"),
        ("workbench.store.schema", "from PySide6.QtCore import QObject\n"),
        ("workbench.services.project", "import shiboken6\n"),
        ("workbench.services.project", "from PySide6 import QtWidgets\n"),
        ("workbench.ui.main_window", "from sqlalchemy import select\n"),
        ("workbench.ui.main_window", "import alembic.command\n"),
        ("workbench.ui.main_window", "from workbench.store import UnitOfWork\n"),
        ("workbench.ui.main_window", "from workbench import store\n"),
        ("workbench.ui.pages.scope", "from ...store.schema import Base\n"),
        ("workbench.ui.main_window", "import typing\nif typing.TYPE_CHECKING:\n    import workbench.store.schema\n"),
    ],
)
def test_checker_catches_a_bad_import(module: str, source: str) -> None:
    problems = import_violations(source, module)
    assert problems, "the checker let a forbidden import through"
    assert all(problem.startswith(f"{module}:") for problem in problems)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("workbench.domain.catalog", "from __future__ import annotations\nimport json, re\n"),
        ("workbench.domain.catalog", "from dateutil.relativedelta import relativedelta\n"),
        ("workbench.domain.catalog", "from workbench.domain.enums import Category\n"),
        ("workbench.domain.catalog", "from . import enums\nfrom .errors import CatalogError\n"),
        ("workbench.domain", "from workbench import domain\n"),
        ("workbench.store.schema", "from sqlalchemy import Text\nfrom workbench.domain import entities\n"),
        ("workbench.services.project", "from workbench.store import UnitOfWork\nimport dateutil\n"),
        ("workbench.ui.main_window", "from PySide6.QtWidgets import QMainWindow\n"),
        ("workbench.ui.main_window", "from workbench.services.project import create_project\n"),
        ("workbench.ui.main_window", "from workbench.storage_helpers import x\n"),
        ("workbench.cli", "import sqlalchemy\nimport PySide6\n"),
    ],
)
def test_checker_accepts_allowed_imports(module: str, source: str) -> None:
    assert import_violations(source, module) == []


def test_checker_resolves_relative_imports_in_a_package_init() -> None:
    assert imported_modules("from .catalog import Catalog\n", "workbench.domain", is_package=True) == [
        (1, "workbench.domain.catalog")
    ]
    assert import_violations("from ..store import ProjectFile\n", "workbench.domain", is_package=True) != []
