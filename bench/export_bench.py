"""Time our exports of a 500-control, 5,000-evidence project against the raw libraries writing the same content.

Builds the project once in a temporary folder (small distinct text and log files, a few PNGs and small PDFs),
then, in this one process and after a warm-up of every side:
  (a) export_pdf against reportlab building, in one pass (doc.build), a document with the same tables and text:
      cover, criteria matrix, one section per control with its fields, evidence table and the same text
      excerpts and images, and the evidence index. Target ratio <= 2.5. Also printed: the ratio against the
      tables alone (no excerpts or images), which is all the raw side has to lay out then.
  (b) export_xlsx against openpyxl in write-only mode writing the same sheets and row values (read back from
      our workbook). Target ratio <= 1.5.
  (c) export_zip, for information.
  (d) export_pdf of a project whose control title is 2 MB of text against the same with 1 MB: the package shows
      a bounded part of long text, so the time must not grow faster than the text. Target ratio <= 2.
The warm-up exports the first ten controls only. The raw sides are timed best of 3; ours once each (--repeat
for more, best of). The default size takes about three minutes. Peak memory is this process's (every side runs
in it, so it is the most any one of them needed, plus the project snapshot kept for the raw sides).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

CONTROLS = 500
EVIDENCE = 5_000
PDF_TARGET = 2.5
XLSX_TARGET = 1.5
TODAY = date(2026, 11, 26)
MEDIA_EVERY = 250  # one PNG or PDF among this many evidence items
LONG_TARGET = 2.0


def _png(index: int) -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (480, 270), ((index * 37) % 256, (index * 91) % 256, 200))
    ImageDraw.Draw(picture).text((20, 20), f"Screenshot {index}: MFA enforced for all users", fill=(0, 0, 0))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _pdf(index: int) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter, invariant=1)
    for page in range(2):
        canvas.drawString(72, 720, f"Policy document {index}, page {page + 1}")
        canvas.drawString(72, 700, "Approved by the board; reviewed annually.")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _text(index: int) -> tuple[str, bytes]:
    day = date(2026, 4, 1) + timedelta(days=index % 180)
    if index % 2:
        lines = [f"{day}T{h:02d}:{(index * 7) % 60:02d}:00Z host-{index % 17} job={index} step {h} ok"
                 for h in range(12 + index % 9)]
        return f"job_{index:05d}_{day}.log", ("\n".join(lines) + "\n").encode()
    rows = [f"user{(index + r) % 97},role{r % 5},reviewed,{day}" for r in range(10 + index % 13)]
    return f"access_review_{index:05d}.csv", ("user,role,result,date\n" + "\n".join(rows) + "\n").encode()


def build_project(path: Path, controls: int, evidence: int) -> None:
    """Create the project through the store's bulk paths: controls in one add_many, evidence in one transaction."""
    from workbench.domain.entities import ControlDraft
    from workbench.domain.enums import AssessmentStatus, Category, ControlStatus, Frequency, Nature, ReportType
    from workbench.domain.media import sniff_media_type
    from workbench.services.project import NewProject, create_project

    spec = NewProject("Bench Analytics, Inc.", "Bench Platform", ReportType.TYPE2,
                      (Category.SECURITY, Category.AVAILABILITY, Category.CONFIDENTIALITY),
                      date(2026, 4, 1), date(2026, 9, 30))
    frequencies, statuses = list(Frequency), list(AssessmentStatus)
    with create_project(path, spec) as project, project.uow() as uow:
        criteria = [c.id for c in uow.criteria.catalog().in_scope(uow.settings.get().categories)]
        refs = [f"BC-{i:04d}" for i in range(controls)]
        uow.controls.add_many([ControlDraft(
            ref=ref, title=f"Generated control {i} for the export benchmark",
            description=f"Control {i} makes sure the thing it is about happens on time, every time, and "
                        "that someone looks at the result and keeps the record.",
            owner=f"Owner {i % 23}", frequency=frequencies[i % len(frequencies)], nature=list(Nature)[i % 2],
            status=list(ControlStatus)[i % 3],
            criteria=(criteria[i % len(criteria)], criteria[(i * 7 + 3) % len(criteria)]),
        ) for i, ref in enumerate(refs)])
        for index, criterion in enumerate(criteria):
            status = statuses[index % len(statuses)]
            uow.assessments.set(criterion, status, "Justified for the bench." if status.value == "not_applicable"
                                else "", uow.now())
        ids = {ref: uow.controls.id_of(ref) for ref in refs}
        blobs: dict[str, tuple[str, int, str, int]] = {}
        chunks: list[tuple[str, int, bytes]] = []
        records: list[tuple[object, ...]] = []
        added = uow.now().isoformat()
        for index in range(evidence):
            if index % MEDIA_EVERY == MEDIA_EVERY // 2:
                name, data = (f"screenshot_{index}.png", _png(index)) if index % (2 * MEDIA_EVERY) < MEDIA_EVERY \
                    else (f"policy_{index}.pdf", _pdf(index))
            else:
                name, data = _text(index)
            sha256 = hashlib.sha256(data).hexdigest()
            if sha256 not in blobs:
                blobs[sha256] = (sha256, len(data), sniff_media_type(data[:8192], name), 1)
                chunks.append((sha256, 0, data))
            collected = date(2026, 4, 1) + timedelta(days=index % 180)
            records.append((ids[refs[index % controls]], sha256, f"Evidence {index}", name, collected.isoformat(),
                            collected.isoformat(), (collected + timedelta(days=6)).isoformat(), "bench", "", added))
        # The store has no bulk path for evidence; like ControlRepository.add_many, insert at driver level in
        # the same unit of work (the ORM path costs a minute here, for rows the exports only read).
        connection = uow.session.connection()
        connection.exec_driver_sql("INSERT INTO evidence_blobs (sha256, size, media_type, chunk_count) "
                                   "VALUES (?, ?, ?, ?)", list(blobs.values()))
        connection.exec_driver_sql("INSERT INTO evidence_chunks (blob_sha256, seq, data) VALUES (?, ?, ?)", chunks)
        connection.exec_driver_sql(
            "INSERT INTO evidence (control_id, blob_sha256, title, filename, collected_on, period_start, period_end, "
            "source, notes, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", records)
        uow.commit()


# -- (a) the raw reportlab document ---------------------------------------------------------------------------


def raw_pdf_story(snapshot: object, contents: dict[int, object], shown: bool = True) -> Callable[[], bytes]:
    """Return a function building, in one doc.build pass, the package's tables and text with plain reportlab.

    With shown=False the evidence excerpts and images are left out: the tables only.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        Image,
        LongTable,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Preformatted,
        Table,
        TableStyle,
    )
    from reportlab.platypus.flowables import Spacer

    from workbench.services.exports.pdf_parts import markup, package_fonts

    fonts = package_fonts()  # the same fonts as our package: font choice alone changes the cost a lot
    margin, page, wide_page = 0.7 * inch, letter, landscape(letter)
    width, wide = page[0] - 2 * margin, wide_page[0] - 2 * margin

    def style(name: str, size: float, font: str = fonts.regular) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25)

    h1, h2, h3, cell, mono = (style("h1", 15, fonts.bold), style("h2", 11.5, fonts.bold),
                              style("h3", 9.5, fonts.bold), style("cell", 7.5), style("mono", 6.5, fonts.mono))
    grid = TableStyle([("FONT", (0, 0), (-1, -1), fonts.regular, 7.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                       ("FONT", (-1, 1), (-1, -1), fonts.mono, 6.1)])

    def para(text: object) -> Paragraph:
        return Paragraph(markup(text), cell)

    def story() -> list[object]:
        s = snapshot
        out: list[object] = [Paragraph("SOC 2 evidence package", h1), Paragraph(markup(s.settings.organization), h2),
                             Table([("Organisation", s.settings.organization), ("System", s.settings.system_name),
                                    ("Generated", s.generated_on.isoformat()), ("Chain head", s.chain_head)],
                                   colWidths=(120, width - 120)), PageBreak()]
        refs: dict[str, list[str]] = {}
        for control in s.controls:
            for criterion in control.criteria:
                refs.setdefault(criterion, []).append(control.ref)
        out.append(Paragraph("Criteria-to-controls matrix", h1))
        rows = [("Criterion", "Summary", "Assessment", "Controls")] + [
            (c.id, para(c.summary), s.assessment(c.id).status.label, para(", ".join(refs.get(c.id, ())) or "none"))
            for c in s.criteria]
        out.append(LongTable(rows, colWidths=(45, width - 280, 85, 150), repeatRows=1, style=grid))
        by_control: dict[str, list[object]] = {}
        for item in s.evidence:
            by_control.setdefault(item.control_ref, []).append(item)
        for control in s.controls:
            out.append(Paragraph(markup(f"{control.ref}  {control.title}"), h2))
            fields = [("Description", para(control.description)), ("Owner", control.owner),
                      ("Frequency", control.frequency.label if control.frequency else "-"),
                      ("Status", control.status.label), ("Criteria", ", ".join(control.criteria))]
            out.append(Table(fields, colWidths=(80, width - 80)))
            items = by_control.get(control.ref, [])
            out.append(Paragraph(f"Evidence ({len(items)})", h3))
            rows = [("Title and file", "Collected", "Period", "SHA-256")] + [
                (para(f"{e.title}\n{e.filename}"), str(e.collected_on), f"{e.period_start}\nto {e.period_end}",
                 e.sha256) for e in items]
            out.append(Table(rows, colWidths=(width - 368, 56, 62, 250), repeatRows=1, style=grid))
            for item in items if shown else ():
                content = contents[item.id]
                if content.kind == "text":
                    out += [Paragraph(markup(f"{item.title} ({item.filename})"), h3),
                            Preformatted(content.text, mono, maxLineLength=118, newLineChars="")]
                elif content.kind == "image":
                    w, h = content.size
                    scale = min(width / w, 1.0)
                    out += [Paragraph(markup(item.title), h3), Image(io.BytesIO(content.data), w * scale, h * scale)]
        out += [NextPageTemplate("wide"), PageBreak(), Paragraph("Evidence index", h1)]
        rows = [("Control", "Title", "File name", "Size", "Media type", "Collected", "SHA-256")] + [
            (e.control_ref, para(e.title), para(e.filename), str(e.size), e.media_type, str(e.collected_on),
             e.sha256) for e in s.evidence]
        out.append(LongTable(rows, colWidths=(50, 112, wide - 583, 45, 74, 52, 250), repeatRows=1, style=grid))
        out.append(Spacer(1, 1))
        return out

    def build() -> bytes:
        target = io.BytesIO()
        doc = BaseDocTemplate(target, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
                              bottomMargin=margin, invariant=1)
        doc.addPageTemplates([
            PageTemplate("page", [Frame(margin, margin, width, page[1] - 2 * margin)], pagesize=page),
            PageTemplate("wide", [Frame(margin, margin, wide, wide_page[1] - 2 * margin)], pagesize=wide_page),
        ])
        doc.build(story())
        return target.getvalue()

    return build


# -- (b) the raw openpyxl workbook ------------------------------------------------------------------------------


def read_sheets(path: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Return every sheet of a workbook with its row values, as openpyxl reads them."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]
    finally:
        book.close()


def raw_xlsx(sheets: list[tuple[str, list[tuple[object, ...]]]], path: Path) -> None:
    """Write the same sheets and rows with openpyxl in write-only mode."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)


# -- timing ------------------------------------------------------------------------------------------------------


def long_title_times(root: Path, repeat: int) -> tuple[float, float]:
    """Return the best PDF export times of a one-control project whose title is 1 MB and 2 MB of words."""
    from workbench.domain.entities import ControlDraft
    from workbench.domain.enums import Category, ReportType
    from workbench.services.controls import add_control
    from workbench.services.exports.pdf_package import export_pdf
    from workbench.services.project import NewProject, create_project

    spec = NewProject("Long Text, Inc.", "Platform", ReportType.TYPE2, (Category.SECURITY,),
                      date(2026, 4, 1), date(2026, 9, 30))
    times = []
    for megabytes in (1, 2):
        size = megabytes << 20
        with create_project(root / f"long-{megabytes}.soc2", spec) as project:
            title = ("access is reviewed every quarter by the owner " * (size // 46 + 1))[:size]
            add_control(project, ControlDraft("LT-1", title, criteria=("CC6.1",)))
            times.append(best_of(max(repeat, 2), lambda: export_pdf(project, root / "long.pdf", today=TODAY)))
    return times[0], times[1]


def best_of(times: int, action: Callable[[], object]) -> float:
    """Return the shortest wall time of `times` runs of action."""
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    """Build the project, time every side, print the times and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--controls", type=int, default=CONTROLS)
    parser.add_argument("--evidence", type=int, default=EVIDENCE)
    parser.add_argument("--repeat", type=int, default=1, help="runs of our exports (best of); raw sides: 3")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (for run_all.py)")
    args = parser.parse_args()

    from workbench.services.exports.binder import export_zip
    from workbench.services.exports.pdf_package import export_pdf
    from workbench.services.exports.pdf_parts import prepare
    from workbench.services.exports.snapshot import ExportOptions, take_snapshot
    from workbench.services.exports.workbook import export_xlsx
    from workbench.services.session import open_project

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        start = time.perf_counter()
        build_project(root / "bench.soc2", args.controls, args.evidence)
        built = time.perf_counter() - start
        if not args.json:
            print(f"project: {args.controls} controls, {args.evidence} evidence items, built in {built:.1f} s")
        with open_project(root / "bench.soc2") as project:
            snapshot = take_snapshot(project, today=TODAY)
            contents = {item.id: prepare(project, item) for item in snapshot.evidence}
            few = ExportOptions(controls=frozenset(c.ref for c in snapshot.controls[:10]))

            def ours_pdf(options: ExportOptions | None = None) -> Path:
                return export_pdf(project, root / "ours.pdf", options, today=TODAY)

            def ours_xlsx(options: ExportOptions | None = None) -> object:
                return export_xlsx(project, root / "ours.xlsx", options, today=TODAY)

            def ours_zip(options: ExportOptions | None = None) -> object:
                return export_zip(project, root / "ours.zip", options, today=TODAY)

            # Warm-up on a few controls: imports, font registration and caches, for every side.
            ours_pdf(few)
            raw_pdf_story(take_snapshot(project, few, TODAY), contents)()
            ours_xlsx(few)
            raw_xlsx(read_sheets(root / "ours.xlsx"), root / "raw.xlsx")
            ours_zip(few)

            pdf_ours = best_of(args.repeat, ours_pdf)
            pdf_raw = best_of(3, raw_pdf_story(snapshot, contents))
            pdf_tables = best_of(3, raw_pdf_story(snapshot, contents, shown=False))
            xlsx_ours = best_of(args.repeat, ours_xlsx)
            sheets = read_sheets(root / "ours.xlsx")
            xlsx_raw = best_of(3, lambda: raw_xlsx(sheets, root / "raw.xlsx"))
            zip_ours = best_of(args.repeat, ours_zip)
            sizes = {name: (root / name).stat().st_size >> 10 for name in ("ours.pdf", "ours.xlsx", "ours.zip")}
        long_one, long_two = long_title_times(root, args.repeat)
    rows = sum(len(r) for _, r in sheets)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    if args.json:
        size = f"{args.controls} controls / {args.evidence:,} evidence"
        print(json.dumps([
            {"figure": f"Export pdf evidence package, {size}", "ours": pdf_ours, "raw": pdf_raw,
             "ratio": pdf_ours / pdf_raw, "target": f"<= {PDF_TARGET}x reportlab", "peak_mib": peak,
             "runs": args.repeat, "notes": []},
            {"figure": f"Export xlsx workbook, {size}", "ours": xlsx_ours, "raw": xlsx_raw,
             "ratio": xlsx_ours / xlsx_raw, "target": f"<= {XLSX_TARGET}x openpyxl", "peak_mib": peak,
             "runs": args.repeat, "notes": []},
            {"figure": f"Export zip binder, {size}", "ours": zip_ours, "raw": None, "ratio": None,
             "target": "none set", "peak_mib": peak, "runs": args.repeat, "notes": []},
            {"figure": "Export pdf, a 2 MB control title (raw column: the same with 1 MB)", "ours": long_two,
             "raw": long_one, "ratio": long_two / long_one, "target": f"<= {LONG_TARGET}x (linear or better)",
             "peak_mib": peak, "runs": max(args.repeat, 2), "notes": []},
        ]))
        return 0
    print(f"(a) export_pdf: {pdf_ours:.2f} s ({sizes['ours.pdf']} KiB); reportlab one pass, same tables and "
          f"text: {pdf_raw:.2f} s; ratio {pdf_ours / pdf_raw:.2f} (target <= {PDF_TARGET})")
    print(f"    against the tables alone (no excerpts or images): {pdf_tables:.2f} s; ratio "
          f"{pdf_ours / pdf_tables:.2f}")
    print(f"(b) export_xlsx: {xlsx_ours:.2f} s ({sizes['ours.xlsx']} KiB); openpyxl write-only, same {len(sheets)} "
          f"sheets and {rows} rows: {xlsx_raw:.2f} s; ratio {xlsx_ours / xlsx_raw:.2f} (target <= {XLSX_TARGET})")
    print(f"(c) export_zip: {zip_ours:.2f} s ({sizes['ours.zip']} KiB), for information")
    print(f"(d) export_pdf with a 2 MB control title: {long_two:.2f} s; with 1 MB: {long_one:.2f} s; ratio "
          f"{long_two / long_one:.2f} (target <= {LONG_TARGET})")
    print(f"peak memory (this process, all sides): {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
