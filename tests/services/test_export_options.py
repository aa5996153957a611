"""The export's date range keeps evidence by the days it reflects, not the day it happened to be received."""

from __future__ import annotations

from datetime import date

from workbench.domain.entities import Evidence
from workbench.services.exports.snapshot import ExportOptions

PERIOD = ExportOptions(collected_from=date(2026, 1, 1), collected_to=date(2026, 6, 30))


def _evidence(collected: date | None = None, start: date | None = None, end: date | None = None) -> Evidence:
    return Evidence(id=1, control_ref="AC-1", title="t", filename="t.csv", sha256="0" * 64, size=1,
                    media_type="text/csv", collected_on=collected, period_start=start, period_end=end)


def test_evidence_of_the_period_received_after_it_ends_is_kept() -> None:
    assert PERIOD.keeps_evidence(_evidence(date(2026, 7, 20), date(2026, 4, 1), date(2026, 6, 30)))


def test_evidence_reflecting_days_outside_the_range_is_left_out_whenever_received() -> None:
    assert not PERIOD.keeps_evidence(_evidence(date(2026, 3, 1), date(2025, 10, 1), date(2025, 10, 31)))
    assert not PERIOD.keeps_evidence(_evidence(date(2026, 7, 1)))


def test_a_range_reaching_into_the_dates_and_undated_evidence_are_kept() -> None:
    assert PERIOD.keeps_evidence(_evidence(start=date(2025, 12, 1), end=date(2026, 1, 31)))
    assert PERIOD.keeps_evidence(_evidence())
    assert "evidence reflecting 2026-01-01 to 2026-06-30" in PERIOD.covers("open")
