"""Guards an auditor expects: judgements and periods that are practically always mistakes, pointed out as warnings."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from workbench.domain.entities import ProjectSettings
from workbench.domain.enums import AssessmentStatus, ReportType
from workbench.domain.period import Period

MIN_MONTHS, MAX_MONTHS = 3, 12


def _common(criterion_id: str) -> bool:
    return criterion_id.startswith("CC")


def project_warnings(settings: ProjectSettings, statuses: Mapping[str, AssessmentStatus],
                     covered: Collection[str]) -> list[str]:
    """Return the warnings: common criteria marked not applicable, criteria met with no control, odd periods."""
    warnings: list[str] = []
    not_applicable = sorted(c for c, s in statuses.items() if s is AssessmentStatus.NOT_APPLICABLE and _common(c))
    if not_applicable:
        warnings.append(f"{', '.join(not_applicable)} marked not applicable: the common criteria practically always "
                        "apply; an auditor will ask why")
    unsupported = sorted(c for c, s in statuses.items() if s is AssessmentStatus.MET and c not in covered)
    if unsupported:
        warnings.append(f"{', '.join(unsupported)} marked met with no control mapped: map the controls that meet "
                        "them")
    if settings.report_type is ReportType.TYPE2 and settings.period_start and settings.period_end \
            and settings.period_end >= settings.period_start:
        months = Period(settings.period_start, settings.period_end).months()
        if months < MIN_MONTHS - 0.05:
            warnings.append(f"the Type II period is {months:.1f} months: shorter than the {MIN_MONTHS} months "
                            "auditors accept")
        elif months > MAX_MONTHS + 0.05:
            warnings.append(f"the Type II period is {months:.1f} months: longer than the {MAX_MONTHS} months a "
                            "report covers")
    return warnings
