"""The registers' sections of the PDF package (each a top-level bookmark): the risk register with its heat maps,
vendors and their reports with what those expect of us, incidents, continuity tests. Only registers holding records
get a section. Every text goes through markup(): a register's text never becomes PDF markup."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, LongTable, Paragraph

from workbench.domain.register_values import format_duration
from workbench.services.exports.findings_section import findings_pdf
from workbench.services.exports.heat_map_pdf import heat_maps, unplaced_note
from workbench.services.exports.pdf_parts import markup
from workbench.services.exports.register_snapshot import RegisterSnapshot
from workbench.services.exports.risk_document import WIDTHS, risk_rows, risk_table_style


class Package(Protocol):
    """What the sections use of the package being laid out: its styles, headings and tables."""

    styles: Any

    def heading(self, key: str, title: str, level: int, style: ParagraphStyle, counts: bool = False,
                prefix: str = "") -> list[Flowable]: ...

    def table(self, rows: list[tuple[object, ...]], widths: tuple[float, ...], empty: str,
              style: Any = None) -> Flowable: ...


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _label(value: object) -> str:
    return str(getattr(value, "label", "")) if value is not None else ""


def _yes(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


class RegisterSections:
    """Builds the registers' sections with the package's headings, styles and tables (landscape pages)."""

    def __init__(self, package: Package, registers: RegisterSnapshot, width: float) -> None:
        self.package, self.registers, self.width = package, registers, width
        self.styles = package.styles

    def heading(self, key: str, title: str, level: int) -> list[Flowable]:
        style = self.styles.h1 if level == 0 else self.styles.h2
        return self.package.heading(key, title, level, style)

    def cells(self, rows: Sequence[Sequence[object]], widths: Sequence[float]) -> list[tuple[object, ...]]:
        """Return rows with every text cell sized to its column (escaped, shortened where long)."""
        return [tuple(self.styles.cell_text(value, width) for value, width in zip(row, widths, strict=True))
                for row in rows]

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
              empty: str) -> Flowable:
        scale = self.width / sum(widths)
        widths = tuple(w * scale for w in widths)
        return self.package.table([tuple(headers), *self.cells(rows, widths)], widths, empty)

    def story(self) -> list[Flowable]:
        """Return every section, in the registers' order."""
        registers, out = self.registers, []
        if registers.risks or registers.assessments:
            out += self.risks()
        if registers.vendors:
            out += self.vendors()
        if registers.incidents:
            out += self.incidents()
        if registers.tests:
            out += self.tests()
        if registers.table("people") is not None:
            out += self.people()
        if registers.table("access-reviews") is not None:
            out += self.access_reviews()
        return out + findings_pdf(self, self.registers.runs)

    def risks(self) -> list[Flowable]:
        registers, s = self.registers, self.styles
        out = self.heading("register-risks", "Risk register", 0)
        latest = registers.assessments[-1] if registers.assessments else None
        if latest is not None:
            out.append(Paragraph(markup(f"The assessment in use is {latest.words()}; it holds "
                                        f"{len(registers.risks)} risks."), s.body))
        out += self.heading("register-risks-map", "Heat maps", 1)
        out.append(heat_maps(registers.risks, s.fonts))
        note = unplaced_note(registers.risks)
        if note:
            out.append(Paragraph(markup(note[:1].upper() + note[1:] + "."), s.note))
        out += self.heading("register-risks-list", "Risks", 1)
        scale = self.width / sum(WIDTHS)
        out.append(LongTable(risk_rows(registers.risks, s.cell), colWidths=[w * scale for w in WIDTHS], repeatRows=1,
                             style=risk_table_style(s.fonts.regular, s.fonts.bold), hAlign="LEFT", splitInRow=1))
        out += self.heading("register-risks-assessments", "Assessments", 1)
        out.append(self.table(("#", "Started", "Signed on", "Signed by", "Risks", "Evidence of"), [
            (str(a.id), _day(a.started_on), _day(a.signed_on), a.signed_by or "draft", str(a.risk_count),
             a.control_ref or "") for a in registers.assessments], (20, 60, 60, 140, 40, 80), "No assessment yet."))
        return out

    def vendors(self) -> list[Flowable]:
        registers = self.registers
        out = self.heading("register-vendors", "Vendors and their reports", 0)
        out.append(self.table(
            ("Ref", "Vendor", "Service", "Data", "Service stops", "Subservice", "Criticality", "Contract terms",
             "Owner", "Next review"),
            [(v.ref, v.name, v.service, _label(v.data), _yes(v.stops_service), _label(v.subservice),
              _label(v.criticality), v.contract_terms, v.owner, _day(v.next_review)) for v in registers.vendors],
            (40, 80, 120, 60, 40, 50, 50, 110, 60, 55), "No vendors recorded."))
        out += self.heading("register-vendor-reports", "Vendors' reports", 1)
        out.append(self.table(
            ("Ref", "Vendor", "Report", "Period", "Issued", "Opinion", "Exceptions noted", "Bridge letter",
             "Reviewed", "Control", "File"),
            [(r.ref, r.vendor_name, " ".join(filter(None, (_label(r.kind), _label(r.report_type)))),
              f"{_day(r.period_start)} to {_day(r.period_end)}" if r.period_start else _day(r.period_end),
              _day(r.issued_on), _label(r.opinion), r.exceptions or "none", r.bridge_letter,
              " ".join(filter(None, (_day(r.reviewed_on), r.reviewed_by))), r.control_ref or "",
              "kept as evidence" if r.evidence_id else "") for r in registers.reports],
            (40, 70, 60, 80, 50, 50, 120, 60, 70, 45, 50), "No vendor report recorded."))
        out += self.heading("register-vendor-user-controls", "What vendors' reports expect of us", 1)
        out.append(self.table(
            ("Vendor", "Report", "Expected of us", "Our control"),
            [(r.vendor_name, r.ref, c.text, c.control_ref or "NOT MAPPED") for r in registers.reports
             for c in r.user_controls], (90, 50, 420, 80), "No report lists controls expected of us."))
        return out

    def incidents(self) -> list[Flowable]:
        out = self.heading("register-incidents", "Incidents", 0)
        out.append(self.table(
            ("Ref", "Title", "Detected", "Severity", "Security", "Contained", "Resolved", "Customers told",
             "Regulators told", "Root cause", "Lessons and follow-up"),
            [(i.ref, i.title, _day(i.detected_on), _label(i.severity), _yes(i.security), _day(i.contained_on),
              _day(i.resolved_on), _yes(i.customers_notified), _yes(i.regulators_notified), i.root_cause,
              "\n".join(filter(None, (i.lessons, i.follow_up)))) for i in self.registers.incidents],
            (45, 110, 52, 45, 40, 52, 52, 45, 45, 110, 140), "No incidents recorded."))
        return out

    def tests(self) -> list[Flowable]:
        out = self.heading("register-continuity", "Continuity tests", 0)
        out.append(self.table(
            ("Ref", "Kind", "Scenario", "Date", "Participants", "RTO target / achieved", "RPO target / achieved",
             "Result", "Issues and follow-up", "Control"),
            [(t.ref, _label(t.kind), t.scenario, _day(t.performed_on), t.participants,
              f"{format_duration(t.rto_target)} / {format_duration(t.rto_achieved)}",
              f"{format_duration(t.rpo_target)} / {format_duration(t.rpo_achieved)}", t.result(),
              "\n".join(filter(None, (t.issues, t.follow_up))), t.control_ref or "") for t in self.registers.tests],
            (40, 60, 130, 55, 90, 65, 65, 80, 140, 45), "No continuity tests recorded."))
        return out

    def people(self) -> list[Flowable]:
        table = self.registers.table("people")
        rows = table.values if table is not None else ()
        out = self.heading("register-people", "People", 0)
        out.append(self.table(
            ("Ref", "Name", "Email", "Type", "Role", "Start", "End", "Background check", "Training",
             "Access granted", "Access removed", "Removal", "Exception"),
            [(p["ref"], p["name"], p["email"], _label(p["worker_type"]), p["role"], _day(p["start_date"]),
              _day(p["end_date"]), _day(p["background_check_on"]), _day(p["training_at_hire_on"]),
              _day(p["access_granted_on"]), _day(p["access_removed_on"]), p["removal"] or "",
              "yes" if p["removal_exception"] else "") for p in rows],
            (40, 80, 100, 50, 60, 50, 50, 50, 50, 50, 50, 80, 40), "No people recorded."))
        return out

    def access_reviews(self) -> list[Flowable]:
        table = self.registers.table("access-reviews")
        rows = table.values if table is not None else ()
        out = self.heading("register-access-reviews", "Access reviews", 0)
        out.append(self.table(
            ("Campaign", "System", "Closed", "Login", "Role", "Admin", "Last login", "Flags", "Decision", "Note"),
            [(r["campaign"], r["system"], _day(r["closed"]) or "open", r["login"], r["role"], _yes(r["admin"]),
              _day(r["last_login"]), r["flags"], _label(r["decision"]), r["note"]) for r in rows],
            (50, 70, 55, 90, 70, 35, 55, 120, 50, 110), "No access reviews recorded."))
        return out
