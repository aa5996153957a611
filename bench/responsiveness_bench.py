"""The worst GUI-thread stall per action on the 2,000-control / 20,000-evidence project (target: none over 100 ms).

A fresh process (offscreen, 1280x820) starts the real main window and, with an event-loop probe running (a 2 ms
timer on the GUI thread noting every late firing; see stall_probe.py), does what a user does, each action started
from the event loop like a click and followed until the worker has been idle for 300 ms:
  open        open the project (bench_project.py builds and caches it) until the dashboard is drawn; then the
              user looks at it for 1.5 s (the program prepares the other pages meanwhile)
  first visit click each page in the navigation for the first time (builds it, loads its data), and the evidence
              page's calendar and Type II tabs
  return      click each page (and tab) again
  sort        click every column header of the controls table twice (both orders), then those of a control's
              evidence table
  filter      pick values in the controls page's status, frequency and owner filters; tick the evidence page's
              "without evidence"; the criteria's status, category and "without controls" filters
  type        type a word letter by letter (a key every 110 ms) and erase it, in each page's search box
  select      click rows and walk them with the arrow keys, End and Home: the controls table, the evidence page's
              controls and evidence, the criteria tree
An action's figure is its worst stall, the median over --runs fresh processes; the note names the sub-action that
stalled most in any run and how much of that stall the GUI thread spent working (the rest it waited: for the
processor on a loaded machine, or for the interpreter lock while the worker ran). The probe's floor (the worst gap
over two idle seconds) is noted too.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import Figure, checked, child_env, emit, median, offscreen_window, run
from bench_project import CONTROLS, EVIDENCE, cache_dir, ensure_built
from PySide6.QtCore import QPoint, Qt
from stall_probe import KEY_MS, Driver, click, click_row, key, settle, typing

TARGET_MS = 100
RUNS = 3
LOOK_S = 1.5  # after opening, the user looks at the dashboard this long before clicking a page
GROUPS = {
    "open": f"Stall: open {CONTROLS:,} controls / {EVIDENCE:,} evidence, dashboard drawn",
    "first visit": "Stall: switch to each page (and evidence tab) the first time",
    "return": "Stall: switch to each page (and evidence tab) again",
    "sort": "Stall: sort the controls table and a control's evidence, every column both ways",
    "filter": "Stall: filter controls (status, frequency, owner), evidence, criteria",
    "type": "Stall: type a word and erase it, letter by letter, in each search box",
    "select": "Stall: select rows (click, arrows, End, Home): controls, evidence, criteria",
}
PAGE_ORDER = ("scope", "assessment", "controls", "evidence", "audit", "report", "timeline", "dashboard")
WORDS = {"controls": "sc-012", "evidence": "sc-01", "assessment": "access", "audit": "sc-01", "scope": "db"}


class Session:
    """The main window on the project, driven through the event loop with the probe running."""

    def __init__(self, folder: Path) -> None:
        self.app, self.window = offscreen_window(folder)
        self.driver = Driver(lambda: self.window.operations.busy)
        self.loaded = False
        self.window.project_loaded.connect(lambda _status: setattr(self, "loaded", True))
        settle(self.app, 0.5)

    def measure(self, group: str, label: str, steps: list[Callable[[], object]], *, every_ms: int = 0,
                until: Callable[[], bool] = lambda: True) -> None:
        """Run the steps through the event loop and record their worst stall."""
        self.driver.measure(group, label, steps, every_ms=every_ms, until=until)

    def idle_floor(self) -> None:
        """Record the worst gap while nothing happens for two seconds."""
        end = time.perf_counter() + 2
        self.measure("idle", "nothing", [lambda: None], until=lambda: time.perf_counter() > end)

    def open(self, path: Path) -> None:
        """Open the project until the dashboard shows it."""
        self.measure("open", "open the project", [lambda: self.window.open_path(path)], until=lambda: self.loaded)

    def page(self, name: str) -> Any:
        """Return a step page (built)."""
        return self.window.step_pages[name]

    def visit(self, group: str, name: str) -> None:
        """Click a page in the navigation; wait until it has shown its data."""
        navigation = self.window.navigation
        row = next(i for i in range(navigation.count()) if navigation.item(i).data(Qt.ItemDataRole.UserRole) == name)
        point = navigation.visualItemRect(navigation.item(row)).center()

        def shown() -> bool:
            page = self.window.step_pages.built().get(name)
            return name == "dashboard" or (page is not None and page.loaded_once)

        self.measure(group, f"page {name}", [click(navigation.viewport(), point)], until=shown)

    def tab(self, group: str, tabs: Any, index: int) -> None:
        """Click a tab of a tab widget."""
        bar = tabs.tabBar()
        self.measure(group, f"tab {bar.tabText(index).replace('&', '')}",
                     [click(bar, bar.tabRect(index).center())])

    def pages(self, group: str) -> None:
        """Visit every page in turn, and the evidence page's tabs."""
        for name in PAGE_ORDER:
            self.visit(group, name)
            if name == "evidence":
                tabs = self.page("evidence").tabs
                for index in (1, 2, 0):
                    self.tab(group, tabs, index)

    def sort(self, table: Any, what: str) -> None:
        """Click each column header of a table twice."""
        header = table.horizontalHeader()
        model = table.model()
        for column in range(model.columnCount()):
            x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
            name = model.headerData(column, Qt.Orientation.Horizontal)
            for number in (1, 2):
                step = click(header.viewport(), QPoint(x, header.height() // 2))
                self.measure("sort", f"{what} by {name} (click {number})", [step])

    def pick(self, what: str, combo: Any, indexes: list[int]) -> None:
        """Choose entries of a filter's drop-down, one after the other."""
        for index in indexes:
            self.measure("filter", f"{what} = {combo.itemText(index)}",
                         [lambda i=index: combo.setCurrentIndex(i)])

    def tick(self, what: str, box: Any) -> None:
        """Tick a check box and untick it."""
        for state in ("on", "off"):
            self.measure("filter", f"{what} {state}", [lambda: box.click()])

    def type_word(self, what: str, box: Any, word: str) -> None:
        """Type a word into a search box a letter at a time, then erase it."""
        self.measure("type", f"{what}: {word!r}", typing(box, word), every_ms=KEY_MS)

    def walk(self, what: str, view: Any, row: int) -> None:
        """Click a row, then move down with the arrow key five times, then End and Home."""
        keys = Qt.Key
        self.measure("select", f"{what}: click a row", [click_row(view, row)])
        self.measure("select", f"{what}: arrow down x5",
                     [key(view, keys.Key_Down) for _ in range(5)], every_ms=KEY_MS)
        self.measure("select", f"{what}: End", [key(view, keys.Key_End)])
        self.measure("select", f"{what}: Home", [key(view, keys.Key_Home)])

    def quiet_show(self, name: str) -> None:
        """Show a page without timing it."""
        self.window.show_page(name)
        self.measure("setup", name, [lambda: None])

    def scenario(self, path: Path) -> None:
        """Do everything a user does, in order."""
        self.idle_floor()
        self.open(path)
        settle(self.app, LOOK_S)  # the user takes in the dashboard before clicking on
        self.pages("first visit")
        self.pages("return")
        controls = self.page("controls")
        self.quiet_show("controls")
        self.sort(controls.table, "controls")
        filters = controls.filters
        self.pick("controls status", filters.status_filter, [1, 2, 3, 0])
        self.pick("controls frequency", filters.frequency_filter, [1, 5, 0])
        self.pick("controls owner", filters.owner_filter, [1, 2, 0])
        self.type_word("controls search", filters.search, WORDS["controls"])
        self.walk("controls table", controls.table, 3)
        evidence = self.page("evidence")
        self.quiet_show("evidence")
        evidence.tabs.setCurrentIndex(0)
        self.sort(evidence.evidence, "evidence")
        self.tick("evidence: without evidence", evidence.without_evidence)
        self.type_word("evidence search", evidence.search, WORDS["evidence"])
        self.walk("evidence controls", evidence.controls, 3)
        self.walk("evidence items", evidence.evidence, 1)
        assessment = self.page("assessment")
        self.quiet_show("assessment")
        self.pick("criteria status", assessment.status_filter, [1, 2, 0])
        self.pick("criteria category", assessment.category_filter, [1, 0])
        self.tick("criteria: without controls", assessment.unmapped_only)
        self.type_word("criteria search", assessment.search, WORDS["assessment"])
        self.walk("criteria tree", assessment.tree, 2)
        self.quiet_show("audit")
        self.type_word("requests search", self.page("audit").search, WORDS["audit"])
        scope = self.page("scope")
        self.quiet_show("scope")
        for panel in (scope.components, scope.subservices, scope.cuecs):
            scope.tabs.setCurrentWidget(panel)
            self.type_word(f"scope {panel.search.accessibleName().lower()}", panel.search, WORDS["scope"])


def child(path: Path, report: Path) -> int:
    """One fresh process: run the scenario, write the stalls to `report` as JSON."""
    with tempfile.TemporaryDirectory() as folder:
        session = Session(Path(folder))
        session.scenario(path)
        report.write_text(json.dumps(session.driver.results))
        session.window.close()
    return 0


def summarise(runs: list[list[dict[str, Any]]], peaks: list[float]) -> tuple[list[Figure], dict[str, Any]]:
    """Return one figure per group (median over runs of its worst stall) and the details per sub-action."""
    worst_by_run: dict[str, list[float]] = defaultdict(list)
    by_label: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for results in runs:
        groups: dict[str, float] = defaultdict(float)
        for result in results:
            groups[result["group"]] = max(groups[result["group"]], result["stall"])
            by_label[result["group"], result["label"]].append((result["stall"], result["cpu"]))
        for group, stall in groups.items():
            worst_by_run[group].append(stall)
    floor = median(worst_by_run["idle"])
    figures = []
    for group, title in GROUPS.items():
        labels = {label: max(values) for (g, label), values in by_label.items() if g == group}
        label, (stall, cpu) = max(labels.items(), key=lambda item: item[1])
        figure = Figure(title, median(worst_by_run[group]), None, f"< {TARGET_MS} ms", max(peaks), None, len(runs))
        figure.notes.append(f"worst: {label}, {stall * 1000:.0f} ms, the GUI thread busy {cpu * 1000:.0f} ms of it "
                            f"({len(labels)} sub-actions, any run)")
        figures.append(figure)
    figures[0].notes.append(f"the probe's floor, two idle seconds with the window open: {floor * 1000:.0f} ms")
    return figures, {"by_label": by_label, "floor": floor}


def main() -> int:
    """Build (once) the project, run the scenario in fresh processes, print the worst stall per action."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=RUNS, help=f"fresh processes (default {RUNS})")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (for run_all.py)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        return child(args.child, args.report)
    path = ensure_built(quiet=args.json)
    runs, peaks = [], []
    with tempfile.TemporaryDirectory() as data:
        env = child_env(cache_dir(), WORKBENCH_DATA_DIR=data)  # backups and settings go nowhere permanent
        for number in range(args.runs):
            report = Path(data) / f"stalls-{number}.json"
            command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), "--report", str(report)]
            done = checked(run(command, env), command)
            runs.append(json.loads(report.read_text()))
            peaks.append(done.peak_mib)
    figures, details = summarise(runs, peaks)
    if args.json:
        emit(figures, True)
        return 0
    print(f"project: {CONTROLS} controls, {EVIDENCE} evidence items ({path}); {args.runs} fresh processes")
    print(f"probe floor (idle): {details['floor'] * 1000:.0f} ms; target: no stall over {TARGET_MS} ms")
    for figure in figures:
        verdict = "ok" if figure.ours * 1000 <= TARGET_MS else "OVER"
        print(f"{figure.ours * 1000:6.0f} ms  {verdict:4}  {figure.figure}  ({figure.notes[0]})")
    print("\nevery sub-action, worst over the runs, and the GUI thread's processor time in that stall (ms):")
    for (group, label), values in details["by_label"].items():
        if group not in ("idle", "setup"):
            stall, cpu = max(values)
            print(f"{stall * 1000:6.0f} {cpu * 1000:6.0f}  {group:11}  {label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
