"""Crash safety: real `workbench` processes killed with SIGKILL at random points leave a sound project.

Each child runs the command line (cli.main) and says "started" once its modules are loaded; the test then
waits a random time (seeded) within the length of an uninterrupted run and kills it. After every kill the
project opens (the dead process's lock is gone), `check` passes, and the interrupted work is all or nothing.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from workbench.services.evidence import list_evidence, read_evidence
from workbench.services.exports.run import run_export
from workbench.services.integrity import check_project, project_digest
from workbench.services.plan import generate_plan, plan_document
from workbench.services.session import OpenProject, open_project

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="this platform has no SIGKILL")

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
REGISTER_ROWS = 2000
BIG_FILE_MB = 20
# Kills per operation; together at least the 20 the issue asks for.
KILLS = {"import": 6, "evidence": 6, "xlsx": 2, "pdf": 2, "zip": 2, "plan": 4}
assert sum(KILLS.values()) >= 20

CHILD = """\
import importlib, sys
import workbench.cli as cli
for name in filter(None, sys.argv[1].split(",")):
    importlib.import_module(name)
print("started", flush=True)
sys.exit(cli.main(sys.argv[2:]))
"""
MODULES = {
    "import": "workbench.services.importers.background,workbench.services.importers.engine",
    "evidence": "workbench.services.evidence",
    "export": "workbench.services.exports.run,workbench.services.exports.workbook,"
              "workbench.services.exports.pdf_package,workbench.services.exports.binder",
    "plan": "workbench.services.plan,workbench.services.plan_exports",
}


# -- inputs, made once per module --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A control register of a few thousand rows, a large partly sparse evidence file, and the child script."""
    folder = tmp_path_factory.mktemp("kill-inputs")
    register = folder / "register.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Control Register")
    sheet.append(["Control ID", "Control Title", "Control Description", "Owner", "Frequency", "TSC Ref", "Status"])
    criteria = ["CC1.1", "CC6.1", "CC7.2", "CC8.1", "CC3.2"]
    for index in range(REGISTER_ROWS):
        sheet.append([f"KX-{index:05d}", f"Imported control {index}", f"What control {index} does, in words.",
                      f"Owner {index % 17}", ("Annual", "Quarterly", "Monthly")[index % 3], criteria[index % 5],
                      "Implemented"])
    workbook.save(register)
    big = folder / "server-logs.bin"
    rng = random.Random(1207)
    with big.open("wb") as handle:
        handle.truncate(BIG_FILE_MB << 20)  # holes read as zeros; a random megabyte every four
        for offset in range(0, BIG_FILE_MB << 20, 4 << 20):
            handle.seek(offset)
            handle.write(rng.randbytes(1 << 20))
    child = folder / "child.py"
    child.write_text(CHILD, encoding="utf-8")
    return {"register": register, "big": big, "child": child}


# -- running and killing children --------------------------------------------------------------------------


def _start(child: Path, modules: str, args: list[object], cwd: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, str(child), modules, *(str(a) for a in args)], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    assert process.stdout is not None
    line = process.stdout.readline()
    if line != b"started\n":
        _out, err = process.communicate(timeout=120)
        pytest.fail(f"the child did not start: {line!r} {err.decode(errors='replace')}")
    return process


def _finish(process: subprocess.Popen[bytes]) -> None:
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode(errors="replace")


def timed_run(child: Path, modules: str, args: list[object], cwd: Path) -> float:
    """Run a command to completion; return how long it worked after saying it started."""
    process = _start(child, modules, args, cwd)
    began = time.monotonic()
    _finish(process)
    return time.monotonic() - began


def kill_runs(child: Path, modules: str, make_args: Callable[[int], list[object]], cwd: Path, kills: int,
              window: float, rng: random.Random, after_each: Callable[[int, bool], None]) -> int:
    """Start the command again and again, killing it after a random delay within `window`, `kills` times.

    after_each(attempt, killed) checks the project; a child that finished before its kill counts not.
    """
    done = attempts = 0
    while done < kills:
        assert attempts < 4 * kills, f"only {done} of {attempts} children were still running when killed"
        process = _start(child, modules, make_args(attempts), cwd)
        time.sleep(rng.uniform(0.0, window))
        killed = process.poll() is None
        if killed:
            process.send_signal(signal.SIGKILL)
            _out, err = process.communicate(timeout=120)
            # A child may finish in the instant between poll() and the signal: then it simply succeeded.
            killed = process.returncode != 0
            assert process.returncode in (0, -signal.SIGKILL), err.decode(errors="replace")
        else:
            _finish(process)
        after_each(attempts, killed)
        done += killed
        attempts += 1
    return done


# -- checking the project after a kill ---------------------------------------------------------------------


def _sides(path: Path) -> list[str]:
    return [suffix for suffix in SIDE_SUFFIXES if Path(f"{path}{suffix}").exists()]


def inspect(path: Path, look: Callable[[OpenProject], Any]) -> Any:
    """Open the project (so no lock of a dead process remains), check it, look at it, close it: one file left."""
    with open_project(path) as project:
        problems = [f"{r.name}: {r.problem}" for r in check_project(project) if not r.ok]
        assert problems == []
        seen = look(project)
    assert _sides(path) == []
    return seen


def _copy_sample(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(SAMPLE, target)
    return target


def _digest(path: Path) -> str:
    with open_project(path) as project:
        return project_digest(project)


def _window(duration: float) -> float:
    return max(duration, 0.05)


# -- the kills --------------------------------------------------------------------------------------------


def _controls(project: OpenProject) -> tuple[int, set[str], str]:
    with project.uow() as uow:
        refs = {c.ref for c in uow.controls.list()}
    return len(refs), refs, project_digest(project)


def test_killed_control_imports_leave_all_or_none_of_the_register(inputs: dict[str, Path], tmp_path: Path) -> None:
    base = _copy_sample(tmp_path, "base.soc2")
    before_count, before_refs, before_digest = inspect(base, _controls)
    imported = {f"KX-{index:05d}" for index in range(REGISTER_ROWS)}
    reference = shutil.copyfile(base, tmp_path / "reference.soc2")
    duration = timed_run(inputs["child"], MODULES["import"], ["import-controls", reference, inputs["register"]],
                         tmp_path)
    assert inspect(reference, _controls)[0] == before_count + REGISTER_ROWS
    outcomes: list[str] = []

    def target(attempt: int) -> Path:
        return tmp_path / f"import-{attempt}.soc2"

    def make_args(attempt: int) -> list[object]:
        shutil.copyfile(base, target(attempt))
        return ["import-controls", target(attempt), inputs["register"]]

    def after_each(attempt: int, _killed: bool) -> None:
        count, refs, digest = inspect(target(attempt), _controls)
        if count == before_count:
            assert digest == before_digest  # nothing of the import, and nothing else changed
            outcomes.append("none")
        else:
            assert count == before_count + REGISTER_ROWS and refs == before_refs | imported
            outcomes.append("all")
        target(attempt).unlink()

    kills = kill_runs(inputs["child"], MODULES["import"], make_args, tmp_path, KILLS["import"], _window(duration),
                      random.Random(71), after_each)
    assert kills == KILLS["import"] and set(outcomes) <= {"none", "all"}


def _evidence(project: OpenProject) -> list[tuple[int, str, int]]:
    return sorted((e.id, e.sha256, e.size) for e in list_evidence(project))


def test_killed_evidence_ingests_leave_the_file_stored_whole_or_not_at_all(inputs: dict[str, Path],
                                                                           tmp_path: Path) -> None:
    base = _copy_sample(tmp_path, "base.soc2")
    before = inspect(base, _evidence)
    before_digest = _digest(base)
    big = inputs["big"].read_bytes()
    sha256 = hashlib.sha256(big).hexdigest()
    assert sha256 not in {item[1] for item in before}
    control = "AC-01"
    reference = shutil.copyfile(base, tmp_path / "reference.soc2")
    duration = timed_run(inputs["child"], MODULES["evidence"],
                         ["evidence", "add", reference, inputs["big"], "--control", control], tmp_path)
    assert len(inspect(reference, _evidence)) == len(before) + 1
    outcomes: list[str] = []

    def target(attempt: int) -> Path:
        return tmp_path / f"evidence-{attempt}.soc2"

    def make_args(attempt: int) -> list[object]:
        shutil.copyfile(base, target(attempt))
        return ["evidence", "add", target(attempt), inputs["big"], "--control", control]

    def look(project: OpenProject) -> tuple[list[tuple[int, str, int]], str, bytes | None]:
        items = _evidence(project)
        stored = b"".join(read_evidence(project, sha256)) if any(i[1] == sha256 for i in items) else None
        return items, project_digest(project), stored

    def after_each(attempt: int, _killed: bool) -> None:
        items, digest, stored = look_at(target(attempt))
        if items == before:
            assert digest == before_digest and stored is None
            outcomes.append("none")
        else:
            new = [item for item in items if item not in before]
            assert len(items) == len(before) + 1 and len(new) == 1
            assert new[0][1:] == (sha256, len(big)) and stored == big
            outcomes.append("all")
        target(attempt).unlink()

    def look_at(path: Path) -> tuple[list[tuple[int, str, int]], str, bytes | None]:
        return inspect(path, look)

    kills = kill_runs(inputs["child"], MODULES["evidence"], make_args, tmp_path, KILLS["evidence"],
                      _window(duration), random.Random(72), after_each)
    assert kills == KILLS["evidence"] and set(outcomes) <= {"none", "all"}


def _valid_output(kind: str, path: Path) -> None:
    if kind == "pdf":
        assert len(PdfReader(path).pages) > 0
    elif kind == "xlsx":
        assert "Controls" in load_workbook(path, read_only=True).sheetnames
    else:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None


@pytest.mark.parametrize("kind", ["xlsx", "pdf", "zip"])
def test_killed_exports_change_nothing_and_the_next_export_clears_what_they_left(kind: str, inputs: dict[str, Path],
                                                                                tmp_path: Path) -> None:
    project = _copy_sample(tmp_path, "base.soc2")
    digest = _digest(project)
    before = project.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"package.{kind}"
    duration = timed_run(inputs["child"], MODULES["export"], ["export", kind, project, target], tmp_path)
    _valid_output(kind, target)
    target.unlink()
    left: list[str] = []

    def after_each(_attempt: int, killed: bool) -> None:
        assert _digest(project) == digest
        names = sorted(p.name for p in out.iterdir())
        assert set(names) <= {target.name} | {n for n in names if n.startswith(f".{target.name}.")
                                               and n.endswith(".part")}, names
        if target.exists():
            _valid_output(kind, target)  # renamed into place just before the kill: complete
        left.extend(n for n in names if n.endswith(".part"))

    kills = kill_runs(inputs["child"], MODULES["export"], lambda _attempt: ["export", kind, project, target],
                      tmp_path, KILLS[kind], _window(duration), random.Random(73 + len(kind)), after_each)
    assert kills == KILLS[kind]
    assert inspect(project, project_digest) == digest
    # A killed process cannot clean up; the next export to the same target removes what killed ones left.
    timed_run(inputs["child"], MODULES["export"], ["export", kind, project, target], tmp_path)
    assert sorted(p.name for p in out.iterdir()) == [target.name]
    _valid_output(kind, target)
    assert project.read_bytes() == before


def test_killed_plan_generations_leave_the_old_plan_or_the_new(inputs: dict[str, Path], tmp_path: Path) -> None:
    base = _copy_sample(tmp_path, "base.soc2")
    with open_project(base) as project:
        generate_plan(project, "type2-first", date(2025, 11, 3))
        old = plan_document(project)
    new_args = ["--template", "type2-renewal", "--start", "2026-01-05"]
    reference = shutil.copyfile(base, tmp_path / "reference.soc2")
    duration = timed_run(inputs["child"], MODULES["plan"], ["plan", reference, *new_args], tmp_path)
    new = inspect(reference, plan_document)
    assert new != old and new["template"] == "type2-renewal"
    outcomes: list[str] = []

    def target(attempt: int) -> Path:
        return tmp_path / f"plan-{attempt}.soc2"

    def make_args(attempt: int) -> list[object]:
        shutil.copyfile(base, target(attempt))
        return ["plan", target(attempt), *new_args]

    def after_each(attempt: int, _killed: bool) -> None:
        seen = inspect(target(attempt), plan_document)
        assert seen in (old, new)
        outcomes.append("old" if seen == old else "new")
        target(attempt).unlink()

    kills = kill_runs(inputs["child"], MODULES["plan"], make_args, tmp_path, KILLS["plan"], _window(duration),
                      random.Random(74), after_each)
    assert kills == KILLS["plan"]


# -- the clean-up of killed exports spares a live one ----------------------------------------------------------

HOLDER = """\
import sys, time
from workbench.services.exports.output import atomic_output
with atomic_output(sys.argv[1]) as temporary:
    temporary.write_bytes(b"written by the first export")
    print(temporary, flush=True)
    sys.stdin.readline()
print("done", flush=True)
"""


def test_an_export_still_running_keeps_its_temporary_file(tmp_path: Path, new_project: OpenProject) -> None:
    target = tmp_path / "package.xlsx"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(target)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert holder.stdout is not None and holder.stdin is not None
        temporary = Path(holder.stdout.readline().strip())
        assert temporary.parent == tmp_path and temporary.name.startswith(".package.xlsx.")
        os.utime(temporary, (1_000_000_000, 1_000_000_000))  # older than this process: only its claim saves it
        dead = tmp_path / ".package.xlsx.killed.part"
        dead.write_bytes(b"left by a killed export")
        os.utime(dead, (1_000_000_000, 1_000_000_000))
        run_export(new_project, "xlsx", target)
        assert temporary.exists() and not dead.exists()
        _valid_output("xlsx", target)
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "done"
    finally:
        holder.communicate(timeout=60)
    assert holder.returncode == 0
    assert target.read_bytes() == b"written by the first export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".package")) == []
