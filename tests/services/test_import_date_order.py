"""A date order given for an import (--day-first / --month-first) is checked against the dates the file writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workbench.domain.import_values import order_contradiction
from workbench.services.engagement import list_requests
from workbench.services.importers.engine import import_requests
from workbench.services.session import OpenProject

CSV = "Request ID,Request,Due Date\nPBC-1,User listing,03/04/2026\nPBC-2,Access review,25/03/2026\n"


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "pbc.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_month_first_warns_on_a_date_that_can_only_be_day_first(new_project: OpenProject, tmp_path: Path) -> None:
    result = import_requests(new_project, _csv(tmp_path), day_first=False)
    warnings = [p for p in result["problems"] if p["field"] == "due"]
    assert len(warnings) == 1
    warning = warnings[0]
    assert warning["row"] == 3 and warning["level"] == "warning"
    message = warning["message"]
    assert "pbc.csv" in message and "column C ('Due Date')" in message
    assert "'25/03/2026' can only be day first (25 March 2026)" in message and "month first" in message
    due = {r.ref: r.due for r in list_requests(new_project)}
    assert due == {"PBC-1": date(2026, 3, 4), "PBC-2": date(2026, 3, 25)}  # imported as asked, and warned


def test_day_first_warns_on_a_date_that_can_only_be_month_first(new_project: OpenProject, tmp_path: Path) -> None:
    path = tmp_path / "pbc.csv"
    path.write_text("Request ID,Request,Due Date\nPBC-1,User listing,03/25/2026\nPBC-2,Review,04/03/2026\n",
                    encoding="utf-8")
    result = import_requests(new_project, path, day_first=True)
    [warning] = [p for p in result["problems"] if p["field"] == "due"]
    assert warning["row"] == 2 and "'03/25/2026' can only be month first (25 March 2026)" in warning["message"]


def test_no_warning_when_the_dates_agree_or_no_order_was_given(new_project: OpenProject, tmp_path: Path) -> None:
    result = import_requests(new_project, _csv(tmp_path), day_first=True, dry_run=True)
    assert not [p for p in result["problems"] if p["field"] == "due"]
    assert order_contradiction("25/03/2026", day_first=None) is None
    assert order_contradiction("2026-03-25", day_first=False) is None
    assert order_contradiction("05/05/2026", day_first=False) is None
    assert order_contradiction(date(2026, 3, 25), day_first=False) is None
