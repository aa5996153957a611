"""Sample sizes and reproducible selection for Type II testing.

Sizes come from a sample table kept as data (resources/sampling/sample-tables.json): by frequency for recurring
controls, by population size for event-driven ones. Selection orders a population's keys by the SHA-256 of the
seed followed by the key (both UTF-8) and takes the first ones, so anyone can redo it with any tool.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.domain.enums import Frequency
from workbench.domain.errors import WorkbenchError

ALL = "all"
METHOD = "keys ordered by the SHA-256 (hex) of the seed followed by the key, both UTF-8; the first ones taken"


class SampleTableError(WorkbenchError):
    """A sample table file is not usable."""


@dataclass(frozen=True, slots=True)
class PopulationBand:
    """Populations of up to `up_to` items (None: any larger) are sampled at `size`: a count, a percentage or all."""

    up_to: int | None
    size: int | float | str  # an item count, a fraction (0.1 for "10%"), or ALL


@dataclass(frozen=True, slots=True)
class SampleTable:
    """A firm's sample-size table."""

    name: str
    title: str
    source: str
    by_frequency: Mapping[Frequency, int]
    by_population: tuple[PopulationBand, ...]

    def for_frequency(self, frequency: Frequency) -> int | None:
        """Return the sample size for a recurring control of this frequency, or None when the table has none."""
        return self.by_frequency.get(frequency)

    def for_population(self, count: int) -> int:
        """Return the sample size for a population of `count` items (never more than the population)."""
        for band in self.by_population:
            if band.up_to is None or count <= band.up_to:
                if band.size == ALL:
                    return count
                if isinstance(band.size, float):
                    return min(count, max(1, math.ceil(band.size * count)))
                return min(count, int(band.size))
        return count


@dataclass(frozen=True, slots=True)
class SampleTables:
    """The sample tables the program knows, and which one applies unless the user picks another."""

    tables: tuple[SampleTable, ...]
    default: str

    def get(self, name: str | None = None) -> SampleTable:
        """Return the table of this name (the default when None); raise SampleTableError for an unknown name."""
        wanted = name or self.default
        for table in self.tables:
            if table.name == wanted:
                return table
        names = ", ".join(t.name for t in self.tables)
        raise SampleTableError("sample table", f"{wanted!r} is not a sample table; use one of {names}")


def _band(data: Any, source: str) -> PopulationBand:
    if not isinstance(data, dict) or "size" not in data:
        raise SampleTableError(source, f"a population band must be an object with a size, not {data!r}")
    up_to = data.get("up_to")
    if up_to is not None and (not isinstance(up_to, int) or up_to < 1):
        raise SampleTableError(source, f"up_to must be a positive whole number, not {up_to!r}")
    size = data["size"]
    if isinstance(size, str) and size.endswith("%"):
        try:
            fraction = float(size[:-1]) / 100
        except ValueError:
            raise SampleTableError(source, f"{size!r} is not a percentage") from None
        if not 0 < fraction <= 1:
            raise SampleTableError(source, f"{size!r} is not a percentage between 0 and 100")
        return PopulationBand(up_to, fraction)
    if size == ALL or (isinstance(size, int) and not isinstance(size, bool) and size >= 1):
        return PopulationBand(up_to, size)
    raise SampleTableError(source, f"a sample size is a positive whole number, a percentage or 'all', not {size!r}")


def parse_sample_tables(data: Any, source: str = "sample tables") -> SampleTables:
    """Validate the sample-table document and return its tables."""
    if not isinstance(data, dict) or not isinstance(data.get("tables"), list) or not data["tables"]:
        raise SampleTableError(source, "expected an object with a non-empty list of tables")
    tables: list[SampleTable] = []
    for item in data["tables"]:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise SampleTableError(source, "every table needs a name")
        by_frequency: dict[Frequency, int] = {}
        for key, size in (item.get("by_frequency") or {}).items():
            try:
                frequency = Frequency(key)
            except ValueError:
                raise SampleTableError(source, f"{key!r} is not a frequency") from None
            if not isinstance(size, int) or isinstance(size, bool) or size < 1:
                raise SampleTableError(source, f"the size for {key} must be a positive whole number")
            by_frequency[frequency] = size
        bands = tuple(_band(band, source) for band in item.get("by_population") or ())
        if not bands or bands[-1].up_to is not None:
            raise SampleTableError(source, f"table {item['name']!r} must end with a band for any larger population")
        tables.append(SampleTable(item["name"], str(item.get("title", item["name"])), str(item.get("source", "")),
                                  by_frequency, bands))
    default = data.get("default", tables[0].name)
    result = SampleTables(tuple(tables), str(default))
    result.get()  # the default must name a table
    return result


def new_seed() -> str:
    """Return a fresh random seed (recorded with the sample so that the selection can be redone)."""
    return secrets.token_hex(8)


def selection_order(keys: Iterable[str], seed: str) -> list[str]:
    """Return the distinct keys ordered by SHA-256 of seed + key (ties, which cannot happen in practice, by key)."""
    prefix = hashlib.sha256(seed.encode("utf-8"))
    ranked: list[tuple[str, str]] = []
    for key in dict.fromkeys(keys):
        digest = prefix.copy()
        digest.update(key.encode("utf-8"))
        ranked.append((digest.hexdigest(), key))
    ranked.sort()
    return [key for _digest, key in ranked]


def select(keys: Sequence[str], size: int, seed: str) -> list[str]:
    """Return the first `size` keys of the selection order (all of them when the population is smaller)."""
    if size < 0:
        raise ValueError("a sample size cannot be negative")
    return selection_order(keys, seed)[:size]
