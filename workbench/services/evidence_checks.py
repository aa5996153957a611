"""What is pointed out (never refused) when evidence is added: a future date, a second copy, a Type II item undated,
an empty file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from workbench.domain.entities import Evidence
from workbench.domain.enums import ReportType
from workbench.domain.period import PeriodFit, reflected_days
from workbench.services.period import evidence_period_fit, project_period
from workbench.services.session import OpenProject


def evidence_warnings(project: OpenProject, added: Sequence[Evidence], today: date | None = None
                      ) -> dict[int, list[str]]:
    """Return {evidence id: warnings} for items just added (an item with nothing to say is left out)."""
    today = today or project.now().date()
    with project.uow() as uow:
        settings = uow.settings.get()
        controls = {e.control_ref for e in added}
        others = [e for ref in controls for e in uow.evidence.list(ref)]
    period = project_period(settings)
    result: dict[int, list[str]] = {}
    for item in added:
        found: list[str] = []
        if item.size == 0:
            found.append("the file is empty (0 bytes): it cannot show the control operating")
        days = reflected_days(item.period_start, item.period_end, item.collected_on)
        if days is not None and days[1] > today:
            found.append(f"dated in the future ({days[1].isoformat()} is after today, {today.isoformat()})")
        if item.collected_on is not None and item.collected_on > today and (days is None or days[1] <= today):
            found.append(f"received on {item.collected_on.isoformat()}, a day still to come")
        copies = [e.id for e in others if e.sha256 == item.sha256 and e.id != item.id and e.control_ref ==
                  item.control_ref]
        if copies:
            found.append(f"the same file (same SHA-256) is already evidence of {item.control_ref} "
                         f"(evidence {', '.join(map(str, copies))})")
        if settings.report_type is ReportType.TYPE2 and days is None:
            found.append("undated: a Type II item needs the date or range it reflects, or the day it was received")
        fit = evidence_period_fit(period, item)
        if fit is PeriodFit.OUTSIDE:
            found.append("reflects days outside the audit period")
        elif fit is PeriodFit.PARTLY_OUTSIDE and days is not None and period is not None:
            found.append(f"partly outside the audit period: it reflects {days[0].isoformat()} to "
                         f"{days[1].isoformat()}, the period is {period.start.isoformat()} to "
                         f"{period.end.isoformat()}; it does not count as in period")
        if found:
            result[item.id] = list(dict.fromkeys(found))
    return result
