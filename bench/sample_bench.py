"""Sampling a 100,000-item population and writing its workbook, against openpyxl writing the same rows.

Run: python bench/sample_bench.py [ITEMS]. Prints both times and the ratio (target: at most 1.5x).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from workbench.domain.sampling import METHOD, select  # noqa: E402
from workbench.domain.testing import PopulationItem, Sample, SampleBasis, SampleItem  # noqa: E402
from workbench.services.exports.sample_workbook import write_sample_workbook  # noqa: E402


def _population(count: int) -> list[PopulationItem]:
    start = date(2026, 1, 1)
    return [PopulationItem(f"CHG-{i:06d}", start + timedelta(days=i % 181), True,
                           (("Author", f"dev{i % 40}"), ("Title", f"Change number {i} to the billing service")))
            for i in range(count)]


def ours(items: list[PopulationItem], out: Path) -> float:
    """Select 25 by the stated method and write the sample workbook; return seconds."""
    began = time.perf_counter()
    keys = select([i.key for i in items], 25, "bench-seed")
    dates = {i.key: i.day for i in items}
    sample = Sample("CHG-1", SampleBasis.POPULATION, len(keys), "bench-seed", METHOD, "common", "", "", "",
                    tuple(SampleItem(k, dates[k]) for k in keys))
    write_sample_workbook(out, sample, items)
    return time.perf_counter() - began


def raw(items: list[PopulationItem], out: Path) -> float:
    """openpyxl (write-only) writing the same rows, no selection, no safety; return seconds."""
    from openpyxl import Workbook

    began = time.perf_counter()
    workbook = Workbook(write_only=True)
    method = workbook.create_sheet("Method")
    method.append(("Field", "Value"))
    sheet = workbook.create_sheet("Population")
    sheet.append(("Key", "Date", "In period", "Selected", "Author", "Title"))
    for item in items:
        data = dict(item.data)
        sheet.append((item.key, item.day, "yes", None, data["Author"], data["Title"]))
    sample = workbook.create_sheet("Sample")
    sample.append(("#", "Key"))
    for number, item in enumerate(items[:25], start=1):
        sample.append((number, item.key))
    workbook.save(out)
    return time.perf_counter() - began


def main() -> None:
    """Time both sides (best of three) and print the ratio."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    items = _population(count)
    with tempfile.TemporaryDirectory() as folder:
        ours_best = min(ours(items, Path(folder) / "ours.xlsx") for _ in range(3))
        raw_best = min(raw(items, Path(folder) / "raw.xlsx") for _ in range(3))
    print(f"sample of {count:,} items + workbook: ours {ours_best:.2f} s, openpyxl {raw_best:.2f} s, "
          f"ratio {ours_best / raw_best:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
