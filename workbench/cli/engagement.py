"""`engagement checks|check`: the representation-letter and subsequent-events checklist, listed and ticked."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.common import Commands, UserError, iso_date, open_location, print_json


def _item(item: Any, state: Any) -> dict[str, Any]:
    return {"key": item.key, "group": item.group, "text": item.text, "done": state.done,
            "done_on": state.done_on.isoformat() if state.done_on else None, "done_by": state.done_by}


def cmd_checks(args: argparse.Namespace) -> int:
    """List the checklist's items in order, each ticked (on a day, by someone) or not."""
    from workbench.services.engagement import engagement_checks

    with open_location(args.project) as project:
        items = [_item(item, state) for item, state in engagement_checks(project)]
    if args.json:
        print_json(items)
        return 0
    group = None
    for item in items:
        if item["group"] != group:
            group = item["group"]
            print(f"{group}:")
        done = f"[x] {item['done_on']} {item['done_by']}" if item["done"] else "[ ]"
        print(f"  {done} {item['key']}: {item['text']}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Tick one item of the checklist (who, and when: default today), or untick it with --clear."""
    from workbench.domain.engagement_checks import CHECK_KEYS, CheckState
    from workbench.services.engagement import set_check

    key = args.item.strip().lower()
    if key not in CHECK_KEYS:
        raise UserError(f"engagement checklist item {args.item!r}", f"there is no such item; use one of "
                                                                     f"{', '.join(CHECK_KEYS)}")
    if args.clear == (args.by is not None):
        raise UserError("engagement check", "give --by NAME to tick the item, or --clear to untick it")
    with open_location(args.project) as project:
        day = args.date or project.now().date()
        state = set_check(project, CheckState(key, None if args.clear else day, args.by or "")).value
    print(f"{key}: ticked on {state.done_on.isoformat()} by {state.done_by}" if state.done_on else f"{key}: unticked")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `engagement checks` and `engagement check`."""
    group = commands.group("engagement", "the representation-letter and subsequent-events checklist")
    group.action("checks", cmd_checks, "list the checklist's items, ticked or not", project=True, json=True)
    check = group.action("check", cmd_check, "tick an item (see `engagement checks` for the keys), or untick it",
                         project=True)
    check.add_argument("item", metavar="ITEM")
    check.add_argument("--by", metavar="NAME")
    check.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the day it was done (default: today)")
    check.add_argument("--clear", action="store_true", help="untick the item")
