"""`access-review new|decide|close|list`: a campaign from a system's user list, a decision per account, closing it
signed (its PDF filed as evidence)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.common import Commands, open_location, print_json
from workbench.domain.location import parse_location


def _flags(summary: dict[str, Any]) -> str:
    found = [f"{name.replace('_', ' ')}: {', '.join(logins)}" for name, logins in summary["flags"].items() if logins]
    return "; ".join(found) if found else "nothing flagged"


def cmd_new(args: argparse.Namespace) -> int:
    """Start a campaign from a system's user list."""
    from workbench.services.access_reviews import start_review

    with open_location(args.project) as project:
        report = start_review(project, args.system, args.user_list)
    if args.json:
        print_json(report)
        return 0
    print(f"access review {report['campaign']} of {report['system']}: {report['accounts']} accounts; "
          f"{_flags(report)}")
    if report["changes"] is not None:
        changes = report["changes"]
        print(f"since {report['previous']}: new {', '.join(changes['added']) or 'none'}; gone "
              f"{', '.join(changes['removed']) or 'none'}; role changed {', '.join(changes['changed']) or 'none'}")
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    """Record the decision on one account."""
    from workbench.services.access_reviews import decide

    with open_location(args.project) as project:
        campaign = decide(project, args.campaign, args.entry, args.decision, args.note).value
    print(f"access review {campaign.ref}: {args.entry} {args.decision}; {len(campaign.undecided)} accounts left "
          f"to decide")
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    """Sign and close a campaign; its PDF becomes evidence."""
    from workbench.services.access_reviews import close_review

    with open_location(args.project) as project:
        campaign = close_review(project, args.campaign, args.reviewer, args.control).value
    removals = sum(1 for e in campaign.entries if e.task_id is not None)
    print(f"access review {campaign.ref} closed by {campaign.reviewer}; its PDF is evidence {campaign.evidence_id} "
          f"of {campaign.control_ref}; {removals} removal task{'s' * (removals != 1)}")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `access-review new|decide|close`."""
    group = commands.group("access-review", "access review campaigns: start one, decide, close it signed")
    new = group.action("new", cmd_new, "start a campaign from a system's user list")
    new.add_argument("project", type=parse_location)
    new.add_argument("--system", required=True, metavar="NAME")
    new.add_argument("user_list", type=Path, metavar="USERLIST")
    new.add_argument("--json", action="store_true")
    decide = group.action("decide", cmd_decide, "record the decision on one account")
    decide.add_argument("project", type=parse_location)
    decide.add_argument("campaign", metavar="CAMPAIGN")
    decide.add_argument("--entry", required=True, metavar="LOGIN")
    decide.add_argument("--decision", required=True, choices=("keep", "change", "remove"))
    decide.add_argument("--note", metavar="TEXT")
    close = group.action("close", cmd_close, "sign and close a campaign (every account decided)")
    close.add_argument("project", type=parse_location)
    close.add_argument("campaign", metavar="CAMPAIGN")
    close.add_argument("--reviewer", required=True, metavar="NAME")
    close.add_argument("--control", metavar="REF", help="the control its PDF evidences (default: the access review "
                                                        "control)")
