"""`workbench calendar`: the windows in which each control must have operated during the Type II period."""

from __future__ import annotations

import argparse

from workbench.cli.common import Commands, iso_date, open_location, print_json
from workbench.domain.location import parse_location


def cmd_calendar(args: argparse.Namespace) -> int:
    """List each control's expected windows (covered, missing or not due) and the populations expected."""
    from workbench.services.period import calendar_document, project_calendar

    with open_location(args.project) as project:
        today = args.today or project.now().date()
        period, controls, populations = project_calendar(project, today)
    rows = calendar_document(period, controls, populations, today)
    if args.json:
        print_json(rows)
        return 0
    if period is None:
        print("the project has no audit period (or as-of date): nothing is expected yet")
        return 0
    print(f"period {period.start.isoformat()} to {period.end.isoformat()}")
    for row in rows:
        print(f"{row['control']:<12} {row['window']:<24} {row['window_start']} .. {row['window_end']}  "
              f"{row['status']}" + (f"  ({row['note']})" if row["note"] else ""))
    return 0


def add_commands(commands: Commands) -> None:
    """Add `calendar`."""
    calendar = commands.command("calendar", cmd_calendar,
                                "list each control's expected windows in the period and whether evidence covers them")
    calendar.add_argument("project", type=parse_location)
    calendar.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD",
                          help="judge missing / not due as of this day (default: today)")
    calendar.add_argument("--json", action="store_true")
