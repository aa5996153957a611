"""The report formats we read: how each is recognised (by content) and which reader reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from workbench.services.importers.findings import asff, iam_report, ocsf, prowler_csv, steampipe, trivy
from workbench.services.importers.findings.json_stream import JsonProbe
from workbench.services.importers.findings.report import TableRows, ToolReport
from workbench.services.importers.findings.source import ReportFile

Probe = TypeVar("Probe")


@dataclass(frozen=True, slots=True)
class Format(Generic[Probe]):
    """One format: its name in import reports, how people call it, its test on a probe, and its reader."""

    name: str
    label: str
    matches: Callable[[Probe], bool]
    read: Callable[[ReportFile, Probe], ToolReport]


def _headers(table: TableRows) -> frozenset[str]:
    return frozenset(table.headers)


def _trivy(name: str) -> Callable[[JsonProbe], bool]:
    return lambda found: trivy.kind(found) == name


TABLE_FORMATS: tuple[Format[TableRows], ...] = (
    Format(prowler_csv.DEFAULT, "Prowler default CSV", lambda t: prowler_csv.is_default(_headers(t)),
           prowler_csv.read_default),
    Format(prowler_csv.COMPLIANCE, "Prowler compliance CSV", lambda t: prowler_csv.is_compliance(_headers(t)),
           prowler_csv.read_compliance),
    Format(iam_report.NAME, "AWS IAM credential report (CSV)", iam_report.is_report, iam_report.read),
    Format(steampipe.CSV, "Steampipe / Powerpipe benchmark CSV", steampipe.is_csv, steampipe.read_csv),
)

JSON_FORMATS: tuple[Format[JsonProbe], ...] = (
    Format(ocsf.NAME, "Prowler OCSF JSON", ocsf.matches, ocsf.read),
    Format(asff.PROWLER, "Prowler ASFF JSON", asff.is_prowler, asff.read),
    Format(asff.SECURITY_HUB, "AWS Security Hub findings (ASFF JSON)", asff.is_security_hub, asff.read),
    Format(steampipe.JSON, "Steampipe / Powerpipe benchmark JSON", steampipe.is_json, steampipe.read_json),
    Format(trivy.IMAGE, "Trivy image JSON", _trivy(trivy.IMAGE), trivy.read),
    Format(trivy.CONFIG, "Trivy configuration JSON", _trivy(trivy.CONFIG), trivy.read),
    Format(trivy.FILESYSTEM, "Trivy filesystem JSON", _trivy(trivy.FILESYSTEM), trivy.read),
    Format(trivy.CLUSTER, "Trivy cluster (k8s) JSON", _trivy(trivy.CLUSTER), trivy.read),
    Format(trivy.V1, "Trivy JSON, schema 1", _trivy(trivy.V1), trivy.read),
)


def format_labels() -> list[str]:
    """Return every format we read, as a message lists them."""
    return [f.label for f in (*TABLE_FORMATS, *JSON_FORMATS)]
