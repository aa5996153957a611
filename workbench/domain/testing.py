"""What a Type II test is made of: a control's population (IPE), the sample drawn from it, and each item's result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class SampleResult(StrEnum):
    """What testing one sample item found."""

    PASS = "pass"
    EXCEPTION = "exception"


class SampleBasis(StrEnum):
    """What a sample is drawn from."""

    POPULATION = "population"  # an event-driven control's population
    WINDOWS = "windows"  # a recurring control's expected windows
    TESTED_ONCE = "tested_once"  # an automated control: one item, whatever its frequency (DESIGN.md section 6)


@dataclass(frozen=True, slots=True)
class PopulationItem:
    """One event of a population: its key, its date, whether it lies in the period, the row's other columns."""

    key: str
    day: date | None = None
    in_period: bool | None = None
    data: tuple[tuple[str, str], ...] = ()  # (header, text) of the row's other columns, in the file's order


@dataclass(frozen=True, slots=True)
class PopulationInfo:
    """How a population was produced (the auditor's IPE questions) and what the file held."""

    source: str = ""
    query: str = ""
    generated_at: date | None = None
    generated_by: str = ""
    filename: str = ""
    sha256: str = ""


@dataclass(frozen=True, slots=True)
class Population:
    """A control's population as imported."""

    id: int
    control_ref: str
    info: PopulationInfo
    row_count: int
    out_of_period: int
    imported_at: str
    evidence_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SampleItem:
    """One item of a sample, with its result once tested."""

    key: str
    day: date | None = None
    result: SampleResult | None = None
    evidence_id: int | None = None
    note: str = ""
    exception_id: int | None = None
    id: int = 0


@dataclass(frozen=True, slots=True)
class Sample:
    """A control's sample: how it was drawn (so that anyone can redo it) and its items."""

    control_ref: str
    basis: SampleBasis
    size: int
    seed: str
    method: str
    table_name: str = ""
    reason: str = ""
    from_file: str = ""  # the auditor's selection file, when the sample is theirs
    created_at: str = ""
    items: tuple[SampleItem, ...] = field(default=())

    @property
    def has_results(self) -> bool:
        """Return True once any item has a result."""
        return any(item.result is not None for item in self.items)
