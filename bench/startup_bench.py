"""Time start-up: `workbench gui SAMPLE --screenshot` against a bare Qt window, each a fresh process.

Ours: the program's whole start as a user meets it (Python, imports, the application and main window drawn with the
dashboard's frame, opening the sample project on the worker, the dashboard drawn with its data, the window grabbed
into a PNG, exit). Bare: a process that imports PySide6, creates a QApplication and a QMainWindow of the same size
with a label, shows it and, once it is painted, grabs it into a PNG and exits. Bare + ORM: the same, importing
SQLAlchemy's ORM first (the floor under any start that reads the project through it; a reference, no target).

Two figures, each from the moment the process is started:
- first paint: until the window's first paint is over (ours: the window with the dashboard's frame, before the
  database layer is imported; bare: its window). Both sides append the moment to the file named by
  WORKBENCH_STARTUP_MARKS (workbench/ui/first_paint.py); target <= 1.5x bare.
- data: until the process has exited, the dashboard drawn with the sample's data and saved (bare: the painted
  window saved); target <= 3.5x bare.
All run offscreen (QT_QPA_PLATFORM=offscreen) with their bytecode cached, as an installed program has it. One
warm-up run of each, then --runs of each, alternated; prints the medians, the ratios and each side's peak memory.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from _common import SAMPLE, Figure, Run, child_env, emit, median, run, workbench_command
from bench_project import cache_dir

FIRST_PAINT_TARGET = 1.5
DATA_TARGET = 3.5
RUNS = 9
MARKS_VARIABLE = "WORKBENCH_STARTUP_MARKS"

BARE_QT = """
import os, sys, time
{before}
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("SOC 2 Workbench"))
window.resize(1280, 820)

def painted():
    with open(os.environ["{marks}"], "a") as marks:
        marks.write(f"first_paint {{time.time():.6f}}\\ncpu_first_paint {{time.process_time():.6f}}\\n")
    app.exit(0 if window.grab().save(sys.argv[1], "PNG") else 2)

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, painted)
        return False

first_paint = FirstPaint()
window.installEventFilter(first_paint)
window.show()
sys.exit(app.exec())
"""


@dataclass(frozen=True)
class Start:
    """One measured start: the process's run, the seconds from its start to its first paint, and the CPU seconds
    it had used by then."""

    run: Run
    first_paint: float
    cpu_paint: float = 0.0
    data: float | None = None  # ours: seconds to the dashboard drawn with its data (the `data` mark), before the PNG


@dataclass(frozen=True)
class Side:
    """One kind of process measured: its name, its command, and its starts."""

    name: str
    command: list[str]
    starts: list[Start]

    def medians(self) -> tuple[float, float, float]:
        """Return the medians of first paint, whole process and peak memory."""
        return (median([s.first_paint for s in self.starts]), median([s.run.seconds for s in self.starts]),
                median([s.run.peak_mib for s in self.starts]))

    def cpu_medians(self) -> tuple[float, float]:
        """Return the medians of the CPU seconds used by the first paint and by the whole process."""
        return median([s.cpu_paint for s in self.starts]), median([s.run.cpu for s in self.starts])

    def spread(self, attribute: str) -> str:
        """Return the range of a figure over the starts, as "low-high" seconds."""
        values = [s.first_paint if attribute == "first_paint" else s.run.seconds for s in self.starts]
        return f"{min(values):.3f}-{max(values):.3f}"


def start_once(command: Sequence[str], folder: Path) -> tuple[Run, float | None, float, float | None]:
    """Start one process; return its run, the seconds from its start to its first paint (None: no mark), the
    CPU seconds it had used by then and the seconds to its `data` mark (None: no such mark)."""
    marks = folder / "marks.txt"
    marks.unlink(missing_ok=True)
    env = child_env(cache_dir(), WORKBENCH_DATA_DIR=str(folder / "data"), **{MARKS_VARIABLE: str(marks)})
    started = time.time()
    result = run(command, env)
    painted, cpu, data = None, 0.0, None
    if marks.exists():
        for line in marks.read_text().splitlines():
            name, _, moment = line.partition(" ")
            if name == "first_paint" and painted is None:
                painted = float(moment) - started
            elif name == "cpu_first_paint" and not cpu:
                cpu = float(moment)
            elif name == "data" and data is None:
                data = float(moment) - started
    return result, painted, cpu, data


def measure(runs: int) -> tuple[Side, Side, Side, list[Run]]:
    """Run the three sides `runs` times each after a warm-up; return ours, bare, bare + ORM and the crashes."""
    crashed: list[Run] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bare = BARE_QT.format(before="", marks=MARKS_VARIABLE)
        bare_orm = BARE_QT.format(before="import sqlalchemy.orm", marks=MARKS_VARIABLE)
        sides = (
            Side("ours", [*workbench_command(), "gui", str(SAMPLE), "--page", "dashboard", "--screenshot",
                          str(folder / "ours.png")], []),
            Side("bare", [sys.executable, "-c", bare, str(folder / "bare.png")], []),
            Side("bare + ORM", [sys.executable, "-c", bare_orm, str(folder / "orm.png")], []),
        )
        for side in sides:  # warm-up: bytecode, the sample's working copy
            start_once(side.command, folder)
        while any(len(side.starts) < runs for side in sides):
            for side in sides:
                if len(side.starts) >= runs:
                    continue
                result, painted, cpu, data = start_once(side.command, folder)
                if result.returncode == 0 and painted is not None:
                    side.starts.append(Start(result, painted, cpu, data))
                elif result.returncode < 0 and len(crashed) < runs:  # killed by a signal: counted, run again
                    crashed.append(result)
                else:
                    print(result.stderr[-2000:], file=sys.stderr)
                    why = f"exit status {result.returncode}" if result.returncode else "no first-paint mark"
                    raise SystemExit(f"error: {side.name} start-up : {why}")
    return (*sides, crashed)


def figures(ours: Side, bare: Side, orm: Side, crashed: list[Run], runs: int) -> list[Figure]:
    """Return the first-paint and data figures, and the bare + ORM reference."""
    ours_paint, ours_all, ours_mib = ours.medians()
    bare_paint, bare_all, bare_mib = bare.medians()
    _orm_paint, orm_all, orm_mib = orm.medians()
    paint = Figure("Start-up: first paint, the window with the dashboard's frame (fresh process)", ours_paint,
                   bare_paint, f"<= {FIRST_PAINT_TARGET:g}x bare Qt", ours_mib, bare_mib, runs)
    data = Figure("Start-up: sample project, dashboard painted with its data (fresh process)", ours_all, bare_all,
                  f"<= {DATA_TARGET:g}x bare Qt", ours_mib, bare_mib, runs)
    reference = Figure("Reference: bare Qt window that imports SQLAlchemy's ORM (fresh process)", orm_all,
                       bare_all, "none (the floor under reading the project)", orm_mib, bare_mib, runs)
    if crashed:
        data.notes.append(f"{len(crashed)} extra run(s) ended by a signal "
                          f"({', '.join(sorted({str(-r.returncode) for r in crashed}))}) and were run again")
    return [paint, data, reference]


def main() -> int:
    """Measure and print the medians, the ratios and the peak memory of each side."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=RUNS, help=f"measured runs of each side (default {RUNS})")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (for run_all.py)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    ours, bare, orm, crashed = measure(args.runs)
    found = figures(ours, bare, orm, crashed, args.runs)
    if args.json:
        emit(found, True)
        return 0
    print(f"runs: {args.runs} of each side (medians, seconds from the process's start; the range in brackets)")
    for side in (bare, orm, ours):
        paint, whole, mib = side.medians()
        print(f"{side.name:>10}: first paint {paint:.3f} [{side.spread('first_paint')}], "
              f"exit {whole:.3f} [{side.spread('run')}], peak memory {mib:.0f} MiB")
    drawn = [s.data for s in ours.starts if s.data is not None]
    if drawn:
        print(f"      ours: dashboard drawn with its data {median(drawn):.3f} (median; the rest is the picture "
              f"grabbed and written, and the exit)")
    paint, data, reference = found
    print(f"first paint: ours / bare = {paint.ratio:.2f} (target <= {FIRST_PAINT_TARGET})")
    print(f"data: ours / bare = {data.ratio:.2f} (target <= {DATA_TARGET}); "
          f"bare + ORM / bare = {reference.ratio:.2f} (reference)")
    (ours_cpu_paint, ours_cpu), (bare_cpu_paint, bare_cpu) = ours.cpu_medians(), bare.cpu_medians()
    print(f"cpu (user + system seconds, which a busy machine inflates less than wall time): first paint ours / bare "
          f"= {ours_cpu_paint:.3f} / {bare_cpu_paint:.3f} = {ours_cpu_paint / bare_cpu_paint:.2f}; whole process "
          f"= {ours_cpu:.3f} / {bare_cpu:.3f} = {ours_cpu / bare_cpu:.2f}")
    load = ", ".join(f"{before:.1f}→{after:.1f}" for before, after in zip(load_before, os.getloadavg(), strict=True))
    print(f"load average (1, 5, 15 min) before→after: {load}")
    for note in data.notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
