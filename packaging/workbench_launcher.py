"""Entry point of the bundled program: the `workbench` command line, and the GUI launcher's shared code."""

from __future__ import annotations

import contextlib
import runpy
import sys
from collections.abc import Sequence

# A frozen program has no interpreter behind `sys.executable -m MODULE`, yet the spreadsheet importer reads
# untrusted workbooks in a child started exactly that way (workbench/services/importers/readers.py). Only the
# modules named here may be run like that.
CHILD_MODULES = frozenset({"workbench.services.importers.isolated"})


def run_child_module(name: str, argv: Sequence[str]) -> int:
    """Run one of CHILD_MODULES as `python -m` would; return its exit status."""
    if name not in CHILD_MODULES:
        print(f"error: -m {name} : not a module this program runs", file=sys.stderr)
        return 2
    sys.argv = [name, *argv]
    for number, stream in ((1, "stdout"), (2, "stderr")):
        if getattr(sys, stream) is None:  # a windowed Windows program may start without them, even when piped
            with contextlib.suppress(OSError):
                setattr(sys, stream, open(number, "w", encoding="utf-8", closefd=False))  # noqa: SIM115
    try:
        runpy.run_module(name, run_name="__main__", alter_sys=True)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def run(argv: Sequence[str], *, gui: bool = False) -> int:
    """Run the program on these arguments; `gui` makes it the windowed launcher (every argument is a project)."""
    if len(argv) >= 2 and argv[0] == "-m":
        return run_child_module(argv[1], argv[2:])
    from workbench.cli import main

    if gui:
        # Old macOS passes a process serial number to programs started from the Finder; the window opens one file.
        projects = [arg for arg in argv if not arg.startswith("-psn_")]
        return main(["gui", *projects[:1]])
    return main(list(argv))


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
