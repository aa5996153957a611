"""`workbench gui --screenshot` as a new user runs it: a real process, offscreen, exit status and picture."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtGui import QImage

from tests import pictures
from tests.ui.conftest import SAMPLE
from workbench.ui.main_window import PAGES
from workbench.ui.palette import STEP_COLOURS

ENTRIES = [page.name for page in PAGES]


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "workbench", "gui", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_dashboard_screenshot_of_the_sample(tmp_path):
    before = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    out = tmp_path / "dashboard.png"
    result = _run(str(SAMPLE), "--page", "dashboard", "--screenshot", str(out), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    image = QImage(str(out))
    assert not image.isNull()
    assert image.width() >= 1000 and image.height() >= 700
    with Image.open(out) as picture:
        assert pictures.selected_entry(picture) == ENTRIES.index("dashboard")
        # ... and the dashboard drawn beside it: the organisation, the counts and the step cards.
        assert pictures.text_lines(picture, pictures.upper_content(picture)) >= 5
    assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() == before


def test_timeline_screenshot_shows_the_gantt_of_the_sample(tmp_path):
    out = tmp_path / "timeline.png"
    result = _run(str(SAMPLE), "--page", "timeline", "--screenshot", str(out), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull() and image.width() >= 1000
    with Image.open(out) as picture:
        assert pictures.selected_entry(picture) == ENTRIES.index("timeline")
        # The task list marks each of the six steps with its colour; the chart right of it draws the
        # sample's plan as bars (a step's span, a task's), many more than a page without a plan has.
        for step, colour in STEP_COLOURS.items():
            assert pictures.squares(picture, pictures.rgb(colour.name())) >= 1, f"no swatch of step {step}"
        assert pictures.bars(picture, (picture.width // 2, 0, picture.width, picture.height)) >= 8


def test_screenshot_of_a_broken_project_is_a_clean_error(tmp_path):
    broken = tmp_path / "broken.soc2"
    broken.write_bytes(b"PK\x03\x04 not a database")
    result = _run(str(broken), "--screenshot", str(tmp_path / "x.png"), data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"error: {broken} : is not a SOC 2 Workbench project "
                                                   "(not an SQLite database)"]


def test_tab_picks_a_tab_of_the_page_and_an_unknown_one_names_the_tabs(tmp_path):
    pictures_of = {}
    for tab in ("evidence", "type ii"):
        out = tmp_path / f"{tab}.png"
        result = _run(str(SAMPLE), "--page", "evidence", "--tab", tab, "--screenshot", str(out),
                      data_dir=tmp_path / "data")
        assert result.returncode == 0, result.stderr
        with Image.open(out) as picture:
            assert pictures.selected_entry(picture) == ENTRIES.index("evidence")
            pictures_of[tab] = picture.tobytes()
    assert pictures_of["evidence"] != pictures_of["type ii"]  # another tab drawn, not the page's first
    result = _run(str(SAMPLE), "--page", "evidence", "--tab", "nope", "--screenshot", str(tmp_path / "x.png"),
                  data_dir=tmp_path / "data")
    assert result.returncode == 2 and not (tmp_path / "x.png").exists()
    assert result.stderr.strip().splitlines() == [
        "error: --tab nope : the page's tabs are Evidence, Evidence calendar, Type II"]
