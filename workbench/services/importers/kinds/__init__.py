"""The kinds of register the import engine serves, each a RegisterSpec: named by plural or singular noun."""

from __future__ import annotations

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.kinds.access_reviews import ACCESS_REVIEWS
from workbench.services.importers.kinds.acknowledgements import ACKNOWLEDGEMENTS
from workbench.services.importers.kinds.controls import CONTROLS
from workbench.services.importers.kinds.findings import FINDINGS
from workbench.services.importers.kinds.incidents import CONTINUITY_TESTS, INCIDENTS
from workbench.services.importers.kinds.people import PEOPLE
from workbench.services.importers.kinds.policies import POLICIES
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.importers.kinds.requests import REQUESTS
from workbench.services.importers.kinds.risks import RISKS
from workbench.services.importers.kinds.vendors import VENDOR_REPORTS, VENDORS
from workbench.services.importers.spec import RegisterSpec

SPECS: tuple[RegisterSpec, ...] = (CONTROLS, REQUESTS, POPULATIONS, RISKS, VENDORS, VENDOR_REPORTS, INCIDENTS,
                                   CONTINUITY_TESTS, PEOPLE, ACCESS_REVIEWS, POLICIES, ACKNOWLEDGEMENTS, FINDINGS)


def spec_named(name: str) -> RegisterSpec:
    """Return the kind a user named ("controls", "control", "Requests"); raise WorkbenchError naming the kinds."""
    wanted = name.strip().lower().replace("_", "-")
    for spec in SPECS:
        if wanted in (spec.kind, spec.singular):
            return spec
    raise WorkbenchError(f"kind {name!r}", f"is not a kind of register; use one of "
                                           f"{', '.join(s.kind for s in SPECS)}")
