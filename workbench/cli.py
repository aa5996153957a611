"""The `workbench` command line: headless commands over the services; `gui` hands over to app.py."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from workbench import APP_NAME, __version__
from workbench.domain.enums import AssessmentStatus, Category, ReportType
from workbench.domain.errors import WorkbenchError
from workbench.domain.location import parse_location

PAGES = ("dashboard", "scope", "assessment", "controls", "evidence", "audit", "report", "timeline")
EXIT_USER_ERROR = 2


# Every character str.splitlines() breaks a line at: escaped in an error line, which must stay one line.
_LINE_BREAKS = {ord(c): repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(text: str) -> str:
    """Return `text` with its line breaks written as escapes (\\n, \\r, ...), so that it prints as one line."""
    return text.translate(_LINE_BREAKS)


class UserError(WorkbenchError):
    """A bad command-line argument."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one `error: what : why` line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print(one_line(f"error: {self.prog} : {message}"), file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _row_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a row number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is not a row number; rows start at 1")
    return number


def _categories(text: str) -> tuple[Category, ...]:
    chosen = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            chosen.append(Category.parse(part))
        except ValueError:
            names = ", ".join(c.cli_name for c in Category)
            raise argparse.ArgumentTypeError(f"{part!r} is not a category; use {names}") from None
    return tuple(chosen)


def terminal_prompt(project: Path, error: Any) -> str | None:
    """Ask for an encrypted project's passphrase on the terminal; None when not attached to one."""
    import getpass

    if not sys.stdin.isatty():
        return None
    print(error.why, file=sys.stderr)
    return getpass.getpass(f"Passphrase for {project.name}: ") or None


def open_location(location: Any, **options: Any) -> Any:
    """Open the project a command names, asking on the terminal for a passphrase its key needs."""
    from workbench.services.session import open_project

    return open_project(location, prompt=terminal_prompt, **options)


def _print_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# -- commands ----------------------------------------------------------------------------------------

def cmd_new(args: argparse.Namespace) -> int:
    from workbench.services.project import NewProject, audit_period, create_project, project_status

    report_type = ReportType(args.report_type)
    start, end = audit_period(report_type, args.period_start, args.period_months)
    spec = NewProject(args.org, args.system or "", report_type, args.categories or (Category.SECURITY,), start, end,
                      args.encryption_choice(args))
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
        _print_json({"name": name, "source": source})
    else:
        print(f"{name} ({source})")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    from workbench.services.catalog import bundled_catalog

    catalog = bundled_catalog()
    if args.json:
        _print_json([
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
    from workbench.services.project import project_status, status_document

    with open_location(args.project) as project:
        status = project_status(project)
        document = status_document(project, status)
    if args.json:
        _print_json(document)
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
    return 0


def cmd_controls(args: argparse.Namespace) -> int:
    from workbench.services.controls import list_controls

    with open_location(args.project) as project:
        controls = list_controls(project)
    if args.json:
        _print_json([
            {"ref": c.ref, "title": c.title, "owner": c.owner,
             "frequency": c.frequency.value if c.frequency else None, "status": c.status.value,
             "criteria": list(c.criteria), "nature": c.nature.value if c.nature else None,
             "description": c.description}
            for c in controls
        ])
        return 0
    for c in controls:
        print(f"{c.ref:<10} {c.status.label:<12} {c.title}  [{', '.join(c.criteria) or 'unmapped'}]")
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    from workbench.services.assessment import assess

    with open_location(args.project) as project:
        result = assess(project, args.criterion, AssessmentStatus(args.status), args.note or "").value
    print(f"{result.criterion_id}: {result.status.label}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from workbench.services.integrity import check_project

    with open_location(args.project) as project:
        results = check_project(project)
    for result in results:
        print(f"{result.name}: {'ok' if result.ok else 'FAILED - ' + str(result.problem)}")
    failed = next((r for r in results if not r.ok), None)
    if failed is not None:
        raise WorkbenchError(str(Path(args.project)), f"{failed.name}: {failed.problem}")
    return 0


def cmd_evidence_add(args: argparse.Namespace) -> int:
    from workbench.services.evidence import EvidenceMeta, add_evidence_files

    if (args.period_start is None) != (args.period_end is None):
        raise UserError("--period-start/--period-end", "give both ends of the period covered, or neither")
    meta = EvidenceMeta(args.control, args.title or "", args.collected, args.period_start, args.period_end)
    with open_location(args.project) as project:
        added = add_evidence_files(project, args.files, meta).value
    if args.json:
        _print_json([_evidence_json(e) for e in added])
    else:
        for e in added:
            print(f"added {e.filename} to {e.control_ref} (sha256 {e.sha256})")
    return 0


def _evidence_json(e: Any) -> dict[str, Any]:
    return {
        "id": e.id, "control": e.control_ref, "title": e.title, "filename": e.filename, "sha256": e.sha256,
        "size": e.size, "media_type": e.media_type,
        "collected": e.collected_on.isoformat() if e.collected_on else None,
        "period_start": e.period_start.isoformat() if e.period_start else None,
        "period_end": e.period_end.isoformat() if e.period_end else None,
        "source": e.source,
    }


def cmd_evidence_list(args: argparse.Namespace) -> int:
    from workbench.services.evidence import list_evidence

    with open_location(args.project) as project:
        items = list_evidence(project, args.control)
    if args.json:
        _print_json([_evidence_json(e) for e in items])
    else:
        for e in items:
            print(f"{e.id:>5} {e.control_ref:<10} {e.filename}  {e.size} bytes  {e.sha256[:12]}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from workbench.app import run_gui

    return run_gui(args.project, page=args.page, screenshot=args.screenshot)


# -- parser ------------------------------------------------------------------------------------------

def _id_list(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


def _criteria_list(text: str) -> frozenset[str]:
    from workbench.domain.catalog import normalize_criterion_id

    found = set()
    for part in _id_list(text):
        criterion = normalize_criterion_id(part)
        if criterion is None:
            raise argparse.ArgumentTypeError(f"{part!r} is not a criterion ID such as CC6.1")
        found.add(criterion)
    return frozenset(found)


def cmd_export(args: argparse.Namespace) -> int:
    import hashlib

    from workbench.services.exports.run import run_export
    from workbench.services.exports.snapshot import ExportOptions

    options = ExportOptions(args.controls, args.criteria, args.collected_from, args.collected_to)
    if args.kind == "requests" and options != ExportOptions():
        raise UserError("export requests", "the request list is always exported whole; drop the narrowing options")
    with open_location(args.project) as project:
        outcome = run_export(project, args.kind, args.out, options)
    if args.json:
        digest = hashlib.sha256()
        with outcome.path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        _print_json({"kind": args.kind, "path": str(outcome.path), "size": outcome.path.stat().st_size,
                     "sha256": digest.hexdigest(), "notices": outcome.notices})
        return 0
    print(f"exported {EXPORT_NAMES[args.kind]} to {outcome.path}")
    for notice in outcome.notices:
        print(f"  note: {notice}")
    return 0


EXPORT_NAMES = {"pdf": "the PDF evidence package", "xlsx": "the workbook for the CPA firm",
                "zip": "the verifiable binder", "requests": "the auditor's request list"}


def cmd_plan(args: argparse.Namespace) -> int:
    from workbench.services.plan import generate_plan, plan_document
    from workbench.services.plan_exports import export_ics, export_plan_pdf, export_plan_xlsx

    written = []
    with open_location(args.project) as project:
        if args.template or args.start:
            generate_plan(project, args.template, args.start)
        document = plan_document(project)
        exports = ((args.ics, export_ics, "the calendar"), (args.xlsx, export_plan_xlsx, "the task table"),
                   (args.pdf, export_plan_pdf, "the printable timeline"))
        for out, export, what in exports:
            if out is not None:
                written.append((what, export(project, out)))
    if args.json:
        _print_json(document)
        return 0
    window = document["observation"]
    print(f"plan {document['start']} to {document['end']} ({document['months']} months)"
          + (f"; observation {window['start']} to {window['end']}" if window else ""))
    for task in document["tasks"]:
        mark = "*" if task["critical"] else " "
        dates = task["start"] if task["milestone"] else f"{task['start']} to {task['end']}"
        print(f" {mark} {task['step']} {dates:<24} {task['name']}")
    print("  (* on the critical path)")
    for what, path in written:
        print(f"wrote {what} to {path}")
    return 0


PLAN_TEMPLATES = ("type1", "type2-first", "type2-renewal")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every command."""
    parser = _Parser(prog="workbench", description=f"{APP_NAME}: the offline road to a SOC 2 report.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    gui = command("gui", cmd_gui, "open the desktop program")
    gui.add_argument("project", nargs="?", type=parse_location, help="project file to open")
    gui.add_argument("--page", choices=PAGES, default="dashboard", help="page to show first")
    gui.add_argument("--screenshot", type=Path, metavar="OUT.png", help="save a picture of the window and exit")

    new = command("new", cmd_new, "create a new project file")
    new.add_argument("project", type=parse_location)
    new.add_argument("--org", required=True, help="organisation name")
    new.add_argument("--system", help="name of the system in scope")
    new.add_argument("--report-type", choices=[t.value for t in ReportType], default="type2")
    new.add_argument("--categories", type=_categories,
                     help="comma-separated: " + ",".join(c.cli_name for c in Category) + " (security always on)")
    new.add_argument("--period-start", type=_iso_date, help="start of the audit period (Type I: the as-of date)")
    new.add_argument("--period-months", type=int, help="length of a Type II period in months (default 6)")

    user = command("user", cmd_user, "show or set the name the audit trail records for your changes")
    user.add_argument("--name", help="keep this name (an empty one goes back to the login name)")
    user.add_argument("--json", action="store_true")

    catalog = command("catalog", cmd_catalog, "list the Trust Services Criteria")
    catalog.add_argument("--json", action="store_true")

    status = command("status", cmd_status, "show a project's readiness and progress")
    status.add_argument("project", type=parse_location)
    status.add_argument("--json", action="store_true")

    controls = command("controls", cmd_controls, "list a project's controls")
    controls.add_argument("project", type=parse_location)
    controls.add_argument("--json", action="store_true")

    assess = command("assess", cmd_assess, "record the assessment of one criterion")
    assess.add_argument("project", type=parse_location)
    assess.add_argument("criterion", help="criterion id, e.g. CC6.1")
    assess.add_argument("--status", required=True, choices=[s.value for s in AssessmentStatus])
    assess.add_argument("--note", help="note or, for not_applicable, the justification")

    check = command("check", cmd_check, "verify database integrity, evidence hashes and the audit trail")
    check.add_argument("project", type=parse_location)

    export = command("export", cmd_export, "write what the auditor receives: PDF package, xlsx workbook, zip "
                                           "binder, or the request list in the auditor's own columns")
    export.add_argument("kind", choices=("pdf", "xlsx", "zip", "requests"))
    export.add_argument("project", type=parse_location)
    export.add_argument("out", type=Path, metavar="OUT", help="file to write (replaced only once complete)")
    export.add_argument("--controls", type=_id_list, metavar="REFS", help="only these controls (comma-separated)")
    export.add_argument("--criteria", type=_criteria_list, metavar="IDS",
                        help="only controls mapped to these criteria (comma-separated, e.g. CC6.1,CC6.2)")
    export.add_argument("--from", dest="collected_from", type=_iso_date, metavar="YYYY-MM-DD",
                        help="only evidence collected on or after this day")
    export.add_argument("--to", dest="collected_to", type=_iso_date, metavar="YYYY-MM-DD",
                        help="only evidence collected on or before this day")
    export.add_argument("--json", action="store_true")

    plan = command("plan", cmd_plan, "show the timeline plan, or (re)generate it from a template; export it")
    plan.add_argument("project", type=parse_location)
    plan.add_argument("--template", choices=PLAN_TEMPLATES, help="generate the plan from this template")
    plan.add_argument("--start", type=_iso_date, metavar="YYYY-MM-DD", help="generate the plan starting on this day")
    plan.add_argument("--json", action="store_true")
    plan.add_argument("--ics", type=Path, metavar="OUT", help="write milestones and deadlines as a calendar")
    plan.add_argument("--xlsx", type=Path, metavar="OUT", help="write the task table as a workbook")
    plan.add_argument("--pdf", type=Path, metavar="OUT", help="write the printable timeline")

    evidence = commands.add_parser("evidence", help="add or list evidence files")
    evidence_commands = evidence.add_subparsers(dest="evidence_command", metavar="ACTION", parser_class=_Parser,
                                                required=True)
    add = evidence_commands.add_parser("add", help="add files as evidence of a control")
    add.set_defaults(handler=cmd_evidence_add)
    add.add_argument("project", type=parse_location)
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add.add_argument("--control", required=True, metavar="REF")
    add.add_argument("--title")
    add.add_argument("--collected", type=_iso_date)
    add.add_argument("--period-start", type=_iso_date)
    add.add_argument("--period-end", type=_iso_date)
    add.add_argument("--json", action="store_true")
    listing = evidence_commands.add_parser("list", help="list evidence files")
    listing.set_defaults(handler=cmd_evidence_list)
    listing.add_argument("project", type=parse_location)
    listing.add_argument("--control", metavar="REF")
    listing.add_argument("--json", action="store_true")

    from workbench.cli_register import add_register_commands  # register kinds|import|list|export, import-*

    add_register_commands(command, commands)
    from workbench.cli_safety import add_safety_commands

    add_safety_commands(command, commands, new)
    from workbench.cli_team import add_team_commands  # team mode and `copy`
    add_team_commands(command, commands)
    from workbench.cli_connect import add_connect_commands  # saved connections (profile:NAME)
    add_connect_commands(commands)
    return parser


def _warn_about_place(args: argparse.Namespace) -> None:
    """Warn once on stderr when the project lives in a synced folder or beside a conflicted copy of itself."""
    project = getattr(args, "project", None)
    if not isinstance(project, Path) or not project.exists():
        return
    from workbench.services.risky_places import place_warnings

    for text in place_warnings(project):
        print(f"warning: {text}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 2 a problem the user can fix, 1 a bug)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        print("error: workbench : name a command (see workbench --help)", file=sys.stderr)
        return EXIT_USER_ERROR
    try:
        _warn_about_place(args)
        return handler(args)
    except WorkbenchError as exc:
        print(one_line(f"error: {exc}"), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("error: workbench : interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`| head`): stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
