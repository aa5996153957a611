"""`workbench gui`: hand over to the desktop program (app.py), or save a picture of its window."""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from pathlib import Path

from workbench.cli.common import Commands, UserError, print_error
from workbench.domain.location import parse_location

PAGES = ("dashboard", "scope", "assessment", "controls", "evidence", "audit", "report", "registers", "policies",
         "findings", "timeline")
SIZE_LIMITS = ((400, 300), (10_000, 10_000))  # the smallest and largest WIDTHxHEIGHT accepted


def window_size(text: str) -> tuple[int, int]:
    """Read a WIDTHxHEIGHT window size argument, such as 1280x820."""
    match = re.fullmatch(r"(\d{1,6})[xX](\d{1,6})", text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size in the form WIDTHxHEIGHT, such as 1280x820")
    size = int(match.group(1)), int(match.group(2))
    (low_w, low_h), (high_w, high_h) = SIZE_LIMITS
    if not (low_w <= size[0] <= high_w and low_h <= size[1] <= high_h):
        raise argparse.ArgumentTypeError(f"{text} is outside {low_w}x{low_h} to {high_w}x{high_h}")
    return size


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
    # Start-up makes many lasting objects and little garbage: no collections while it runs. The window's worker
    # takes collection over on the GUI thread (ui/operations.py) once the window is drawn.
    gc.disable()
    from workbench import app

    if not app.xml_is_guarded():
        raise UserError("defusedxml", "not installed; reinstall SOC 2 Workbench with its dependencies")
    if args.tab is not None and args.screenshot is None:
        raise UserError(f"--tab {args.tab}", "picks the tab of a screenshot; add --screenshot OUT.png")
    code = app.run_gui(args.project, page=args.page, screenshot=args.screenshot, size=args.size, tab=args.tab,
                       report=print_error)
    app.end_process(code)  # the window is closed and the project too: skip Python's teardown


def add_commands(commands: Commands) -> None:
    """Add `gui`."""
    gui = commands.command("gui", cmd_gui, "open the desktop program")
    gui.add_argument("project", nargs="?", type=parse_location, help="project file to open")
    gui.add_argument("--page", choices=PAGES, default="dashboard", help="page to show first")
    gui.add_argument("--screenshot", type=Path, metavar="OUT.png", help="save a picture of the window and exit")
    gui.add_argument("--tab", metavar="TAB", help="with --screenshot: the page's tab whose title starts so, "
                                                  "e.g. --page evidence --tab 'type ii'")
    gui.add_argument("--size", type=window_size, metavar="WIDTHxHEIGHT",
                     help="the window's size (default: as it was last), e.g. 1280x820 for a screenshot")
