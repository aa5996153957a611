"""One way of showing dates in the GUI: the user's locale, the month by name, in text and in date fields alike."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QLocale

from workbench.ui.dates import date_format, shown_date, shown_moment, shown_month, shown_period
from workbench.ui.fields import date_edit
from workbench.ui.import_models import shown_value
from workbench.ui.pages import audit_fields, controls_tasks, evidence_model

DAY = date(2026, 4, 3)


@pytest.fixture
def locale():
    """Set the user's locale for one test, and put the tests' own back afterwards."""
    before = QLocale()

    def use(name: str) -> None:
        QLocale.setDefault(QLocale(name))

    yield use
    QLocale.setDefault(before)


@pytest.mark.parametrize(("name", "expected"), [
    ("en_GB", "3 Apr 2026"), ("en_US", "Apr 3, 2026"), ("de_DE", "3. Apr. 2026"), ("ja_JP", "2026年4月3日"),
    ("ar_SA", "٣ أبريل ٢٠٢٦"), ("ko_KR", "2026년 4월 3일"),
])
def test_a_date_reads_as_the_locale_writes_it_without_the_weekday(locale, name, expected):
    locale(name)
    assert shown_date(DAY) == expected
    assert all(letter in date_format() for letter in "dMy") and "dddd" not in date_format()


def test_every_page_helper_and_every_date_field_show_the_same_form(qtbot, locale):
    locale("en_US")
    assert {audit_fields.format_date(DAY), controls_tasks.format_date(DAY), evidence_model.format_date(DAY),
            shown_value(DAY)} == {"Apr 3, 2026"}
    assert evidence_model.format_period(DAY, date(2026, 4, 30)) == "Apr 3, 2026 – Apr 30, 2026"
    field = date_edit(DAY)
    qtbot.addWidget(field)
    assert field.displayFormat() == date_format() and field.text() == "Apr 3, 2026"
    assert shown_period(None, None, "not set") == "not set" and shown_date(None) == ""


def test_moments_and_months(locale):
    locale("en_GB")
    assert shown_moment(datetime(2026, 4, 3, 14, 5, tzinfo=UTC).astimezone().replace(hour=14, minute=5)) == \
        "3 Apr 2026 14:05"
    assert shown_month(DAY) == "April 2026" and shown_month(DAY, year=False) == "Apr"
    locale("ru_RU")
    assert shown_month(DAY) == "апрель 2026"  # the month's own name, not the form it takes after a day
