"""The program's colours with a meaning, as "#rrggbb" text: states, the steps of the road and the plan's marks.

One definition for the GUI (workbench/ui/palette.py wraps these in QColors), the Gantt and every PDF. A state
has a fill (swatches, bars, calendar cells, the same on every palette and on paper), a colour for words on a
light background and one for words on a dark background, and a pale tint for a row on each; every pair of
text and background the program draws reaches WCAG AA (4.5:1), which tests/domain/test_palette.py checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.enums import AssessmentStatus

BLACK, WHITE = "#000000", "#ffffff"
AA_TEXT = 4.5  # WCAG 2 level AA, normal text


@dataclass(frozen=True, slots=True)
class Tone:
    """The colours of one state: its fill, its words on light and on dark backgrounds, its row tints."""

    fill: str
    text_on_light: str
    text_on_dark: str
    tint_light: str  # the background of a row in this state, under a light palette's text
    tint_dark: str  # the same under a dark palette's text

    def text(self, dark: bool) -> str:
        """Return the colour of this state's words on a dark (True) or light background."""
        return self.text_on_dark if dark else self.text_on_light

    def tint(self, dark: bool) -> str:
        """Return the background of a row in this state on a dark (True) or light palette."""
        return self.tint_dark if dark else self.tint_light


TONES: dict[AssessmentStatus, Tone] = {
    AssessmentStatus.MET: Tone("#2e7d32", "#1b5e20", "#81c784", "#d8efd9", "#1f3d22"),
    AssessmentStatus.PARTIALLY_MET: Tone("#f2a900", "#7a5000", "#ffca28", "#fdf0c8", "#4d3b0c"),
    AssessmentStatus.GAP: Tone("#c62828", "#b71c1c", "#ef9a9a", "#f8d4d0", "#4a1f1c"),
    AssessmentStatus.NOT_APPLICABLE: Tone("#8d99a6", "#55606b", "#b0bec5", "#e4e8ec", "#33383d"),
    AssessmentStatus.NOT_ASSESSED: Tone("#cfd8dc", "#55606b", "#cfd8dc", "#eeeeee", "#3a3a3a"),
}

# Words and rows that point at something rather than judge it (an update an import would make).
ACCENT_TONE = Tone("#1f5fa8", "#1f5fa8", "#90caf9", "#dce6f2", "#1c2f45")

# The order states are listed and drawn in: best first, undecided last.
STATE_ORDER: tuple[AssessmentStatus, ...] = (
    AssessmentStatus.MET,
    AssessmentStatus.PARTIALLY_MET,
    AssessmentStatus.GAP,
    AssessmentStatus.NOT_APPLICABLE,
    AssessmentStatus.NOT_ASSESSED,
)

# One colour per step of the road (1..6): plan bars in the GUI's Gantt and in the printable timeline.
STEP_COLOURS: dict[int, str] = {
    1: "#5c6bc0",
    2: "#26a69a",
    3: "#ef8f00",
    4: "#7cb342",
    5: "#8e63b5",
    6: "#3f8fd2",
}
OTHER_STEP = "#999999"  # a task with no step
ACCENT = ACCENT_TONE.fill  # the observation window's outline, progress rings, highlighted header rows
CRITICAL = TONES[AssessmentStatus.GAP].fill  # the critical path's bars and links
CPA_MILESTONE = "#ad1457"
TODAY_LINE = "#e53935"
OBSERVATION_SHADE = "#dce6f2"  # the observation window on paper (the GUI lays ACCENT over the chart, see-through)
DEPENDENCY = "#787878"

# Backgrounds text is drawn on: the light and dark window, base and alternate-row colours of the usual desktop
# palettes (Qt's Fusion, Windows, macOS, KDE Breeze, GNOME Adwaita) and their tooltips.
LIGHT_BACKGROUNDS: tuple[str, ...] = ("#ffffff", "#f7f7f7", "#efefef", "#eff0f1", "#e6e6e6", "#ffffdc")
DARK_BACKGROUNDS: tuple[str, ...] = ("#141618", "#1e1e1e", "#202326", "#242424", "#2b2b2b", "#323232", "#3c3c3c")
LIGHT_TEXT: tuple[str, ...] = (BLACK, "#1a1a1a", "#232629")  # a light palette's words
DARK_TEXT: tuple[str, ...] = (WHITE, "#f0f0f0", "#e0e0e0", "#fcfcfc")  # a dark palette's words


def luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a "#rrggbb" colour (0 black, 1 white)."""
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_on(fill: str) -> str:
    """Return black or white, whichever reads better on `fill` (for words drawn on a state's colour)."""
    return BLACK if contrast(fill, BLACK) >= contrast(fill, WHITE) else WHITE


def step_colour(step: int | None) -> str:
    """Return the colour of a step of the road (grey for a task with none)."""
    return STEP_COLOURS.get(step or 0, OTHER_STEP)
