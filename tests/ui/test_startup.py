"""Start-up as a user meets it: the window drawn before the database layer loads, then filled; --size; and a
platform plugin that cannot load."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests import pictures
from tests.ui.conftest import SAMPLE
from workbench.services.session import open_project
from workbench.ui.main_window import PAGES, MainWindow

# Modules a start on an unencrypted project file never needs before its dashboard shows, or not at all.
DATABASE = ("sqlalchemy", "workbench.store", "workbench.services.session", "workbench.services.project")
NOT_NEEDED = ("alembic", "keyring", "psycopg", "reportlab", "pypdf", "cryptography")

# Runs the program's start in a fresh interpreter and reports what it had loaded, and what the window showed,
# at its first paint and once the dashboard had the project's data.
START = """
import json, sys
from pathlib import Path
from workbench import app
from workbench.ui import first_paint

seen = {}

def mark(name):
    window = next(w for w in app.QApplication.topLevelWidgets() if isinstance(w, app.MainWindow))
    seen[name] = {"modules": sorted(sys.modules), "status": window.file_label.text(),
                  "dashboard_on_show": window.pages.currentWidget() is window.dashboard,
                  "organization": window.dashboard.organization.text()}

first_paint.mark = app.mark = mark
code = app.run_gui(Path(sys.argv[1]), screenshot=Path(sys.argv[2]), report=print)
print(json.dumps(seen))
sys.exit(code)
"""


def _run(*args: str, data_dir: Path, platform: str = "offscreen") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": platform, "WORKBENCH_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "workbench", "gui", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in names or m.startswith(names)]


def test_the_window_is_drawn_before_the_database_layer_loads_then_filled(tmp_path):
    project = tmp_path / "brightpath.soc2"  # the user's own project, at the program's schema
    shutil.copyfile(SAMPLE, project)
    open_project(project).close()  # upgraded now if the sample is older: an upgrade needs Alembic
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-c", START, str(project), str(tmp_path / "out.png")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    first, data = seen["first_paint"], seen["data"]
    # First paint: the dashboard's frame, saying what is opening, with no database layer loaded yet.
    assert first["dashboard_on_show"] and first["status"] == f"Opening {project.name}…"
    assert first["organization"] == ""
    assert _loaded(first["modules"], DATABASE) == []
    # Then the dashboard with the sample's data; what an unencrypted file never needs is still not loaded.
    assert data["dashboard_on_show"] and data["organization"] == "Brightpath Analytics, Inc."
    assert "sqlalchemy" in data["modules"]
    assert _loaded(data["modules"], NOT_NEEDED) == []


def test_a_project_that_fails_to_open_at_start_leaves_the_welcome_page(qtbot, settings, tmp_path):
    broken = tmp_path / "broken.soc2"
    broken.write_bytes(b"PK\x03\x04 not a database")
    window = MainWindow(settings, interactive=False, opening=broken)
    qtbot.addWidget(window)
    assert window.pages.currentWidget() is window.dashboard
    assert window.file_label.text() == "Opening broken.soc2…"
    assert not window.navigation.isEnabled()
    window.complete()
    with qtbot.waitSignal(window.operation_failed, timeout=20_000) as failed:
        window.open_path(broken)
    assert "is not a SOC 2 Workbench project" in failed.args[0]
    assert window.pages.currentWidget() is window.welcome
    assert window.file_label.text() == "No project open"
    assert window.current_page() == "welcome"
    window.close()


def test_size_sets_the_window_of_a_screenshot(tmp_path):
    out = tmp_path / "small.png"
    result = _run(str(SAMPLE), "--size", "1100x620", "--screenshot", str(out), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    with Image.open(out) as picture:
        assert picture.size == (1100, 620)
        assert pictures.selected_entry(picture) == [page.name for page in PAGES].index("dashboard")


def test_a_size_that_is_not_width_by_height_is_one_error_line(tmp_path):
    result = _run("--size", "1100", "--screenshot", str(tmp_path / "x.png"), data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: workbench gui : argument --size: '1100' is not a size in the "
                                          "form WIDTHxHEIGHT, such as 1280x820"]
    assert not (tmp_path / "x.png").exists()


def test_a_platform_plugin_that_cannot_load_is_one_error_line(tmp_path):
    for args in ((str(SAMPLE),), ("--screenshot", str(tmp_path / "x.png"))):
        result = _run(*args, data_dir=tmp_path / "data", platform="bogus")
        assert result.returncode == 2, result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith('error: Qt platform plugin "bogus" : cannot be loaded (')
        assert "offscreen" in lines[0]  # it names the plugins that are there
        assert "Traceback" not in result.stderr and "Aborted" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_a_project_in_a_synced_folder_is_warned_about_once_the_window_opens_it(tmp_path):
    folder = tmp_path / "OneDrive - Contoso"
    folder.mkdir()
    project = folder / "acme.soc2"
    shutil.copyfile(SAMPLE, project)
    out = tmp_path / "out.png"
    result = _run(str(project), "--screenshot", str(out), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith("warning: acme.soc2 is inside a OneDrive folder")
    assert out.exists()
    again = _run(str(project), "--screenshot", str(out), data_dir=tmp_path / "data")
    assert again.returncode == 0 and "warning" not in again.stderr  # given once per project and risk
