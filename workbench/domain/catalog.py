"""The Trust Services Criteria catalog: its entities, validation and lookups."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.domain.data_file import read_json_file
from workbench.domain.enums import Category
from workbench.domain.errors import CatalogError

CRITERION_ID = re.compile(r"^(CC|A|C|PI|P)([1-9])\.([1-9])$")
SERIES_ID = re.compile(r"^(CC|A|C|PI|P)([1-9])$")
_LOOSE_ID = re.compile(r"^\s*(?:SOC\s*2\s*)?(CC|PI|A|C|P)\s*([0-9]+)\s*\.\s*([0-9]+)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion: its id, category, series with heading, and our own summary."""

    id: str
    category: Category
    series: str
    series_title: str
    summary: str
    position: int


@dataclass(frozen=True)
class Catalog:
    """An ordered, validated set of criteria."""

    name: str
    version: str
    criteria: tuple[Criterion, ...]
    _by_id: dict[str, Criterion] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.id: c for c in self.criteria})

    def __len__(self) -> int:
        return len(self.criteria)

    def get(self, criterion_id: str) -> Criterion | None:
        """Return the criterion with this exact id, or None."""
        return self._by_id.get(criterion_id)

    def __contains__(self, criterion_id: object) -> bool:
        return criterion_id in self._by_id

    def in_scope(self, categories: Iterable[Category]) -> tuple[Criterion, ...]:
        """Return the criteria of the given categories, in catalog order."""
        wanted = set(categories)
        return tuple(c for c in self.criteria if c.category in wanted)


def normalize_criterion_id(text: str) -> str | None:
    """Return the canonical form of a criterion id written loosely ("cc 6.1" -> "CC6.1"), else None."""
    match = _LOOSE_ID.match(text)
    if not match:
        return None
    prefix, major, minor = match.group(1).upper(), int(match.group(2)), int(match.group(3))
    return f"{prefix}{major}.{minor}"


def _require(condition: bool, source: str, why: str) -> None:
    if not condition:
        raise CatalogError(source, why)


def parse_catalog(data: Any, source: str = "catalog") -> Catalog:
    """Validate catalog data (as loaded from JSON) and return the catalog; raise CatalogError naming the fault."""
    _require(isinstance(data, Mapping), source, "the catalog must be a JSON object")
    for key in ("name", "version", "series", "criteria"):
        _require(key in data, source, f"missing key '{key}'")
    series_map: dict[str, tuple[Category, str]] = {}
    for index, entry in enumerate(data["series"]):
        where = f"series #{index + 1}"
        _require(isinstance(entry, Mapping), source, f"{where} is not an object")
        sid, title, category = entry.get("id"), entry.get("title"), entry.get("category")
        _require(isinstance(sid, str) and SERIES_ID.match(sid) is not None, source, f"{where} has a bad id {sid!r}")
        _require(sid not in series_map, source, f"series {sid} appears twice")
        _require(isinstance(title, str) and title.strip() != "", source, f"series {sid} has no title")
        try:
            series_map[sid] = (Category(category), title.strip())
        except ValueError:
            raise CatalogError(source, f"series {sid} has an unknown category {category!r}") from None
    criteria: list[Criterion] = []
    seen_summaries: dict[str, str] = {}
    for position, entry in enumerate(data["criteria"]):
        _require(isinstance(entry, Mapping), source, f"criterion #{position + 1} is not an object")
        cid, series, summary = entry.get("id"), entry.get("series"), entry.get("summary")
        match = CRITERION_ID.match(cid) if isinstance(cid, str) else None
        _require(match is not None, source, f"criterion #{position + 1} has a bad id {cid!r}")
        _require(cid not in {c.id for c in criteria}, source, f"criterion {cid} appears twice")
        _require(series in series_map, source, f"criterion {cid} names an unknown series {series!r}")
        _require(cid.startswith(f"{series}."), source, f"criterion {cid} does not belong to series {series}")
        _require(isinstance(summary, str) and summary.strip() != "", source, f"criterion {cid} has no summary")
        key = " ".join(summary.lower().split())
        _require(key not in seen_summaries, source, f"criterion {cid} repeats the summary of {seen_summaries.get(key)}")
        seen_summaries[key] = cid
        category, title = series_map[series]
        criteria.append(Criterion(cid, category, series, title, summary.strip(), position))
    _require(len(criteria) > 0, source, "the catalog lists no criteria")
    return Catalog(str(data["name"]), str(data["version"]), tuple(criteria))


def read_catalog(path: Path) -> Catalog:
    """Read and validate a catalog JSON file."""
    return parse_catalog(read_json_file(path, CatalogError), str(path))


def catalog_to_data(catalog: Catalog) -> dict[str, Any]:
    """Return the catalog as JSON-ready data in the resource-file layout."""
    series: dict[str, dict[str, str]] = {}
    for c in catalog.criteria:
        series.setdefault(c.series, {"id": c.series, "category": c.category.value, "title": c.series_title})
    return {
        "name": catalog.name,
        "version": catalog.version,
        "series": list(series.values()),
        "criteria": [{"id": c.id, "series": c.series, "summary": c.summary} for c in catalog.criteria],
    }
