"""Time start-up: `workbench gui SAMPLE --screenshot` against a bare Qt window, each a fresh process.

Ours: the program's whole start as a user meets it (Python, imports, the application and main window, opening
the sample project on the worker, the dashboard drawn with its data, the window grabbed into a PNG, exit).
Bare: a process that imports PySide6, creates a QApplication and a QMainWindow of the same size with a label,
shows it, paints it and grabs it into a PNG. Both run offscreen (QT_QPA_PLATFORM=offscreen) with their bytecode
cached, as an installed program has it. One warm-up run of each, then --runs of each, alternated; prints the
medians, their ratio (target <= 3.0) and each side's peak memory (median of the runs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _common import SAMPLE, Figure, Run, child_env, emit, median, run, workbench_command
from bench_project import cache_dir

TARGET = 3.0
RUNS = 9

BARE_QT = """
import sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("SOC 2 Workbench"))
window.resize(1280, 820)
window.show()
app.processEvents()
if not window.grab().save(sys.argv[1], "PNG"):
    raise SystemExit(2)
"""


def measure(runs: int) -> tuple[Figure, list[Run], list[Run], list[Run]]:
    """Run both sides `runs` times after a warm-up; return the figure, our runs, the bare runs and crashes."""
    with tempfile.TemporaryDirectory() as folder:
        env = child_env(cache_dir(), WORKBENCH_DATA_DIR=str(Path(folder) / "data"))
        ours_command = [*workbench_command(), "gui", str(SAMPLE), "--page", "dashboard", "--screenshot",
                        str(Path(folder) / "ours.png")]
        bare_command = [sys.executable, "-c", BARE_QT, str(Path(folder) / "bare.png")]
        ours: list[Run] = []
        bare: list[Run] = []
        crashed: list[Run] = []
        for command, done in ((ours_command, []), (bare_command, [])):  # warm-up: bytecode, working copy
            done.append(run(command, env))
        while len(ours) < runs or len(bare) < runs:
            for command, done in ((ours_command, ours), (bare_command, bare)):
                if len(done) >= runs:
                    continue
                result = run(command, env)
                if result.returncode == 0:
                    done.append(result)
                elif result.returncode < 0 and len(crashed) < runs:  # killed by a signal: counted, run again
                    crashed.append(result)
                else:
                    print(result.stderr[-2000:], file=sys.stderr)
                    raise SystemExit(f"error: {' '.join(command[:3])} : exit status {result.returncode}")
    ours_s, bare_s = median([r.seconds for r in ours]), median([r.seconds for r in bare])
    figure = Figure("Start-up: sample project, dashboard painted (fresh process)", ours_s, bare_s,
                    f"<= {TARGET:g}x bare Qt", median([r.peak_mib for r in ours]),
                    median([r.peak_mib for r in bare]), runs)
    if crashed:
        figure.notes.append(f"{len(crashed)} extra run(s) of ours ended by a signal "
                            f"({', '.join(sorted({str(-r.returncode) for r in crashed}))}) and were run again")
    return figure, ours, bare, crashed


def main() -> int:
    """Measure and print both medians, the ratio and the peak memory of each side."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=RUNS, help=f"measured runs of each side (default {RUNS})")
    parser.add_argument("--json", action="store_true", help="print the figure as JSON (for run_all.py)")
    args = parser.parse_args()
    figure, ours, bare, _crashed = measure(args.runs)
    if args.json:
        emit([figure], True)
        return 0
    spread = f"{min(r.seconds for r in ours):.2f}-{max(r.seconds for r in ours):.2f}"
    bare_spread = f"{min(r.seconds for r in bare):.2f}-{max(r.seconds for r in bare):.2f}"
    print(f"runs: {args.runs} of each side (medians; the range in brackets)")
    print(f"bare Qt window, shown and painted (process): {figure.raw:.3f} s [{bare_spread}], "
          f"peak memory {figure.raw_peak_mib:.0f} MiB")
    print(f"workbench gui sample --screenshot (process): {figure.ours:.3f} s [{spread}], "
          f"peak memory {figure.peak_mib:.0f} MiB")
    print(f"ratio: {figure.ratio:.2f} (target <= {TARGET})")
    for note in figure.notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
