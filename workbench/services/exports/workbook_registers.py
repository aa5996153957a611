"""The registers' sheets of the workbook: each register's fields as `register list` gives them (the same rows),
the risk assessments, and the user entity controls vendors' reports expect of us with the control meeting each."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.domain.risks import HeatMap, Risk, heat_map
from workbench.services.exports.findings_section import findings_sheets
from workbench.services.exports.register_snapshot import RegisterSnapshot
from workbench.services.registers import register_cell

ASSESSMENT_HEADERS = ("Assessment", "Started", "Signed on", "Signed by", "Risks", "Control evidenced", "State")
USER_CONTROL_HEADERS = ("Vendor", "Report", "Expected of us", "Our control")
NOT_MAPPED = "not mapped"
HEAT_MAP_SHEET = "Risk heat map"
PEOPLE_HEADERS = ["Access removal", "Late removal (exception)"]
REVIEW_HEADERS = ["Campaign", "System", "Closed"]

Sheet = tuple[str, Sequence[str], list[list[object]]]


def _yes(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def register_tables(registers: RegisterSnapshot) -> list[Sheet]:
    """Return (sheet name, headers, rows) for every register holding records, in the registers' order."""
    sheets: list[Sheet] = []
    for table in registers.tables:
        fields = table.spec.fields
        rows = [[register_cell(values[f.name], f.type) for f in fields] for values in table.values]
        headers = [f.label for f in fields]
        if table.spec.kind == "people":  # each leaver's access removal against the stated time, and its exception
            headers += PEOPLE_HEADERS
            for row, values in zip(rows, table.values, strict=True):
                row += [values["removal"] or "", _yes(values["removal_exception"])]
        if table.spec.kind == "access-reviews":  # each account's campaign, system, flags and the day it closed
            headers = REVIEW_HEADERS + headers + ["Flags"]
            rows = [[values["campaign"], values["system"], values["closed"], *row, values["flags"]]
                    for row, values in zip(rows, table.values, strict=True)]
        sheets.append((table.sheet, headers, rows))
        if table.spec.kind == "risks":
            sheets.append(heat_map_sheet(registers.risks))
        if table.spec.kind == "risks" and registers.assessments:
            sheets.append(("Risk assessments", ASSESSMENT_HEADERS, [
                [a.id, a.started_on, a.signed_on, a.signed_by, a.risk_count, a.control_ref or "",
                 "signed, read-only" if a.signed else "draft"] for a in registers.assessments]))
        if table.spec.kind == "vendor-reports":
            rows = [[report.vendor_name or report.vendor_ref, report.ref, control.text,
                     control.control_ref or NOT_MAPPED]
                    for report in registers.reports for control in report.user_controls]
            if rows:
                sheets.append(("Vendor user controls", USER_CONTROL_HEADERS, rows))
    return sheets + findings_sheets(registers.runs)


def _grid_row(grid: HeatMap, likelihood: int) -> list[object]:
    return [", ".join(grid.at(likelihood, impact)) for impact in range(1, 6)]


def heat_map_sheet(risks: Sequence[Risk]) -> Sheet:
    """Return the 5x5 heat maps as a sheet: inherent beside residual, likelihood 5 at the top, impact 1 to 5
    across, each cell naming its risks; the risks a map cannot place are listed under it."""
    inherent, residual = heat_map(risks), heat_map(risks, residual=True)
    headers = ["Inherent: likelihood", *(f"Impact {i}" for i in range(1, 6)), "",
               "Residual: likelihood", *(f"Impact {i}" for i in range(1, 6))]
    rows: list[list[object]] = [[likelihood, *_grid_row(inherent, likelihood), "", likelihood,
                                 *_grid_row(residual, likelihood)] for likelihood in range(5, 0, -1)]
    rows.append(["Not on the map", ", ".join(inherent.unplaced), "", "", "", "", "", "Not on the map",
                 ", ".join(residual.unplaced), "", "", "", ""])
    return HEAT_MAP_SHEET, headers, rows
