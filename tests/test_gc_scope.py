"""The GUI's hold on garbage collection ends with each UI test: a test after one finds collection on."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
UI_TEST = "tests/ui/test_operations.py::test_garbage_is_collected_on_the_gui_thread_between_jobs"


def test_collection_is_on():
    assert gc.isenabled()


def test_a_test_after_a_ui_test_finds_collection_on():
    # One pytest process: the UI test switches automatic collection off (and checks that it did), then the test
    # above, not a UI test, must find it on again. Pytest keeps the order given on the command line.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", UI_TEST,
         f"{Path(__file__).relative_to(REPO)}::test_collection_is_on"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=110,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
