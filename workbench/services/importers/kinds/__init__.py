"""The kinds of register the import engine serves, each a RegisterSpec: named by plural or singular noun.

A kind's module is imported when that kind is first used (by name, by its constant, or by going through SPECS),
so importing one register does not load the domain of all the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

from workbench.domain.errors import WorkbenchError

if TYPE_CHECKING:
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

# (kind, singular, module, constant), in the order SPECS lists them; a test checks each against its spec.
KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("controls", "control", "controls", "CONTROLS"),
    ("requests", "request", "requests", "REQUESTS"),
    ("populations", "population", "populations", "POPULATIONS"),
    ("risks", "risk", "risks", "RISKS"),
    ("vendors", "vendor", "vendors", "VENDORS"),
    ("vendor-reports", "vendor-report", "vendors", "VENDOR_REPORTS"),
    ("incidents", "incident", "incidents", "INCIDENTS"),
    ("continuity-tests", "continuity-test", "incidents", "CONTINUITY_TESTS"),
    ("people", "person", "people", "PEOPLE"),
    ("access-reviews", "access-review", "access_reviews", "ACCESS_REVIEWS"),
    ("policies", "policy", "policies", "POLICIES"),
    ("acknowledgements", "acknowledgement", "acknowledgements", "ACKNOWLEDGEMENTS"),
    ("findings", "finding", "findings", "FINDINGS"),
)
_BY_CONSTANT = {constant: module for _kind, _singular, module, constant in KINDS}

__all__ = ["ACCESS_REVIEWS", "ACKNOWLEDGEMENTS", "CONTINUITY_TESTS", "CONTROLS", "FINDINGS", "INCIDENTS", "KINDS",
           "PEOPLE", "POLICIES", "POPULATIONS", "REQUESTS", "RISKS", "SPECS", "VENDORS", "VENDOR_REPORTS",
           "spec_named"]


def _load(module: str, constant: str) -> RegisterSpec:
    spec: RegisterSpec = getattr(importlib.import_module(f"{__name__}.{module}"), constant)
    return spec


class _Specs(Sequence["RegisterSpec"]):
    """Every kind, in order, their modules imported the first time the sequence is read."""

    _loaded: tuple[RegisterSpec, ...] | None = None

    def _all(self) -> tuple[RegisterSpec, ...]:
        if self._loaded is None:
            self._loaded = tuple(_load(module, constant) for _kind, _singular, module, constant in KINDS)
        return self._loaded

    @overload
    def __getitem__(self, index: int) -> RegisterSpec: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[RegisterSpec, ...]: ...

    def __getitem__(self, index: int | slice) -> RegisterSpec | tuple[RegisterSpec, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(KINDS)

    def __iter__(self) -> Iterator[RegisterSpec]:
        return iter(self._all())


SPECS: Sequence[RegisterSpec] = _Specs()


def __getattr__(name: str) -> RegisterSpec:
    module = _BY_CONSTANT.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    spec = _load(module, name)
    globals()[name] = spec
    return spec


def spec_named(name: str) -> RegisterSpec:
    """Return the kind a user named ("controls", "control", "Requests"); raise WorkbenchError naming the kinds."""
    wanted = name.strip().lower().replace("_", "-")
    for kind, singular, module, constant in KINDS:
        if wanted in (kind, singular):
            return _load(module, constant)
    raise WorkbenchError(f"kind {name!r}", f"is not a kind of register; use one of "
                                           f"{', '.join(kind for kind, *_rest in KINDS)}")
