"""The large project the open bench measures: 2,000 controls and 20,000 distinct evidence files, built once.

Built deterministically through the services (add_controls in one transaction, then add_evidence_files once
per control with its ten files, assess for every in-scope criterion) and kept in a cache folder, so later runs
reuse it. Each evidence file is a distinct text file of a few KB (about 150 MB in all), nothing de-duplicated.
"""

from __future__ import annotations

import base64
import os
import random
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

CONTROLS = 2_000
EVIDENCE = 20_000
VERSION = 1  # bump when what is built changes, so a stale cached project is rebuilt
PERIOD = (date(2026, 4, 1), date(2026, 9, 30))


def cache_dir() -> Path:
    """Return the folder the benches keep built inputs in (WORKBENCH_BENCH_CACHE, else the temp folder)."""
    folder = Path(os.environ.get("WORKBENCH_BENCH_CACHE") or Path(tempfile.gettempdir()) / "soc2-workbench-bench")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def evidence_text(index: int) -> tuple[str, bytes]:
    """Return the distinct file name and bytes of evidence item `index` (a log of 5-10 KB)."""
    rng = random.Random(index)
    day = PERIOD[0] + timedelta(days=index % 180)
    lines = [f"# export {index} of host-{index % 97}, collected {day}"]
    for line in range(30 + index % 30):
        token = base64.b64encode(rng.randbytes(72)).decode()
        lines.append(f"{day}T{line % 24:02d}:{(index + line) % 60:02d}:00Z host-{index % 97} event={line} {token}")
    return f"export_{index:05d}_{day}.log", ("\n".join(lines) + "\n").encode()


def build(path: Path, controls: int = CONTROLS, evidence: int = EVIDENCE) -> None:
    """Create the project at `path` through the services (replacing nothing: `path` must not exist)."""
    from workbench.domain.entities import ControlDraft
    from workbench.domain.enums import AssessmentStatus, Category, ControlStatus, Frequency, Nature, ReportType
    from workbench.services.assessment import assess, criteria_in_scope
    from workbench.services.controls import add_controls
    from workbench.services.evidence import EvidenceMeta, add_evidence_files
    from workbench.services.project import NewProject, create_project

    spec = NewProject("Bench Scale, Inc.", "Bench Platform", ReportType.TYPE2,
                      (Category.SECURITY, Category.AVAILABILITY, Category.CONFIDENTIALITY), *PERIOD)
    frequencies, statuses = list(Frequency), list(AssessmentStatus)
    per_control = max(1, evidence // controls)
    with create_project(path, spec, actor="bench") as project, tempfile.TemporaryDirectory() as scratch:
        criteria = [row.criterion.id for row in criteria_in_scope(project)]
        refs = [f"SC-{i:04d}" for i in range(controls)]
        add_controls(project, [ControlDraft(
            ref=ref, title=f"Generated control {i} of the scale benchmark",
            description=f"Control {i} makes sure its activity happens on time and someone reviews the record.",
            owner=f"Owner {i % 41}", frequency=frequencies[i % len(frequencies)], nature=list(Nature)[i % 2],
            status=list(ControlStatus)[i % 3],
            criteria=(criteria[i % len(criteria)], criteria[(i * 7 + 3) % len(criteria)]),
        ) for i, ref in enumerate(refs)])
        for index, criterion in enumerate(criteria):
            status = statuses[index % len(statuses)]
            assess(project, criterion, status, "Justified for the bench." if status.value == "not_applicable" else "")
        folder = Path(scratch)
        for number, ref in enumerate(refs):
            first = number * per_control
            files = []
            for index in range(first, min(first + per_control, evidence)):
                name, data = evidence_text(index)
                (folder / name).write_bytes(data)
                files.append(folder / name)
            collected = PERIOD[0] + timedelta(days=(number * 3) % 180)
            add_evidence_files(project, files, EvidenceMeta(ref, collected_on=collected, period_start=collected,
                                                            period_end=collected + timedelta(days=6)))
            for file in files:
                file.unlink()


def ensure_built(controls: int = CONTROLS, evidence: int = EVIDENCE, *, quiet: bool = False) -> Path:
    """Return the cached project of this size, building it first when it is not there yet."""
    path = cache_dir() / f"scale-{controls}x{evidence}-v{VERSION}.soc2"
    if path.exists():
        return path
    partial = path.with_name(f"building-{path.name}")
    for stale in (partial, *(Path(f"{partial}{side}") for side in ("-wal", "-shm", "-journal"))):
        stale.unlink(missing_ok=True)
    start = time.perf_counter()
    build(partial, controls, evidence)
    shutil.move(partial, path)
    if not quiet:
        size = path.stat().st_size / (1 << 20)
        print(f"built {path} ({size:.0f} MiB) in {time.perf_counter() - start:.0f} s")
    return path
