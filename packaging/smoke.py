"""Smoke-test a built bundle as a user would run it: the version, a screenshot, projects, imports and exports.

    python packaging/smoke.py [BUNDLE]        (default dist/soc2-workbench; exit 0 when every check passes)

Runs the bundle's own `workbench` in a throwaway data folder: --version, an offscreen screenshot of the bundled
sample, new + check + status, an old project upgraded by the bundled migrations, an ODS import (read in the child
process), the pdf/xlsx/zip exports, a policy started from the bundled templates and published, the system
description as DOCX (python-docx's own template must be bundled), an encrypted project, and the PostgreSQL driver's
answer. This interpreter needs
PySide6 only to look at the picture, and the workbench package for the expected version and schema.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_NAME = "brightpath-analytics.soc2"
OLD_SCHEMA_FIXTURE = REPO / "tests" / "migrations" / "fixtures" / "project-0001.soc2"
# A two-control register as OpenDocument: the bundle reads ODS in its isolated child process.
ODS_REGISTER = Path(__file__).resolve().parent / "smoke-register.ods"


class SmokeFailure(Exception):
    """A check of the bundle failed; the message says which and why."""


def run(program: Path, *args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """Run the bundled program; raise SmokeFailure unless it exits 0."""
    result = subprocess.run([str(program), *args], capture_output=True, text=True, env=env, timeout=timeout,
                            check=False)
    if result.returncode != 0:
        raise SmokeFailure(f"workbench {' '.join(args)} exited {result.returncode}: {result.stderr.strip()[-800:]}")
    return result


def run_refused(program: Path, *args: str, env: dict[str, str]) -> str:
    """Run the bundled program expecting a user error (status 2, one line); return that line."""
    result = subprocess.run([str(program), *args], capture_output=True, text=True, env=env, timeout=120, check=False)
    if result.returncode != 2 or len(result.stderr.strip().splitlines()) != 1:
        raise SmokeFailure(f"workbench {' '.join(args)} exited {result.returncode}: {result.stderr.strip()[-800:]}")
    return result.stderr.strip()


def distinct_colours(png: Path) -> int:
    """Return how many colours a sample grid of the picture holds (a blank window has one or two)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    if image.isNull():
        raise SmokeFailure(f"{png} : not a readable PNG")
    if image.width() < 800 or image.height() < 600:
        raise SmokeFailure(f"{png} : only {image.width()}x{image.height()} pixels")
    return len({image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)})


def checks(bundle: Path, work: Path) -> list[tuple[str, Callable[[], str]]]:
    """Return the named checks, each returning a one-line result or raising SmokeFailure."""
    program = bundle / "workbench"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_DATA_DIR": str(work / "data")}
    env.pop("WORKBENCH_RESOURCES", None)  # the bundle must find its own
    project = work / "smoke.soc2"

    def version() -> str:
        from workbench import __version__

        out = run(program, "--version", env=env).stdout.strip()
        if __version__ not in out:
            raise SmokeFailure(f"--version printed {out!r}, not version {__version__}")
        return out

    def screenshot() -> str:
        samples = list(bundle.rglob(f"sample_projects/{SAMPLE_NAME}"))
        if not samples:
            raise SmokeFailure(f"no sample_projects/{SAMPLE_NAME} in the bundle")
        before = hashlib.sha256(samples[0].read_bytes()).hexdigest()
        out = work / "dashboard.png"
        run(program, "gui", str(samples[0]), "--page", "dashboard", "--screenshot", str(out), env=env)
        colours = distinct_colours(out)
        if colours < 20:
            raise SmokeFailure(f"{out} looks blank ({colours} colours)")
        if hashlib.sha256(samples[0].read_bytes()).hexdigest() != before:
            raise SmokeFailure("the bundled sample changed: the window must work on a copy")
        if not (work / "data" / "samples" / SAMPLE_NAME).is_file():
            raise SmokeFailure("no working copy of the sample in the data folder")
        # Step pages are imported when first shown, so a page the bundle left out only fails here.
        page_out = work / "controls.png"
        run(program, "gui", str(samples[0]), "--page", "controls", "--screenshot", str(page_out), env=env)
        if distinct_colours(page_out) < 20:
            raise SmokeFailure(f"{page_out} looks blank")
        return f"{out.name}: {colours} colours, sample untouched; the controls page drawn too"

    def new_and_check() -> str:
        run(program, "new", str(project), "--org", "Smoke Test Ltd", "--report-type", "type2", env=env)
        run(program, "check", str(project), env=env)
        status = json.loads(run(program, "status", str(project), "--json", env=env).stdout)
        if status["project"]["organization"] != "Smoke Test Ltd" or status["criteria"]["in_scope"] < 30:
            raise SmokeFailure(f"unexpected status: {status['project']} {status['criteria']}")
        return f"{status['criteria']['in_scope']} criteria in scope, check passed"

    def upgrade_old_schema() -> str:
        old = work / "old.soc2"
        shutil.copyfile(OLD_SCHEMA_FIXTURE, old)
        from workbench.store.migrate import head_revision

        run(program, "status", str(old), "--json", env=env)
        run(program, "check", str(old), env=env)
        with contextlib.closing(sqlite3.connect(old)) as connection:
            (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision != head_revision():
            raise SmokeFailure(f"{old.name} is at schema {revision}, not {head_revision()}")
        return f"{OLD_SCHEMA_FIXTURE.name} upgraded to schema {revision} by the bundled migrations"

    def import_ods() -> str:
        source = shutil.copyfile(ODS_REGISTER, work / "register.ods")
        result = json.loads(run(program, "import-controls", str(project), str(source), "--json", env=env).stdout)
        if result["created"] != 2:
            raise SmokeFailure(f"the ODS import created {result['created']} controls, not 2: {result['problems']}")
        return "2 controls read by the isolated child"

    def exports() -> str:
        for kind in ("pdf", "xlsx", "zip"):
            run(program, "export", kind, str(project), str(work / f"export.{kind}"), env=env)
        if not (work / "export.pdf").read_bytes().startswith(b"%PDF"):
            raise SmokeFailure("export.pdf is not a PDF")
        return "pdf, xlsx and zip written"

    def policies() -> str:
        run(program, "policies", "add", str(project), "information-security", env=env)
        run(program, "policies", "publish", str(project), "information-security", "--approver", "Smoke CEO", env=env)
        listed = json.loads(run(program, "policies", "list", str(project), "--json", env=env).stdout)
        if [(p["key"], p["version"]) for p in listed] != [("information-security", 1)]:
            raise SmokeFailure(f"policies list after add and publish: {listed}")
        return "information-security started from the bundled template, version 1 in force"

    def document() -> str:
        out = work / "description.docx"
        result = run(program, "export", "description", str(project), str(out), env=env)
        with zipfile.ZipFile(out) as docx:
            body = docx.read("word/document.xml").decode("utf-8")
        missing = [f"DC{n}" for n in range(1, 10) if f"DC{n}" not in body]
        if missing:
            raise SmokeFailure(f"{out.name} lacks the sections {', '.join(missing)}")
        if "unwritten sections" not in result.stderr:
            raise SmokeFailure(f"no warning of the unwritten description: {result.stderr.strip()!r}")
        return f"{out.name}: DC1-DC9, the unwritten sections warned of"

    def encrypted() -> str:
        locked = work / "encrypted.soc2"
        secret = {**env, "WORKBENCH_PASSPHRASE": "smoke test passphrase"}
        run(program, "new", str(locked), "--org", "Sealed Ltd", "--encrypt", "--no-keyring", env=secret)
        run(program, "check", str(locked), env=secret)
        return "made and checked with a passphrase"

    def server_driver() -> str:
        # Nothing listens on port 1: the answer must come from libpq through psycopg, not an import error.
        line = run_refused(program, "status", "postgresql://nobody@127.0.0.1:1/none", "--json", env=env)
        if "cannot reach the server" not in line:
            raise SmokeFailure(f"unexpected answer: {line}")
        return "psycopg and libpq answer"

    return [("--version", version), ("gui --screenshot", screenshot), ("new + check + status", new_and_check),
            ("upgrade an old project", upgrade_old_schema), ("import-controls (ods)", import_ods),
            ("export pdf/xlsx/zip", exports), ("policies add + publish", policies),
            ("export description (docx)", document), ("encrypted project", encrypted),
            ("PostgreSQL driver", server_driver)]


def main(argv: list[str]) -> int:
    """Run every check against the bundle; print one line each; return 1 if any failed."""
    bundle = Path(argv[0] if argv else REPO / "dist" / "soc2-workbench").resolve()
    if not (bundle / "workbench").is_file():
        print(f"error: {bundle} : no bundle there (packaging/build.sh makes it)", file=sys.stderr)
        return 2
    failed = 0
    with tempfile.TemporaryDirectory(prefix="workbench-smoke-") as folder:
        for name, check in checks(bundle, Path(folder)):
            start = time.monotonic()
            try:
                outcome = f"ok    {name}: {check()}"
            except (SmokeFailure, subprocess.TimeoutExpired, KeyError, ValueError) as exc:
                outcome = f"FAIL  {name}: {exc}"
                failed += 1
            print(f"{outcome} ({time.monotonic() - start:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
