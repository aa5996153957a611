"""Time opening a 2,000-control, 20,000-evidence project until its dashboard is drawn; its memory; raw sqlite3.

The project (about 175 MB of distinct evidence files) is built once through the services and cached (see
bench_project.py). Then:
  (a) in this process, offscreen: the main window opens the project as the GUI does (on its worker: open,
      status) and the dashboard is drawn with the data; the app's own time from open_path() to painted, without
      interpreter start-up and imports. One warm-up open first (it takes the automatic open-time backup, timed
      and printed apart), then --runs opens, median. Target < 1 s.
  (b) a fresh process opens the project, draws the dashboard, then the controls and the evidence pages; its
      peak memory (wait4). Target < 300 MiB: evidence bytes are never loaded to list or count evidence.
  (c) raw sqlite3 reading the rows the dashboard needs (every control, its criteria links, every evidence
      record's metadata with its blob's size and type), median of --runs; the ratio of (a) to it.
Every SQL statement of (a) and (b) is watched, and the evidence files whose bytes were read are counted: none
in (a); in (b) one, the preview of the item the evidence page selects (the user looking at it), of 20,000.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import Figure, checked, child_env, emit, median, offscreen_window, run, self_peak_mib
from bench_project import CONTROLS, EVIDENCE, cache_dir, ensure_built

TIME_TARGET = 1.0
MEMORY_TARGET = 300
RUNS = 7
WAIT_MS = 120_000

RAW_QUERIES = (
    "SELECT id, ref, title, description, owner, frequency, nature, status, notes, version FROM controls ORDER BY ref",
    "SELECT control_id, criterion_id FROM control_criteria",
    "SELECT e.id, e.control_id, e.title, e.filename, b.sha256, b.size, b.media_type, e.collected_on, "
    "e.period_start, e.period_end, e.source, e.notes, e.added_at, e.version FROM evidence e "
    "JOIN evidence_blobs b ON b.sha256 = e.blob_sha256",
)


def watch_bytes_queries() -> set[str]:
    """Return a set that collects, from now on, the hash of every evidence file whose bytes a statement reads.

    A statement on the chunks that names no single file is recorded as "?" (it would read them all).
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: set[str] = set()

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if "evidence_chunks" in statement:
            named = [p for p in (parameters if isinstance(parameters, tuple | list) else ())
                     if isinstance(p, str) and len(p) == 64]
            seen.update(named or ["?"])

    event.listen(Engine, "before_cursor_execute", before)
    return seen


def raw_read(path: Path) -> int:
    """Read the dashboard's rows with plain sqlite3 (read only); return how many rows came back."""
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return sum(len(connection.execute(query).fetchall()) for query in RAW_QUERIES)
    finally:
        connection.close()


class Gui:
    """The main window offscreen, and waiting for its signals."""

    def __init__(self, folder: Path) -> None:
        self.app, self.window = offscreen_window(folder)
        self.app.processEvents()

    def wait(self, signal: Any, start: Callable[[], object]) -> None:
        """Call start() and run the event loop until `signal` fires (or fail after WAIT_MS)."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        fired: list[bool] = []
        signal.connect(loop.quit)
        signal.connect(lambda *_: fired.append(True))
        QTimer.singleShot(WAIT_MS, loop.quit)
        start()
        if not fired:
            loop.exec()
        signal.disconnect(loop.quit)
        if not fired:
            sys.exit(f"error: gave up waiting after {WAIT_MS // 1000} s")

    def draw(self) -> None:
        """Lay out and paint the window now."""
        self.app.processEvents()
        self.window.repaint()

    def open(self, path: Path) -> float:
        """Open the project and draw its dashboard; return the seconds from open_path() to painted."""
        start = time.perf_counter()
        self.wait(self.window.project_loaded, lambda: self.window.open_path(path))
        self.draw()
        return time.perf_counter() - start

    def close(self) -> None:
        """Close the open project and wait until it is released."""
        self.wait(self.window.project_closed, self.window.close_project)

    def show_page(self, name: str) -> None:
        """Show a step page, wait until it has loaded its data, and draw it."""
        page = self.window.step_pages[name]
        self.wait(page.loaded, lambda: self.window.show_page(name))
        self.draw()


def child(path: Path, report: Path) -> int:
    """Fresh-process part (b): open, draw the dashboard, the controls page and the evidence page; then exit.

    Writes to `report` how many evidence files' bytes were read ("?" when a statement read unnamed chunks).
    """
    bytes_read = watch_bytes_queries()
    with tempfile.TemporaryDirectory() as folder:
        gui = Gui(Path(folder))
        gui.open(path)
        gui.show_page("controls")
        gui.show_page("evidence")
        gui.window.close()
    report.write_text("?" if "?" in bytes_read else str(len(bytes_read)))
    return 0


def measure(path: Path, runs: int) -> tuple[Figure, dict[str, Any]]:
    """Run (a), (b) and (c); return the figure and the details printed beside it."""
    bytes_read = watch_bytes_queries()
    with tempfile.TemporaryDirectory() as folder:
        gui = Gui(Path(folder))
        first = gui.open(path)  # takes the open-time backup of a project not backed up in this state yet
        gui.close()
        times = []
        for _ in range(runs):
            times.append(gui.open(path))
            gui.close()
        in_process_peak = self_peak_mib()
        gui.window.close()
        raw_times, rows = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            rows = raw_read(path)
            raw_times.append(time.perf_counter() - start)
        env = child_env(cache_dir(), WORKBENCH_DATA_DIR=os.environ["WORKBENCH_DATA_DIR"])
        report = Path(folder) / "child-bytes-read.txt"
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), "--report", str(report)]
        fresh = checked(run(command, env), command)
        child_read = report.read_text()
    ours, raw = median(times), median(raw_times)
    figure = Figure(f"Open {CONTROLS:,} controls / {EVIDENCE:,} evidence, dashboard drawn (app's own time)", ours,
                    raw, f"< {TIME_TARGET:g} s; < {MEMORY_TARGET} MiB", fresh.peak_mib, None, runs)
    figure.notes.append(f"the first open after a change also takes the automatic open-time backup (a copy of the "
                        f"whole file): {first:.2f} s to the dashboard painted")
    if bytes_read:
        figure.notes.append(f"opening read the bytes of {len(bytes_read)} evidence file(s)")
    if child_read not in ("0", "1"):
        figure.notes.append(f"the pages read the bytes of {child_read} evidence files (1 expected: the preview)")
    details = {"first": first, "times": times, "raw_rows": rows, "in_process_peak": in_process_peak,
               "bytes_read": len(bytes_read), "child_read": child_read, "spread": (min(times), max(times))}
    return figure, details


def main() -> int:
    """Build (once) the project, measure, print the figures and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed opens and raw reads (default {RUNS})")
    parser.add_argument("--json", action="store_true", help="print the figure as JSON (for run_all.py)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        return child(args.child, args.report)
    path = ensure_built(quiet=args.json)
    with tempfile.TemporaryDirectory() as data:
        os.environ["WORKBENCH_DATA_DIR"] = data  # backups and settings of these runs go nowhere permanent
        figure, details = measure(path, args.runs)
    if args.json:
        emit([figure], True)
        return 0
    size = path.stat().st_size / (1 << 20)
    low, high = details["spread"]
    print(f"project: {CONTROLS} controls, {EVIDENCE} evidence items, {size:.0f} MiB ({path})")
    print(f"(a) open to dashboard painted, in process: {figure.ours:.3f} s median of {args.runs} "
          f"[{low:.3f}-{high:.3f}] (target < {TIME_TARGET:g} s); first open with the automatic backup: "
          f"{details['first']:.3f} s")
    print(f"(b) fresh process, dashboard + controls + evidence pages: peak memory {figure.peak_mib:.0f} MiB "
          f"(target < {MEMORY_TARGET} MiB); this process after (a): {details['in_process_peak']:.0f} MiB")
    print(f"(c) raw sqlite3 reading the same {details['raw_rows']} rows: {figure.raw:.3f} s median; "
          f"ratio {figure.ratio:.1f}")
    print(f"evidence files whose bytes were read: (a) {details['bytes_read']} of {EVIDENCE}; (b) "
          f"{details['child_read']} (the preview of the item the evidence page selects)")
    for note in figure.notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
