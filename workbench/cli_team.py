"""Command-line commands of team mode: `team init|invite|list|revoke` and `copy` between a file and a server."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from workbench.cli import _Parser, _print_json, terminal_prompt
from workbench.cli_connect import read_password_file
from workbench.domain.location import parse_location

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]
TEAM_ROLES = ("owner", "contributor", "auditor")


def cmd_team_init(args: argparse.Namespace) -> int:
    from workbench.services.team import init_team

    groups = init_team(args.project)
    print(f"team roles ready on {args.project}: " + ", ".join(f"{role} = {name}" for role, name in groups.items()))
    print("invite people with `workbench team invite PROJECT LOGIN --role owner|contributor|auditor`")
    return 0


def cmd_team_invite(args: argparse.Namespace) -> int:
    from workbench.services.team import invite

    password = read_password_file(args.password_file) if args.password_file else None
    created = invite(args.project, args.login, args.role, password)
    made = "created login" if created else "login"
    print(f"{made} {args.login} is now {args.role} of {args.project}")
    if created and password is None:
        print("  note: the login has no password; set one with --password-file, or let the server's own "
              "authentication admit it")
    return 0


def cmd_team_list(args: argparse.Namespace) -> int:
    from workbench.services.team import members

    found = members(args.project)
    if args.json:
        _print_json({"project": str(args.project),
                     "members": [{"login": m.login, "role": m.role, "can_login": m.can_login} for m in found]})
        return 0
    if not found:
        print(f"no one on the team of {args.project} yet")
        return 0
    for m in found:
        print(f"{m.login:<24} {m.role}{'' if m.can_login else '  (cannot log in)'}")
    return 0


def cmd_team_revoke(args: argparse.Namespace) -> int:
    from workbench.services.team import revoke

    taken = revoke(args.project, args.login)
    print(f"{args.login} is no longer {' or '.join(taken)} of {args.project} (the login itself remains)")
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    from workbench.services.copying import copy_project

    outcome = copy_project(args.source, args.destination, prompt=terminal_prompt)
    if args.json:
        _print_json({"source": outcome.source, "destination": outcome.destination, "rows": outcome.rows,
                     "evidence_bytes": outcome.evidence_bytes, "content_digest": outcome.digest,
                     "checks": {c.name: c.ok for c in outcome.checks}})
        return 0
    print(f"copied {outcome.source} to {outcome.destination}")
    print(outcome.describe())
    return 0


def add_team_commands(command: Command, commands: argparse._SubParsersAction) -> None:
    """Register `team init|invite|list|revoke` and `copy`."""
    team = commands.add_parser("team", help="who may read or change a project on a PostgreSQL server")
    team_commands = team.add_subparsers(dest="team_command", metavar="ACTION", parser_class=_Parser, required=True)

    init = team_commands.add_parser("init", help="create the project's owner, contributor and auditor roles "
                                                 "(run as the server administrator or the project's owner)")
    init.set_defaults(handler=cmd_team_init)
    init.add_argument("project", type=parse_location, metavar="PROJECT_URL")

    invite = team_commands.add_parser("invite", help="give a login a role on the project (creating the login)")
    invite.set_defaults(handler=cmd_team_invite)
    invite.add_argument("project", type=parse_location, metavar="PROJECT_URL")
    invite.add_argument("login", metavar="LOGIN")
    invite.add_argument("--role", required=True, choices=TEAM_ROLES)
    invite.add_argument("--password-file", type=Path, metavar="FILE",
                        help="the login's password, first line of FILE (sets it when the login exists)")

    listing = team_commands.add_parser("list", help="list the logins on the project's team and their roles")
    listing.set_defaults(handler=cmd_team_list)
    listing.add_argument("project", type=parse_location, metavar="PROJECT_URL")
    listing.add_argument("--json", action="store_true")

    revoke = team_commands.add_parser("revoke", help="take a login off the project's team")
    revoke.set_defaults(handler=cmd_team_revoke)
    revoke.add_argument("project", type=parse_location, metavar="PROJECT_URL")
    revoke.add_argument("login", metavar="LOGIN")

    copy = command("copy", cmd_copy, "copy a project, losslessly, between files and server databases "
                                     "(file to server, server to file, or alike); never replaces anything")
    copy.add_argument("source", type=parse_location, metavar="SOURCE")
    copy.add_argument("destination", type=parse_location, metavar="DEST")
    copy.add_argument("--json", action="store_true")
