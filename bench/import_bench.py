"""Time `workbench import-controls` on a 20,000-row register against python-calamine merely iterating it.

Builds the register once (xlsx, openpyxl) in a temporary folder, creates a fresh project for each import, runs
each side as its own process (start-up counts), --runs times, and prints the median times, their ratio (target
<= 3.0) and each side's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import child_env
from bench_project import cache_dir

ROWS = 20_000
RUNS = 3
TARGET = 3.0
FREQUENCIES = ("Annual", "Quarterly", "Monthly", "Weekly", "Daily", "Continuous", "Per event")
CRITERIA = ("CC6.1", "CC6.2, CC6.3", "CC7.1; CC7.2", "CC 8.1", "CC1.1-CC1.3", "A1.2", "CC9.2 / CC3.1")

CALAMINE_ONLY = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
count = 0
for name in book.sheet_names:
    for row in book.get_sheet_by_name(name).iter_rows():
        count += 1
print(count)
"""


def build_register(path: Path, rows: int = ROWS) -> None:
    """Write a control register of `rows` controls with a title row above the header."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Controls")
    sheet.append(["Acme control register"])
    sheet.append(["Control ID", "Control Title", "Description", "Owner", "Frequency", "TSC Ref(s)", "Status",
                  "Nature", "Notes"])
    for i in range(rows):
        sheet.append([
            f"CTL-{i:05d}", f"Control number {i}", f"What control {i} does, in a sentence or two.",
            f"Owner {i % 37}", FREQUENCIES[i % len(FREQUENCIES)], CRITERIA[i % len(CRITERIA)],
            ("Implemented", "In progress", "Not started")[i % 3], ("Manual", "Automated")[i % 2], "",
        ])
    book.save(path)


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command; return its wall time in seconds and its peak memory in MiB (0 where unknown)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    else:
        process.wait()
        elapsed, peak = time.perf_counter() - start, 0.0
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    return elapsed, peak


def main() -> int:
    """Build the register, time both processes, print the times and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs of each side, medians (default {RUNS})")
    parser.add_argument("--json", action="store_true", help="print the figure as JSON (for run_all.py)")
    args = parser.parse_args()
    workbench = shutil.which("workbench")
    base = [workbench] if workbench else [sys.executable, "-m", "workbench"]
    env = child_env(cache_dir())  # bytecode cached, as an installed program has it
    with tempfile.TemporaryDirectory() as folder:
        register = Path(folder) / "register.xlsx"
        build_register(register, args.rows)
        raws, runs = [], []
        for number in range(args.runs):  # each import into a fresh project, so every run creates every control
            project = Path(folder) / f"bench-{number}.soc2"
            subprocess.run([*base, "new", str(project), "--org", "Bench Ltd"], check=True,
                           stdout=subprocess.DEVNULL)
            raws.append(_timed([sys.executable, "-c", CALAMINE_ONLY, str(register)], env))
            runs.append(_timed([*base, "import-controls", str(project), str(register), "--json"], env))
    raw, raw_peak = (statistics.median(values) for values in zip(*raws, strict=True))
    ours, peak = (statistics.median(values) for values in zip(*runs, strict=True))
    ratio = ours / raw
    if args.json:
        print(json.dumps([{"figure": f"Import a {args.rows:,}-row control register (process)", "ours": ours,
                           "raw": raw, "ratio": ratio, "target": f"<= {TARGET}x calamine", "peak_mib": peak,
                           "raw_peak_mib": raw_peak, "runs": args.runs, "notes": []}]))
        return 0
    print(f"rows: {args.rows}; medians of {args.runs} runs")
    print(f"calamine iterating rows (process): {raw:.3f} s, peak memory {raw_peak:.0f} MiB")
    print(f"workbench import-controls (process): {ours:.3f} s, peak memory {peak:.0f} MiB")
    print(f"ratio: {ratio:.2f} (target <= {TARGET})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
