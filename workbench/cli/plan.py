"""`workbench plan`: the timeline plan - show it, (re)generate it from a template, export it."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.common import Commands, iso_date, open_location, print_json
from workbench.domain.location import parse_location

PLAN_TEMPLATES = ("type1", "type2-first", "type2-renewal")


def cmd_plan(args: argparse.Namespace) -> int:
    """Show the plan (generating it first when asked) and write the exports asked for."""
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
        print_json(document)
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


def add_commands(commands: Commands) -> None:
    """Add `plan`."""
    plan = commands.command("plan", cmd_plan, "show the timeline plan, or (re)generate it from a template; export it")
    plan.add_argument("project", type=parse_location)
    plan.add_argument("--template", choices=PLAN_TEMPLATES, help="generate the plan from this template")
    plan.add_argument("--start", type=iso_date, metavar="YYYY-MM-DD", help="generate the plan starting on this day")
    plan.add_argument("--json", action="store_true")
    plan.add_argument("--ics", type=Path, metavar="OUT", help="write milestones and deadlines as a calendar")
    plan.add_argument("--xlsx", type=Path, metavar="OUT", help="write the task table as a workbook")
    plan.add_argument("--pdf", type=Path, metavar="OUT", help="write the printable timeline")
