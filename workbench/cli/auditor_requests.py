"""`workbench requests link|unlink`: the evidence handed over for an item of the auditor's request list."""

from __future__ import annotations

import argparse

from workbench.cli.common import Commands, open_location, print_json
from workbench.domain.location import parse_location


def _ids(ids: list[int]) -> str:
    return ", ".join(map(str, ids)) or "none"


def cmd_requests_link(args: argparse.Namespace) -> int:
    """Link evidence to a request."""
    from workbench.services.request_evidence import link_request_evidence

    wanted = sorted(set(args.evidence))
    with open_location(args.project) as project:
        added = list(link_request_evidence(project, args.ref, wanted).value)
    if args.json:
        print_json({"request": args.ref, "linked": added, "already_linked": [i for i in wanted if i not in added]})
        return 0
    print(f"request {args.ref}: linked evidence {_ids(added)}"
          + (f"; already linked: {_ids([i for i in wanted if i not in added])}" if len(added) < len(wanted) else ""))
    return 0


def cmd_requests_unlink(args: argparse.Namespace) -> int:
    """Remove links between evidence and a request."""
    from workbench.services.request_evidence import unlink_request_evidence

    with open_location(args.project) as project:
        removed = list(unlink_request_evidence(project, args.ref, args.evidence).value)
    if args.json:
        print_json({"request": args.ref, "unlinked": removed})
        return 0
    print(f"request {args.ref}: unlinked evidence {_ids(removed)}")
    return 0


def add_commands(commands: Commands) -> None:
    """Add `requests link|unlink`."""
    group = commands.group("requests", "the evidence handed over for the auditor's requests (PBC)")
    for name, handler, text in (
        ("link", cmd_requests_link, "link evidence to a request; the request list export then lists it under "
                                    "'Evidence provided'"),
        ("unlink", cmd_requests_unlink, "remove links between evidence and a request"),
    ):
        action = group.action(name, handler, text)
        action.add_argument("project", type=parse_location, metavar="PROJECT")
        action.add_argument("ref", metavar="REF", help="the request's reference, as the auditor numbers it")
        action.add_argument("--evidence", required=True, type=int, action="append", metavar="ID",
                            help="an evidence id (see workbench evidence list); repeatable")
        action.add_argument("--json", action="store_true")
