"""A Document as DOCX (python-docx): Word's own heading, list and table styles, so the navigation pane and
numbering work as in a document typed by hand; the marking and page numbers in every page's header and footer."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from docx import Document as new_docx
from docx.document import Document as Docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from workbench.domain import documents as d

# Characters XML 1.0 cannot hold (python-docx refuses them): shown as the replacement character instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
TEXT_WIDTH = 6.5  # inches between the margins of a Letter page with 1-inch margins
SIGNATURE_LINE = "_" * 40


def clean(text: object) -> str:
    """Return text a DOCX can hold: line ends as line feeds, characters XML forbids replaced."""
    value = "" if text is None else str(text)
    return _NOT_XML.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """Append a field (PAGE, NUMPAGES) that Word fills in when it lays the page out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _page_furniture(doc: Docx, document: d.Document) -> None:
    """Put the running header (title, organisation, marking) and "Page X of Y" on every page."""
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = ""
    header.paragraph_format.tab_stops.add_tab_stop(Inches(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    header.add_run(clean(" · ".join(filter(None, (document.title, document.author)))))
    header.add_run("\t")
    header.add_run(clean(document.marking)).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for paragraph in (header, footer):
        for run in paragraph.runs:
            run.font.size = Pt(8)


class _Lists:
    """Numbered lists that each start again at 1 (Word continues one numbering through a document otherwise)."""

    def __init__(self, doc: Docx) -> None:
        self.doc = doc
        self.abstract: str | None = None
        self.current = 0  # the numbering (w:numId) of the list being written

    def restart(self, paragraph: DocxParagraph) -> None:
        """Give the first item of a numbered list its own numbering, starting at 1."""
        numbering = self.doc.part.numbering_part.element
        if self.abstract is None:
            style_num = self.doc.styles["List Number"].element.pPr.numPr.numId.val
            base = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(style_num))
            self.abstract = base.find(qn("w:abstractNumId")).get(qn("w:val"))
        num_id = max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        abstract = OxmlElement("w:abstractNumId")
        abstract.set(qn("w:val"), self.abstract)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(abstract)
        num.append(override)
        numbering.append(num)
        self.current = num_id
        self.apply(paragraph)

    def apply(self, paragraph: DocxParagraph) -> None:
        """Number a list item with the current list's numbering."""
        p_pr = paragraph._p.get_or_add_pPr()
        num_pr = p_pr.get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = self.current


def _grid(doc: Docx, rows: list[tuple[str, ...]], widths: tuple[float, ...] | None, header: bool) -> None:
    """Add a gridded table: the header row (when `header`) bold and repeated on every page, else column 1 bold."""
    columns = max((len(row) for row in rows), default=1) or 1
    table = doc.add_table(rows=len(rows), cols=columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    weights = widths if widths and len(widths) == columns else (1.0,) * columns
    total = sum(weights) or 1.0
    for index, column in enumerate(table.columns):
        width = Inches(TEXT_WIDTH * weights[index] / total)
        for cell in column.cells:
            cell.width = width
    for row_index, values in enumerate(rows):
        cells = table.rows[row_index].cells
        for column, value in enumerate(values[:columns]):
            run = cells[column].paragraphs[0].add_run(clean(value))
            run.bold = row_index == 0 if header else column == 0
    if header and rows:
        repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page the table runs to
        repeat.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
    doc.add_paragraph()


def _signature(doc: Docx, block: d.SignatureBlock) -> None:
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_before = Pt(24)
    spacer.paragraph_format.keep_with_next = True
    lines = [SIGNATURE_LINE, *block.lines]
    for number, line in enumerate(lines):
        paragraph = doc.add_paragraph(clean(line))
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.keep_with_next = number < len(lines) - 1


class _Body:
    """Adds paragraphs at the end of a document's body in constant time: before its section properties, found once
    (python-docx's add_paragraph searches the whole body for them each time, so 20,000 paragraphs took 11 s)."""

    def __init__(self, doc: Docx) -> None:
        self.doc = doc
        self.end = doc.element.body.sectPr

    def paragraph(self, text: str = "", style: str | None = None) -> DocxParagraph:
        """Add a paragraph of text, in a style by name (or by its id set on the paragraph by the caller)."""
        element = OxmlElement("w:p")
        if self.end is not None:
            self.end.addprevious(element)
        else:
            self.doc.element.body.append(element)
        paragraph = DocxParagraph(element, self.doc._body)
        if text:
            paragraph.add_run(text)
        if style is not None:
            paragraph.style = style
        return paragraph


def _blocks(doc: Docx, blocks: tuple[d.Block, ...]) -> None:
    lists, body = _Lists(doc), _Body(doc)
    # Style ids looked up once: python-docx searches every style each time a paragraph is given one by name.
    style_ids = {numbered: doc.styles["List Number" if numbered else "List Bullet"].style_id
                 for numbered in (False, True)}
    for number, block in enumerate(blocks):
        if isinstance(block, d.Heading):
            body.paragraph(clean(block.text), f"Heading {min(max(block.level, 1), 3)}")
        elif isinstance(block, d.Paragraph):
            paragraph = body.paragraph(clean(block.text))
            # A paragraph introducing a list stays on the page of the list's first item; the last before a place
            # to sign stays on the signature's page.
            signed = number + 1 < len(blocks) and isinstance(blocks[number + 1], d.SignatureBlock)
            if signed or d.introduces_list(blocks, number):
                paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, d.BulletList):
            for index, item in enumerate(block.items):
                paragraph = body.paragraph(clean(item))
                paragraph._p.get_or_add_pPr().style = style_ids[block.numbered]
                if block.numbered:
                    (lists.restart if index == 0 else lists.apply)(paragraph)
        elif isinstance(block, d.Table):
            _grid(doc, [block.header, *block.rows], block.widths, header=True)
        elif isinstance(block, d.SignatureBlock):
            _signature(doc, block)
        elif isinstance(block, d.PageBreak):
            doc.add_page_break()


def write_docx(document: d.Document, path: Path, now: datetime | None = None) -> None:
    """Write a Document as a DOCX file at `path` (the caller makes it atomic)."""
    doc = new_docx()
    for section in doc.sections:
        section.page_width, section.page_height = Inches(8.5), Inches(11)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Inches(1)
    properties = doc.core_properties
    stamp = now or datetime.now(UTC)
    properties.title, properties.subject = clean(document.title), clean(document.subject)
    properties.author = properties.last_modified_by = clean(document.author)
    properties.keywords = clean(", ".join(document.keywords))
    properties.category, properties.comments = clean(document.marking), ""
    properties.created = properties.modified = stamp.replace(microsecond=0)
    properties.revision = 1
    _page_furniture(doc, document)
    doc.add_paragraph(clean(document.title), "Title")
    if document.subtitle:
        doc.add_paragraph(clean(document.subtitle), "Subtitle")
    if document.facts:
        _grid(doc, list(document.facts), (1.0, 2.5), header=False)
    _blocks(doc, document.blocks)
    doc.save(str(path))
