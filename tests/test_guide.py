"""The user guide in resources/help: a section and a current screenshot for every page, made by one script."""

from __future__ import annotations

import re
import subprocess
import sys

from PIL import Image

from workbench.paths import resources_dir
from workbench.ui.help_window import guide_path, image_references, section_anchors
from workbench.ui.main_window import PAGES

HELP = resources_dir() / "help"
SCRIPT = HELP / "make_screenshots.py"
SECTIONS = ["welcome", *(page.name for page in PAGES)]


def _guide() -> str:
    return guide_path().read_text(encoding="utf-8")


def _sections() -> dict[str, str]:
    """Return {anchor name: the text up to the next anchor}."""
    parts = re.split(r'^<a id="([a-z0-9-]+)"></a>$', _guide(), flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_image_the_guide_refers_to_exists_and_is_a_png():
    references = image_references(_guide())
    assert references
    for reference in references:
        path = HELP / reference
        assert path.is_file(), f"the guide shows {reference}, which is missing"
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == (1280, 820)
        assert path.stat().st_size < 250_000, f"{reference} should be an optimised PNG"


def test_every_page_has_its_section_with_its_screenshot():
    sections = _sections()
    assert set(SECTIONS) | {"import", "exports", "team"} <= set(sections)
    for name in SECTIONS:
        assert f"](images/{name}.png)" in sections[name], f"the {name} section lacks images/{name}.png"
    steps = [page for page in PAGES if page.step is not None]
    for page in steps:
        assert sections[page.name].lstrip().startswith(f"## Step {page.step}: ")
    # every link inside the guide leads to a section that exists
    for target in re.findall(r"\]\(#([a-z0-9-]+)\)", _guide()):
        assert target in sections


def test_section_anchors_reads_the_marks_above_headings():
    text = '<a id="one"></a>\n\n## First\n\ntext\n\n## Unmarked\n\n```\n<a id="two"></a>\n## Not a heading\n```\n'
    assert section_anchors(text) == {"First": "one"}
    assert section_anchors(_guide())["Step 3: Implement controls"] == "controls"


def test_the_script_knows_every_page():
    source = SCRIPT.read_text(encoding="utf-8")
    listed = re.search(r"^PAGES = \((.*)\)$", source, flags=re.MULTILINE)
    assert listed is not None
    assert re.findall(r'"([a-z]+)"', listed.group(1)) == [page.name for page in PAGES]


# What a picture shows, found without reading its text, so that it holds whatever fonts the machine has. The
# window has its default size, and its navigation list a fixed width (MainWindow: setMinimumWidth, setSizes).
NAVIGATION_RIGHT = 250  # the list's frame is its last column
IMPLEMENTED = (0x2E, 0x7D, 0x32)  # workbench.ui.palette.STATUS_COLOURS[MET]: an implemented control's square


def _blue(pixel: tuple[int, int, int]) -> bool:
    """Return True for the selection highlight (the Fusion style's blue)."""
    return pixel[2] - pixel[0] >= 80


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
    return sum(abs(a - b) for a, b in zip(pixel, colour, strict=True)) <= 45


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Return [first, last] of each run of consecutive numbers in a sorted list."""
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return [(first, last) for first, last in runs]


def _selected_entry(image: Image.Image) -> int | None:
    """Return which entry of the navigation list is shown selected (0: the first), or None when none is.

    The selection is a band of highlight the height of one entry and the width of the list; counted in entry
    heights from the top of the list, its position gives the entry, whatever the height of a line of text.
    """
    pixels = image.convert("RGB").load()
    edge = NAVIGATION_RIGHT - 3  # inside the list, right of where any title can reach
    column = [pixels[edge, y] for y in range(image.height)]
    band = _runs([y for y, pixel in enumerate(column) if _blue(pixel)])
    inside = [y for y, pixel in enumerate(column) if _blue(pixel) or min(pixel) >= 250]
    if len(band) != 1 or not inside:
        return None
    top, bottom = band[0][0], band[0][1] + 1
    across = [pixels[x, top] for x in range(4, edge)]
    if sum(map(_blue, across)) < 0.9 * len(across):  # not a band across the list
        return None
    entries = (top - inside[0]) / (bottom - top)
    return round(entries) if abs(entries - round(entries)) < 0.15 else None


def _status_squares(image: Image.Image, colour: tuple[int, int, int]) -> int:
    """Return how many squares of a status colour the page right of the navigation shows, one above another."""
    pixels = image.convert("RGB").load()
    starts: dict[int, int] = {}
    for y in range(image.height):
        line = [x for x in range(NAVIGATION_RIGHT, image.width) if _near(pixels[x, y], colour)]
        if len(line) >= 5:
            starts[y] = line[0]
    squares = _runs(sorted(starts))
    columns = [starts[first] for first, _last in squares]
    return max((sum(abs(x - column) <= 1 for x in columns) for column in columns), default=0)


def _text_lines(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Return how many lines of text (or other marks) stand out from the background in a box of the picture."""
    region = image.convert("L").crop(box)
    background = max(range(256), key=region.histogram().__getitem__)
    pixels = region.load()
    marked = [y for y in range(region.height)
              if any(abs(pixels[x, y] - background) > 60 for x in range(region.width))]
    lines = _runs(marked)
    # Pieces of one line (an accent, a descender) come within a few pixels of each other; lines do not.
    return sum(1 for i, line in enumerate(lines) if i == 0 or line[0] - lines[i - 1][1] > 4)


def _content(image: Image.Image) -> tuple[int, int, int, int]:
    """Return the box right of the navigation, down to the middle of the window (the welcome's text)."""
    return NAVIGATION_RIGHT + 10, 25, image.width - 10, image.height // 2


def test_the_script_makes_the_welcome_and_a_page_picture_from_the_sample(tmp_path):
    out = tmp_path / "images"
    result = subprocess.run([sys.executable, str(SCRIPT), "--shots", "welcome", "controls", "--out", str(out),
                             "--data-dir", str(tmp_path / "data")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.iterdir()) == ["controls.png", "welcome.png"]
    pictures: dict[str, Image.Image] = {}
    for name in ("welcome", "controls"):
        with Image.open(out / f"{name}.png") as image:
            assert image.size == (1280, 820) and image.mode == "P"
            pictures[name] = image.convert("RGB")
    welcome, controls = pictures["welcome"], pictures["controls"]
    # Welcome: no project, so no page is selected; the introduction and the six steps are written out.
    assert _selected_entry(welcome) is None
    assert _text_lines(welcome, _content(welcome)) >= 8
    assert _status_squares(welcome, IMPLEMENTED) == 0
    # Controls: its entry is the one selected, and the table lists the sample's controls, most of them
    # implemented, each with its green square in the status column.
    assert _selected_entry(controls) == [page.name for page in PAGES].index("controls")
    assert _status_squares(controls, IMPLEMENTED) >= 10
    # A blank picture passes for neither.
    blank = Image.new("RGB", welcome.size, (239, 239, 239))
    assert _selected_entry(blank) is None and _text_lines(blank, _content(blank)) == 0
    assert _status_squares(blank, IMPLEMENTED) == 0
    # A data folder the script did not make is never emptied.
    foreign = tmp_path / "someone-elses"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    refused = subprocess.run([sys.executable, str(SCRIPT), "--shots", "welcome", "--out", str(out),
                              "--data-dir", str(foreign)], capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "not made by this script" in refused.stderr
    assert (foreign / "keep.txt").read_text() == "mine"
