"""What every command family shares: the parser class, argument types, the one-line error, JSON output, opening."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from workbench.domain.enums import Category
from workbench.domain.errors import WorkbenchError
from workbench.domain.location import parse_location

if TYPE_CHECKING:  # the services load when a command runs, not when its arguments are parsed
    from workbench.domain.encryption import KeyRequiredError
    from workbench.domain.location import ServerAddress
    from workbench.services.session import OpenProject

EXIT_USER_ERROR = 2
Handler = Callable[[argparse.Namespace], int]
T = TypeVar("T")

# Every character str.splitlines() breaks a line at: escaped in an error line, which must stay one line. So are
# the other controls (an ESC sequence in a file name would recolour the terminal) and the bidirectional and
# zero-width marks (a right-to-left override in a file name shows the rest of the line reversed).
_LINE_BREAKS = {ord(c): repr(c)[1:-1] for c in (
    "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
    + "".join(map(chr, (*range(0x00, 0x09), *range(0x0e, 0x1c), 0x1f, *range(0x7f, 0x85), *range(0x86, 0xa0))))
    + "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")}


def one_line(text: str) -> str:
    """Return `text` with its line breaks, controls and bidirectional marks written as escapes (\\n, \\x1b,
    \\u202e ...), so that it prints as one line that reads as it is stored."""
    return text.translate(_LINE_BREAKS)


def print_error(text: str) -> None:
    """Print `error: <what> : <why>` (text is "<what> : <why>") to stderr as one line."""
    print(one_line(f"error: {text}"), file=sys.stderr)


class UserError(WorkbenchError):
    """A bad command-line argument."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one `error: what : why` line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        """Print the problem as one error line and exit with status 2."""
        print_error(f"{self.prog} : {message}")
        raise SystemExit(EXIT_USER_ERROR)


class Commands:
    """Where a command family adds its commands: the top level, or the actions of one command."""

    def __init__(self, subparsers: argparse._SubParsersAction) -> None:
        self._subparsers = subparsers

    def command(self, name: str, handler: Handler, help_text: str, *, project: bool = False,
                json: bool = False) -> argparse.ArgumentParser:
        """Add a command run by `handler` and return its parser, for its arguments (see `takes_project`)."""
        sub = self._subparsers.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return takes_project(sub, json=json) if project else sub

    def group(self, name: str, help_text: str) -> Commands:
        """Add a command made of actions (`evidence add|list`) and return where its actions go."""
        parser = self._subparsers.add_parser(name, help=help_text)
        return Commands(parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", parser_class=Parser,
                                              required=True))

    def action(self, name: str, handler: Handler, help_text: str, *, project: bool = False,
               json: bool = False) -> argparse.ArgumentParser:
        """Add an action of a group run by `handler` and return its parser, for its arguments (see `takes_project`)."""
        sub = self._subparsers.add_parser(name, help=help_text)
        sub.set_defaults(handler=handler)
        return takes_project(sub, json=json) if project else sub


def takes_project(parser: argparse.ArgumentParser, *, json: bool = False) -> argparse.ArgumentParser:
    """Give a command its PROJECT argument (a file, a server URL or profile:NAME) and, with `json`, its --json."""
    parser.add_argument("project", type=parse_location)
    if json:
        parser.add_argument("--json", action="store_true")
    return parser


# -- argument types ----------------------------------------------------------------------------------


def iso_date(text: str) -> date:
    """Read a YYYY-MM-DD date argument."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def row_number(text: str) -> int:
    """Read a 1-based row number argument."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a row number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is not a row number; rows start at 1")
    return number


def categories(text: str) -> tuple[Category, ...]:
    """Read a comma-separated list of Trust Services Categories."""
    chosen = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            chosen.append(Category.parse(part))
        except ValueError:
            names = ", ".join(c.cli_name for c in Category)
            raise argparse.ArgumentTypeError(f"{part!r} is not a category; use {names}") from None
    return tuple(chosen)


def id_list(text: str) -> frozenset[str]:
    """Read a comma- or semicolon-separated list of references."""
    return frozenset(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


def criteria_list(text: str) -> frozenset[str]:
    """Read a comma-separated list of criterion IDs (CC6.1, cc6.1 ...), normalised."""
    from workbench.domain.catalog import normalize_criterion_id

    found = set()
    for part in id_list(text):
        criterion = normalize_criterion_id(part)
        if criterion is None:
            raise argparse.ArgumentTypeError(f"{part!r} is not a criterion ID such as CC6.1")
        found.add(criterion)
    return frozenset(found)


def first_line(path: Path, what: str, empty: str) -> str:
    """Return the first line of a secret's file (`what`: "passphrase file"); `empty` says why an empty one fails."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(str(path), f"cannot read the {what} ({exc})") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise UserError(str(path), empty)
    return lines[0]


def existing_file(path: Path) -> Path:
    """Return the path when it names a file; raise UserError saying it does not exist, or is not a file."""
    if not path.is_file():
        raise UserError(str(path), "the file does not exist" if not path.exists() else "is not a file")
    return path


# -- output and projects -----------------------------------------------------------------------------


def print_json(document: Any) -> None:
    """Print one JSON document on stdout (the text json.dump(document, indent=2) writes, written at once)."""
    from workbench.cli.pretty_json import dumps

    sys.stdout.write(dumps(document) + "\n")


def terminal_prompt(project: Path, error: KeyRequiredError) -> str | None:
    """Ask for an encrypted project's passphrase on the terminal; None when not attached to one."""
    import getpass

    if not sys.stdin.isatty():
        return None
    print(error.why, file=sys.stderr)
    return getpass.getpass(f"Passphrase for {project.name}: ") or None


def open_location(location: Path | ServerAddress | str, **options: Any) -> OpenProject:
    """Open the project a command names, asking on the terminal for a passphrase its key needs."""
    from workbench.services.session import open_project

    return open_project(location, prompt=terminal_prompt, **options)


def on_project(args: argparse.Namespace, use: Callable[..., T], *params: Any, **options: Any) -> T:
    """Open the project the command names, return `use(project, *params, **options)` and close the project."""
    with open_location(args.project) as project:
        return use(project, *params, **options)
