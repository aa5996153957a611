"""Time `workbench import-controls` of a control register against the raw libraries doing the same work.

Two baselines, each a fresh process like ours (start-up counts on every side):
- raw: python-calamine reading the rows plus the standard sqlite3 module writing, in ONE transaction into a
  project file made by `workbench new`, exactly what our import writes: the same controls (same columns and
  values), the same criteria links, the remembered column layout, and the same hash-chained audit entries (one per
  1,000 controls created, holding their values, plus one per layout row), with the file's chain head; and it prints
  the result document `--json` prints (counts, and a warning on each row naming criteria outside the project's
  categories: one row in seven of this register). After the runs the two files are compared table by table, the
  two documents compared, and `workbench check` must pass on the raw one, so the baseline provably does the same
  work. This is the honest floor: ours / raw is the figure with a target (<= 1.5).
- bare read: python-calamine merely iterating the rows (a reference, no target).

The register (a title row above the header; criteria written seven ways, one of them out of the project's scope)
is built once per size with openpyxl and cached. Each import goes into a fresh project. Memory: the peak resident
size of the largest process (wait4, as before), and from sampling /proc every 10 ms the import process alone, its
reading child alone, and the most both held at once.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from _common import Figure, child_env, emit, median, workbench_command
from bench_project import cache_dir

SIZES = (20_000, 200_000)
RUNS = 3
TARGET = 1.5  # ours / raw
MEMORY_TARGET = 250  # MiB, the largest process of a 200,000-row import
FREQUENCIES = ("Annual", "Quarterly", "Monthly", "Weekly", "Daily", "Continuous", "Per event")
CRITERIA = ("CC6.1", "CC6.2, CC6.3", "CC7.1; CC7.2", "CC 8.1", "CC1.1-CC1.3", "A1.2", "CC9.2 / CC3.1")
REGISTER_VERSION = 1  # bump when build_register changes, so cached registers are rebuilt

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

# The raw libraries doing what `workbench import-controls ... --json` does to this register: read it, read each
# row's values (frequency, status, nature by name; criteria as written, ranges expanded in catalog order, those
# outside the project's categories left out), insert controls and criteria links, remember the column layout, and
# append the hash-chained audit entries our import appends (same summaries, same chain rule), all in one
# transaction; then print the same result document (counts, and a warning for each row naming criteria outside
# the project's categories), as the command line prints it.
RAW = r"""
import datetime, getpass, hashlib, json, re, sqlite3, sys, time
from python_calamine import CalamineWorkbook

started = time.perf_counter()  # the work alone, its start-up (interpreter and imports) aside: see ALONE

BATCH = 1000
FIELDS = {"control id": "ref", "control title": "title", "description": "description", "owner": "owner",
          "frequency": "frequency", "tsc refs": "criteria", "status": "status", "nature": "nature",
          "notes": "notes"}
FREQUENCY = {"annual": "annual", "quarterly": "quarterly", "monthly": "monthly", "weekly": "weekly",
             "daily": "daily", "continuous": "continuous", "per event": "event_driven"}
STATUS = {"implemented": "implemented", "in progress": "in_progress", "not started": "not_started"}
NATURE = {"manual": "manual", "automated": "automated"}
CRITERION = re.compile(r"(CC|PI|A|C|P)\s*(\d+)\.(\d+)(?:\s*-\s*(CC|PI|A|C|P)\s*(\d+)\.(\d+))?")
COLUMNS = ["id", "ref", "title", "description", "owner", "frequency", "nature", "status", "notes",
           "implemented_since", "retired_on", "criteria"]

def normal(header):
    text = header.replace("(s)", "s").replace("(S)", "s").lower().replace("#", " # ")
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", text).split())

source, target = sys.argv[1], sys.argv[2]
db = sqlite3.connect(target, isolation_level=None)
for pragma in ("locking_mode=EXCLUSIVE", "synchronous=FULL", "journal_size_limit=0", "foreign_keys=ON"):
    db.execute("PRAGMA " + pragma)
db.execute("BEGIN EXCLUSIVE")
order = [i for (i,) in db.execute("SELECT id FROM criteria ORDER BY position")]
scope = {i for (i,) in db.execute("SELECT c.id FROM criteria c JOIN scope_categories s ON s.category = c.category")}
category = dict(db.execute("SELECT id, category FROM criteria"))
position = {c: n for n, c in enumerate(order)}
problems = []

def criteria(text, number):
    found = []
    for m in CRITERION.finditer(text):
        first, last = f"{m[1]}{m[2]}.{m[3]}", f"{m[4]}{m[5]}.{m[6]}"
        if m[4] and first in position and last in position:
            found += order[position[first]:position[last] + 1]
        else:
            found.append(first)
    outside = [c for c in dict.fromkeys(found) if c in category and c not in scope]
    if outside:
        names = ", ".join(sorted({category[c].replace("_", " ").capitalize() for c in outside}))
        problems.append({"row": number, "level": "warning", "field": "criteria", "message": f"criteria: "
                         f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} outside this project's "
                         f"categories ({names} not in scope); not linked"})
    return sorted({c for c in found if c in scope})

book = CalamineWorkbook.from_path(source)
rows = book.get_sheet_by_name(book.sheet_names[0]).iter_rows()
for header_row, header in enumerate(rows, start=1):
    if "Control ID" in header:
        break
at = {FIELDS[normal(h)]: i for i, h in enumerate(header) if normal(h) in FIELDS}
seq, prev = db.execute("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").fetchone()
next_id = db.execute("SELECT coalesce(max(id), 0) FROM controls").fetchone()[0] + 1
when = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
actor = getpass.getuser()

def append(action, entity, key, summary):
    global seq, prev
    seq += 1
    text = json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str)
    payload = json.dumps([seq, when, actor, action, entity, key, text], ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(f"{prev}\n{payload}".encode()).hexdigest()
    db.execute("INSERT INTO audit_entries (seq, at, actor, action, entity, entity_key, summary, prev_hash, hash) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (seq, when, actor, action, entity, key, text, prev, digest))
    prev = digest

def write(batch):
    global next_id, link_count
    controls, links, created = [], [], []
    for number, cells in batch:
        linked = criteria(cells[at["criteria"]].strip(), number)
        row = (next_id, cells[at["ref"]].strip(), cells[at["title"]].strip(), cells[at["description"]].strip(),
               cells[at["owner"]].strip(), FREQUENCY[cells[at["frequency"]].strip().lower()],
               NATURE[cells[at["nature"]].strip().lower()], STATUS[cells[at["status"]].strip().lower()],
               cells[at["notes"]].strip(), None, None)
        controls.append(row)
        links += [(next_id, c) for c in linked]
        created.append([*row, linked])
        next_id += 1
    db.executemany("INSERT INTO controls (id, ref, title, description, owner, frequency, nature, status, notes, "
                   "implemented_since, retired_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", controls)
    db.executemany("INSERT INTO control_criteria (control_id, criterion_id) VALUES (?, ?)", links)
    link_count += len(links)
    key = f"{created[0][1]} .. {created[-1][1]} ({len(created)} controls)" if len(created) > 1 else created[0][1]
    append("create", "controls", key, {"columns": COLUMNS, "created": created})

batch, link_count, first_id = [], 0, next_id
for number, cells in enumerate(rows, start=header_row + 1):
    batch.append((number, cells))
    if len(batch) == BATCH:
        write(batch)
        batch = []
if batch:
    write(batch)
signature = hashlib.sha256("\x1f".join(normal(h) for h in header).encode()).hexdigest()[:24]
for name, index in sorted(at.items()):
    db.execute("INSERT INTO import_layouts (kind, signature, field, header) VALUES (?, ?, ?, ?)",
               ("controls", signature, name, header[index]))
    append("create", "import_layouts", f"controls/{signature}/{name}",
           {"after": {"field": name, "header": header[index], "kind": "controls", "signature": signature}})
db.execute("INSERT INTO meta (key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = "
           "excluded.value", (f"{seq} {prev}",))
db.execute("COMMIT")
created = next_id - first_id
json.dump({"kind": "controls", "sheet": book.sheet_names[0], "header_row": header_row,
           "columns": {name: header[at[name]] for name in FIELDS.values()}, "rows": created, "created": created,
           "updated": 0, "unchanged": 0, "merged": 0, "skipped": 0, "criteria_links": link_count,
           "problems": problems, "dry_run": False}, sys.stdout, ensure_ascii=False, indent=2)
sys.stdout.write("\n")
sys.stdout.flush()
sys.stderr.write(f"alone {time.perf_counter() - started:.6f}\n")
"""

# Our import with its start-up aside, as the raw script's "alone" time: the program's modules loaded and the
# project open (as in the GUI, where an import runs in a program already running), the clock runs from reading the
# file to the result document printed, exactly as `workbench import-controls PROJECT SOURCE --json` does them.
ALONE = r"""
import sys, time
from pathlib import Path
from workbench.cli.common import open_location, print_json
from workbench.services.importers.background import TableReader
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import CONTROLS

with open_location(sys.argv[2]) as project:
    started = time.perf_counter()
    reader = TableReader(Path(sys.argv[1]), CONTROLS)
    print_json(import_register(project, CONTROLS, sys.argv[1], table=reader.table()))
    sys.stdout.flush()
    sys.stderr.write(f"alone {time.perf_counter() - started:.6f}\n")
"""

# What both sides must have written alike: the tables, and the audit entries appended after `workbench new`'s own
# (their time and hashes differ by the moment they were written; the chain is checked by `workbench check`).
COMPARED = {
    "controls": "SELECT * FROM controls ORDER BY id",
    "criteria links": "SELECT * FROM control_criteria ORDER BY control_id, criterion_id",
    "layout": "SELECT * FROM import_layouts ORDER BY kind, signature, field",
    "audit entries": "SELECT seq, actor, action, entity, entity_key, summary FROM audit_entries WHERE seq > ? "
                     "ORDER BY seq",
    "chain head": "SELECT substr(value, 1, instr(value, ' ') - 1) FROM meta WHERE key = 'audit_head'",
}


def build_register(path: Path, rows: int) -> None:
    """Write a control register of `rows` controls with a title row above the header."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Controls")
    sheet.append(["Acme control register"])
    sheet.append(["Control ID", "Control Title", "Description", "Owner", "Frequency", "TSC Ref(s)", "Status",
                  "Nature", "Notes"])
    for i in range(rows):
        sheet.append([
            f"CTL-{i:06d}", f"Control number {i}", f"What control {i} does, in a sentence or two.",
            f"Owner {i % 37}", FREQUENCIES[i % len(FREQUENCIES)], CRITERIA[i % len(CRITERIA)],
            ("Implemented", "In progress", "Not started")[i % 3], ("Manual", "Automated")[i % 2], "",
        ])
    book.save(path)


def register(rows: int) -> Path:
    """Return the cached register of this size, building it first when missing."""
    path = cache_dir() / f"import-register-{rows}-v{REGISTER_VERSION}.xlsx"
    if not path.exists():
        partial = path.with_suffix(".partial.xlsx")
        # In a process of its own: a child forked from a bench grown by openpyxl would inherit its peak (wait4).
        subprocess.run([sys.executable, "-c", f"from import_bench import build_register; from pathlib import Path; "
                        f"build_register(Path({str(partial)!r}), {rows})"], check=True, cwd=Path(__file__).parent)
        partial.replace(path)
    return path


def _status(pid: int) -> dict[str, int]:
    """Return VmRSS and VmHWM (KiB) of a process, empty once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in status)
                    if k in ("VmRSS", "VmHWM")}
    except (OSError, ValueError):
        return {}


def _children(pid: int) -> list[int]:
    """Return the children of every thread of a process (the reading child is started by a thread)."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found += [int(c) for c in children.read().split()]
    except (OSError, ValueError):
        pass
    return found


@dataclass
class Sampled:
    """What sampling /proc saw of a process tree: each process's own peak, and the most all held at once (MiB)."""

    parent: float = 0.0
    child: float = 0.0
    together: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def watch(self, pid: int) -> None:
        """Sample the process and its children every 10 ms until stopped."""
        while not self._stop.is_set():
            own = _status(pid)
            if own:
                self.parent = max(self.parent, own.get("VmHWM", 0) / 1024)
            total = own.get("VmRSS", 0)
            for child in _children(pid):
                figures = _status(child)
                self.child = max(self.child, figures.get("VmHWM", 0) / 1024)
                total += figures.get("VmRSS", 0)
            self.together = max(self.together, total / 1024)
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()


@dataclass(frozen=True)
class Timed:
    """One measured process: wall time, the largest process's peak (wait4), what sampling saw, CPU time."""

    seconds: float
    peak_mib: float
    sampled: Sampled
    cpu: float = 0.0  # user + system seconds, its reaped children included (steadier than wall time when loaded)
    alone: float = 0.0  # what the process said its work alone took ("alone SECONDS" on stderr), start-up aside


def timed(command: Sequence[str], env: dict[str, str], output: Path | None = None) -> Timed:
    """Run a command to its end (its stdout written to `output`), sampling its memory; raise when it fails."""
    with open(output or os.devnull, "wb") as out:
        return _timed(command, env, out)


def _timed(command: Sequence[str], env: dict[str, str], out: BinaryIO) -> Timed:
    start = time.perf_counter()
    process = subprocess.Popen(list(command), stdout=out, stderr=subprocess.PIPE, env=env)
    sampled = Sampled()
    watcher = threading.Thread(target=sampled.watch, args=(process.pid,), daemon=True)
    watcher.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    sampled.stop()
    watcher.join()
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        print(stderr[-2000:], file=sys.stderr)
        raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), list(command))
    said = [line.split()[1] for line in stderr.splitlines() if line.startswith("alone ")]
    return Timed(elapsed, usage.ru_maxrss / 1024, sampled, usage.ru_utime + usage.ru_stime,
                 float(said[-1]) if said else 0.0)


def new_project(path: Path, env: dict[str, str]) -> Path:
    """Create an empty project file (the default scope: security only)."""
    subprocess.run([*workbench_command(), "new", str(path), "--org", "Bench Ltd"], check=True,
                   stdout=subprocess.DEVNULL, env=env)
    return path


def audit_head(project: Path) -> int:
    """Return the number of the last audit entry of a project file."""
    with sqlite3.connect(project) as db:
        return db.execute("SELECT max(seq) FROM audit_entries").fetchone()[0]


def same_document(ours: Path, other: Path, what: str) -> None:
    """Raise unless the result documents printed beside the two project files are alike."""
    mine, theirs = (json.loads(path.with_suffix(".json").read_text(encoding="utf-8")) for path in (ours, other))
    if mine != theirs:
        differing = sorted(key for key in mine.keys() | theirs.keys() if mine.get(key) != theirs.get(key))
        raise SystemExit(f"error: {what}'s result document differs from the import's in {differing}")


def same_work(ours: Path, raw: Path, since: int, env: dict[str, str]) -> None:
    """Raise unless the raw baseline wrote and printed what our import did, and its audit chain checks out."""
    same_document(ours, raw, "the raw baseline")
    with sqlite3.connect(ours) as a, sqlite3.connect(raw) as b:
        for what, query in COMPARED.items():
            parameters = (since,) if "?" in query else ()
            # Row by row, never all at once: a bench grown large would pass its peak on to the processes it starts.
            for number, (mine, theirs) in enumerate(itertools.zip_longest(a.execute(query, parameters),
                                                                          b.execute(query, parameters))):
                if mine != theirs:
                    raise SystemExit(f"error: the raw baseline differs from the import in its {what} (first at row "
                                     f"{number}: {str(mine)[:200]} against {str(theirs)[:200]})")
    subprocess.run([*workbench_command(), "check", str(raw)], check=True, stdout=subprocess.DEVNULL, env=env)


@dataclass
class Sides:
    """The runs of one register size."""

    rows: int
    ours: list[Timed] = field(default_factory=list)
    raw: list[Timed] = field(default_factory=list)
    bare: list[Timed] = field(default_factory=list)
    alone: list[Timed] = field(default_factory=list)


def measure(rows: int, runs: int, env: dict[str, str], folder: Path) -> Sides:
    """Time every side `runs` times on the register of this size, interleaved; check the two files alike."""
    source = register(rows)
    sides = Sides(rows)
    for number in range(runs):
        ours = new_project(folder / f"ours-{rows}-{number}.soc2", env)
        raw = new_project(folder / f"raw-{rows}-{number}.soc2", env)
        alone = new_project(folder / f"alone-{rows}-{number}.soc2", env)
        since = audit_head(ours)
        sides.bare.append(timed([sys.executable, "-c", CALAMINE_ONLY, str(source)], env))
        sides.raw.append(timed([sys.executable, "-c", RAW, str(source), str(raw)], env, raw.with_suffix(".json")))
        sides.ours.append(timed([*workbench_command(), "import-controls", str(ours), str(source), "--json"], env,
                                ours.with_suffix(".json")))
        sides.alone.append(timed([sys.executable, "-c", ALONE, str(source), str(alone)], env,
                                 alone.with_suffix(".json")))
        if number == 0:
            same_work(ours, raw, since, env)
            same_document(ours, alone, "the import timed alone")
        for path in (ours, raw, alone):
            path.unlink()
            path.with_suffix(".json").unlink()
    return sides


def figures(sides: Sides, runs: int) -> list[Figure]:
    """Return the figures of one size: against the raw baseline (with its target), against the bare read, and the
    work alone against the raw baseline's (each process's start-up aside)."""
    ours = median([t.seconds for t in sides.ours])
    peak = median([t.peak_mib for t in sides.ours])
    parent = median([t.sampled.parent for t in sides.ours])
    child = median([t.sampled.child for t in sides.ours])
    together = median([t.sampled.together for t in sides.ours])
    memory = f"import process {parent:.0f} MiB, its reading child {child:.0f} MiB, both at once {together:.0f} MiB"
    cpu = (f"CPU time (user + system, children included): ours {median([t.cpu for t in sides.ours]):.2f} s, raw "
           f"{median([t.cpu for t in sides.raw]):.2f} s, bare read {median([t.cpu for t in sides.bare]):.2f} s")
    target = f"<= {TARGET}x raw" + (f", < {MEMORY_TARGET} MB" if sides.rows >= 200_000 else "")
    return [
        Figure(f"Import a {sides.rows:,}-row control register (process) vs raw calamine + sqlite3 doing the same "
               "writes", ours, median([t.seconds for t in sides.raw]), target, peak,
               median([t.peak_mib for t in sides.raw]), runs, [memory + " (sampled every 10 ms)", cpu]),
        Figure(f"Import a {sides.rows:,}-row control register (process) vs calamine merely reading it", ours,
               median([t.seconds for t in sides.bare]), "reference", peak,
               median([t.peak_mib for t in sides.bare]), runs),
        Figure(f"Import a {sides.rows:,}-row control register, start-up aside on both sides (the project open, the "
               "modules loaded) vs raw calamine + sqlite3", median([t.alone for t in sides.alone]),
               median([t.alone for t in sides.raw]), "reference", median([t.peak_mib for t in sides.alone]),
               median([t.peak_mib for t in sides.raw]), runs),
    ]


def main() -> int:
    """Build the registers, time every side, print the times, ratios and memory."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=list(SIZES), help="register sizes (default "
                                                                                     f"{' '.join(map(str, SIZES))})")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs of each side, medians (default {RUNS})")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (for run_all.py)")
    args = parser.parse_args()
    env = child_env(cache_dir())  # bytecode cached, as an installed program has it
    results = []
    with tempfile.TemporaryDirectory() as folder:
        env["WORKBENCH_DATA_DIR"] = str(Path(folder) / "data")
        for rows in args.rows:
            results += figures(measure(rows, args.runs, env, Path(folder)), args.runs)
    if args.json:
        emit(results, True)
        return 0
    print(f"medians of {args.runs} runs; every side a fresh process")
    for figure in results:
        print(f"{figure.figure}: ours {figure.ours:.3f} s, theirs {figure.raw:.3f} s, ratio {figure.ratio:.2f} "
              f"(target {figure.target}); peak memory {figure.peak_mib:.0f} MiB (theirs {figure.raw_peak_mib:.0f} "
              "MiB)")
        for note in figure.notes:
            print(f"  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
