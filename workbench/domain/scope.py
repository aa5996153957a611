"""What a complete scope needs, as a checklist the scope page and the dashboard share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workbench.domain.description import DESCRIPTION_SECTIONS, USER_WRITTEN_KEYS
from workbench.domain.entities import Component, Cuec, ProjectSettings, Subservice
from workbench.domain.enums import ReportType


def scope_checklist(
    settings: ProjectSettings,
    description: Mapping[str, str],
    components: Sequence[Component],
    subservices: Sequence[Subservice],
    cuecs: Sequence[Cuec],
) -> tuple[tuple[str, bool], ...]:
    """Return (item, done) pairs for everything step 1 asks the user to define."""
    period_item = "Set the as-of date" if settings.report_type is ReportType.TYPE1 else "Set the audit period"
    items: list[tuple[str, bool]] = [
        ("Name the organisation", bool(settings.organization.strip())),
        ("Name the system", bool(settings.system_name.strip())),
        (period_item, settings.period_start is not None and settings.period_end is not None),
    ]
    items += [(f"Describe {title}", bool(description.get(key, "").strip()))
              for key, title in DESCRIPTION_SECTIONS if key in USER_WRITTEN_KEYS]
    items += [
        ("List the system components in scope", any(c.in_scope for c in components)),
        ("Record the subservice organisations", bool(subservices)),
        ("List the complementary user entity controls", bool(cuecs)),
    ]
    return tuple(items)
