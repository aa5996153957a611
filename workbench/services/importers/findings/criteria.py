"""Our mapping table from tools' checks to criteria (resources/findings/criteria_map.csv), for reports without one."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path

from workbench.domain.errors import CatalogError
from workbench.domain.findings import criteria_of
from workbench.paths import resources_dir


@dataclass(frozen=True, slots=True)
class CriteriaRule:
    """One row of the table: a tool ("*" for any) and a check-id glob, and the criteria such checks serve."""

    tool: str
    pattern: str
    criteria: tuple[str, ...]


def criteria_map_path() -> Path:
    """Return where the mapping table is."""
    return resources_dir() / "findings" / "criteria_map.csv"


@lru_cache(maxsize=1)
def criteria_rules() -> tuple[CriteriaRule, ...]:
    """Return the mapping table's rules in order; raise CatalogError when the table is malformed."""
    path = criteria_map_path()
    rules: list[CriteriaRule] = []
    with open(path, encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for number, row in enumerate(csv.DictReader(lines), start=2):
            words = (row.get("criteria") or "").split()
            criteria = criteria_of(words)
            if not row.get("tool") or not row.get("check_pattern") or len(criteria) != len(words):
                raise CatalogError(str(path), f"row {number} needs a tool, a check pattern and criteria such as CC6.1")
            rules.append(CriteriaRule(row["tool"].strip().lower(), row["check_pattern"].strip().lower(), criteria))
    return tuple(rules)


def mapped_criteria(tool: str, check_id: str) -> tuple[str, ...]:
    """Return the criteria our table gives a tool's check (empty when no rule matches)."""
    tool, check = tool.lower(), check_id.lower()
    for rule in criteria_rules():
        if rule.tool in ("*", tool) and fnmatchcase(check, rule.pattern):
            return rule.criteria
    return ()
