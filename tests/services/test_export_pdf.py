"""The PDF evidence package, read back with pypdf: outline, text, merged evidence, images, integrity, cancel."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from workbench.domain.entities import ControlDraft
from workbench.domain.errors import WorkbenchError
from workbench.services.controls import add_control
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes, list_evidence
from workbench.services.exports import pdf_parts
from workbench.services.exports.cover import manifest_hash
from workbench.services.exports.output import ExportCancelled
from workbench.services.exports.pdf_package import export_pdf
from workbench.services.exports.snapshot import ExportOptions, take_snapshot
from workbench.services.session import OpenProject, open_project

MARKUP_TITLE = '<b>Bold</b> & <img src="x.png"/>'
ODD_NAME = "../../etc/<b>odd name</b>.txt"
PDF_TEXT = "Vendor attestation marker 7431"
EXIF_MARK = "SecretCameraMaker"
TODAY = date(2026, 11, 26)
HEADER = "Brightpath Analytics, Inc. · SOC 2 Type II · 2026-04-01 to 2026-09-30"
FURNITURE = re.compile(rf"^\s*({re.escape(HEADER)}\s+Confidential|Page \d+ of \d+|Evidence for control .*)\s*$")


def _pdf_with_text(text: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.drawString(72, 720, "second page of the attestation")
    canvas.save()
    return buffer.getvalue()


def _image_with_exif(kind: str) -> bytes:
    picture = Image.new("RGB", (320, 200), (40, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = EXIF_MARK  # Make
    exif[0x0131] = EXIF_MARK + " software"  # Software
    buffer = io.BytesIO()
    picture.save(buffer, kind, exif=exif.tobytes())
    data = buffer.getvalue()
    assert EXIF_MARK.encode() in data
    return data


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_with_text("secret contents 5511"))))
    writer.encrypt("owner-and-user-password")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def project(sample_location: Callable[[], Any]) -> Iterator[OpenProject]:
    """A copy of the sample project with PDF, image, log, oddly named and markup-titled evidence added."""
    opened = open_project(sample_location())
    add_control(opened, ControlDraft("ZZ-01", MARKUP_TITLE, description="Line one\n<i>not italic</i> &amp;",
                                     owner="Zoë Ångström 数据 🙂", criteria=("CC6.1",)))
    meta = EvidenceMeta("ZZ-01", collected_on=date(2026, 5, 4), period_start=date(2026, 4, 1),
                        period_end=date(2026, 4, 30))
    add_evidence_bytes(opened, "vendor_attestation.pdf", _pdf_with_text(PDF_TEXT), meta)
    add_evidence_bytes(opened, "camera.png", _image_with_exif("PNG"), meta)
    add_evidence_bytes(opened, "photo.jpg", _image_with_exif("JPEG"), meta)
    log = "".join(f"2026-05-04T10:{n % 60:02d}:00Z login ok user=ana line={n}\n" for n in range(1, 101))
    add_evidence_bytes(opened, "auth.log", log.encode(), meta)
    add_evidence_bytes(opened, ODD_NAME, b"odd file body <script>alert(1)</script>\n", meta)
    add_evidence_bytes(opened, "locked.pdf", _encrypted_pdf(), meta)
    add_evidence_bytes(opened, "broken.pdf", b"%PDF-1.4\nthis is not really a PDF\n", meta)
    yield opened
    opened.close()


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """Return (depth, title, page index) for every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def _body_lines(text: str) -> list[str]:
    """Return a page's text lines without its running header, marking, stamp and footer."""
    return [line for line in text.splitlines() if line.strip() and not FURNITURE.match(line)]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_package_has_outline_text_hashes_and_merged_pdf(project: OpenProject, tmp_path: Path) -> None:
    out = export_pdf(project, tmp_path / "package.pdf", today=TODAY)
    reader = PdfReader(out)
    text = _text(reader)
    outline = _outline(reader)
    titles = [title for _, title, _ in outline]
    evidence = list_evidence(project)
    controls = {e.control_ref for e in evidence} | {"ZZ-01", "AC-02", "VN-01"}

    for ref in controls:
        assert any(title.startswith(f"{ref} – ") for title in titles), ref
        assert ref in text
    assert f"ZZ-01 – {MARKUP_TITLE}" in titles
    for section in ("Scope and system description", "Criteria-to-controls matrix", "Controls", "Evidence index"):
        assert (0, section) in {(depth, title) for depth, title, _ in outline}
    merged = [(depth, page) for depth, title, page in outline if title == "Attached PDF: vendor_attestation.pdf"]
    assert len(merged) == 1 and merged[0][0] == 2
    assert PDF_TEXT in (reader.pages[merged[0][1]].extract_text() or "")
    assert "second page of the attestation" in (reader.pages[merged[0][1] + 1].extract_text() or "")

    assert MARKUP_TITLE in text
    assert "<i>not italic</i> &amp;" in text
    assert ODD_NAME in text
    assert "Zoë Ångström" in text
    for item in evidence:
        assert item.sha256 in text, item.filename
    total = len(reader.pages)
    assert re.search(rf"Page 1 of {total}\b", reader.pages[0].extract_text())
    for number in range(1, total + 1):
        assert f"Page {number} of {total}" in (reader.pages[number - 1].extract_text() or ""), number
    snapshot = take_snapshot(project, today=TODAY)
    assert manifest_hash(snapshot) in text
    assert snapshot.chain_head in text


def test_excerpts_notes_and_contents(project: OpenProject, tmp_path: Path) -> None:
    reader = PdfReader(export_pdf(project, tmp_path / "package.pdf", today=TODAY))
    text = _text(reader)
    assert "login ok user=ana line=1\n" in text and "line=60" in text
    assert "line=61" not in text and "line=100" not in text
    assert "odd file body <script>alert(1)</script>" in text
    assert "locked.pdf" in text and "Not merged: the PDF is encrypted." in text
    assert "secret contents 5511" not in text
    assert "Not merged: the PDF cannot be read." in text
    outline = _outline(reader)
    pages = {title: page for _, title, page in outline}
    contents = "\n".join(line for n in range(1, pages["Scope and system description"])
                         for line in _body_lines(reader.pages[n].extract_text(extraction_mode="layout")))
    assert contents.lstrip().startswith("Contents")
    # Every page number printed in the contents is the page its bookmark opens (1-based).
    checked = 0
    for title, page in pages.items():
        if len(title) < 60:
            printed = re.search(rf"^ *{re.escape(title)} +(\d+)$", contents, re.MULTILINE)
            assert printed and int(printed.group(1)) == page + 1, title
            checked += 1
    assert checked > 50


def _image_streams(reader: PdfReader) -> list[tuple[tuple[int, int], bytes]]:
    """Return (size, stream data as stored, only transport filters undone) of every image XObject."""
    found = []
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            stream = ref.get_object()
            if stream.get("/Subtype") == "/Image":
                found.append(((int(stream["/Width"]), int(stream["/Height"])), stream.get_data()))
    return found


def test_embedded_images_carry_no_exif(project: OpenProject, tmp_path: Path) -> None:
    reader = PdfReader(export_pdf(project, tmp_path / "package.pdf", today=TODAY))
    streams = _image_streams(reader)
    assert [size for size, _ in streams].count((320, 200)) == 2
    jpegs = [data for _, data in streams if data.startswith(b"\xff\xd8")]
    assert jpegs  # the photo stays a JPEG: its stream is the file the package embedded
    for _, data in streams:
        assert EXIF_MARK.encode() not in data
        assert b"Exif\x00\x00" not in data
    for page in reader.pages:
        for image in page.images:
            assert not image.image.getexif()


def test_changed_evidence_byte_stops_the_export(project: OpenProject, tmp_path: Path,
                                                plain_sql: Callable[..., Any]) -> None:
    (target,) = [e for e in list_evidence(project) if e.filename == "auth.log"]
    path = project.path
    project.close()
    ((data,),) = plain_sql(path, "SELECT data FROM evidence_chunks WHERE blob_sha256 = ? AND seq = 0",
                           (target.sha256,))
    changed = bytes([data[0] ^ 0x01]) + bytes(data[1:])
    plain_sql(path, "UPDATE evidence_chunks SET data = ? WHERE blob_sha256 = ? AND seq = 0", (changed, target.sha256))
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "package.pdf"
    previous.write_bytes(b"the previous package")
    with open_project(path) as again, pytest.raises(WorkbenchError) as raised:
        export_pdf(again, previous, today=TODAY)
    assert "auth.log" in str(raised.value) and "ZZ-01" in str(raised.value)
    assert previous.read_bytes() == b"the previous package"
    assert _leftovers(out) == []
    with open_project(path) as again, pytest.raises(WorkbenchError):
        export_pdf(again, out / "fresh.pdf", today=TODAY)
    assert not (out / "fresh.pdf").exists() and _leftovers(out) == []


@pytest.mark.parametrize("stop_after", [1, 40, 60])
def test_cancel_leaves_no_file(project: OpenProject, tmp_path: Path, stop_after: int) -> None:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < stop_after

    target = tmp_path / "cancelled.pdf"
    with pytest.raises(ExportCancelled):
        export_pdf(project, target, progress=progress, today=TODAY)
    assert not target.exists() and _leftovers(tmp_path) == []
    assert len(calls) == stop_after


def test_progress_reaches_the_total(project: OpenProject, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    export_pdf(project, tmp_path / "p.pdf", progress=lambda d, t: calls.append((d, t)) is None, today=TODAY)
    assert calls[-1][0] == calls[-1][1] and len(calls) > 50
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_options_limit_controls_criteria_and_dates(project: OpenProject, tmp_path: Path) -> None:
    options = ExportOptions(controls=frozenset({"AC-01", "ZZ-01"}))
    reader = PdfReader(export_pdf(project, tmp_path / "subset.pdf", options, today=TODAY))
    refs = {title.split(" – ")[0] for depth, title, _ in _outline(reader) if depth == 1 and " – " in title}
    assert refs == {"AC-01", "ZZ-01"}
    text = _text(reader)
    assert "BC-01" not in text and PDF_TEXT in text

    options = ExportOptions(criteria=frozenset({"CC6.1"}))
    reader = PdfReader(export_pdf(project, tmp_path / "criteria.pdf", options, today=TODAY))
    refs = {title.split(" – ")[0] for depth, title, _ in _outline(reader) if depth == 1 and " – " in title}
    expected = {c.ref for c in take_snapshot(project, options).controls}
    assert refs == expected and "ZZ-01" in refs and len(refs) < 48

    options = ExportOptions(controls=frozenset({"ZZ-01"}), collected_from=date(2026, 6, 1))
    reader = PdfReader(export_pdf(project, tmp_path / "dated.pdf", options, today=TODAY))
    text = _text(reader)
    assert "ZZ-01" in text and PDF_TEXT not in text and "auth.log" not in text
    assert not any(title.startswith("Attached PDF") for _, title, _ in _outline(reader))


def test_manifest_hash_follows_the_exported_files(project: OpenProject) -> None:
    whole = take_snapshot(project, today=TODAY)
    assert manifest_hash(whole) == manifest_hash(take_snapshot(project, today=date(2030, 1, 1)))
    assert re.fullmatch(r"[0-9a-f]{64}", manifest_hash(whole))
    subset = take_snapshot(project, ExportOptions(controls=frozenset({"ZZ-01"})), today=TODAY)
    assert manifest_hash(subset) != manifest_hash(whole)
    add_evidence_bytes(project, "late.txt", b"added later\n", EvidenceMeta("ZZ-01"))
    assert manifest_hash(take_snapshot(project, today=TODAY)) != manifest_hash(whole)


def test_qpdf_check_passes(project: OpenProject, tmp_path: Path) -> None:
    out = export_pdf(project, tmp_path / "package.pdf", today=TODAY)
    assert PdfReader(out).pages  # readable whether or not qpdf is installed
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed")
    result = subprocess.run([qpdf, "--check", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_folder_is_refused(project: OpenProject, tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="folder does not exist"):
        export_pdf(project, tmp_path / "nowhere" / "package.pdf")


def test_latin1_fonts_never_crash_on_any_character(project: OpenProject, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_parts, "_fonts", pdf_parts.Fonts("Helvetica", "Helvetica-Bold", "Courier", False))
    options = ExportOptions(controls=frozenset({"ZZ-01"}))
    text = _text(PdfReader(export_pdf(project, tmp_path / "latin1.pdf", options, today=TODAY)))
    assert "Zoë Ångström ??" in text and MARKUP_TITLE in text


def _paragraph_text(value: str) -> str:
    buffer = io.BytesIO()
    style = ParagraphStyle("p", fontName=pdf_parts.package_fonts().regular, fontSize=9)
    SimpleDocTemplate(buffer).build([Paragraph(pdf_parts.markup(value), style)])
    return PdfReader(buffer).pages[0].extract_text()


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet='<>&;/="\'#abimgsrcpx ', min_size=1, max_size=40).filter(str.strip))
def test_markup_prints_any_tag_soup_literally(value: str) -> None:
    assert " ".join(_paragraph_text(value).split()) == " ".join(value.split())


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=60))
def test_markup_never_crashes_on_any_unicode(value: str) -> None:
    _paragraph_text(value)


def _body(page: Any) -> str:
    return " ".join(" ".join(_body_lines(page.extract_text() or "")).split())


def test_every_page_has_the_header_and_marking_and_no_heading_ends_a_page(project: OpenProject,
                                                                         tmp_path: Path) -> None:
    reader = PdfReader(export_pdf(project, tmp_path / "package.pdf", today=TODAY))
    for number, page in enumerate(reader.pages, start=1):
        lines = (page.extract_text() or "").splitlines()
        assert any(re.match(rf"^{re.escape(HEADER)}\s*$", line) for line in lines), number
        assert "Confidential" in lines, number
    # Each heading has content after it on its page: the bookmarks', and the unlisted "Evidence (n)" ones.
    for _, title, page in _outline(reader):
        if title.startswith("Attached PDF"):
            continue
        body = _body(reader.pages[page])
        heading = " ".join(title.split())
        assert heading in body, title
        assert body[body.rindex(heading) + len(heading):].strip(), f"{title!r} ends page {page + 1}"
    for number, page in enumerate(reader.pages, start=1):
        lines = _body_lines(page.extract_text() or "")
        assert lines and not re.fullmatch(r"\s*Evidence \(\d+\)\s*", lines[-1]), number


def test_metadata_names_the_organisation(project: OpenProject, tmp_path: Path) -> None:
    metadata = PdfReader(export_pdf(project, tmp_path / "package.pdf", today=TODAY)).metadata
    assert metadata.title == "SOC 2 evidence package: Brightpath Analytics, Inc."
    assert metadata.author == "Brightpath Analytics, Inc."
    assert "2026-04-01 to 2026-09-30" in metadata.subject and "Type II" in metadata.subject
    assert "Confidential" in metadata["/Keywords"] and "SOC 2" in metadata["/Keywords"]


def test_merged_pages_are_stamped_and_keep_their_text(project: OpenProject, tmp_path: Path) -> None:
    reader = PdfReader(export_pdf(project, tmp_path / "package.pdf", today=TODAY))
    (first,) = [page for _, title, page in _outline(reader) if title == "Attached PDF: vendor_attestation.pdf"]
    for offset, marker in enumerate((PDF_TEXT, "second page of the attestation")):
        page = reader.pages[first + offset]
        text = page.extract_text() or ""
        assert f"Evidence for control ZZ-01: vendor_attestation.pdf (page {offset + 1} of 2)" in text
        assert marker in text and HEADER in text and "Confidential" in text
        # The evidence page is whole: the bands above and below it hold the header, stamp and footer.
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842 + 44 + 32)
    stamped = [n for n, page in enumerate(reader.pages) if "Evidence for control" in (page.extract_text() or "")]
    attached = {page for _, title, page in _outline(reader) if title.startswith("Attached PDF")}
    assert attached <= set(stamped)


def test_excerpt_says_how_much_is_shown_and_the_catalog_is_named_once(project: OpenProject,
                                                                     tmp_path: Path) -> None:
    text = _text(PdfReader(export_pdf(project, tmp_path / "package.pdf", today=TODAY)))
    assert "Excerpt: the first 60 of 100 lines." in text
    assert "2017 Trust Services Criteria (2022 revised points of focus)" in text and "2017-rev2022" not in text


def test_the_index_breaks_long_names_after_separators(project: OpenProject, tmp_path: Path) -> None:
    name = "quarterly_access_review_export_for_the_production_database_cluster_in_eu-west-1_final.csv"
    add_evidence_bytes(project, name, b"login,role\n", EvidenceMeta("ZZ-01"))
    reader = PdfReader(export_pdf(project, tmp_path / "package.pdf", ExportOptions(controls=frozenset({"ZZ-01"})),
                                  today=TODAY))
    (index,) = [page for _, title, page in _outline(reader) if title == "Evidence index"]
    lines = [line.strip() for line in (reader.pages[index].extract_text() or "").splitlines()]

    def pieces_from(start: int) -> list[str]:
        pieces: list[str] = []
        while start + len(pieces) < len(lines) and name.startswith("".join(pieces) + lines[start + len(pieces)]):
            pieces.append(lines[start + len(pieces)])
            if "".join(pieces) == name:
                return pieces
        return []

    start, pieces = next((n, found) for n in range(len(lines)) if (found := pieces_from(n)))
    assert len(pieces) > 1 and all(piece[-1] in "_-." for piece in pieces[:-1]), pieces
    assert "text/csv" in lines[start + len(pieces)]


@pytest.mark.parametrize("room", [14.0, 30.0, 60.0])
def test_a_heading_moves_on_with_what_follows_it(room: float) -> None:
    from reportlab.platypus import Spacer, Table

    fonts = pdf_parts.package_fonts()
    heading = ParagraphStyle("h3", fontName=fonts.bold, fontSize=9.5, leading=12, spaceBefore=6, spaceAfter=2)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer)
    rows = [("Header", "Column")] + [(f"row {n}", "x\ny\nz") for n in range(40)]
    story = [Spacer(1, doc.height - room), pdf_parts.HeadingBreak(), Paragraph("Kept heading", heading),
             Table(rows, repeatRows=1, style=[("FONT", (0, 0), (-1, -1), fonts.regular, 8)])]
    pdf_parts.link_headings(story)
    doc.build(story)
    pages = [page.extract_text() or "" for page in PdfReader(buffer).pages]
    (on,) = [n for n, text in enumerate(pages) if "Kept heading" in text]
    assert "row 0" in pages[on], (room, on)


def test_register_pdfs_carry_the_marking_on_every_page() -> None:
    from workbench.services.exports.register_pdf import landscape_pdf, register_styles

    styles = register_styles()
    story = [Paragraph(f"line {n}", styles.body) for n in range(120)]
    reader = PdfReader(io.BytesIO(landscape_pdf(story, "Access review AR-9", "Acme Ltd", styles.fonts)))
    assert len(reader.pages) > 1
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        assert "Confidential" in text and "Acme Ltd · Access review AR-9" in text and f"Page {number}" in text
    assert reader.metadata.title == "Acme Ltd · Access review AR-9" and reader.metadata.author == "Acme Ltd"
