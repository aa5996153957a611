"""Run every bench script and print one Markdown table of their figures (README's Performance section).

Each script runs as its own process with --json; its figures become rows: figure, ours, the raw library or
bare Qt doing the same work, the ratio, the target, peak memory and how it was measured. The machine (CPU
model, cores, load), Python and Qt versions are printed above the table. --quick runs smaller inputs and fewer
runs, for trying the scripts (its table is not the README's).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# (script, its arguments, arguments with --quick, how its figures are measured)
SCRIPTS: tuple[tuple[str, list[str], list[str], str], ...] = (
    ("startup_bench.py", [], ["--runs", "3"], "median of {runs}, fresh processes"),
    ("open_bench.py", [], ["--runs", "3"], "median of {runs}; memory: fresh process"),
    ("import_bench.py", [], ["--rows", "2000", "--runs", "1"], "median of {runs}, processes"),
    ("export_bench.py", [], ["--controls", "50", "--evidence", "500"], "ours best of {runs}, raw best of 3"),
    ("plan_bench.py", [], ["--runs", "5"], "median of {runs}, in process"),
    ("findings_bench.py", [], ["--quick"], "median of {runs}, in process"),
    ("responsiveness_bench.py", [], ["--runs", "1"], "worst stall, median of {runs} fresh processes"),
)


def machine() -> str:
    """Return a line naming the CPU model, the cores, the load, Python and Qt."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        qt = f"Qt {qVersion()} (PySide6 {PySide6.__version__})"
    except ImportError:
        qt = "Qt not installed"
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (f"{os.cpu_count()} cores, {model}; load average at start {load}; Python {platform.python_version()}, "
            f"{qt}; {platform.system()} {platform.release()}")


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value:.2f} s"


def row(figure: dict[str, Any], how: str) -> str:
    """Return one Markdown table row for a figure."""
    ratio = f"{figure['ratio']:.2f}" if figure.get("ratio") else "-"
    memory = f"{figure['peak_mib']:.0f} MiB"
    if figure.get("raw_peak_mib"):
        memory += f" (raw/bare {figure['raw_peak_mib']:.0f} MiB)"
    return (f"| {figure['figure']} | {_seconds(figure['ours'])} | {_seconds(figure.get('raw'))} | {ratio} | "
            f"{figure['target']} | {memory} | {how.format(runs=figure.get('runs', 1))} |")


def main() -> int:
    """Run the scripts in turn and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small inputs, few runs (not for the README)")
    parser.add_argument("--only", nargs="*", help="run only these scripts (e.g. plan_bench.py)")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    rows, notes = [], []
    for script, arguments, quick, how in SCRIPTS:
        if args.only and script not in args.only:
            continue
        start = time.perf_counter()
        command = [sys.executable, str(HERE / script), "--json", *(quick if args.quick else arguments)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            print(f"error: {script} : exit status {done.returncode}", file=sys.stderr)
            return 1
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"ran {script} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        for figure in figures:
            rows.append(row(figure, how))
            notes += [f"{figure['figure']}: {note}" for note in figure.get("notes", [])]
    print()
    print("| Figure | Ours | Raw library / bare Qt | Ratio | Target | Peak memory | Measured |")
    print("|---|---|---|---|---|---|---|")
    for line in rows:
        print(line)
    if notes:
        print()
        for note in notes:
            print(f"- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
