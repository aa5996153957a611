"""What a screenshot of the main window shows, found without reading its text, so it holds whatever the fonts.

The window has its default size (1280 x 820) and its navigation list a fixed width (MainWindow: setMinimumWidth
and setSizes); the offscreen platform draws with the Fusion style, whose selection highlight is blue. Colours of
the program's own (workbench.ui.palette) are drawn as given, so they are found by value; a picture reduced to 256
colours keeps them within a few units.
"""

from __future__ import annotations

from PIL import Image

NAVIGATION_RIGHT = 250  # the navigation list's frame is its last column


def rgb(colour: str) -> tuple[int, int, int]:
    """Return '#rrggbb' as a triple."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _blue(pixel: tuple[int, int, int]) -> bool:
    """Return True for the selection highlight."""
    return pixel[2] - pixel[0] >= 80


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
    return sum(abs(a - b) for a, b in zip(pixel, colour, strict=True)) <= 45


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Return (first, last) of each run of consecutive numbers in a sorted list."""
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return [(first, last) for first, last in runs]


def selected_entry(image: Image.Image) -> int | None:
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


def squares(image: Image.Image, colour: tuple[int, int, int]) -> int:
    """Return how many marks of one colour the page right of the navigation shows one above another.

    Marks count when they start at the same x (within a pixel): a column of status squares, say.
    """
    pixels = image.convert("RGB").load()
    starts: dict[int, int] = {}
    for y in range(image.height):
        line = [x for x in range(NAVIGATION_RIGHT, image.width) if _near(pixels[x, y], colour)]
        if len(line) >= 5:
            starts[y] = line[0]
    columns = [starts[first] for first, _last in _runs(sorted(starts))]
    return max((sum(abs(x - column) <= 1 for x in columns) for column in columns), default=0)


def bars(image: Image.Image, box: tuple[int, int, int, int], length: int = 20, height: int = 4) -> int:
    """Return how many coloured bars (at least `length` long and `height` high, any hue) lie in a box."""
    pixels = image.convert("RGB").load()
    left, top, right, bottom = box
    barred: list[int] = []
    for y in range(top, bottom):
        streak = 0
        for x in range(left, right):
            pixel = pixels[x, y]
            streak = streak + 1 if max(pixel) - min(pixel) >= 60 else 0
            if streak >= length:
                barred.append(y)
                break
    return sum(1 for first, last in _runs(barred) if last - first + 1 >= height)


def text_lines(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Return how many lines of text (or other marks) stand out from the background in a box of the picture."""
    region = image.convert("L").crop(box)
    background = max(range(256), key=region.histogram().__getitem__)
    pixels = region.load()
    marked = [y for y in range(region.height)
              if any(abs(pixels[x, y] - background) > 60 for x in range(region.width))]
    lines = _runs(marked)
    # Pieces of one line (an accent, a descender) come within a few pixels of each other; lines do not.
    return sum(1 for i, line in enumerate(lines) if i == 0 or line[0] - lines[i - 1][1] > 4)


def upper_content(image: Image.Image) -> tuple[int, int, int, int]:
    """Return the box right of the navigation, down to the middle of the window."""
    return NAVIGATION_RIGHT + 10, 25, image.width - 10, image.height // 2
