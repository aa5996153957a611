"""State colours reach WCAG AA (4.5:1) for every pair of text and background the program draws."""

from __future__ import annotations

import pytest

from workbench.domain.enums import AssessmentStatus
from workbench.domain.palette import (
    AA_TEXT,
    ACCENT_TONE,
    DARK_BACKGROUNDS,
    DARK_TEXT,
    LIGHT_BACKGROUNDS,
    LIGHT_TEXT,
    STATE_ORDER,
    TONES,
    contrast,
    ink_on,
)


def test_contrast_matches_the_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#123456", "#123456") == pytest.approx(1.0)


def test_every_state_has_a_tone_and_a_place_in_the_order():
    assert set(TONES) == set(AssessmentStatus) == set(STATE_ORDER)


TONE_NAMES = [*(s.value for s in AssessmentStatus), "accent"]
ALL_TONES = [*(TONES[s] for s in AssessmentStatus), ACCENT_TONE]


@pytest.mark.parametrize("tone", ALL_TONES, ids=TONE_NAMES)
def test_state_words_read_on_every_light_and_dark_background(tone):
    for background in LIGHT_BACKGROUNDS:
        assert contrast(tone.text(dark=False), background) >= AA_TEXT, (tone.text(dark=False), background)
    for background in DARK_BACKGROUNDS:
        assert contrast(tone.text(dark=True), background) >= AA_TEXT, (tone.text(dark=True), background)


@pytest.mark.parametrize("tone", ALL_TONES, ids=TONE_NAMES)
def test_words_on_a_state_fill_and_on_its_row_tints_read(tone):
    assert contrast(ink_on(tone.fill), tone.fill) >= AA_TEXT
    for text in LIGHT_TEXT:
        assert contrast(text, tone.tint(dark=False)) >= AA_TEXT, (text, tone.tint_light)
    for text in DARK_TEXT:
        assert contrast(text, tone.tint(dark=True)) >= AA_TEXT, (text, tone.tint_dark)
