"""The direction of imports between the layers (DESIGN.md section 3), checked on the source with `ast`."""

from __future__ import annotations

import ast
import itertools
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


# -- no import cycles, lazy imports included ------------------------------------------------------------


def _type_checking_only(tree: ast.AST) -> set[int]:
    """Return the ids of every node inside an `if TYPE_CHECKING:` (or `if typing.TYPE_CHECKING:`) block."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            for statement in node.body:
                skipped.update(id(inner) for inner in ast.walk(statement))
    return skipped


def module_imports(source: str, module: str, modules: frozenset[str], *,
                   is_package: bool = False) -> dict[str, int]:
    """Return {imported module of `modules`: first line} for the imports of one module that run.

    Every `import` and `from ... import` counts wherever it stands - at the top, inside a function, a class
    or a try - except inside an `if TYPE_CHECKING:` block: such an import never runs, so it cannot take part
    in a cycle at run time. `from package import name` counts as package.name when that is a module, else as
    the package itself. The package __init__ that Python runs before a submodule is not counted as imported
    by whoever imports the submodule (a package re-exporting its modules would otherwise be in a cycle with
    each of them); an explicit import of the package counts.
    """
    package = module if is_package else module.rpartition(".")[0]
    tree = ast.parse(source)
    skipped = _type_checking_only(tree)
    found: dict[str, int] = {}

    def add(name: str, line: int) -> None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.setdefault(name, line)

    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                prefix = ".".join(parts[: len(parts) - (node.level - 1)])
                base = f"{prefix}.{node.module}" if node.module else prefix
            for alias in node.names:
                add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base, node.lineno)
    return found


def import_graph(sources: dict[str, tuple[str, bool]]) -> dict[str, dict[str, int]]:
    """Return module -> {module it imports: line} for sources given as module -> (source text, is a package)."""
    modules = frozenset(sources)
    return {module: module_imports(text, module, modules, is_package=is_package)
            for module, (text, is_package) in sources.items()}


def import_cycles(graph: dict[str, dict[str, int]]) -> list[str]:
    """Return one sentence per import cycle: each strongly connected component, shown as one closed path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(start: str) -> None:  # Tarjan's algorithm, iterative so deep chains cannot hit the recursion limit
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return [f"import cycle among {', '.join(c)}; for one: {_closed_path(graph, c)}" for c in components]


def _closed_path(graph: dict[str, dict[str, int]], component: list[str]) -> str:
    """Return a shortest path from the component's first module back to itself, with the line of each import."""
    members = set(component)
    start = component[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier and start not in previous:
        following = []
        for module in frontier:
            for target in sorted(graph[module]):
                if target in members and target not in previous:
                    previous[target] = module
                    following.append(target)
        frontier = following
    path = [start]
    while True:
        path.append(previous[path[-1]])
        if path[-1] == start:
            break
    path.reverse()
    return " -> ".join(f"{a} (line {graph[a][b]})" for a, b in itertools.pairwise(path)) + f" -> {start}"


def _workbench_sources() -> dict[str, tuple[str, bool]]:
    return {_module_name(path.relative_to(PACKAGE_DIR)): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
            for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def test_no_import_cycles_lazy_imports_included() -> None:
    """No module of workbench/ is in an import cycle, counting imports inside functions (lazy ones) too.

    Imports under `if TYPE_CHECKING:` do not count: they never run, so they cannot close a cycle at run time
    (the modules import annotations from __future__, so what they name is never evaluated either).
    """
    graph = import_graph(_workbench_sources())
    assert len(graph) > 100 and sum(len(targets) for targets in graph.values()) > 300, "the scan found too little"
    cycles = import_cycles(graph)
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize(
    ("sources", "cycle"),
    [
        # Two modules, one importing the other lazily inside a function.
        ({"workbench.store.a": ("from workbench.store import b\n", False),
          "workbench.store.b": ("def f():\n    from workbench.store.a import g\n", False)},
         "workbench.store.a (line 1) -> workbench.store.b (line 2) -> workbench.store.a"),
        # Three modules round a loop, through a relative import and a package that re-exports.
        ({"workbench.cli": ("def main():\n    from workbench.cli.front import run\n", True),
          "workbench.cli.front": ("from . import family\n", False),
          "workbench.cli.family": ("import workbench.cli\n", False)},
         "workbench.cli (line 2) -> workbench.cli.front (line 1) -> workbench.cli.family (line 1) -> workbench.cli"),
    ],
)
def test_the_cycle_finder_names_a_purpose_made_cycle(sources: dict[str, tuple[str, bool]], cycle: str) -> None:
    problems = import_cycles(import_graph(sources))
    assert len(problems) == 1
    assert problems[0].endswith(cycle)


def test_the_cycle_finder_leaves_type_checking_imports_and_chains_alone() -> None:
    sources = {
        "workbench.ui.context": ("from workbench.ui import undo\n", False),
        "workbench.ui.undo": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from workbench.ui.context import Context\n", False),
        "workbench.ui.pages": ("from workbench.ui.context import Context\nfrom workbench.ui import undo\n", True),
    }
    graph = import_graph(sources)
    assert graph["workbench.ui.undo"] == {}
    assert graph["workbench.ui.pages"] == {"workbench.ui.context": 1, "workbench.ui.undo": 2}
    assert import_cycles(graph) == []


# -- the database libraries stay in store/, and services go through the store's API ---------------------

DATABASE_LIBRARIES = ("sqlalchemy", "psycopg", "alembic")
# What reaches into a database connection directly; services use the unit of work and the store's functions.
STORE_INTERNALS = frozenset({"engine", "raw_connection", "session", "connection", "exec_driver_sql"})


def database_imports_outside_store(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Return one sentence per import of a database library by a module outside workbench.store.

    Imports under TYPE_CHECKING count here: even a type from these libraries belongs to the store alone.
    """
    if _within(module, "workbench.store"):
        return []
    return [f"{module}:{line} imports {name} outside store/"
            for line, name in imported_modules(source, module, is_package=is_package)
            if _top(name) in DATABASE_LIBRARIES]


def store_internals_used(source: str, module: str) -> list[str]:
    """Return one sentence per use of an engine, connection or ORM session by a service module."""
    if not _within(module, "workbench.services"):
        return []
    return [f"{module}:{node.lineno} uses .{node.attr} (a service works through the unit of work and the store)"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr in STORE_INTERNALS]


def test_only_store_imports_sqlalchemy_psycopg_or_alembic() -> None:
    problems = [problem for module, (text, is_package) in _workbench_sources().items()
                for problem in database_imports_outside_store(text, module, is_package=is_package)]
    assert not problems, "\n".join(problems)


def test_no_service_touches_an_engine_connection_or_session() -> None:
    problems = [problem for module, (text, _package) in _workbench_sources().items()
                for problem in store_internals_used(text, module)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("workbench.services.copying", "from sqlalchemy import Connection\n"),
        ("workbench.services.team", "def f():\n    import psycopg\n"),
        ("workbench.cli.common",
         "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sqlalchemy import Engine\n"),
        ("workbench.app", "import alembic.command\n"),
        ("workbench.domain.clock", "from sqlalchemy.orm import Session\n"),
    ],
)
def test_the_database_import_check_catches_a_leak(module: str, source: str) -> None:
    assert database_imports_outside_store(source, module) != []


def test_the_database_import_check_lets_the_store_be() -> None:
    assert database_imports_outside_store("import sqlalchemy\nimport psycopg\n", "workbench.store.server") == []
    assert database_imports_outside_store("from workbench.store import UnitOfWork\n", "workbench.services.x") == []


@pytest.mark.parametrize(
    "source",
    ["def f(project):\n    with project.file.engine.connect() as c:\n        pass\n",
     "def f(uow):\n    uow.session.connection()\n",
     "def f(store):\n    store.raw_connection()\n"],
)
def test_the_engine_check_catches_a_service_opening_its_own_connection(source: str) -> None:
    assert store_internals_used(source, "workbench.services.encryption") != []
    assert store_internals_used(source, "workbench.store.crypto_keys") == []
