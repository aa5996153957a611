"""The PDF evidence package: cover, contents, scope, criteria matrix, one section per control, evidence index.

Laid out in ONE reportlab pass: the table of contents has one line per entry, so its length is known before
the layout; its page numbers, the running header and "Confidential" marking, the "Page X of Y" footers and the
bookmarks are drawn when the canvas saves (PackageCanvas). Pages of PDF evidence are reserved as empty slots
(stamped with the control and file they are evidence of) and the evidence pages are laid under them with pypdf,
so the header, stamp, footers and bookmarks stay where the layout put them. A heading is never left at a page
foot: a HeadingBreak before it moves it on when what follows cannot start on the same page.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    LayoutError,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Preformatted,
    Spacer,
    Table,
    TableStyle,
)

from workbench.domain.description import USER_WRITTEN_KEYS
from workbench.domain.entities import DESCRIPTION_SECTIONS, Control, Evidence
from workbench.domain.errors import WorkbenchError
from workbench.domain.natural import natural_sorted
from workbench.services.exports.cover import MARKING, catalog_words, cover_facts
from workbench.services.exports.output import Progress, Steps, atomic_output
from workbench.services.exports.pdf_parts import (
    HEADING_LIMIT,
    HEADING_LINES,
    IN_PROJECT,
    IN_WORKBOOK,
    LINE_LIMIT,
    MERGED_BOTTOM,
    TEXT_LIMIT,
    Anchor,
    Content,
    Fonts,
    HeadingBreak,
    Ledger,
    PackageCanvas,
    Slot,
    TocLine,
    bounded,
    chunks,
    link_headings,
    markup,
    package_fonts,
    plain,
    prepare,
    shortened_note,
    style_maker,
    wrap_name,
)
from workbench.services.exports.pdf_registers import RegisterSections
from workbench.services.exports.period_marks import period_mark, period_tally, reflects
from workbench.services.exports.snapshot import ExportOptions, ExportSnapshot, take_snapshot
from workbench.services.session import OpenProject

MARGIN = 0.7 * inch
PORTRAIT, LANDSCAPE = letter, landscape(letter)
WIDTH = PORTRAIT[0] - 2 * MARGIN
WIDE = LANDSCAPE[0] - 2 * MARGIN
HASH_SIZE, HASH_WIDTH = 6.1, 250  # a SHA-256 on one line in the monospace font, with cell padding
DESCRIPTION_LIMIT, DESCRIPTION_LINES = 20_000, 300  # of one section of the system description
PLAIN_LINES = 4  # a cell of more lines is a Paragraph, which a table can split across pages
CHAR_WIDTH = 0.6  # an average character's width in ems, to size a cell's text to its column
TITLE = "SOC 2 evidence package"
COVER_LABEL = 132  # the cover's label column: room for "Readiness self-assessment" in bold


class _Styles:
    """Every paragraph and table style of the package, made once per export."""

    def __init__(self, fonts: Fonts) -> None:
        style = style_maker(fonts, 1.25)
        self.fonts = fonts
        self.title = style("title", 22, fonts.bold, spaceAfter=18)
        self.h1 = style("h1", 15, fonts.bold, spaceBefore=6, spaceAfter=8)
        self.title_org = style("title_org", 15, fonts.bold, spaceAfter=6)  # not a heading: the cover's name
        self.h2 = style("h2", 11.5, fonts.bold, spaceBefore=8, spaceAfter=4)
        self.h3 = style("h3", 9.5, fonts.bold, spaceBefore=6, spaceAfter=2)
        self.body = style("body", 9, spaceAfter=4)
        self.run_on = style("run_on", 9)  # a piece of a long paragraph that the next piece continues
        self.note = style("note", 8, textColor=colors.HexColor("#555555"), spaceAfter=4)
        self.cell = style("cell", 7.5)
        self.pair = style("pair", 8.5)
        self.mono = style("mono", 6.5, fonts.mono, backColor=colors.HexColor("#f4f4f4"), borderPadding=3,
                          spaceBefore=2, spaceAfter=8)
        grid = [
            ("FONT", (0, 0), (-1, -1), fonts.regular, 7.5),
            ("FONT", (0, 0), (-1, 0), fonts.bold, 7.5),
            ("LEADING", (0, 0), (-1, -1), 9.4),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b0b0")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6ebf2")),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        self.grid = TableStyle(grid)
        self.hashes = TableStyle([*grid, ("FONT", (-1, 1), (-1, -1), fonts.mono, HASH_SIZE)])
        self.pairs = TableStyle([
            ("FONT", (0, 0), (-1, -1), fonts.regular, 8.5),
            ("FONT", (0, 0), (0, -1), fonts.bold, 8.5),
            ("LEADING", (0, 0), (-1, -1), 10.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ])

    def cell_text(self, text: object, width: float, size: float = 7.5, where: str = IN_WORKBOOK) -> str | Paragraph:
        """Return the text shortened to about LINE_LIMIT lines of the column: a string if it fits, else a Paragraph."""
        room = width - 12  # the cell's padding
        per_line = max(int(room / (size * CHAR_WIDTH)), 8)
        value = plain(bounded(text, min(TEXT_LIMIT, per_line * LINE_LIMIT), LINE_LIMIT, where))
        lines = value.split("\n")
        if len(lines) <= PLAIN_LINES and all(len(line) * size <= room
                                             or stringWidth(line, self.fonts.regular, size) <= room
                                             for line in lines):
            return value
        return Paragraph(markup(value), self.pair if size > 8 else self.cell)

    def name_cell(self, text: object, width: float, size: float = 7.5) -> str | Paragraph:
        """Return a file name or media type for a cell, broken after / . _ - where it would overflow."""
        value = plain(bounded(text, HEADING_LIMIT, HEADING_LINES))
        return self.cell_text(wrap_name(value, self.fonts.regular, size, width - 12), width, size)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{start.isoformat()} to {end.isoformat()}"
    return f"from {start.isoformat()}" if start else (f"until {end.isoformat()}" if end else "")


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} KiB" if size < 1 << 20 else f"{size / (1 << 20):.1f} MiB"


def _label(value: object) -> str:
    return getattr(value, "label", "") if value is not None else ""


class _Package:
    """Turns a snapshot and the prepared evidence contents into the story of the package."""

    def __init__(self, snapshot: ExportSnapshot, contents: dict[int, Content], steps: Steps) -> None:
        self.snapshot, self.contents, self.steps = snapshot, contents, steps
        self.facts = cover_facts(snapshot)
        self.fonts = package_fonts()
        self.styles = _Styles(self.fonts)
        self.ledger = Ledger(font=self.fonts.regular, bold=self.fonts.bold, header=self.facts.header,
                             marking=MARKING)
        self.toc: list[tuple[str, str, int]] = []  # (key, title, level)
        self.merged: list[Content] = []
        self.by_control: dict[str, list[Evidence]] = {}
        for item in snapshot.evidence:
            self.by_control.setdefault(item.control_ref, []).append(item)

    def anchor(self, key: str, title: str, level: int, counts: bool = False) -> Anchor:
        self.toc.append((key, title, level))
        return Anchor(self.ledger, key, title, level, self.steps if counts else None)

    def heading(self, key: str, title: str, level: int, style: ParagraphStyle, counts: bool = False,
                prefix: str = "") -> list[Flowable]:
        title = prefix + bounded(title, HEADING_LIMIT, HEADING_LINES)
        return [HeadingBreak(1.2 * inch if level < 2 else 0), self.anchor(key, title, level, counts),
                Paragraph(markup(title), style)]

    def subheading(self, text: str) -> list[Flowable]:
        """Return a minor heading (not in the contents) that stays on the page of what follows it."""
        return [HeadingBreak(), Paragraph(markup(text), self.styles.h3)]

    def story(self) -> list[Flowable]:
        body = [*self.scope(), *self.matrix(), *self.controls(), *self.index(),
                *RegisterSections(self, self.snapshot.registers, WIDE).story()]
        story = [*self.cover(), *self.contents_pages(), *body]  # the body first: it fills self.toc
        link_headings(story)
        return story

    # -- cover and contents ---------------------------------------------------------------------------------

    def cover(self) -> list[Flowable]:
        snap, s, facts = self.snapshot, self.styles, self.facts
        rows = [*facts.rows()[:6], ("Controls", str(len(snap.controls))), ("Evidence items", str(len(snap.evidence)))]
        options = snap.options
        if options.controls is not None:
            rows.append(("Controls chosen", ", ".join(natural_sorted(options.controls))))
        if options.criteria is not None:
            rows.append(("Criteria chosen", ", ".join(natural_sorted(options.criteria))))
        if options.collected_from or options.collected_to:
            rows.append(("Evidence collected", _period(options.collected_from, options.collected_to)))
        if snap.period is not None:
            rows.append(("Against the period", f"{period_tally(snap)} (each item is marked in its control's "
                                               "section and in the evidence index)"))
        rows.append(("Readiness self-assessment", "included (management's own judgements, in the criteria matrix)"
                     if options.include_readiness else "left out (management's own judgements are not part of "
                                                       "this package)"))
        label = COVER_LABEL
        table = Table([(name, s.cell_text(value, WIDTH - label, 8.5)) for name, value in rows],
                      colWidths=(label, WIDTH - label), style=s.pairs, hAlign="LEFT", splitInRow=1)
        integrity = Table([
            ("Audit-trail chain head", f"{facts.chain_head} ({facts.audit_entries} entries)"),
            ("Manifest SHA-256", facts.manifest),
        ], colWidths=(label, WIDTH - label), style=TableStyle([*s.pairs.getCommands(),
                                                         ("FONT", (1, 0), (1, -1), self.fonts.mono, 7.5)]),
            hAlign="LEFT")
        explain = ("The manifest SHA-256 is computed over one sorted line per exported control and per evidence "
                   "file (its SHA-256 and name); the xlsx workbook's cover sheet and the zip binder of the same "
                   "export show the same value. Each evidence file's bytes were checked against their SHA-256 when "
                   "this package was made.")
        organization = bounded(snap.settings.organization, HEADING_LIMIT, HEADING_LINES)
        return [Spacer(1, 1.2 * inch), Paragraph(TITLE, s.title), Paragraph(markup(organization), s.title_org),
                Paragraph(f"{MARKING}: prepared for the service auditor; not for further distribution.", s.note),
                Spacer(1, 10), table, Spacer(1, 18), integrity, Spacer(1, 8), Paragraph(explain, s.note),
                PageBreak()]

    def contents_pages(self) -> list[Flowable]:
        lines = [TocLine(self.ledger, key, title, level, self.fonts) for key, title, level in self.toc]
        return [Paragraph("Contents", self.styles.h1), *lines, PageBreak()]

    # -- scope ----------------------------------------------------------------------------------------------

    def scope(self) -> list[Flowable]:
        s, scope = self.styles, self.snapshot.scope
        settings = scope.settings
        out = self.heading("scope", "Scope and system description", 0, s.h1)
        out += self.heading("scope-settings", "Settings", 1, s.h2)
        rows = [("Organisation", settings.organization), ("System", settings.system_name),
                ("Report type", settings.report_type.label),
                ("Audit period", _period(settings.period_start, settings.period_end) or "not set"),
                ("Categories", ", ".join(c.label for c in settings.categories)),
                ("Criteria catalog", catalog_words(settings.catalog_name, settings.catalog_version))]
        out.append(Table([(a, s.cell_text(b, WIDTH - 120, 8.5)) for a, b in rows], colWidths=(120, WIDTH - 120),
                         style=s.pairs, hAlign="LEFT", splitInRow=1))
        out += self.heading("scope-description", "System description", 1, s.h2)
        for key, title in DESCRIPTION_SECTIONS:
            text = bounded(scope.description.get(key, "").strip(), DESCRIPTION_LIMIT, DESCRIPTION_LINES, IN_PROJECT)
            if not text and key not in USER_WRITTEN_KEYS:
                continue  # an optional text (DC3's overview, DC5-DC8): what the program fills follows below
            out.append(Paragraph(markup(title), s.h3))
            if not text:
                out.append(Paragraph("Not written yet.", s.note))
            for part in text.split("\n\n") if text else ():
                pieces = chunks(part.strip())
                out += [Paragraph(markup(piece), s.run_on) for piece in pieces[:-1]]
                out.append(Paragraph(markup(pieces[-1]), s.body))
        out += self.heading("scope-components", "Components", 1, s.h2)
        widths = (70, 120, WIDTH - 240, 50)
        rows = [("Kind", "Name", "Description", "In scope")] + [
            (c.kind.label, s.cell_text(c.name, widths[1], where=IN_PROJECT),
             s.cell_text(c.description, widths[2], where=IN_PROJECT),
             "yes" if c.in_scope else "no") for c in scope.components]
        out.append(self.table(rows, widths, "No components recorded."))
        out += self.heading("scope-subservices", "Subservice organisations", 1, s.h2)
        widths = (90, 100, 60, 100, WIDTH - 350)
        rows = [("Name", "Service", "Method", "SOC report", "Complementary controls")] + [
            (s.cell_text(o.name, widths[0], where=IN_PROJECT), s.cell_text(o.service, widths[1], where=IN_PROJECT),
             o.method.label, s.cell_text(o.soc_report, widths[3], where=IN_PROJECT),
             s.cell_text(o.complementary_controls, widths[4], where=IN_PROJECT))
            for o in scope.subservices]
        out.append(self.table(rows, widths, "No subservice organisations recorded."))
        out += self.heading("scope-cuecs", "Complementary user entity controls", 1, s.h2)
        rows = [("#", "Control the user entity is expected to operate")] + [
            (str(n), s.cell_text(c.text, WIDTH - 30, where=IN_PROJECT)) for n, c in enumerate(scope.cuecs, start=1)]
        out.append(self.table(rows, (30, WIDTH - 30), "No complementary user entity controls recorded."))
        return out

    def table(self, rows: list[tuple[object, ...]], widths: tuple[float, ...], empty: str,
              style: TableStyle | None = None) -> Flowable:
        if len(rows) == 1:
            return Paragraph(markup(empty), self.styles.note)
        kind = LongTable if len(rows) > 60 else Table
        return kind(rows, colWidths=widths, repeatRows=1, style=style or self.styles.grid, hAlign="LEFT",
                    splitInRow=1)

    # -- criteria matrix -------------------------------------------------------------------------------------

    def matrix(self) -> list[Flowable]:
        s, snap = self.styles, self.snapshot
        out = self.heading("matrix", "Criteria-to-controls matrix", 0, s.h1)
        refs: dict[str, list[str]] = {}
        for control in snap.controls:
            for criterion in control.criteria:
                refs.setdefault(criterion, []).append(control.ref)
        if not snap.options.include_readiness:
            widths = (45, WIDTH - 45 - 150, 150)
            rows: list[tuple[object, ...]] = [("Criterion", "Summary (our words)", "Controls")]
            rows += [(criterion.id, s.cell_text(criterion.summary, widths[1]),
                      s.cell_text(", ".join(refs.get(criterion.id, ())) or "none", widths[2]))
                     for criterion in snap.criteria]
            out.append(self.table(rows, widths, "No criteria in scope."))
            return out
        widths = (45, WIDTH - 45 - 85 - 150, 85, 150)
        rows = [("Criterion", "Summary (our words)", "Assessment", "Controls")]
        for criterion in snap.criteria:
            judged = snap.assessment(criterion.id)
            status = judged.status.label + (f": {judged.note}" if judged.note.strip() else "")
            rows.append((criterion.id, s.cell_text(criterion.summary, widths[1]), s.cell_text(status, widths[2]),
                         s.cell_text(", ".join(refs.get(criterion.id, ())) or "none", widths[3])))
        out.append(self.table(rows, widths, "No criteria in scope."))
        return out

    # -- controls --------------------------------------------------------------------------------------------

    def controls(self) -> list[Flowable]:
        out = self.heading("controls", "Controls", 0, self.styles.h1)
        out.append(Paragraph(f"{len(self.snapshot.controls)} controls, each with its evidence.", self.styles.note))
        for number, control in enumerate(self.snapshot.controls):
            out += self.control(number, control)
        return out

    def control(self, number: int, control: Control) -> list[Flowable]:
        s = self.styles
        out = self.heading(f"c{number}", control.title, 1, s.h2, counts=True, prefix=f"{control.ref} – ")
        note = shortened_note(len(control.title), IN_WORKBOOK)
        shortened = bounded(control.title, HEADING_LIMIT, HEADING_LINES).endswith(note)
        rows = [("Title", control.title)] if shortened else []
        rows += [("Description", control.description or "-"), ("Owner", control.owner or "-"),
                ("Frequency", _label(control.frequency) or "-"), ("Nature", _label(control.nature) or "-"),
                ("Status", control.status.label), ("Criteria", ", ".join(control.criteria) or "none")]
        out.append(Table([(a, s.cell_text(b, WIDTH - 80, 8.5)) for a, b in rows], colWidths=(80, WIDTH - 80),
                         style=s.pairs, hAlign="LEFT", splitInRow=1))
        items = self.by_control.get(control.ref, [])
        out += self.subheading(f"Evidence ({len(items)})")
        widths = (WIDTH - 56 - 72 - HASH_WIDTH, 56, 72, HASH_WIDTH)
        rows: list[tuple[object, ...]] = [("Title and file", "Collected", "Period", "SHA-256")]
        for item in items:
            named = wrap_name(plain(f"{bounded(item.title, HEADING_LIMIT, HEADING_LINES)}\n"
                                    f"{bounded(item.filename, HEADING_LIMIT, 1)}"), self.fonts.regular, 7.5,
                              widths[0] - 12)
            covered = _period(item.period_start, item.period_end).replace(" to ", "\nto ")
            rows.append((s.cell_text(named, widths[0]), _day(item.collected_on),
                         s.cell_text("\n".join(filter(None, (covered, period_mark(self.snapshot, item)))), widths[2]),
                         item.sha256))
        out.append(self.table(rows, widths, "No evidence in this package.", s.hashes))
        slots: list[tuple[Evidence, Content]] = []
        for item in items:
            content = self.contents[item.id]
            if content.kind == "pdf":
                slots.append((item, content))
                continue
            out += self.shown(item, content)
        for item, content in slots:
            out += self.slots(number, item, content)
        return out

    def shown(self, item: Evidence, content: Content) -> list[Flowable]:
        s = self.styles
        if content.kind == "listed" and not content.note:
            return []
        caption = self.subheading(f"{bounded(item.title, HEADING_LIMIT, HEADING_LINES)} "
                                  f"({bounded(item.filename, HEADING_LIMIT, 1)})")
        if content.kind == "image":
            width, height = content.size
            scale = min(WIDTH / width, (PORTRAIT[1] - 2 * MARGIN - 60) / height, 1.0)
            return [*caption, Image(io.BytesIO(content.data), width * scale, height * scale, hAlign="LEFT")]
        if content.kind == "text":
            note = [Paragraph(markup(content.note), s.note)] if content.note else []
            return [*caption, *note, Preformatted(content.text, s.mono, maxLineLength=118, newLineChars="")]
        return [*caption, Paragraph(markup(content.note), s.note)]

    def slots(self, number: int, item: Evidence, content: Content) -> list[Flowable]:
        index = len(self.merged)
        self.merged.append(content)
        key = f"c{number}-pdf{item.id}"
        name = bounded(item.filename, HEADING_LIMIT, 1)
        out: list[Flowable] = [PageBreak(), self.anchor(key, f"Attached PDF: {name}", 2)]
        pages = len(content.page_sizes)
        out += [Slot(self.ledger, index, page, size,
                     f"Evidence for control {item.control_ref}: {name} (page {page + 1} of {pages})")
                for page, size in enumerate(content.page_sizes)]
        return out

    # -- evidence index -------------------------------------------------------------------------------------

    def index(self) -> list[Flowable]:
        s = self.styles
        out: list[Flowable] = [NextPageTemplate("wide"), PageBreak()]
        out += self.heading("index", "Evidence index", 0, s.h1)
        widths = (50, 100, WIDE - 334 - HASH_WIDTH, 42, 52, 90, HASH_WIDTH)
        rows: list[tuple[object, ...]] = [
            ("Control", "Title", "File name and\nmedia type", "Size", "Collected", "Against the period", "SHA-256")]
        for item in self.snapshot.evidence:
            mark = period_mark(self.snapshot, item)
            rows.append((s.name_cell(item.control_ref, widths[0]), s.name_cell(item.title, widths[1]),
                         s.name_cell(f"{item.filename}\n{item.media_type or 'media type unknown'}", widths[2]),
                         _size(item.size), _day(item.collected_on),
                         s.cell_text(f"{mark}\nreflects {reflects(item)}", widths[5]), item.sha256))
        out.append(self.table(rows, widths, "No evidence in this package.", s.hashes))
        return out


def _lay_out(snapshot: ExportSnapshot, contents: dict[int, Content], steps: Steps) -> tuple[bytes, _Package]:
    package = _Package(snapshot, contents, steps)
    story = package.story()

    def canvas(*args: object, **kwargs: object) -> PackageCanvas:
        made = PackageCanvas(*args, **kwargs)
        made.ledger = package.ledger
        return made

    target = io.BytesIO()
    facts = package.facts
    doc = BaseDocTemplate(target, pagesize=PORTRAIT, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, title=facts.title(TITLE), author=facts.organization,
                          subject=f"{facts.report} evidence for {facts.system}, {facts.period}",
                          keywords=f"SOC 2, {MARKING}, evidence, Trust Services Criteria, {facts.categories}",
                          creator="SOC 2 Workbench",
                          initialFontName=package.fonts.regular)  # not reportlab's Helvetica on every page
    doc.addPageTemplates([
        PageTemplate("page", [Frame(MARGIN, MARGIN, WIDTH, PORTRAIT[1] - 2 * MARGIN, id="f")], pagesize=PORTRAIT),
        PageTemplate("wide", [Frame(MARGIN, MARGIN, WIDE, LANDSCAPE[1] - 2 * MARGIN, id="w")], pagesize=LANDSCAPE),
    ])
    doc.build(story, canvasmaker=canvas)
    return target.getvalue(), package


def _merge(laid_out: bytes, package: _Package, destination: Path) -> None:
    """Lay each merged PDF page under its reserved slot of the laid-out file."""
    from pypdf import PdfReader, PdfWriter, Transformation

    if not package.ledger.slots:
        destination.write_bytes(laid_out)
        return
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(laid_out)))
    readers: dict[int, PdfReader] = {}
    for number, (content, page) in sorted(package.ledger.slots.items()):
        if content not in readers:
            readers[content] = PdfReader(io.BytesIO(package.merged[content].data))
        writer.pages[number - 1].merge_transformed_page(readers[content].pages[page],
                                                        Transformation().translate(0, MERGED_BOTTOM), over=False)
    with destination.open("wb") as handle:
        writer.write(handle)


def description_warnings(project: OpenProject) -> list[str]:
    """Return the warning an evidence package carries while the system description is not fully written."""
    from workbench.services.description import description_unwritten

    with project.uow() as uow:
        missing = description_unwritten(uow)
    if not missing:
        return []
    named = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
    return [f"the system description is not fully written ({named} empty); the package shows "
            f"{'it' if len(missing) == 1 else 'them'} as not written yet"]


def export_pdf(project: OpenProject, destination: Path | str, options: ExportOptions | None = None,
               progress: Progress | None = None, today: date | None = None) -> Path:
    """Write the PDF evidence package; every evidence file is checked against its SHA-256 on the way."""
    destination = Path(destination)
    snapshot = take_snapshot(project, options, today)
    steps = Steps(destination, len(snapshot.evidence) + len(snapshot.controls) + 1, progress)
    with atomic_output(destination) as temporary:
        contents: dict[int, Content] = {}
        done: dict[str, Content] = {}
        for item in snapshot.evidence:
            if item.sha256 not in done:
                done[item.sha256] = prepare(project, item)
            contents[item.id] = done[item.sha256]
            steps.advance()
        try:
            laid_out, package = _lay_out(snapshot, contents, steps)
        except LayoutError as exc:
            raise WorkbenchError(str(destination), f"could not be laid out ({str(exc)[:160]})") from None
        _merge(laid_out, package, temporary)
        steps.advance()
    return destination
