"""`workbench gui`: hand over to the desktop program (app.py), or save a picture of its window."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from workbench.cli.common import Commands, UserError, print_error
from workbench.domain.location import parse_location

PAGES = ("dashboard", "scope", "assessment", "controls", "evidence", "audit", "report", "timeline")


def no_display() -> bool:
    """Return True on a Linux or BSD machine without a display server for Qt to talk to."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_gui(args: argparse.Namespace) -> int:
    """Open the main window (on a project and page); with --screenshot, save a picture of it and exit."""
    if no_display():
        if args.screenshot is None:
            raise UserError("workbench gui", "no display to open a window on (DISPLAY and WAYLAND_DISPLAY are "
                                             "unset); run it in a desktop session, or use --screenshot")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a picture needs no screen
    if args.screenshot is not None and args.project is None and args.page != "dashboard":
        raise UserError(f"--page {args.page}", "needs a project to show")
    from workbench import app

    if not app.xml_is_guarded():
        raise UserError("defusedxml", "not installed; reinstall SOC 2 Workbench with its dependencies")
    return app.run_gui(args.project, page=args.page, screenshot=args.screenshot, report=print_error)


def add_commands(commands: Commands) -> None:
    """Add `gui`."""
    gui = commands.command("gui", cmd_gui, "open the desktop program")
    gui.add_argument("project", nargs="?", type=parse_location, help="project file to open")
    gui.add_argument("--page", choices=PAGES, default="dashboard", help="page to show first")
    gui.add_argument("--screenshot", type=Path, metavar="OUT.png", help="save a picture of the window and exit")
