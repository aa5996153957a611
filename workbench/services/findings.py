"""Security tools' runs and findings: importing a report, coverage per criterion, the difference between two runs,
a task for a failing check, and a run filed as evidence of its control at the date its data reflects."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.findings import Finding, FindingStatus, RunDiff, ToolRun, diff_runs
from workbench.domain.tool_runs import Coverage, StoredRun, coverage, latest_runs
from workbench.services.changes import Change, Touched
from workbench.services.controls import delete_task
from workbench.services.session import OpenProject
from workbench.services.tool_run_files import evidence_of

_FILED = Touched.FINDINGS | Touched.EVIDENCE


def import_report(project: OpenProject, path: Path | str, control_ref: str = "",
                  progress: Callable[[int, int], bool] | None = None) -> Change[dict[str, Any]]:
    """Import a tool's report as one undoable change, streamed (memory independent of the report's size).

    Its value is the result; undo removes the run, its findings and the evidence record it filed; redo imports the
    report's bytes the project kept again (never the file on disk, which may have moved or changed since).
    `progress(done, total)` is told as findings are written; returning False cancels it, changing nothing.
    """
    from workbench.services.importers.engine import import_register
    from workbench.services.importers.kinds import FINDINGS

    details = (("control", control_ref.strip()),) if control_ref.strip() else ()
    document = import_register(project, FINDINGS, path, details=details, progress=progress)
    if document.get("already_run") is not None:  # the project holds this report's run: nothing changed to undo
        return Change(Touched.NOTHING, None, document)
    return Change(_FILED, partial(_remove_import, run_id=document["run"], control_ref=control_ref), document)


def _remove_import(project: OpenProject, run_id: int, control_ref: str) -> Change[None]:
    """Take back import_report: remove the run with its findings and the evidence record it filed."""
    with project.uow() as uow:
        stored = uow.findings.get(run_id)
        uow.findings.remove_run(run_id)
        if stored.evidence_id is not None:
            uow.evidence.remove(stored.evidence_id)
        uow.commit()
    return Change(_FILED, partial(_import_kept, run=stored.run, control_ref=control_ref))


def _import_kept(project: OpenProject, run: ToolRun, control_ref: str) -> Change[dict[str, Any]]:
    """Redo import_report from the report's bytes kept in the project, copied to a file of the report's name."""
    with tempfile.TemporaryDirectory(prefix="workbench-redo-") as folder:
        return import_report(project, _kept_report(project, run, Path(folder)), control_ref)


def _kept_report(project: OpenProject, run: ToolRun, folder: Path) -> Path:
    """Write a run's report as the project kept it into `folder`, under the report's own name and dated as the run
    (a report without a time of its own reflects its file's); raise WorkbenchError when the bytes cannot be had."""
    name = Path(run.source_name).name or "report"
    refused = partial(WorkbenchError, f"report {name}")
    copy = folder / name
    digest = hashlib.sha256()
    try:
        with project.uow() as uow, open(copy, "wb") as out:
            if not uow.evidence.has_blob(run.sha256):
                raise refused("cannot be imported again: its bytes are no longer in the project; import the file "
                              "again")
            for chunk in uow.evidence.read(run.sha256):
                digest.update(chunk)
                out.write(chunk)
    except ValueError as exc:  # a chunk missing, or bytes that no longer decrypt
        raise refused(f"cannot be imported again: the bytes the project kept are damaged ({exc})") from None
    except OSError as exc:
        raise refused(f"cannot be imported again: a copy of it cannot be written ({exc.strerror or exc})") from None
    if digest.hexdigest() != run.sha256:
        raise refused("cannot be imported again: the bytes the project kept no longer match their SHA-256")
    moment = run.reflects_at.timestamp()
    os.utime(copy, (moment, moment))
    return copy


def list_runs(project: OpenProject) -> list[StoredRun]:
    """Return the project's tool runs with their counts, in the order imported."""
    with project.uow() as uow:
        return uow.findings.runs()


def run_findings(project: OpenProject, run_id: int) -> list[Finding]:
    """Return a run's findings in the report's order."""
    with project.uow() as uow:
        uow.findings.get(run_id)
        return list(uow.findings.findings(run_id))


@dataclass(frozen=True, slots=True)
class CriterionCoverage:
    """One in-scope criterion: what the latest runs of the tools say of it, and how many findings map to it."""

    criterion: str
    summary: str
    coverage: Coverage


def criteria_coverage(project: OpenProject) -> list[CriterionCoverage]:
    """Return each in-scope criterion's coverage by the latest run of each tool and scope."""
    with project.uow() as uow:
        in_scope = uow.criteria.catalog().in_scope(uow.settings.get().categories)
        runs = latest_runs(uow.findings.runs())
        statuses = uow.findings.statuses(r.id for r in runs)
    judged = coverage([c.id for c in in_scope], statuses)
    return [CriterionCoverage(c.id, c.summary, judged[c.id]) for c in in_scope]


def compare_runs(project: OpenProject, run_a: int, run_b: int) -> tuple[StoredRun, StoredRun, RunDiff]:
    """Return two runs of the same tool and scope, older first, and what changed between them."""
    with project.uow() as uow:
        first, second = uow.findings.get(run_a), uow.findings.get(run_b)
        if run_a == run_b:
            raise ValidationError(f"run {run_a}", "is one run; compare two runs of the same tool and scope")
        if (first.run.tool, first.run.scope) != (second.run.tool, second.run.scope):
            raise ValidationError(f"runs {run_a} and {run_b}",
                                  f"are of different tools or scopes ({first.run.tool} {first.run.scope or '-'}, "
                                  f"{second.run.tool} {second.run.scope or '-'}); compare two runs of one")
        if (second.run.reflects_at, second.id) < (first.run.reflects_at, first.id):
            first, second = second, first
        diff = diff_runs(uow.findings.findings(first.id), uow.findings.findings(second.id))
    return first, second, diff


def make_task(project: OpenProject, run_id: int, check_id: str) -> Change[int]:
    """Add a task to fix a failing check of a run (its failing resources listed); undone by deleting the task."""
    with project.uow() as uow:
        stored = uow.findings.get(run_id)
        failing = [f for f in uow.findings.findings(run_id) if f.check_id == check_id and
                   f.status is FindingStatus.FAIL]
        if not failing:
            raise ValidationError(f"check {check_id!r}", f"does not fail in run {run_id}; nothing to fix")
        first = failing[0]
        resources = "\n".join(f"- {f.resource}" for f in failing[:50]) + (
            f"\n- ... and {len(failing) - 50} more" if len(failing) > 50 else "")
        control_id = uow.controls.id_of(stored.control_ref) if stored.control_ref else None
        task_id = uow.tasks.add(
            f"Fix {stored.run.tool} check {check_id}: {first.check_title or first.detail}"[:300],
            description=f"Failing in {stored.label} on {len(failing)} resource(s):\n{resources}",
            criterion_id=first.criteria[0] if first.criteria else None, control_id=control_id)
        uow.commit()
    return Change(Touched.TASKS, partial(delete_task, task_id=task_id), task_id)


def use_as_evidence(project: OpenProject, run_id: int, control_ref: str = "") -> Change[int]:
    """File a run's report as evidence of its control (or the one named) at the date its data reflects."""
    with project.uow() as uow:
        stored = uow.findings.get(run_id)
        ref = (control_ref or stored.control_ref).strip()
        if not ref:
            raise ValidationError(f"tool run {run_id}", "has no control; name the control it evidences")
        control = uow.controls.get(ref)
        if control is None:
            raise ValidationError(f"control {ref!r}", "is not a control of this project")
        if stored.evidence_id is not None and stored.control_ref == control.ref:
            raise ValidationError(f"tool run {run_id}", f"is already evidence of {control.ref}")
        if not uow.evidence.has_blob(stored.run.sha256):
            raise WorkbenchError(f"tool run {run_id}", "its report's bytes are no longer in the project")
        evidence_id = evidence_of(uow, stored.run, control.ref, stored.run.source_name or f"run-{run_id}")
        uow.findings.set_links(run_id, uow.controls.id_of(control.ref), evidence_id)
        uow.commit()
    undo = partial(_unfile, run_id=run_id, evidence_id=evidence_id, filed_ref=control.ref,
                   control_ref=stored.control_ref, previous=stored.evidence_id)
    return Change(_FILED, undo, evidence_id)


def _unfile(project: OpenProject, run_id: int, evidence_id: int, filed_ref: str, control_ref: str,
            previous: int | None) -> Change[None]:
    """Take back use_as_evidence: remove its evidence record and put the run's links back."""
    with project.uow() as uow:
        uow.evidence.remove(evidence_id)
        uow.findings.set_links(run_id, uow.controls.id_of(control_ref) if control_ref else None, previous)
        uow.commit()
    return Change(_FILED, partial(use_as_evidence, run_id=run_id, control_ref=filed_ref))
