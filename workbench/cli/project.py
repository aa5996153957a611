"""`workbench new | user | catalog | status | check`: a project as a whole, and the criteria it is judged by."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from workbench.cli.common import Commands, categories, iso_date, on_project, open_location, print_json
from workbench.cli.safety import add_encryption_options, encryption_choice
from workbench.domain.enums import Category, ReportType
from workbench.domain.errors import WorkbenchError


def cmd_new(args: argparse.Namespace) -> int:
    """Create a project file (or server database) and say what it holds."""
    from workbench.services.project import NewProject, audit_period, create_project, project_status

    report_type = ReportType(args.report_type)
    start, end = audit_period(report_type, args.period_start, args.period_months)
    spec = NewProject(args.org, args.system or "", report_type, args.categories or (Category.SECURITY,), start, end,
                      encryption_choice(args))
    with create_project(args.project, spec) as project:
        status = project_status(project)
    print(f"created {project.path}: {status.settings.report_type.label}, "
          f"{status.criteria.in_scope} criteria in scope")
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    """Show, or with --name keep, the name the audit trail records for this user's changes."""
    from workbench.services import identity

    if args.name is not None:
        identity.save_name(args.name)
    name = identity.current_actor()
    source = ("WORKBENCH_USER" if os.environ.get(identity.USER_ENV, "").strip() else
              "saved" if identity.saved_name() else "the login name")
    if args.json:
        print_json({"name": name, "source": source})
    else:
        print(f"{name} ({source})")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    """List the Trust Services Criteria, by series."""
    from workbench.services.catalog import bundled_catalog

    catalog = bundled_catalog()
    if args.json:
        print_json([
            {"id": c.id, "category": c.category.cli_name, "series": c.series, "series_title": c.series_title,
             "summary": c.summary}
            for c in catalog.criteria
        ])
        return 0
    series = None
    for criterion in catalog.criteria:
        if criterion.series != series:
            series = criterion.series
            print(f"\n{series} {criterion.series_title} ({criterion.category.label})")
        print(f"  {criterion.id:<7} {criterion.summary}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Show a project's readiness and progress through the six steps."""
    from workbench.services.project import project_status, status_document

    with open_location(args.project) as project:
        status = project_status(project)
        document = status_document(project, status)
    if args.json:
        print_json(document)
        return 0
    p, c = document["project"], document["criteria"]
    period = p["period"]
    print(f"{p['organization']} - {p['system'] or '(system not named)'}")
    print(f"{status.settings.report_type.label}, "
          f"{', '.join(cat.label for cat in status.settings.categories)}; "
          f"period {period['start'] or '?'} to {period['end'] or '?'}")
    print(f"Readiness {document['readiness']:.0%}: {c['met']} met, {c['partially_met']} partially met, "
          f"{c['gap']} gaps, {c['not_applicable']} not applicable, {c['not_assessed']} not assessed "
          f"of {c['in_scope']} in scope")
    print(f"Controls {document['controls']['total']} ({document['controls']['implemented']} implemented, "
          f"{document['controls']['unmapped']} unmapped); evidence {document['evidence']['items']} items")
    for step in status.steps:
        print(f"  {step.number} {step.title:<30} {step.progress:>5.0%}  {step.summary}")
    for number, action in status.next_actions:
        print(f"  next (step {number}): {action}")
    for warning in status.warnings:
        print(f"  warning (step {warning.step}): {warning.text}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Run every check on a project; a failed one is the user's problem (status 2)."""
    from workbench.services.integrity import check_project

    results = on_project(args, check_project)
    for result in results:
        print(f"{result.name}: {'ok' if result.ok else 'FAILED - ' + str(result.problem)}")
    failed = next((r for r in results if not r.ok), None)
    if failed is not None:
        raise WorkbenchError(str(Path(args.project)), f"{failed.name}: {failed.problem}")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `new`, `user`, `catalog`, `status` and `check`."""
    new = commands.command("new", cmd_new, "create a new project file", project=True)
    new.add_argument("--org", required=True, help="organisation name")
    new.add_argument("--system", help="name of the system in scope")
    new.add_argument("--report-type", choices=[t.value for t in ReportType], default="type2")
    new.add_argument("--categories", type=categories,
                     help="comma-separated: " + ",".join(c.cli_name for c in Category) + " (security always on)")
    new.add_argument("--period-start", type=iso_date, help="start of the audit period (Type I: the as-of date)")
    new.add_argument("--period-months", type=int, help="length of a Type II period in months (default 6)")
    add_encryption_options(new)

    user = commands.command("user", cmd_user, "show or set the name the audit trail records for your changes")
    user.add_argument("--name", help="keep this name (an empty one goes back to the login name)")
    user.add_argument("--json", action="store_true")

    catalog = commands.command("catalog", cmd_catalog, "list the Trust Services Criteria")
    catalog.add_argument("--json", action="store_true")

    commands.command("status", cmd_status, "show a project's readiness and progress", project=True, json=True)

    commands.command("check", cmd_check, "verify database integrity, evidence hashes and the audit trail",
                     project=True)
