"""A Document as PDF, in the evidence package's fonts and page furniture: headings as bookmarks, its running header
with the marking on every page, "Page X of Y", and the title, author, subject and keywords in the file's metadata."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from workbench.domain import documents as d
from workbench.domain.errors import WorkbenchError
from workbench.services.exports.pdf_parts import (
    HEADING_LIMIT,
    HEADING_LINES,
    IN_PROJECT,
    Anchor,
    Fonts,
    HeadingBreak,
    Ledger,
    PackageCanvas,
    bounded,
    chunks,
    link_headings,
    markup,
    one_line,
    package_fonts,
    style_maker,
)
from workbench.services.exports.table_fit import column_groups, longest_word, spread

MARGIN = 0.9 * inch
PAGE = letter
WIDTH = PAGE[0] - 2 * MARGIN
SIGNATURE_WIDTH = 4 * inch
KEEP_ROOM = 1.2 * inch  # a paragraph introducing a list starts a page unless this much room is left
COLUMN = 40.0  # a table with a narrower column is set in small type
SMALL_COLUMN = 30.0  # a table whose columns would be narrower even so is split into groups of columns


class _Styles:
    """The paragraph and table styles of a management document."""

    def __init__(self, fonts: Fonts) -> None:
        style = style_maker(fonts, 1.3)
        self.fonts = fonts
        self.title = style("title", 20, fonts.bold, spaceAfter=6)
        self.subtitle = style("subtitle", 12, textColor=colors.HexColor("#444444"), spaceAfter=14)
        self.headings = {
            1: style("h1", 14, fonts.bold, spaceBefore=12, spaceAfter=6),
            2: style("h2", 11.5, fonts.bold, spaceBefore=9, spaceAfter=4),
            3: style("h3", 10, fonts.bold, spaceBefore=6, spaceAfter=3),
        }
        self.body = style("body", 10, spaceAfter=6)
        self.run_on = style("run_on", 10)  # a piece of a long paragraph that the next piece continues
        self.item = style("item", 10, spaceAfter=2)
        self.cell = style("cell", 8.5)
        self.cell_head = style("cell_head", 8.5, fonts.bold, embeddedHyphenation=1)  # may break after a hyphen
        self.small = style("small", 6.5)
        self.small_head = style("small_head", 6.5, fonts.bold, embeddedHyphenation=1)
        self.caption = style("caption", 8, textColor=colors.HexColor("#444444"), spaceBefore=2, spaceAfter=2)
        self.grid = TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b0b0")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6ebf2")),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ])
        self.small_grid = TableStyle([*self.grid.getCommands(), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                                      ("RIGHTPADDING", (0, 0), (-1, -1), 2)])
        self.facts = TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d0d0d0")),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ])


class _List(ListFlowable):
    """A list that can be measured before it is placed on a page (HeadingBreak wraps what follows a heading)."""

    canv = None  # reportlab's list reads its canvas while wrapping; the frame sets the real one when placing it


class _Heading(Paragraph):
    """A heading that records its page and bookmark where it is drawn, so both follow it to a new page."""

    def __init__(self, text: str, style: ParagraphStyle, anchor: Anchor) -> None:
        super().__init__(markup(text), style)
        self.anchor = anchor

    def draw(self) -> None:
        self.anchor.drawOn(self.canv, 0, self.height)
        super().draw()


class _Story:
    """Turns the blocks of a Document into reportlab flowables."""

    def __init__(self, document: d.Document) -> None:
        self.document = document
        self.fonts = package_fonts()
        self.styles = _Styles(self.fonts)
        # The package's canvas draws the running header, the marking and "Page X of Y" on every page.
        self.ledger = Ledger(font=self.fonts.regular, bold=self.fonts.bold, marking=one_line(document.marking),
                             header=" · ".join(filter(None, (document.title, document.author))))
        self.level = -1  # the outline level of the last heading (an outline may go down one level at a time)

    def flowables(self) -> list[Flowable]:
        s, doc = self.styles, self.document
        out: list[Flowable] = [Paragraph(markup(bounded(doc.title, HEADING_LIMIT, HEADING_LINES)), s.title)]
        if doc.subtitle:
            out.append(Paragraph(markup(doc.subtitle), s.subtitle))
        if doc.facts:
            rows = [[Paragraph(markup(a), s.cell_head), Paragraph(markup(bounded(b, where=IN_PROJECT)), s.cell)]
                    for a, b in doc.facts]
            out += [Table(rows, colWidths=(1.6 * inch, WIDTH - 1.6 * inch), style=s.facts, hAlign="LEFT"),
                    Spacer(1, 14)]
        for number, block in enumerate(doc.blocks):
            if d.introduces_list(doc.blocks, number):
                out.append(CondPageBreak(KEEP_ROOM))  # a paragraph introducing a list is not left at a page foot
            if isinstance(block, d.SignatureBlock):
                out.append(_with_last(out, self.signature(block)))
                continue
            out += self.block(number, block)
        link_headings(out)  # each heading moves to a new page unless the start of what follows it fits under it
        return out

    def block(self, number: int, block: d.Block) -> list[Flowable]:
        s = self.styles
        if isinstance(block, d.Heading):
            return self.heading(number, block)
        if isinstance(block, d.Paragraph):
            pieces = chunks(block.text.strip()) or [""]
            return [*(Paragraph(markup(p), s.run_on) for p in pieces[:-1]), Paragraph(markup(pieces[-1]), s.body)]
        if isinstance(block, d.BulletList):
            items = [ListItem(Paragraph(markup(bounded(item, where=IN_PROJECT)), s.item)) for item in block.items]
            kind = {"bulletType": "1", "bulletFormat": "%s."} if block.numbered else {"bulletType": "bullet",
                                                                                      "start": "•"}
            return [_List(items, bulletFontName=self.fonts.regular, bulletFontSize=10, leftIndent=18,
                                 spaceAfter=6, **kind), Spacer(1, 4)]
        if isinstance(block, d.Table):
            return [*self.table(block), Spacer(1, 8)]
        if isinstance(block, d.SignatureBlock):
            return [KeepTogether(self.signature(block))]
        return [PageBreak()]

    def heading(self, number: int, block: d.Heading) -> list[Flowable]:
        level = min(max(block.level, 1), 3)
        outline = min(level - 1, self.level + 1)
        self.level = outline
        text = bounded(block.text, HEADING_LIMIT, HEADING_LINES)
        anchor = Anchor(self.ledger, f"h{number}", one_line(text), outline)
        return [HeadingBreak(), _Heading(text, self.styles.headings[level], anchor)]

    def table(self, block: d.Table) -> list[Flowable]:
        """Return a table fitted to the page: as it is, in small type, or (too wide even so) in groups of columns
        each repeating the first one, so no column is narrower than SMALL_COLUMN or than its header's longest word
        (headers wrap between words, never inside one) and every cell is kept."""
        columns = max(len(block.header), max((len(row) for row in block.rows), default=0), 1)
        weights = block.widths if block.widths and len(block.widths) == columns else (1.0,) * columns
        values = [(*row, *("",) * (columns - len(row)))[:columns] for row in (block.header, *block.rows)]
        s = self.styles
        normal = spread([max(COLUMN, w) for w in self._header_words(values[0], s.cell_head, 12)], weights, WIDTH)
        if normal is not None:
            return [self._grid(values, normal, small=False)]
        words = self._header_words(values[0], s.small_head, 4)
        small = spread([max(SMALL_COLUMN, w) for w in words], (1.0,) * columns, WIDTH)
        if small is not None:
            return [self._grid(values, small, small=True)]
        first = min(max(SMALL_COLUMN, words[0]), WIDTH / 3)
        # A word wider than the page beside the first column is broken all the same: nothing else could hold it.
        minimums = [first, *(min(max(SMALL_COLUMN, w), WIDTH - first) for w in words[1:])]
        out: list[Flowable] = []
        for group in column_groups(minimums, WIDTH):
            out.append(Paragraph(markup(f"Columns {group[0] + 1}–{group[-1] + 1} of {columns}, with column 1"),
                                 self.styles.caption))
            picked = [[row[0], *(row[i] for i in group)] for row in values]
            widths = spread([minimums[0], *(minimums[i] for i in group)], (1.0,) * (len(group) + 1), WIDTH)
            out.append(self._grid(picked, widths or [minimums[0], *(minimums[i] for i in group)], small=True))
        return out

    @staticmethod
    def _header_words(header: tuple[str, ...], style: ParagraphStyle, padding: float) -> list[float]:
        """Return each column's width for its header's longest word in this style, with the cell's padding."""
        return [longest_word(bounded(text, where=IN_PROJECT),
                             lambda piece: stringWidth(piece, style.fontName, style.fontSize)) + padding + 0.5
                for text in header]

    def _grid(self, values: list[tuple[str, ...]] | list[list[str]], widths: list[float], small: bool) -> Flowable:
        s = self.styles
        head, cell = (s.small_head, s.small) if small else (s.cell_head, s.cell)
        rows = [[Paragraph(markup(bounded(v, where=IN_PROJECT)), head if i == 0 else cell) for v in row]
                for i, row in enumerate(values)]
        kind = LongTable if len(rows) > 60 else Table
        return kind(rows, colWidths=widths, repeatRows=1, style=s.small_grid if small else s.grid, hAlign="LEFT",
                    splitInRow=1)

    def signature(self, block: d.SignatureBlock) -> list[Flowable]:
        s = self.styles
        rows = [[Paragraph(markup(line), s.item)] for line in block.lines] or [[""]]
        signed = Table(rows, colWidths=(SIGNATURE_WIDTH,), hAlign="LEFT", style=TableStyle([
            ("LINEABOVE", (0, 0), (0, 0), 0.8, colors.black), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        return [Spacer(1, 36), signed, Spacer(1, 10)]


def _with_last(out: list[Flowable], signature: list[Flowable]) -> Flowable:
    """Take the last text laid out before a signature (the space after it, the headings right above it) off `out`,
    kept with the signature on one page: a page holding nothing but the place to sign says nothing of what is
    signed, and a heading left at a page foot heads nothing."""
    kept: list[Flowable] = []
    while out and (not kept or isinstance(kept[0], Spacer)):
        kept.insert(0, out.pop())
    while out and isinstance(out[-1], _Heading | HeadingBreak):
        kept.insert(0, out.pop())
    # The group moves to the next page whole, so the headings need no page break of their own.
    return _Kept([*(f for f in kept if not isinstance(f, HeadingBreak)), *signature])


class _Kept(KeepTogether):
    """Flowables kept on one page that can be measured before they are drawn, as a heading's page break measures
    the content after the heading (reportlab's KeepTogether measures itself only on a canvas)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if not hasattr(self, "canv"):
            self.canv = None
        return super().wrap(available_width, available_height)


def pdf_bytes(document: d.Document, where: Path) -> bytes:
    """Return a Document laid out as PDF; `where` names the file in errors."""
    story = _Story(document)

    def canvas(*args: object, **kwargs: object) -> PackageCanvas:
        made = PackageCanvas(*args, **kwargs)
        made.ledger = story.ledger
        return made

    target = io.BytesIO()
    doc = BaseDocTemplate(target, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, title=one_line(document.title), author=one_line(document.author),
                          subject=one_line(document.subject), keywords=[one_line(k) for k in document.keywords],
                          creator="SOC 2 Workbench", initialFontName=story.fonts.regular)
    frame = Frame(MARGIN, MARGIN, WIDTH, PAGE[1] - 2 * MARGIN, id="body")
    doc.addPageTemplates([PageTemplate("page", [frame], pagesize=PAGE)])
    try:
        doc.build(story.flowables(), canvasmaker=canvas)
    except LayoutError as exc:
        raise WorkbenchError(str(where), f"could not be laid out ({str(exc)[:160]})") from None
    return target.getvalue()


def write_pdf(document: d.Document, path: Path, where: Path | None = None) -> None:
    """Write a Document as a PDF file at `path` (the caller makes it atomic)."""
    path.write_bytes(pdf_bytes(document, where or path))
