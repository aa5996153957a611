"""Guards an auditor expects: judgements and periods that are practically always mistakes, pointed out as warnings."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import NamedTuple

from workbench.domain.entities import ProjectSettings
from workbench.domain.enums import AssessmentStatus, ReportType
from workbench.domain.period import Period

MIN_MONTHS, MAX_MONTHS = 3, 12


class AuditorWarning(NamedTuple):
    """One thing an auditor would question, and the step where it is put right."""

    step: int
    text: str


def _common(criterion_id: str) -> bool:
    return criterion_id.startswith("CC")


def project_warnings(settings: ProjectSettings, statuses: Mapping[str, AssessmentStatus],
                     covered: Collection[str]) -> list[AuditorWarning]:
    """Return the warnings: common criteria marked not applicable, criteria met with no control, odd periods."""
    warnings: list[AuditorWarning] = []
    not_applicable = sorted(c for c, s in statuses.items() if s is AssessmentStatus.NOT_APPLICABLE and _common(c))
    if not_applicable:
        warnings.append(AuditorWarning(2, f"{', '.join(not_applicable)} marked not applicable: the common criteria "
                                          "practically always apply; an auditor will ask why"))
    unsupported = sorted(c for c, s in statuses.items() if s is AssessmentStatus.MET and c not in covered)
    if unsupported:
        warnings.append(AuditorWarning(2, f"{', '.join(unsupported)} marked met with no control mapped: map the "
                                          "controls that meet them"))
    if settings.report_type is ReportType.TYPE2 and settings.period_start and settings.period_end \
            and settings.period_end >= settings.period_start:
        months = Period(settings.period_start, settings.period_end).months()
        if months < MIN_MONTHS - 0.05:
            warnings.append(AuditorWarning(1, f"the Type II period is {months:.1f} months: shorter than the "
                                              f"{MIN_MONTHS} months auditors accept"))
        elif months > MAX_MONTHS + 0.05:
            warnings.append(AuditorWarning(1, f"the Type II period is {months:.1f} months: longer than the "
                                              f"{MAX_MONTHS} months a report covers"))
    return warnings
