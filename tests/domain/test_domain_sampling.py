"""Sample sizes from the tables kept as data, and the reproducible selection anyone can redo."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from workbench.domain.enums import Frequency
from workbench.domain.sampling import SampleTableError, parse_sample_tables, select

TABLES = parse_sample_tables(json.loads(
    (Path(__file__).resolve().parents[2] / "resources" / "sampling" / "sample-tables.json").read_text("utf-8")))


@pytest.mark.parametrize(("count", "size"), [(300, 25), (251, 25), (250, 15), (51, 15), (50, 8), (11, 8), (10, 10),
                                             (8, 8), (1, 1), (0, 0)])
def test_the_common_table_sizes_event_driven_populations(count: int, size: int) -> None:
    assert TABLES.get().for_population(count) == size


@pytest.mark.parametrize(("frequency", "size"), [(Frequency.ANNUAL, 1), (Frequency.QUARTERLY, 2),
                                                 (Frequency.MONTHLY, 2), (Frequency.WEEKLY, 5),
                                                 (Frequency.DAILY, 25), (Frequency.MULTIPLE_TIMES_DAILY, 40)])
def test_the_common_table_sizes_recurring_controls(frequency: Frequency, size: int) -> None:
    assert TABLES.get().for_frequency(frequency) == size


def test_another_firms_table_is_selectable_and_reads_percentages() -> None:
    table = TABLES.get("percentage")
    assert [table.for_population(n) for n in (4, 30, 120, 251)] == [4, 5, 12, 25]
    with pytest.raises(SampleTableError, match="not a sample table"):
        TABLES.get("nobody")


def test_the_same_seed_gives_the_same_keys_and_another_seed_others() -> None:
    population = [f"CHG-{n:04d}" for n in range(300)]
    first = select(population, 25, "audit-2026")
    assert first == select(list(reversed(population)), 25, "audit-2026")
    assert first != select(population, 25, "another seed")
    assert len(set(first)) == 25 and set(first) <= set(population)


def test_the_keys_are_what_a_short_script_computes_from_the_stated_method() -> None:
    population = [f"CHG-{n:04d}" for n in range(300)]
    by_hand = sorted(population, key=lambda key: hashlib.sha256(("audit-2026" + key).encode()).hexdigest())[:25]
    assert select(population, 25, "audit-2026") == by_hand


def test_a_population_smaller_than_the_size_is_taken_whole() -> None:
    assert sorted(select([f"P-{n}" for n in range(8)], 25, "s")) == [f"P-{n}" for n in range(8)]


@pytest.mark.parametrize("document", [
    {}, {"tables": []}, {"tables": [{"name": "x", "by_population": [{"up_to": 5, "size": 2}]}]},
    {"tables": [{"name": "x", "by_population": [{"size": "150%"}]}]},
    {"tables": [{"name": "x", "by_frequency": {"hourly": 3}, "by_population": [{"size": 2}]}]},
    {"tables": [{"name": "x", "by_population": [{"size": 0}]}]},
])
def test_a_broken_table_is_refused_with_a_reason(document: object) -> None:
    with pytest.raises(SampleTableError):
        parse_sample_tables(document)
