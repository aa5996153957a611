"""Every PDF the program writes uses one font family (DejaVu, shipped in resources/fonts), on any system."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Category, ReportType
from workbench.domain.risks import Risk, RiskAssessment
from workbench.services import plan
from workbench.services.controls import add_control
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
from workbench.services.exports import pdf_parts
from workbench.services.exports.pdf_package import export_pdf
from workbench.services.exports.risk_document import assessment_pdf
from workbench.services.plan_exports import export_plan_pdf
from workbench.services.project import NewProject

pytestmark = pytest.mark.file_only("the fonts of a written PDF do not depend on where the project is kept")

SPEC = NewProject("Zoë & Søn Ltd", "Łódź cloud", ReportType.TYPE2, (Category.SECURITY,), date(2027, 6, 1),
                  date(2027, 11, 30))
FAMILY = "DejaVuSans"  # DejaVuSans, DejaVuSans-Bold, DejaVuSansMono: one family


def _fonts(reader: PdfReader) -> set[str]:
    """Return the base names of every font the pages use (subset prefixes dropped), form XObjects included."""
    found: set[str] = set()

    def walk(resources: DictionaryObject | None) -> None:
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():
            found.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


@pytest.fixture
def project(make_project, project_location):
    made = make_project(project_location("fonts.soc2"), SPEC)
    add_control(made, ControlDraft("AC-1", "Access reviewed by Zoë Ørsted", description="Quarterly, in Łódź."))
    add_evidence_bytes(made, "review.txt", "reviewer: Zoë\nresult: ok\n".encode(),
                       EvidenceMeta("AC-1", title="Access review", collected_on=date(2027, 7, 1)))
    plan.generate_plan(made, start=date(2027, 1, 4))
    return made


def test_the_evidence_package_the_timeline_and_the_risk_assessment_use_one_family(project, tmp_path: Path):
    package = _fonts(PdfReader(export_pdf(project, tmp_path / "package.pdf")))
    timeline_reader = PdfReader(export_plan_pdf(project, tmp_path / "plan.pdf"))
    timeline = _fonts(timeline_reader)
    (tmp_path / "risks.pdf").write_bytes(assessment_pdf("Zoë & Søn Ltd", RiskAssessment(1, date(2027, 1, 4)), [
        Risk(1, "R-1", "Łódź office flooded", likelihood=2, impact=4)]))
    risks = _fonts(PdfReader(tmp_path / "risks.pdf"))
    assert package and timeline and risks
    assert all(name.startswith(FAMILY) for name in package | timeline | risks), package | timeline | risks
    assert "Zoë & Søn Ltd" in timeline_reader.pages[0].extract_text()  # the family writes any name, not Latin-1 only


def test_the_shipped_fonts_are_found_before_the_system_s(monkeypatch):
    monkeypatch.setattr(pdf_parts, "_FONT_DIRS", ())  # a system with no fonts of its own, as Windows and macOS
    monkeypatch.setattr(pdf_parts, "_fonts", None)
    assert pdf_parts.package_fonts().unicode
