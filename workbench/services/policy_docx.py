"""A Word document (.docx) as Markdown, in document order: headings as #, numbered list items as `1.`, bulleted ones
as `-` (nested by their level), tables as Markdown tables. The zip is looked at before python-docx unpacks it, so a
bomb, an old or password-protected .doc, or a zip of something else is refused in one line naming the file."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

from workbench.domain.errors import WorkbenchError

MAX_UNPACKED = 256 * 1024 * 1024  # pictures included; a policy document unpacks to a few MB
MAX_XML = 32 * 1024 * 1024  # the parts python-docx parses into memory as XML
MAX_PARTS = 5000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: a .doc, or any Office file saved with a password
_HEADING_STYLE = re.compile(r"^heading (\d)$", re.IGNORECASE)
_UNREADABLE = "is not a Word document that can be read"
_MARKUP = re.compile(r"([*`])")


def _refuse(source: str, why: str) -> WorkbenchError:
    return WorkbenchError(source, why)


def _check_archive(data: bytes, source: str) -> None:
    if not data:
        raise _refuse(source, f"{_UNREADABLE} (the file is empty)")
    if data.startswith(_OLE):
        raise _refuse(source, "is password-protected or an old .doc (not a .docx zip); save it from Word as a .docx "
                              "without a password and import that")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(source, f"{_UNREADABLE} (.docx): it is not a complete zip archive") from None
    if len(members) > MAX_PARTS:
        raise _refuse(source, f"holds {len(members):,} parts; refusing it as unsafe")
    unpacked = sum(m.file_size for m in members)
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    if unpacked > MAX_UNPACKED or xml > MAX_XML:
        raise _refuse(source, f"would unpack to {unpacked / 2**20:,.0f} MB, {xml / 2**20:,.0f} MB of it XML (a policy "
                              f"has a few MB); refusing it as unsafe")
    if "word/document.xml" not in {m.filename for m in members}:
        raise _refuse(source, "is a zip archive but not a Word document (it has no word/document.xml)")


def _number_format(document: Any, paragraph: Any) -> tuple[str, int] | None:
    """Return ("decimal", level) or ("bullet", level) for a list paragraph by its numbering, None for another."""
    ppr = paragraph._p.pPr
    if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
        return None
    level = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
    try:
        numbering = document.part.numbering_part.element
        (abstract,) = numbering.xpath(f'w:num[@w:numId="{int(ppr.numPr.numId.val)}"]/w:abstractNumId/@w:val')
        formats = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{int(abstract)}"]/w:lvl[@w:ilvl="{int(level)}"]'
                                  f'/w:numFmt/@w:val')
    except (KeyError, NotImplementedError, ValueError):
        return "bullet", level
    return ("bullet" if not formats or formats[0] in ("bullet", "none") else "decimal"), level


def _list_marker(document: Any, paragraph: Any, style: str) -> str | None:
    folded = style.casefold()
    found = _number_format(document, paragraph)
    if found is None and "list" not in folded:
        return None
    kind, level = found or ("bullet", 0)
    if "list number" in folded or "numbered" in folded:
        kind = "decimal"
    elif "list bullet" in folded:
        kind = "bullet"
    depth = max(level, int(folded[-1]) - 1 if folded[-1:].isdigit() else 0)
    return "   " * depth + ("1. " if kind == "decimal" else "- ")  # three spaces nest under either marker


def _cell(cell: Any) -> str:
    # every paragraph under the cell, those of tables nested in it included (python-docx's cell.text leaves them out)
    from docx.text.paragraph import Paragraph

    text = " ".join(Paragraph(p, cell).text for p in cell._tc.xpath(".//w:p"))
    return _literal(" ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|"))


def _table(table: Any) -> list[str]:
    rows = [[_cell(c) for c in row.cells] for row in table.rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = [f"| {' | '.join(rows[0])} |", f"| {' | '.join(['---'] * width)} |"]
    return [*lines, *(f"| {' | '.join(row)} |" for row in rows[1:]), ""]


def _literal(text: str) -> str:
    """Return Word text with the characters Markdown would read as emphasis or code escaped (Word's * stays a *)."""
    return _MARKUP.sub(r"\\\1", text)


def _style_names(document: Any) -> Callable[[Any], str]:
    """Return a paragraph's style name by a table read once (python-docx scans every style anew per paragraph)."""
    from docx.enum.style import WD_STYLE_TYPE

    names = {s.style_id: s.name or "" for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    fallback = (default.name if default is not None else "") or ""
    return lambda paragraph: names.get(paragraph._p.style, fallback)


def _paragraph_lines(document: Any, paragraph: Any, style: str, shift: int) -> list[str]:
    text = _literal(paragraph.text.strip())
    if not text:
        return []
    heading = _HEADING_STYLE.match(style)
    if style.casefold() == "title":
        return [f"# {text}", ""]
    if heading:
        return [f"{'#' * min(int(heading.group(1)) + shift, 6)} {text}", ""]
    marker = _list_marker(document, paragraph, style)
    return [f"{marker}{text}"] if marker is not None else [text, ""]


def _item_kind(line: str) -> tuple[int, str] | None:
    """Return a list item's indent and marker ("1." or "-"), None for a line that is not an item."""
    stripped = line.lstrip()
    kind = next((kind for kind in ("1.", "-") if stripped.startswith(kind + " ")), None)
    return (len(line) - len(stripped), kind) if kind else None


def docx_markdown(data: bytes, source: str) -> str:
    """Return a Word document's text as Markdown; refuse a file that is not a safe, readable .docx."""
    _check_archive(data, source)
    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
    except Exception:  # python-docx raises several kinds (a zip error, a missing part, bad XML)
        raise _refuse(source, f"{_UNREADABLE} (.docx)") from None
    style_of = _style_names(document)
    # a Title above them: Heading 1 is a section
    shift = 1 if any(style_of(p).casefold() == "title" for p in document.paragraphs) else 0
    lines: list[str] = []
    for block in blocks:
        found = _table(block) if isinstance(block, Table) else _paragraph_lines(document, block, style_of(block), shift)
        last = _item_kind(lines[-1]) if lines else None
        item = _item_kind(found[0]) if found else None
        if last is not None and found and (item is None or (item[0] == last[0] and item[1] != last[1])):
            lines.append("")  # a list ends before what is not an item, or an item of another kind at its level
        lines += found
    return "\n".join(lines)
