"""`workbench team init|invite|list|revoke | connect add|list|remove | copy`: projects on a PostgreSQL server.

A saved connection (`connect add`) is then used wherever a project goes, as `profile:NAME`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.common import (
    EXIT_USER_ERROR,
    Commands,
    first_line,
    print_error,
    print_json,
    terminal_prompt,
)
from workbench.domain.location import parse_location

TEAM_ROLES = ("owner", "contributor", "auditor")


def read_password_file(path: Path) -> str:
    """Return the password on the first line of a file; a missing, unreadable or empty file is the user's error."""
    return first_line(path, "password file", "the password file is empty (the password is its first line)")


def cmd_team_init(args: argparse.Namespace) -> int:
    """Create the project's owner, contributor and auditor roles."""
    from workbench.services.team import init_team

    groups = init_team(args.project)
    print(f"team roles ready on {args.project}: " + ", ".join(f"{role} = {name}" for role, name in groups.items()))
    print("invite people with `workbench team invite PROJECT LOGIN --role owner|contributor|auditor`")
    return 0


def cmd_team_invite(args: argparse.Namespace) -> int:
    """Give a login a role on the project, creating the login when needed."""
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
    """List the logins on the project's team and their roles."""
    from workbench.services.team import members

    found = members(args.project)
    if args.json:
        print_json({"project": str(args.project),
                     "members": [{"login": m.login, "role": m.role, "can_login": m.can_login} for m in found]})
        return 0
    if not found:
        print(f"no one on the team of {args.project} yet")
        return 0
    for m in found:
        print(f"{m.login:<24} {m.role}{'' if m.can_login else '  (cannot log in)'}")
    return 0


def cmd_team_revoke(args: argparse.Namespace) -> int:
    """Take a login off the project's team."""
    from workbench.services.team import revoke

    taken = revoke(args.project, args.login)
    print(f"{args.login} is no longer {' or '.join(taken)} of {args.project} (the login itself remains)")
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    """Copy a project between files and server databases, losslessly."""
    from workbench.services.copying import copy_project

    outcome = copy_project(args.source, args.destination, prompt=terminal_prompt)
    if args.json:
        print_json({"source": outcome.source, "destination": outcome.destination, "rows": outcome.rows,
                     "evidence_bytes": outcome.evidence_bytes, "content_digest": outcome.digest,
                     "checks": {c.name: c.ok for c in outcome.checks}})
        return 0
    print(f"copied {outcome.source} to {outcome.destination}")
    print(outcome.describe())
    return 0


def cmd_connect_add(args: argparse.Namespace) -> int:
    """Save a connection; its password (from --password-file or the URL) goes into the OS keyring only."""
    from workbench.domain.location import ServerAddress
    from workbench.services.connections import save_profile

    address = ServerAddress.parse(args.url)
    password = read_password_file(args.password_file) if args.password_file else address.password
    saved = save_profile(args.name, address, password)
    profile = saved.profile
    print(f"saved connection {profile.name}: {profile.address}")
    print(f"  open it as {profile.location} wherever a project goes")
    if saved.password_problem is not None:
        print_error(f"{profile.location} : {saved.password_problem}")
        return EXIT_USER_ERROR
    if profile.password_saved:
        print("  its password is kept in the OS keyring")
    return 0


def cmd_connect_list(args: argparse.Namespace) -> int:
    """List the saved connections (never a password)."""
    from workbench.services.connections import list_profiles, profiles_file

    found = list_profiles()
    if args.json:
        print_json({"file": str(profiles_file()), "connections": [
            {"name": p.name, "location": p.location, "url": str(p.address), "host": p.address.host,
             "port": p.address.port, "database": p.address.database, "user": p.address.user,
             "password_in_keyring": p.password_saved} for p in found]})
        return 0
    if not found:
        print("no saved connections (add one with `workbench connect add NAME postgresql://user@host:port/db`)")
        return 0
    width = max(len(p.name) for p in found)
    for p in found:
        kept = "password in keyring" if p.password_saved else "no saved password"
        print(f"{p.name:<{width}}  {p.address}  ({kept})")
    return 0


def cmd_connect_remove(args: argparse.Namespace) -> int:
    """Forget a saved connection and the password the keyring keeps for it."""
    from workbench.services.connections import remove_profile

    problem = remove_profile(args.name)
    print(f"removed connection {args.name}")
    if problem is not None:
        print_error(f"profile:{args.name} : {problem}")
        return EXIT_USER_ERROR
    return 0


def add_commands(commands: Commands) -> None:
    """Add `team init|invite|list|revoke`, `copy` and `connect add|list|remove`."""
    team = commands.group("team", "who may read or change a project on a PostgreSQL server")
    init = team.action("init", cmd_team_init, "create the project's owner, contributor and auditor roles "
                                              "(run as the server administrator or the project's owner)")
    init.add_argument("project", type=parse_location, metavar="PROJECT_URL")

    invite = team.action("invite", cmd_team_invite, "give a login a role on the project (creating the login)")
    invite.add_argument("project", type=parse_location, metavar="PROJECT_URL")
    invite.add_argument("login", metavar="LOGIN")
    invite.add_argument("--role", required=True, choices=TEAM_ROLES)
    invite.add_argument("--password-file", type=Path, metavar="FILE",
                        help="the login's password, first line of FILE (sets it when the login exists)")

    listing = team.action("list", cmd_team_list, "list the logins on the project's team and their roles")
    listing.add_argument("project", type=parse_location, metavar="PROJECT_URL")
    listing.add_argument("--json", action="store_true")

    revoke = team.action("revoke", cmd_team_revoke, "take a login off the project's team")
    revoke.add_argument("project", type=parse_location, metavar="PROJECT_URL")
    revoke.add_argument("login", metavar="LOGIN")

    copy = commands.command("copy", cmd_copy, "copy a project, losslessly, between files and server databases "
                                              "(file to server, server to file, or alike); never replaces anything")
    copy.add_argument("source", type=parse_location, metavar="SOURCE")
    copy.add_argument("destination", type=parse_location, metavar="DEST")
    copy.add_argument("--json", action="store_true")

    connect = commands.group("connect", "saved connections to project databases on a PostgreSQL server "
                                        "(then give profile:NAME as the project)")
    add = connect.action("add", cmd_connect_add,
                         "save a connection (a password goes into the OS keyring, never a file)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("url", metavar="URL", help="postgresql://user@host:port/database")
    add.add_argument("--password-file", type=Path, metavar="FILE",
                     help="the login's password, first line of FILE, to keep in the OS keyring")

    saved = connect.action("list", cmd_connect_list, "list the saved connections")
    saved.add_argument("--json", action="store_true")

    remove = connect.action("remove", cmd_connect_remove, "forget a saved connection and its kept password")
    remove.add_argument("name", metavar="NAME")
