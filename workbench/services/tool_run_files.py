"""A tool run's report kept in the project: its bytes in the evidence store, the run and its findings written, and
the evidence record filing it under a control at the date its data reflects."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain.errors import WorkbenchError
from workbench.domain.findings import Finding, ToolRun
from workbench.domain.media import sniff_media_type

if TYPE_CHECKING:
    from workbench.store import UnitOfWork

CHUNK = 1 << 20


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(path):
        digest.update(chunk)
    return digest.hexdigest()


def evidence_of(uow: UnitOfWork, run: ToolRun, control_ref: str, filename: str) -> int:
    """Add an evidence record of the run's report for a control, dated the day its data reflects."""
    day = run.reflects_at.date()
    scope = f" of {run.scope}" if run.scope else ""
    return uow.evidence.add(
        uow.controls.id_of(control_ref), run.sha256, title=f"{run.tool} scan{scope}, data of {day.isoformat()}",
        filename=filename, added_at=uow.now(), collected_on=day, period_start=day, period_end=day,
        source=f"{run.tool} {run.version}".strip() + f" report ({run.format})")


def add_run(uow: UnitOfWork, path: Path, run: ToolRun, findings: Iterable[Finding], control_ref: str | None
            ) -> tuple[int, int | None]:
    """Keep a report's bytes and add its run with its findings (filed under the control, when one is named).

    Return the run's id and its evidence record's (None without a control); the caller commits.
    """
    try:
        if _file_digest(path) != run.sha256:
            raise WorkbenchError(str(path), "changed while it was being imported; nothing was imported: import it "
                                            "again")
        if not uow.evidence.has_blob(run.sha256):
            with open(path, "rb") as handle:
                head = handle.read(8192)
            uow.evidence.store_blob(run.sha256, sniff_media_type(head, path.name), _chunks(path))
            uow.flush()
    except OSError as exc:
        raise WorkbenchError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    control_id = uow.controls.id_of(control_ref) if control_ref else None
    run_id = uow.findings.add_run(run, control_id, uow.now().isoformat(timespec="seconds"))
    uow.findings.add_findings(run_id, findings)
    evidence_id = None
    if control_ref:
        evidence_id = evidence_of(uow, run, control_ref, run.source_name or path.name)
        uow.findings.set_links(run_id, control_id, evidence_id)
    return run_id, evidence_id
