"""`findings runs|coverage|diff|task|evidence`: security tools' runs, coverage per criterion, what changed between
two runs, a task for a failing check, a run filed as evidence."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.common import Commands, on_project, print_json


def run_document(stored: Any) -> dict[str, Any]:
    """Return a stored run as `findings runs --json` prints it."""
    run = stored.run
    return {"id": stored.id, "tool": run.tool, "version": run.version, "format": run.format, "scope": run.scope,
            "reflects_at": run.reflects_at.isoformat(timespec="seconds"), "sha256": run.sha256,
            "source": run.source_name, "control": stored.control_ref or None, "evidence": stored.evidence_id,
            "imported_at": stored.imported_at, "passed": stored.passed, "failed": stored.failed,
            "manual": stored.manual, "muted": stored.muted}


def _finding(finding: Any) -> dict[str, Any]:
    return {"check_id": finding.check_id, "check_title": finding.check_title, "resource": finding.resource,
            "severity": finding.severity, "criteria": list(finding.criteria)}


def cmd_runs(args: argparse.Namespace) -> int:
    """List the tool runs."""
    from workbench.services.findings import list_runs

    runs = on_project(args, list_runs)
    if args.json:
        print_json([run_document(r) for r in runs])
        return 0
    for stored in runs:
        print(f"{stored.label}: {stored.passed} passed, {stored.failed} failed, {stored.manual} manual")
    if not runs:
        print("no tool runs; import a report with `workbench register import PROJECT findings FILE`")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Show what the latest runs say of each in-scope criterion."""
    from workbench.services.findings import criteria_coverage

    rows = on_project(args, criteria_coverage)
    if args.json:
        print_json([{"criterion": r.criterion, "coverage": r.coverage.value} for r in rows])
        return 0
    for row in rows:
        print(f"{row.criterion:8} {row.coverage.value.replace('_', ' ')}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Show the new, fixed and still-failing checks between two runs of one tool and scope."""
    from workbench.services.findings import compare_runs

    old, new, diff = on_project(args, compare_runs, args.run_a, args.run_b)
    document = {"old": run_document(old), "new": run_document(new),
                "new_failures": [_finding(f) for f in diff.new_failures],
                "fixed": [_finding(f) for f in diff.fixed],
                "still_failing": [_finding(f) for f in diff.still_failing]}
    if args.json:
        print_json(document)
        return 0
    failures = len(diff.new_failures)
    print(f"{old.label} -> {new.label}: {failures} new failure{'' if failures == 1 else 's'}, {len(diff.fixed)} fixed, "
          f"{len(diff.still_failing)} still failing")
    for name, said in (("new_failures", "new failure"), ("fixed", "fixed"), ("still_failing", "still failing")):
        for item in document[name]:
            print(f"  {said}: {item['check_id']} on {item['resource']}")
    return 0


def cmd_task(args: argparse.Namespace) -> int:
    """Add a task to fix a failing check."""
    from workbench.services.findings import make_task

    task_id = on_project(args, make_task, args.run, args.check).value
    print(f"task {task_id}: fix {args.check}")
    return 0


def cmd_evidence(args: argparse.Namespace) -> int:
    """File a run's report as evidence of its control at the date its data reflects."""
    from workbench.services.findings import use_as_evidence

    evidence_id = on_project(args, use_as_evidence, args.run, args.control or "").value
    print(f"tool run {args.run} is evidence {evidence_id}")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `findings runs|coverage|diff|task|evidence`."""
    group = commands.group("findings", "security tools' runs and findings")
    group.action("runs", cmd_runs, "list the tool runs with their counts", project=True, json=True)
    group.action("coverage", cmd_coverage, "what the latest runs say of each in-scope criterion", project=True,
                 json=True)
    diff = group.action("diff", cmd_diff, "new failures, fixed and still failing between two runs", project=True,
                        json=True)
    diff.add_argument("run_a", type=int, metavar="RUN_A")
    diff.add_argument("run_b", type=int, metavar="RUN_B")
    task = group.action("task", cmd_task, "add a task to fix a failing check of a run", project=True)
    task.add_argument("run", type=int, metavar="RUN")
    task.add_argument("check", metavar="CHECK")
    evidence = group.action("evidence", cmd_evidence, "file a run as evidence of its control at its date", project=True)
    evidence.add_argument("run", type=int, metavar="RUN")
    evidence.add_argument("--control", metavar="REF")
