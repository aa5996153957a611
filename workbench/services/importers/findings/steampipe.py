"""Steampipe `check` and Powerpipe `benchmark run` results, as CSV or JSON.

The CSV has one row per control result (group_id, control_id, control_title, severity, reason, resource, status
and one column per dimension, such as account_id and region); the JSON nests groups (benchmarks) holding groups
and controls, each control with its results (reason, resource, status, dimensions as key/value pairs). Statuses:
ok passes, alarm fails, info and error need a person's look, skip was left out on purpose. A SOC 2 benchmark's
groups are named for its criteria (`..._soc_2_cc_6_1`): a result under one maps to that criterion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from workbench.domain.findings import Finding, FindingStatus, ToolRun, criteria_of, severity_of
from workbench.services.importers.findings.criteria import mapped_criteria
from workbench.services.importers.findings.json_stream import JsonProbe, items_where, text, type_name
from workbench.services.importers.findings.report import (
    TableRows,
    ToolReport,
    bad_status,
    first_or,
    missing,
    report_time,
    tool_status,
)
from workbench.services.importers.findings.source import ReportFile, refused

CSV, JSON = "steampipe-csv", "steampipe-json"
STATUSES = {"OK": FindingStatus.PASS, "ALARM": FindingStatus.FAIL, "INFO": FindingStatus.MANUAL,
            "ERROR": FindingStatus.MANUAL, "SKIP": FindingStatus.MUTED}
_NEEDED = ("CONTROL_ID", "STATUS", "RESOURCE", "REASON")
_FIXED = {"GROUP_ID", "TITLE", "DESCRIPTION", "CONTROL_ID", "CONTROL_TITLE", "CONTROL_DESCRIPTION", "SEVERITY",
          "REASON", "RESOURCE", "STATUS"}
_SOC2_GROUP = re.compile(r"soc_?2_((?:cc|a|c|pi|p)_?\d+_\d+)", re.IGNORECASE)


def is_csv(table: TableRows) -> bool:
    """Return True for a Steampipe / Powerpipe CSV export."""
    return set(_NEEDED) <= set(table.headers)


def is_json(found: JsonProbe) -> bool:
    """Return True for a Steampipe / Powerpipe JSON export."""
    return found.top == "object" and "group_id" in found.keys_at("") and \
        bool(found.keys_at("") & {"groups", "controls"})


def _group_criteria(groups: Iterable[str]) -> tuple[str, ...]:
    return criteria_of(m.group(1) for g in groups for m in _SOC2_GROUP.finditer(g))


def _status(report: ReportFile, number: int, word: str) -> FindingStatus:
    status = tool_status(word, STATUSES)
    if status is None:
        raise bad_status(report.path, number, word, STATUSES)
    return status


def _finding(report: ReportFile, number: int, control: tuple[str, str, str, tuple[str, ...]],
             result: tuple[str, str, str, dict[str, str]]) -> Finding:
    """Make a finding of a control (id, title, severity, criteria) and one result (resource, status, reason, dims)."""
    check, title, severity, criteria = control
    resource, word, reason, dimensions = result
    where = resource or " ".join(v for v in dimensions.values() if v)
    return Finding(check, title, where, _status(report, number, word), severity_of(severity),
                   criteria or mapped_criteria("steampipe", check), "", dimensions.get("region", ""), reason, number)


def _run(report: ReportFile, name: str, scope: str, when: list[tuple[str, object]] | None = None) -> ToolRun:
    reflects = report_time(report.path, when or [], report.modified)
    return ToolRun("steampipe", "", name, scope, reflects, report.sha256, report.path.name)


def read_csv(report: ReportFile, table: TableRows) -> ToolReport:
    """Read a Steampipe / Powerpipe CSV export."""
    missing(report.path, table.headers, _NEEDED, "a Steampipe CSV export")
    dims = [h for h in table.headers if h not in _FIXED]
    run, rows = first_or(table.rows, lambda head: _run(report, CSV, _scope(
        {d.lower(): head[1].get(d, "") for d in dims} if head else {})))

    def findings() -> Iterator[Finding]:
        for number, row in rows:
            control = (row.get("CONTROL_ID", ""), row.get("CONTROL_TITLE", ""), row.get("SEVERITY", ""),
                       _group_criteria([row.get("GROUP_ID", "")]))
            dimensions = {d.lower(): row.get(d, "") for d in dims}
            yield _finding(report, number, control, (row.get("RESOURCE", ""), row.get("STATUS", ""),
                                                     row.get("REASON", ""), dimensions))

    return ToolReport(run, findings())


def _scope(dimensions: dict[str, str]) -> str:
    return dimensions.get("account_id") or dimensions.get("subscription_id") or dimensions.get("project") or ""


def _dimensions(result: dict[str, Any]) -> dict[str, str]:
    pairs = result.get("dimensions")
    return {text(p, "key"): text(p, "value") for p in pairs if isinstance(p, dict)} if isinstance(pairs, list) else {}


def read_json(report: ReportFile, found: JsonProbe) -> ToolReport:
    """Read a Steampipe / Powerpipe JSON export (its controls at any depth of groups)."""
    groups: dict[str, str] = {}  # a group's path -> its group_id, as the parse meets them
    first_dimensions: dict[str, str] = {}

    def seen(prefix: str, value: Any) -> None:
        if prefix == "group_id" or prefix.endswith(".group_id"):
            groups[prefix.removesuffix("group_id")] = str(value)
        elif value is not None:
            shape(prefix, type_name(value))

    def shape(prefix: str, found: str) -> None:
        """Refuse a benchmark's groups or controls that are not a list: read as none, they would pass."""
        parent, _, key = prefix.rpartition(".")
        listed = parent.rpartition(".")[2]
        if key == "item" and listed in ("groups", "controls") and found != "an object":
            raise refused(report.path, f"a {listed.removesuffix('s')} of {_where(groups, parent)} is {found}, "
                                       "not an object")
        if key in ("groups", "controls") and found != "a list":
            raise refused(report.path, f"{_where(groups, prefix)}'s {key} is {found}, not a list")

    def wanted(prefix: str) -> bool:
        return prefix == "controls.item" or prefix.endswith(".controls.item")

    def findings() -> Iterator[Finding]:
        number = 0
        for at, control in items_where(report, wanted, seen, shape):
            if not isinstance(control, dict):
                raise refused(report.path, f"a control of {_where(groups, at)} is {type_name(control)}, "
                                           "not an object")
            parents = [g for path, g in groups.items() if at.startswith(path)]
            spec = (text(control, "control_id"), text(control, "title"), text(control, "severity"),
                    _group_criteria(parents))
            named = f"control {spec[0]!r}"
            results = control.get("results")
            if results is not None and not isinstance(results, list):
                raise refused(report.path, f"{named}'s results is {type_name(results)}, not a list")
            for index, result in enumerate(results or ()):
                if not isinstance(result, dict):
                    raise refused(report.path, f"{named}'s results[{index}] is {type_name(result)}, not an object")
                number += 1
                dimensions = _dimensions(result)
                if number == 1:
                    first_dimensions.update(dimensions)
                yield _finding(report, number, spec, (text(result, "resource"), text(result, "status"),
                                                      text(result, "reason"), dimensions))

    run, rows = first_or(findings(), lambda _: _run(report, JSON, _scope(first_dimensions),
                                                     [(k, found.value(k)) for k in ("end_time", "start_time")]))
    return ToolReport(run, rows)


def _where(groups: dict[str, str], prefix: str) -> str:
    """Name the group a JSON prefix lies in ("the benchmark" at the top)."""
    inner = [g for path, g in groups.items() if prefix.startswith(path)]
    return f"group {inner[-1]!r}" if inner else "the benchmark"
