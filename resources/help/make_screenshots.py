"""Make the user guide's screenshots from the sample project, so the pictures always show the program as it is.

    python resources/help/make_screenshots.py                      every picture, into resources/help/images
    python resources/help/make_screenshots.py --shots welcome controls --out /tmp/shots

Each picture is one run of `workbench gui sample_projects/brightpath-analytics.soc2 --page PAGE --screenshot OUT`
(and, for welcome.png, `workbench gui --screenshot OUT` without a project), offscreen, with fresh per-user data
in a fixed folder: the window has its default size (1280 x 820), no recent files and no remembered geometry, so
the same program makes the same pictures. The PNGs are then reduced to 256 colours to keep the repository small.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

HELP_DIR = Path(__file__).resolve().parent
REPO = HELP_DIR.parent.parent
SAMPLE = REPO / "sample_projects" / "brightpath-analytics.soc2"
WELCOME = "welcome"
PAGES = ("dashboard", "scope", "assessment", "controls", "evidence", "audit", "report", "registers", "policies",
         "findings", "timeline")
SHOTS = (WELCOME, *PAGES)
DEFAULT_DATA_DIR = Path(tempfile.gettempdir()) / "soc2-workbench-guide"
MARKER = "made-by-make_screenshots"
ATTEMPTS = 3
TIMEOUT_S = 180


def _command(shot: str, target: Path) -> list[str]:
    command = [sys.executable, "-m", "workbench", "gui"]
    if shot != WELCOME:
        command += [str(SAMPLE), "--page", shot]
    return [*command, "--screenshot", str(target)]


def take(shot: str, target: Path, data_dir: Path) -> None:
    """Run the program once for one picture; a failed run is tried again, and reported."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "1", "WORKBENCH_DATA_DIR": str(data_dir)}
    env.pop("WORKBENCH_RESOURCES", None)
    for attempt in range(1, ATTEMPTS + 1):
        target.unlink(missing_ok=True)
        result = subprocess.run(_command(shot, target), capture_output=True, text=True, env=env, cwd=REPO,
                                timeout=TIMEOUT_S)
        if result.returncode == 0 and target.is_file():
            return
        print(f"{shot}: workbench gui exited with status {result.returncode} (attempt {attempt} of {ATTEMPTS})"
              f"{': ' + result.stderr.strip() if result.stderr.strip() else ''}", file=sys.stderr)
    raise SystemExit(f"error: {shot} : no picture after {ATTEMPTS} attempts")


def optimise(source: Path, target: Path) -> None:
    """Write `source` to `target` as a 256-colour PNG (screens of a program use few colours)."""
    with Image.open(source) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                                dither=Image.Dither.NONE)
        reduced.save(target, optimize=True)


def _fresh(data_dir: Path) -> None:
    """Empty the data folder of an earlier run; refuse a folder this script did not make."""
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / MARKER).is_file():
            raise SystemExit(f"error: {data_dir} : not made by this script; choose an empty or new --data-dir")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / MARKER).write_text("per-user data for resources/help/make_screenshots.py; safe to delete\n")


def make(shots: list[str], out: Path, data_dir: Path) -> list[Path]:
    """Make the named pictures in `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    _fresh(data_dir)
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        for shot in shots:
            # The welcome screen comes from its own empty data folder, so no recent projects show on it.
            raw = Path(scratch) / f"{shot}.png"
            take(shot, raw, data_dir / ("welcome" if shot == WELCOME else "pages"))
            optimise(raw, out / f"{shot}.png")
            made.append(out / f"{shot}.png")
            print(out / f"{shot}.png")
    return made


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and make the pictures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", nargs="+", choices=SHOTS, default=list(SHOTS), metavar="SHOT",
                        help=f"which pictures to make (default: all of {', '.join(SHOTS)})")
    parser.add_argument("--out", type=Path, default=HELP_DIR / "images", help="folder for the PNGs")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                        help="per-user data folder for the runs, emptied first if this script made it "
                             "(default: %(default)s)")
    args = parser.parse_args(argv)
    make(args.shots, args.out, args.data_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
