"""`access-review new|decide|close|list`: a campaign from a system's user list, a decision per account, closing it
signed (its PDF filed as evidence)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.common import Commands, on_project, print_json


def _flags(summary: dict[str, Any]) -> str:
    found = [f"{name.replace('_', ' ')}: {', '.join(logins)}" for name, logins in summary["flags"].items() if logins]
    return "; ".join(found) if found else "nothing flagged"


def cmd_new(args: argparse.Namespace) -> int:
    """Start a campaign from a system's user list."""
    from workbench.services.access_reviews import start_review

    report = on_project(args, start_review, args.system, args.user_list, day_first=args.day_first)
    if args.json:
        print_json(report)
        return 0
    print(f"access review {report['campaign']} of {report['system']}: {_accounts(report['accounts'])}; "
          f"{_flags(report)}")
    if report["changes"] is not None:
        changes = report["changes"]
        print(f"since {report['previous']}: new {', '.join(changes['added']) or 'none'}; gone "
              f"{', '.join(changes['removed']) or 'none'}; role changed {', '.join(changes['changed']) or 'none'}")
    for problem in report["problems"]:  # a date left unset is an account not checked for dormancy: say so
        print(f"  row {problem['row']} {problem['level']}: {problem['message']}")
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    """Record the decision on one account."""
    from workbench.services.access_reviews import decide

    campaign = on_project(args, decide, args.campaign, args.entry, args.decision, args.note).value
    print(f"access review {campaign.ref}: {args.entry} {args.decision}; {_accounts(len(campaign.undecided))} left "
          f"to decide")
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    """Sign and close a campaign; its PDF becomes evidence."""
    from workbench.services.access_reviews import close_review

    campaign = on_project(args, close_review, args.campaign, args.reviewer, args.control).value
    removals = sum(1 for e in campaign.entries if e.task_id is not None)
    print(f"access review {campaign.ref} closed by {campaign.reviewer}; its PDF is evidence {campaign.evidence_id} "
          f"of {campaign.control_ref}; {removals} removal task{'s' * (removals != 1)}")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `access-review new|decide|close`."""
    group = commands.group("access-review", "access review campaigns: start one, decide, close it signed")
    new = group.action("new", cmd_new, "start a campaign from a system's user list", project=True, json=True)
    new.add_argument("--system", required=True, metavar="NAME")
    new.add_argument("user_list", type=Path, metavar="USERLIST")
    order = new.add_mutually_exclusive_group()
    order.add_argument("--day-first", dest="day_first", action="store_const", const=True,
                       help="read last logins like 03/04/2026 as 3 April (otherwise such dates are reported)")
    order.add_argument("--month-first", dest="day_first", action="store_const", const=False,
                       help="read last logins like 03/04/2026 as 4 March")
    decide = group.action("decide", cmd_decide, "record the decision on one account", project=True)
    decide.add_argument("campaign", metavar="CAMPAIGN")
    decide.add_argument("--entry", required=True, metavar="LOGIN")
    decide.add_argument("--decision", required=True, choices=("keep", "change", "remove"))
    decide.add_argument("--note", metavar="TEXT")
    close = group.action("close", cmd_close, "sign and close a campaign (every account decided)", project=True)
    close.add_argument("campaign", metavar="CAMPAIGN")
    close.add_argument("--reviewer", required=True, metavar="NAME")
    close.add_argument("--control", metavar="REF", help="the control its PDF evidences (default: the access review "
                                                        "control)")


def _accounts(count: int) -> str:
    return f"{count} account{'s' * (count != 1)}"
