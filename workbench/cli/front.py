"""The command line's front: the parser of every command family, and main(), which runs a command."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from workbench import APP_NAME, __version__
from workbench.cli.common import EXIT_USER_ERROR, Commands, Parser, print_error
from workbench.domain.errors import WorkbenchError

# The command families by module name under workbench/cli/, imported when a parser is built: `workbench gui`
# builds only its own, so the window opens without loading the others.
FAMILIES = ("gui", "project", "controls", "templates", "exports", "plan", "evidence", "period", "testing", "register",
            "auditor_requests", "safety", "team", "description", "engagement")
# Commands whose family alone builds their parser: an import starts reading its file the sooner.
_OWN_FAMILY = {"gui": "gui", "import-controls": "register", "import-requests": "register", "register": "register"}


def build_parser(families: Sequence[str] = FAMILIES) -> argparse.ArgumentParser:
    """Return the argument parser for the commands of these families, named as in FAMILIES (default: all)."""
    parser = Parser(prog="workbench", description=f"{APP_NAME}: the offline road to a SOC 2 report.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    commands = Commands(parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser))
    for family in families:
        importlib.import_module(f"workbench.cli.{family}").add_commands(commands)
    return parser


def _warn_about_place(args: argparse.Namespace) -> None:
    """Warn once on stderr when the project lives in a synced folder or beside a conflicted copy of itself.

    `gui` leaves it to the window, which warns as it opens the project, after its first paint (app.py).
    """
    project = getattr(args, "project", None)
    if args.command == "gui" or not isinstance(project, Path) or not project.exists():
        return
    from workbench.services.risky_places import place_warnings

    for text in place_warnings(project):
        print(f"warning: {text}", file=sys.stderr)


def _read_ahead(arguments: Sequence[str], *, fork: bool) -> None:
    """Start reading an import's workbook before the parser is built: its reading child parses the file meanwhile.

    Each argument of an import that names a workbook is offered (readers.start_reading ignores anything else); the
    command takes the child of its source, and one nobody takes (the arguments were wrong) ends with the program.
    `fork`: the command line is this process's own, which runs nothing else yet: the child may be forked (forked.py).
    """
    from workbench.services.importers.readers import start_reading

    for argument in arguments:
        if not argument.startswith("-"):
            start_reading(argument, fork=fork)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 2 a problem the user can fix, 1 a bug)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    # `workbench gui` needs only its own parser (the window opens sooner without building every command's), and an
    # import only the registers' (it starts reading its file the sooner).
    own = _OWN_FAMILY.get(arguments[0]) if arguments else None
    if arguments[:1] in (["import-controls"], ["import-requests"]) or arguments[:2] == ["register", "import"]:
        _read_ahead(arguments[1:], fork=argv is None)
    args = build_parser((own,) if own else FAMILIES).parse_args(arguments)
    handler = getattr(args, "handler", None)
    if handler is None:
        print_error("workbench : name a command (see workbench --help)")
        return EXIT_USER_ERROR
    # A quick-exit command in its own process may leave what it made to the system (gc.freeze) once it is done with it.
    args.process_ends = argv is None and getattr(args, "quick_exit", False)
    try:
        _warn_about_place(args)
        return handler(args)
    except WorkbenchError as exc:
        print_error(str(exc))
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print_error("workbench : interrupted")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`| head`): stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        if args.process_ends:
            # The process ends now: its last garbage collections would walk every object the command made (an
            # import's, a tenth of a second) for nothing. Frozen, they are left to the system, as a process's are.
            import gc

            gc.freeze()
