"""The PyInstaller spec and the platform facts it takes from packaging/build_info.py, checked without building."""

from __future__ import annotations

import ast
import importlib.util
import plistlib
import sys
import types

import pytest

import workbench
from tests.packaging.tools import PACKAGING, REPO, on_ci, packaging_module

build_info = packaging_module("build_info")
SPEC = PACKAGING / "soc2-workbench.spec"


def _spec_strings() -> set[str]:
    """Return every string constant written in the spec (it is Python, so ast reads it)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_the_spec_bundles_resources_samples_and_migrations():
    strings = _spec_strings()
    for needed in ("resources", "sample_projects", "*.soc2", "env.py", "script.py.mako", "versions",
                   "workbench/store/migrations", "workbench/store/migrations/versions"):
        assert needed in strings, needed
    migrations = REPO / "workbench" / "store" / "migrations"
    for source in (REPO / "resources", REPO / "sample_projects" / "brightpath-analytics.soc2", migrations / "env.py",
                   migrations / "script.py.mako", migrations / "versions" / "0001_first_schema.py"):
        assert source.exists(), source


def test_the_spec_names_what_is_imported_lazily_or_by_file():
    strings = _spec_strings()
    for module in ("alembic.op", "alembic.context", "defusedxml", "python_calamine", "workbench_launcher",
                   "sqlalchemy.dialects.sqlite.pysqlite", "sqlalchemy.dialects.postgresql.psycopg"):
        assert module in strings, module
    assert {"QtNetwork", "QtQml", "QtQuick"} <= strings  # unused Qt modules are left out


def test_the_spec_has_the_windows_and_macos_parts():
    source = SPEC.read_text(encoding="utf-8")
    for part in ("BUNDLE(", "info_plist=build_info.macos_info_plist()", "bundle_identifier=build_info.APP_ID",
                 "version=version_file(name)", "'icns' if IS_MACOS else 'ico'", "console=False", "gui_launcher.py"):
        assert part in source, part
    assert (build_info.ICONS_DIR / f"{build_info.ICON_NAME}.ico").is_file()
    assert (build_info.ICONS_DIR / f"{build_info.ICON_NAME}.icns").is_file()


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("2.10", (2, 10, 0, 0)), ("1.2.3.4.5", (1, 2, 3, 4)), ("0.2.0rc1", (0, 2, 0, 0)),
])
def test_version_numbers_for_windows(version, numbers):
    assert build_info.version_numbers(version) == numbers


def test_the_windows_version_resource_is_one_pyinstaller_reads(monkeypatch):
    if importlib.util.find_spec("PyInstaller") is None:
        if on_ci():
            pytest.fail("PyInstaller is not installed; CI installs the [package] extra")
        pytest.skip("PyInstaller is not installed (pip install -e '.[package]')")
    # versioninfo imports pefile and win32api, which exist on Windows and serve only to write into an executable.
    import PyInstaller.compat

    monkeypatch.setitem(sys.modules, "pefile", sys.modules.get("pefile") or types.ModuleType("pefile"))
    monkeypatch.setattr(PyInstaller.compat, "win32api", getattr(PyInstaller.compat, "win32api", None), raising=False)
    from PyInstaller.utils.win32 import versioninfo

    text = build_info.windows_version_info("workbench")
    info = eval(text, vars(versioninfo))  # exactly what versioninfo.load_version_info_from_text_file does
    assert isinstance(info, versioninfo.VSVersionInfo)
    assert info.ffi.fileVersionMS == build_info.version_numbers()[0] << 16 | build_info.version_numbers()[1]
    assert f"'FileVersion', '{workbench.__version__}'" in str(info).replace('"', "'")
    assert "'OriginalFilename', 'workbench.exe'" in str(info).replace('"', "'")
    assert len(info.toRaw()) > 100


def test_the_macos_plist_declares_the_soc2_document_type():
    plist = build_info.macos_info_plist()
    assert plistlib.loads(plistlib.dumps(plist)) == plist  # every value is a property-list type
    (document,) = plist["CFBundleDocumentTypes"]
    (exported,) = plist["UTExportedTypeDeclarations"]
    assert document["LSItemContentTypes"] == [exported["UTTypeIdentifier"]] == [build_info.DOCUMENT_UTI]
    assert exported["UTTypeTagSpecification"]["public.filename-extension"] == ["soc2"]
    assert exported["UTTypeTagSpecification"]["public.mime-type"] == [build_info.MIME_TYPE]
    assert {"public.data", "public.database"} <= set(exported["UTTypeConformsTo"])
    assert document["CFBundleTypeIconFile"] == f"{build_info.ICON_NAME}.icns"
    assert plist["CFBundleShortVersionString"] == workbench.__version__
    assert plist["LSBackgroundOnly"] is False
