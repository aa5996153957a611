"""Guards an auditor expects, in `status`: common criteria not applicable, met with no control, odd periods."""

from __future__ import annotations

from datetime import date

from workbench.domain.entities import ProjectSettings
from workbench.domain.enums import AssessmentStatus, Category, ReportType
from workbench.services.guards import project_warnings


def _settings(start: date, end: date) -> ProjectSettings:
    return ProjectSettings("Acme", "Cloud", ReportType.TYPE2, (Category.SECURITY,), start, end)


def test_a_common_criterion_not_applicable_and_a_met_one_without_controls_warn() -> None:
    warnings = project_warnings(_settings(date(2026, 1, 1), date(2026, 6, 30)),
                                {"CC6.4": AssessmentStatus.NOT_APPLICABLE, "A1.2": AssessmentStatus.NOT_APPLICABLE,
                                 "CC1.1": AssessmentStatus.MET, "CC2.1": AssessmentStatus.MET}, {"CC2.1"})
    assert [w.step for w in warnings] == [2, 2]
    assert warnings[0].text.startswith("CC6.4 marked not applicable") and "A1.2" not in warnings[0].text
    assert warnings[1].text.startswith("CC1.1 marked met with no control")


def test_a_type2_period_shorter_than_3_or_longer_than_12_months_warns() -> None:
    assert project_warnings(_settings(date(2026, 1, 1), date(2026, 6, 30)), {}, ()) == []
    assert project_warnings(_settings(date(2026, 1, 1), date(2026, 3, 31)), {}, ()) == []
    assert project_warnings(_settings(date(2026, 1, 1), date(2026, 12, 31)), {}, ()) == []
    assert "shorter" in project_warnings(_settings(date(2026, 1, 1), date(2026, 2, 28)), {}, ())[0].text
    assert "longer" in project_warnings(_settings(date(2026, 1, 1), date(2027, 3, 31)), {}, ())[0].text
