"""The registers' sheets of the workbook: each register's fields as `register list` gives them (the same rows),
the risk assessments, and the user entity controls vendors' reports expect of us with the control meeting each."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.services.exports.register_snapshot import RegisterSnapshot
from workbench.services.registers import register_cell

ASSESSMENT_HEADERS = ("Assessment", "Started", "Signed on", "Signed by", "Risks", "Control evidenced", "State")
USER_CONTROL_HEADERS = ("Vendor", "Report", "Expected of us", "Our control")
NOT_MAPPED = "not mapped"
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
    return sheets
