"""The `workbench` command line: one module per command family over cli/common.py; cli/front.py runs them."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 2 a problem the user can fix, 1 a bug)."""
    from workbench.cli.front import main as run  # loaded on use, so no module of cli/ imports its own front

    return run(argv)
