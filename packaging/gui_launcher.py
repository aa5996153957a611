"""Entry point of the windowed launcher (Windows and macOS): `workbench gui [PROJECT]` without a console."""

import sys

from workbench_launcher import run

if __name__ == "__main__":
    sys.exit(run(sys.argv[1:], gui=True))
