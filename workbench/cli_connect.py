"""Command-line commands for saved connections: `connect add|list|remove` (see services/connections.py).

A saved connection is then used wherever a project goes, as `profile:NAME`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.cli import UserError, _Parser, _print_json


def read_password_file(path: Path) -> str:
    """The first line of a password file; a missing, unreadable or empty file is the user's error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(str(path), f"cannot read the password file ({exc})") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise UserError(str(path), "the password file is empty (the password is its first line)")
    return lines[0]


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
        print(f"error: {profile.location} : {saved.password_problem}", file=sys.stderr)
        return 2
    if profile.password_saved:
        print("  its password is kept in the OS keyring")
    return 0


def cmd_connect_list(args: argparse.Namespace) -> int:
    """List the saved connections (never a password)."""
    from workbench.services.connections import list_profiles, profiles_file

    found = list_profiles()
    if args.json:
        _print_json({"file": str(profiles_file()), "connections": [
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
        print(f"error: profile:{args.name} : {problem}", file=sys.stderr)
        return 2
    return 0


def add_connect_commands(commands: argparse._SubParsersAction) -> None:
    """Register `connect add|list|remove`."""
    connect = commands.add_parser("connect", help="saved connections to project databases on a PostgreSQL server "
                                                  "(then give profile:NAME as the project)")
    actions = connect.add_subparsers(dest="connect_command", metavar="ACTION", parser_class=_Parser, required=True)

    add = actions.add_parser("add", help="save a connection (a password goes into the OS keyring, never a file)")
    add.set_defaults(handler=cmd_connect_add)
    add.add_argument("name", metavar="NAME")
    add.add_argument("url", metavar="URL", help="postgresql://user@host:port/database")
    add.add_argument("--password-file", type=Path, metavar="FILE",
                     help="the login's password, first line of FILE, to keep in the OS keyring")

    listing = actions.add_parser("list", help="list the saved connections")
    listing.set_defaults(handler=cmd_connect_list)
    listing.add_argument("--json", action="store_true")

    remove = actions.add_parser("remove", help="forget a saved connection and its kept password")
    remove.set_defaults(handler=cmd_connect_remove)
    remove.add_argument("name", metavar="NAME")
