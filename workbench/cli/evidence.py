"""`workbench evidence add | list`: the files that show a control operating."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.common import Commands, UserError, iso_date, open_location, print_json
from workbench.cli.terminal_text import one_line_name
from workbench.domain.location import parse_location


def evidence_json(e: Any, in_period: bool | None = None, fit: Any = None) -> dict[str, Any]:
    """Return the JSON form of an evidence item (`in_period`: what it reflects lies inside the project's period;
    `period_fit`: inside, partly_outside (a range across an end of the period) or outside)."""
    return {
        "id": e.id, "control": e.control_ref, "title": e.title, "filename": e.filename, "sha256": e.sha256,
        "size": e.size, "media_type": e.media_type,
        "collected": e.collected_on.isoformat() if e.collected_on else None,
        "period_start": e.period_start.isoformat() if e.period_start else None,
        "period_end": e.period_end.isoformat() if e.period_end else None,
        "source": e.source,
        "in_period": in_period,
        "period_fit": fit.value if fit is not None else None,
    }


def cmd_evidence_add(args: argparse.Namespace) -> int:
    """Add files as evidence of a control."""
    from workbench.services.evidence import EvidenceMeta, add_evidence_files

    if (args.period_start is None) != (args.period_end is None):
        raise UserError("--period-start/--period-end", "give both ends of the period covered, or neither")
    from workbench.services.evidence_checks import evidence_warnings
    from workbench.services.period import evidence_in_period, evidence_period_fit, project_period
    from workbench.services.project import get_settings

    meta = EvidenceMeta(args.control, args.title or "", args.collected, args.period_start, args.period_end)
    with open_location(args.project) as project:
        added = add_evidence_files(project, args.files, meta).value
        warnings = evidence_warnings(project, added)
        period = project_period(get_settings(project))
    if args.json:
        print_json([{**evidence_json(e, evidence_in_period(period, e), evidence_period_fit(period, e)),
                     "warnings": warnings.get(e.id, [])} for e in added])
    else:
        for e in added:
            name = one_line_name(e.filename)
            print(f"added {name} to {e.control_ref} (sha256 {e.sha256})")
            for warning in warnings.get(e.id, ()):
                print(f"  warning: {name}: {warning}")
    return 0


def cmd_evidence_list(args: argparse.Namespace) -> int:
    """List a project's evidence files (of one control, with --control)."""
    from workbench.domain.period import PeriodFit
    from workbench.services.evidence import list_evidence
    from workbench.services.period import evidence_in_period, evidence_period_fit, project_period
    from workbench.services.project import get_settings

    with open_location(args.project) as project:
        items = list_evidence(project, args.control)
        period = project_period(get_settings(project))
    if args.json:
        print_json([evidence_json(e, evidence_in_period(period, e), evidence_period_fit(period, e)) for e in items])
    else:
        marks = {PeriodFit.OUTSIDE: "  OUT OF PERIOD", PeriodFit.PARTLY_OUTSIDE: "  PARTLY OUTSIDE THE PERIOD"}
        for e in items:
            fit = evidence_period_fit(period, e)
            mark = marks.get(fit, "") if fit is not None else ""
            print(f"{e.id:>5} {e.control_ref:<10} {one_line_name(e.filename)}  {e.size} bytes  {e.sha256[:12]}{mark}")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `evidence add|list`."""
    actions = commands.group("evidence", "add or list evidence files")
    add = actions.action("add", cmd_evidence_add, "add files as evidence of a control")
    add.add_argument("project", type=parse_location)
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add.add_argument("--control", required=True, metavar="REF")
    add.add_argument("--title")
    add.add_argument("--collected", type=iso_date, metavar="YYYY-MM-DD",
                     help="the day the evidence was received (stands for what it reflects when no range is given)")
    add.add_argument("--period-start", type=iso_date, metavar="YYYY-MM-DD",
                     help="first day of what the evidence reflects (with --period-end)")
    add.add_argument("--period-end", type=iso_date, metavar="YYYY-MM-DD",
                     help="last day of what the evidence reflects (with --period-start)")
    add.add_argument("--json", action="store_true")
    listing = actions.action("list", cmd_evidence_list, "list evidence files")
    listing.add_argument("project", type=parse_location)
    listing.add_argument("--control", metavar="REF")
    listing.add_argument("--json", action="store_true")
