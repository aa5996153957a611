"""What the bench scripts share: timing child processes with their peak memory, medians, and the result line."""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_projects" / "brightpath-analytics.soc2"


@dataclass
class Figure:
    """One row of the Performance table: our time, the raw library's (or bare Qt's), the target and memory."""

    figure: str
    ours: float  # seconds
    raw: float | None  # seconds; None when nothing raw compares
    target: str
    peak_mib: float
    raw_peak_mib: float | None = None
    runs: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        """Return ours / raw, or None without a raw side."""
        return self.ours / self.raw if self.raw else None


@dataclass(frozen=True)
class Run:
    """A finished child process: wall time from start to exit, peak resident memory, exit status, CPU time."""

    seconds: float
    peak_mib: float
    returncode: int
    stderr: str = ""
    cpu: float = 0.0  # user + system seconds of the process (all its threads): what a busy machine inflates least


def workbench_command() -> list[str]:
    """Return how to start the installed `workbench` command (python -m workbench without a script)."""
    found = shutil.which("workbench")
    return [found] if found else [sys.executable, "-m", "workbench"]


def child_env(cache: Path, **extra: str) -> dict[str, str]:
    """Return the environment for measured children: offscreen Qt, bytecode cached as an installed program has it.

    PYTHONDONTWRITEBYTECODE (set on some development machines) would make every start compile the sources
    again; an installed program has its bytecode, so the children keep theirs in `cache`/pycache instead.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def run(command: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run a command to its end; return its wall time, peak memory (MiB, from wait4), exit status, stderr and CPU
    time."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        text = errors.read().decode(errors="replace")
    return Run(elapsed, usage.ru_maxrss / 1024, process.returncode, text, usage.ru_utime + usage.ru_stime)


def checked(result: Run, command: Sequence[str]) -> Run:
    """Return the run, or raise (showing the end of its stderr) when the process failed."""
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        raise subprocess.CalledProcessError(result.returncode, list(command))
    return result


def median(values: Sequence[float]) -> float:
    """Return the median."""
    return statistics.median(values)


def self_peak_mib() -> float:
    """Return this process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(figures: Sequence[Figure], as_json: bool) -> None:
    """With --json, print the figures as one JSON document (what run_all.py reads)."""
    if as_json:
        print(json.dumps([asdict(f) | {"ratio": f.ratio} for f in figures]))


def offscreen_window(folder: Path) -> tuple[Any, Any]:
    """Return (application, main window): the real window offscreen at 1280x820, its settings in `folder`, shown;
    a failed operation ends the bench with its message."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from workbench.app import make_application
    from workbench.ui.main_window import MainWindow

    app = make_application()
    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat), interactive=False)
    window.resize(1280, 820)
    window.show()
    window.operation_failed.connect(lambda message: sys.exit(f"error: {message}"))
    return app, window
