"""`workbench plan`: the timeline plan - show it, (re)generate it from a template, set holidays, export it."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from workbench.cli.common import Commands, iso_date, open_location, print_json
from workbench.domain.errors import ValidationError
from workbench.domain.location import parse_location

PLAN_TEMPLATES = ("type1", "type2-first", "type2-renewal")


def _holidays(args: argparse.Namespace) -> frozenset[date] | None:
    """Return the holidays the arguments ask for (None: leave the stored ones), refusing bad dates."""
    from workbench.domain.holidays import parse_holidays

    if args.holidays is None and args.holidays_file is None:
        return None
    days: set[date] = set()
    if args.holidays is not None and args.holidays.strip().lower() != "none":
        days |= parse_holidays(args.holidays, "--holidays")
    if args.holidays_file is not None:
        try:
            text = args.holidays_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "is not a readable text file"
            raise ValidationError(f"holidays file {args.holidays_file}", why) from None
        days |= parse_holidays(text, f"holidays file {args.holidays_file}")
    return frozenset(days)


def _print_plan(document: dict[str, Any]) -> None:
    """Print the plan as text: its span, its tasks in date order, what is late and the holidays."""
    window = document["observation"]
    print(f"plan {document['start']} to {document['end']} ({document['months']} months)"
          + (f"; observation {window['start']} to {window['end']}" if window else ""))
    ordered = sorted(enumerate(document["tasks"]), key=lambda item: (item[1]["start"], item[1]["end"], item[0]))
    for _, task in ordered:
        mark = "*" if task["critical"] else " "
        dates = task["start"] if task["milestone"] else f"{task['start']} to {task['end']}"
        print(f" {mark} {task['step']} {dates:<24} {task['name']}")
    print("  (* on the critical path)")
    if document["holidays"]:
        print(f"holidays (not worked): {', '.join(document['holidays'])}")
    late = document["late"]
    if late:
        print(f"already late on {document['today']}: {len(late)} task{'s' if len(late) != 1 else ''} "
              "should have started or finished before today")
        for task in late:
            dates = task["start"] if task["start"] == task["end"] else f"{task['start']} to {task['end']}"
            print(f" ! {dates:<26} {task['name']}")


def cmd_plan(args: argparse.Namespace) -> int:
    """Show the plan (generating it first when asked) and write the exports asked for."""
    from workbench.services.plan import generate_plan, plan_document, set_holidays
    from workbench.services.plan_exports import export_ics, export_plan_pdf, export_plan_xlsx

    holidays = _holidays(args)
    written = []
    with open_location(args.project) as project:
        if args.template or args.start:
            generate_plan(project, args.template, args.start, holidays)
        elif holidays is not None:
            set_holidays(project, holidays)
        document = plan_document(project)
        exports = ((args.ics, export_ics, "the calendar"), (args.xlsx, export_plan_xlsx, "the task table"),
                   (args.pdf, export_plan_pdf, "the printable timeline"))
        for out, export, what in exports:
            if out is not None:
                written.append((what, export(project, out)))
    if args.json:
        print_json(document)
        return 0
    _print_plan(document)
    for what, path in written:
        print(f"wrote {what} to {path}")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `plan`."""
    plan = commands.command("plan", cmd_plan, "show the timeline plan, or (re)generate it from a template; export it")
    plan.add_argument("project", type=parse_location)
    plan.add_argument("--template", choices=PLAN_TEMPLATES, help="generate the plan from this template")
    plan.add_argument("--start", type=iso_date, metavar="YYYY-MM-DD", help="generate the plan starting on this day")
    plan.add_argument("--holidays", metavar="DATES",
                      help="the non-working days besides weekends, YYYY-MM-DD separated by commas (replaces the "
                           "stored list; 'none' clears it); the plan is rescheduled around them, or with "
                           "--template/--start generated again around them")
    plan.add_argument("--holidays-file", type=Path, metavar="FILE",
                      help="read the holidays from a text file: a YYYY-MM-DD date at the start of each line, "
                           "anything after it (a name) ignored")
    plan.add_argument("--json", action="store_true")
    plan.add_argument("--ics", type=Path, metavar="OUT", help="write milestones and deadlines as a calendar")
    plan.add_argument("--xlsx", type=Path, metavar="OUT", help="write the task table as a workbook")
    plan.add_argument("--pdf", type=Path, metavar="OUT", help="write the printable timeline")
