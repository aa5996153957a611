"""Which control of the library a register's record serves, when the user names none: the control made from the
template for that job (the template library's keys), so a project built from the templates links itself."""

from __future__ import annotations

from collections.abc import Iterable

from workbench.domain.control_templates import template_key_of
from workbench.domain.entities import Control
from workbench.domain.natural import natural_sorted

# What a record evidences -> the templates whose controls do that job, most fitting first.
TEMPLATES_FOR: dict[str, tuple[str, ...]] = {
    "risk-assessment": ("risk-assessment",),
    "vendor-report": ("subservice-soc-review", "vendor-review", "cuec-review"),
    "incident": ("incident-handling", "incident-response-plan"),
    "restore": ("restore-test",),
    "dr": ("dr-test",),
    "bcp": ("business-continuity", "dr-test"),
    "tabletop": ("incident-tabletop", "business-continuity"),
    "access-review": ("access-review", "privileged-access-review"),
}


def control_for(controls: Iterable[Control], job: str) -> str | None:
    """Return the reference of the control made from the template for this job (in natural order), or None."""
    wanted = TEMPLATES_FOR.get(job, ())
    made = [(wanted.index(key), c.ref) for c in natural_sorted(controls, key=lambda c: c.ref)
            if (key := template_key_of(c)) in wanted]
    return min(made)[1] if made else None
