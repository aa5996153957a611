"""The user guide in resources/help: a section and a current screenshot for every page, made by one script."""

from __future__ import annotations

import re
import subprocess
import sys

from PIL import Image

from tests import pictures
from workbench.domain.enums import AssessmentStatus
from workbench.paths import resources_dir
from workbench.ui.help_window import guide_path, image_references, section_anchors
from workbench.ui.main_window import PAGES
from workbench.ui.palette import STATUS_COLOURS

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
    listed = re.search(r"^PAGES = \((.*?)\)$", source, flags=re.MULTILINE | re.DOTALL)  # one line or several
    assert listed is not None
    assert re.findall(r'"([a-z]+)"', listed.group(1)) == [page.name for page in PAGES]


IMPLEMENTED = pictures.rgb(STATUS_COLOURS[AssessmentStatus.MET].name())  # an implemented control's square


def test_the_script_makes_the_welcome_and_a_page_picture_from_the_sample(tmp_path):
    out = tmp_path / "images"
    result = subprocess.run([sys.executable, str(SCRIPT), "--shots", "welcome", "controls", "--out", str(out),
                             "--data-dir", str(tmp_path / "data")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.iterdir()) == ["controls.png", "welcome.png"]
    shots: dict[str, Image.Image] = {}
    for name in ("welcome", "controls"):
        with Image.open(out / f"{name}.png") as image:
            assert image.size == (1280, 820) and image.mode == "P"
            shots[name] = image.convert("RGB")
    welcome, controls = shots["welcome"], shots["controls"]
    # Welcome: no project, so no page is selected; the introduction and the six steps are written out.
    assert pictures.selected_entry(welcome) is None
    assert pictures.text_lines(welcome, pictures.upper_content(welcome)) >= 8
    assert pictures.squares(welcome, IMPLEMENTED) == 0
    # Controls: its entry is the one selected, and the table lists the sample's controls, most of them
    # implemented, each with its green square in the status column.
    assert pictures.selected_entry(controls) == [page.name for page in PAGES].index("controls")
    assert pictures.squares(controls, IMPLEMENTED) >= 10
    # A blank picture passes for neither.
    blank = Image.new("RGB", welcome.size, (239, 239, 239))
    assert pictures.selected_entry(blank) is None
    assert pictures.text_lines(blank, pictures.upper_content(blank)) == 0
    assert pictures.squares(blank, IMPLEMENTED) == 0
    # A data folder the script did not make is never emptied.
    foreign = tmp_path / "someone-elses"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    refused = subprocess.run([sys.executable, str(SCRIPT), "--shots", "welcome", "--out", str(out),
                              "--data-dir", str(foreign)], capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "not made by this script" in refused.stderr
    assert (foreign / "keep.txt").read_text() == "mine"
