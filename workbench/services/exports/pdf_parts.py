"""Building blocks of the PDF evidence package: fonts, safe text, late-drawn page furniture (running header,
marking, stamps of merged pages, footers), headings kept with what follows them, evidence content."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from workbench.domain.entities import Evidence
from workbench.domain.media import shown_as
from workbench.paths import resources_dir
from workbench.services.exports.output import Steps, verified_bytes, verified_chunks
from workbench.services.session import OpenProject

IMAGE_LIMIT = 32 << 20  # larger images are listed, not embedded
PDF_LIMIT = 64 << 20  # larger PDFs are listed, not merged
IMAGE_PIXELS = 80_000_000  # refuse decompression bombs before decoding
IMAGE_SIDE = 2400  # embedded images are scaled down to at most this many pixels a side
EXCERPT_LINES = 60
EXCERPT_LINE_CHARS = 300
EXCERPT_HEAD_BYTES = 64 * 1024
# User text is shown up to these bounds (reportlab lays a long paragraph out again on every page it spans, so
# unbounded text costs time quadratic in its length); the xlsx workbook or the project holds the whole text.
TEXT_LIMIT = 4_000  # characters of one paragraph or table cell
LINE_LIMIT = 40  # its lines
HEADING_LIMIT = 300  # characters of a heading, a contents line or a bookmark
HEADING_LINES = 3
WORD_BREAK_WINDOW = 200  # a shortened text ends at a space within its last this many characters, if any
# A merged evidence page gets bands above and below it, so the running header, its stamp and the footer never
# cover the evidence itself.
MERGED_TOP, MERGED_BOTTOM = 44.0, 32.0
HEADER_DROP = 22.0  # the running header's baseline, below the top edge of every page
FOOTER_Y = 20.0
HEADING_STYLES = frozenset({"h1", "h2", "h3"})
NAME_BREAKS = (" ", "/_-", ".")  # where a long file name or media type may break, the first kind found preferred
IN_WORKBOOK = "the xlsx workbook"
IN_PROJECT = "the project"
# The DejaVu fonts shipped in resources/fonts come first, so every PDF uses one family on every system.
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"), Path("/Library/Fonts"), Path.home() / "Library/Fonts",
    Path("C:/Windows/Fonts"),
)
# Control characters other than tab and newline, and unpaired surrogates (from undecodable file names).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


# -- fonts and text ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fonts:
    """The font names the package uses; `unicode` is False when only reportlab's Latin-1 fonts were found."""

    regular: str
    bold: str
    mono: str
    unicode: bool


def style_maker(fonts: Fonts, leading: float) -> Callable[..., ParagraphStyle]:
    """Return a maker of paragraph styles in these fonts (the regular one unless told), lines `leading` sizes apart."""

    def style(name: str, size: float, font: str = fonts.regular, **extra: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * leading, **extra)

    return style


_fonts: Fonts | None = None


def _find_font(name: str) -> Path | None:
    for folder in (resources_dir() / "fonts", *_FONT_DIRS):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def package_fonts() -> Fonts:
    """Register DejaVu Sans and Sans Mono (wide Unicode coverage), the one family of every PDF the program writes.

    They ship in resources/fonts; only when they cannot be read are reportlab's Helvetica and Courier used.
    """
    global _fonts
    if _fonts is None:
        files = {"WbSans": "DejaVuSans.ttf", "WbSans-Bold": "DejaVuSans-Bold.ttf", "WbMono": "DejaVuSansMono.ttf"}
        found = {name: _find_font(file) for name, file in files.items()}
        try:
            if all(found.values()):
                for name, path in found.items():
                    if name not in pdfmetrics.getRegisteredFontNames():
                        pdfmetrics.registerFont(TTFont(name, str(path)))
                pdfmetrics.registerFontFamily("WbSans", normal="WbSans", bold="WbSans-Bold", italic="WbSans",
                                              boldItalic="WbSans-Bold")
                _fonts = Fonts("WbSans", "WbSans-Bold", "WbMono", True)
        except Exception:  # a damaged font file must not stop the export; fall back below
            _fonts = None
        if _fonts is None:
            _fonts = Fonts("Helvetica", "Helvetica-Bold", "Courier", False)
    return _fonts


def plain(text: object) -> str:
    """Return user text safe to draw as plain text: no control characters, only what the font can encode."""
    value = "" if text is None else str(text)
    value = _UNPRINTABLE.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))
    if not package_fonts().unicode:
        value = value.encode("cp1252", "replace").decode("cp1252")
    return value


def shortened_note(total: int, where: str) -> str:
    """Return the words that end a text shown only in part."""
    return f" … (shortened: {total:,} characters in all; the full text is in {where})"


def bounded(text: object, limit: int = TEXT_LIMIT, lines: int = LINE_LIMIT, where: str = IN_WORKBOOK) -> str:
    """Return user text cut to at most `limit` characters and `lines` lines, ending in a note when it was cut.

    Costs time in proportion to the bounds, not to the text: a text of a megabyte is never scanned whole.
    """
    value = "" if text is None else str(text)
    head = value[:limit]
    if "\r" in head:
        head = head.replace("\r\n", "\n").replace("\r", "\n")
    breaks = head.count("\n")
    if len(value) <= limit and breaks < lines:
        return head
    if breaks >= lines:
        end = -1
        for _ in range(lines):
            end = head.find("\n", end + 1)
        head = head[:end]
    elif (space := head.rfind(" ", max(len(head) - WORD_BREAK_WINDOW, 0))) > 0:
        head = head[:space]
    return head.rstrip() + shortened_note(len(value), where)


def chunks(text: str, limit: int = TEXT_LIMIT, lines: int = LINE_LIMIT) -> list[str]:
    """Return text as pieces of at most `limit` characters and `lines` lines, cut at line breaks or spaces."""
    # One Paragraph per piece: reportlab lays a paragraph's remainder out again on every page it spans.
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", max(limit - WORD_BREAK_WINDOW, 0), limit)
            cut = cut if cut > 0 else limit
            if current:
                pieces.append("\n".join(current))
                current, size = [], 0
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        if current and (size + len(line) > limit or len(current) >= lines):
            pieces.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        pieces.append("\n".join(current))
    return pieces


def one_line(text: object) -> str:
    """Return user text as a single line of plain text (for bookmarks and contents lines)."""
    return " ".join(plain(text).split())


def markup(text: object) -> str:
    """Return user text for a reportlab Paragraph: every `<`, `>` and `&` escaped, so markup prints literally."""
    return escape(plain(text)).replace("\n", "<br/>")


def _fitting(text: str, font: str, size: float, width: float, tail: str = "") -> int:
    """Return how many leading characters of text (followed by tail) fit in width."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:middle] + tail, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def fit_line(text: str, font: str, size: float, width: float) -> str:
    """Return text cut (with an ellipsis) so that it fits on one line of the given width."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    return text[:_fitting(text, font, size, width, "…")] + "…"


def wrap_name(text: str, font: str, size: float, width: float) -> str:
    """Return a file name or media type with line breaks where it would overflow the width.

    A line breaks after a space, else after "/", "_" or "-", else after "." in the second half of what fits;
    else after any of them earlier on; failing all, where the width ends (never inside a word when it can help).
    """
    lines: list[str] = []
    for rest in text.split("\n"):
        while rest and pdfmetrics.stringWidth(rest, font, size) > width:
            fit = max(_fitting(rest, font, size, width), 1)
            found = -1
            for chars, start in [*((chars, fit // 2) for chars in NAME_BREAKS), ("".join(NAME_BREAKS), 1)]:
                found = max(rest.rfind(char, start, fit) for char in chars)
                if found >= 0:
                    break
            cut = found + 1 if found >= 0 else fit
            lines.append(rest[:cut].rstrip(" "))
            rest = rest[cut:].lstrip(" ")
        lines.append(rest)
    return "\n".join(lines)


# -- the canvas: footers, table-of-contents numbers and bookmarks drawn once the layout is known -----------


@dataclass(slots=True)
class Ledger:
    """What the layout pass learns, for the canvas to draw when it saves: pages of anchors, TOC slots, bookmarks."""

    pages: dict[str, int] = field(default_factory=dict)  # anchor key -> page number
    tops: dict[str, float] = field(default_factory=dict)  # anchor key -> y on its page
    outline: list[tuple[str, str, int]] = field(default_factory=list)  # (title, key, level), document order
    numbers: dict[int, list[tuple[str, float, float, float]]] = field(default_factory=dict)  # page -> (key, x0, x1, y)
    slot_sizes: dict[int, tuple[float, float]] = field(default_factory=dict)  # page -> size of the merged page
    slots: dict[int, tuple[int, int]] = field(default_factory=dict)  # page -> (content index, page index)
    stamps: dict[int, str] = field(default_factory=dict)  # page -> what the merged page is evidence of
    font: str = "Helvetica"
    bold: str = "Helvetica-Bold"
    header: str = ""  # the running header: organisation, report, period
    marking: str = ""  # "Confidential", at the top right of every page


def draw_furniture(canvas: Canvas, header: str, marking: str, footer: str, fonts: tuple[str, str],
                   stamp: str = "") -> None:
    """Draw a page's running header (left) and marking (right) at its top, a stamp under them, a centred footer.

    `fonts` names the regular and the bold font.
    """
    regular, bold = fonts
    width, height = canvas._pagesize
    top = height - HEADER_DROP
    canvas.saveState()
    canvas.setFillGray(0.35)
    canvas.setFont(bold, 8)
    canvas.drawRightString(width - 36, top, marking)
    room = width - 72 - pdfmetrics.stringWidth(marking, bold, 8) - 18
    canvas.setFont(regular, 8)
    canvas.drawString(36, top, fit_line(one_line(header), regular, 8, room))
    if stamp:
        canvas.setFont(regular, 7.5)
        canvas.drawString(36, top - 13, fit_line(one_line(stamp), regular, 7.5, width - 72))
    canvas.setFont(regular, 8)
    canvas.drawCentredString(width / 2, FOOTER_Y, footer)
    canvas.restoreState()


class PackageCanvas(Canvas):
    """A canvas that holds pages back until the end, then stamps "Page X of Y", TOC numbers and bookmarks."""

    ledger: Ledger

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._held: list[dict[str, object]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def _furniture(self, number: int, total: int) -> None:
        """Draw the running header, the marking, a merged page's stamp and "Page X of Y" on the current page."""
        ledger = self.ledger
        draw_furniture(self, ledger.header, ledger.marking, f"Page {number} of {total}", (ledger.font, ledger.bold),
                       ledger.stamps.get(number, ""))

    def save(self) -> None:
        """Draw what only the finished layout knows on every held page, then write the document."""
        ledger, total = self.ledger, len(self._held)
        by_page: dict[int, list[str]] = {}
        for key, page in ledger.pages.items():
            by_page.setdefault(page, []).append(key)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            if number in ledger.slot_sizes:
                self.setPageSize(ledger.slot_sizes[number])
            self._furniture(number, total)
            for key, x0, x1, y in ledger.numbers.get(number, ()):
                if key in ledger.pages:
                    self.setFont(ledger.font, 9)
                    self.drawRightString(x1, y, str(ledger.pages[key]))
                    self.linkRect("", key, (x0, y - 3, x1, y + 10), relative=0, name=f"toc-{key}")
            for key in by_page.get(number, ()):
                self.bookmarkPage(key, fit="XYZ", left=0, top=ledger.tops.get(key))
            Canvas.showPage(self)
        for title, key, level in ledger.outline:
            if key in ledger.pages:
                self.addOutlineEntry(one_line(title) or key, key, level=level, closed=level > 0)
        self.showOutline()
        super().save()


def absolute_y(canvas: Canvas, y: float = 0) -> float:
    """Return the page y of a point given in the current (flowable) coordinates."""
    return canvas.absolutePosition(0, y)[1]


class Anchor(Flowable):
    """A zero-height mark before a heading: records its page for the TOC and its bookmark for the outline."""

    def __init__(self, ledger: Ledger, key: str, title: str, level: int, steps: Steps | None = None) -> None:
        super().__init__()
        self.ledger, self.key, self.title, self.level, self.steps = ledger, key, title, level, steps
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if self.key not in self.ledger.pages:
            self.ledger.pages[self.key] = self.canv.getPageNumber()
            self.ledger.tops[self.key] = absolute_y(self.canv) + 14
            self.ledger.outline.append((self.title, self.key, self.level))
            if self.steps is not None:
                self.steps.advance()


class TocLine(Flowable):
    """One line of the table of contents; its page number is drawn when the document is saved."""

    HEIGHT = 13.0

    def __init__(self, ledger: Ledger, key: str, title: str, level: int, fonts: Fonts) -> None:
        super().__init__()
        self.ledger, self.key, self.title, self.level, self.fonts = ledger, key, title, level, fonts

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.HEIGHT

    def draw(self) -> None:
        font = self.fonts.bold if self.level == 0 else self.fonts.regular
        indent = 14 * self.level
        self.canv.setFont(font, 9)
        self.canv.drawString(indent, 3, fit_line(one_line(self.title), font, 9, self.width - indent - 40))
        x0, y = self.canv.absolutePosition(indent, 3)
        x1, _ = self.canv.absolutePosition(self.width, 3)
        self.ledger.numbers.setdefault(self.canv.getPageNumber(), []).append((self.key, x0, x1, y))


class Slot(Flowable):
    """A whole page kept free for one page of a merged PDF; the page is laid under it when the file is written.

    The page is as large as the merged one plus the bands for the header, the stamp and the footer.
    """

    def __init__(self, ledger: Ledger, content: int, page: int, size: tuple[float, float], stamp: str) -> None:
        super().__init__()
        self.ledger, self.content, self.page, self.stamp = ledger, content, page, stamp
        self.size = (size[0], size[1] + MERGED_TOP + MERGED_BOTTOM)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, available_height

    def draw(self) -> None:
        number = self.canv.getPageNumber()
        self.ledger.slots[number] = (self.content, self.page)
        self.ledger.slot_sizes[number] = self.size
        self.ledger.stamps[number] = self.stamp


class HeadingBreak(CondPageBreak):
    """A page break before a heading when the heading and the start of what follows it do not fit on this page.

    `following` holds the heading (with any anchors and headings right after it) and, last, the first flowable
    of content; link_headings() fills it once the story is complete.
    """

    def __init__(self, least: float = 0) -> None:
        super().__init__(least)
        self.least = least
        self.following: list[Flowable] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        needed = self._needed(available_width, available_height)
        self.height = max(self.least, needed)
        return super().wrap(available_width, available_height)

    def _needed(self, width: float, height: float) -> float:
        frame = self._doctemplateAttr("frame")
        if not self.following or (frame is not None and getattr(frame, "_atTop", False)):
            return 0
        used = sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in self.following[:-1])
        content, room = self.following[-1], height - used
        if room <= 0:
            return height + 1
        if content.wrap(width, room)[1] <= room or content.split(width, room):
            return 0
        return height + 1


def _is_heading(flowable: Flowable) -> bool:
    return isinstance(flowable, Anchor | HeadingBreak) or (
        isinstance(flowable, Paragraph) and getattr(flowable.style, "name", "") in HEADING_STYLES)


def link_headings(story: list[Flowable]) -> None:
    """Give every HeadingBreak of the story the headings after it and the first content that follows them.

    A heading paragraph (style h1, h2 or h3) that follows content directly gets a HeadingBreak of its own first.
    """
    guarded: list[Flowable] = []
    for flowable in story:
        if _is_heading(flowable) and isinstance(flowable, Paragraph) and not (guarded and _is_heading(guarded[-1])):
            guarded.append(HeadingBreak())
        guarded.append(flowable)
    story[:] = guarded
    for index, flowable in enumerate(story):
        if isinstance(flowable, HeadingBreak):
            end = index + 1
            while end < len(story) and _is_heading(story[end]):
                end += 1
            flowable.following = [f for f in story[index + 1:end + 1] if not isinstance(f, HeadingBreak | Anchor)]


# -- evidence content: checked, cleaned, ready to embed ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Content:
    """What the package shows of one evidence file: kind "image", "text", "pdf" or "listed", with a note."""

    kind: str
    note: str = ""
    data: bytes = b""  # image: the re-encoded image; pdf: the cleaned PDF
    size: tuple[int, int] = (0, 0)  # image pixels
    text: str = ""
    truncated: bool = False
    page_sizes: tuple[tuple[float, float], ...] = ()


def content_kind(evidence: Evidence) -> str:
    """Return how the package shows a file: "image", "pdf", "text" or "listed"."""
    return shown_as(evidence.media_type, evidence.filename) or "listed"


def _drain(chunks: object) -> None:
    for _ in chunks:  # type: ignore[attr-defined]
        pass


def prepare(project: OpenProject, evidence: Evidence) -> Content:
    """Check an evidence file's bytes against its SHA-256 and return what the package shows of it."""
    kind = content_kind(evidence)
    if kind == "image" and evidence.size <= IMAGE_LIMIT:
        return clean_image(verified_bytes(project, evidence))
    if kind == "pdf" and evidence.size <= PDF_LIMIT:
        return clean_pdf(verified_bytes(project, evidence))
    if kind == "text":
        head = bytearray()
        breaks, last = 0, b""
        for chunk in verified_chunks(project, evidence):
            if len(head) < EXCERPT_HEAD_BYTES:
                head += chunk[:EXCERPT_HEAD_BYTES - len(head)]
            breaks += chunk.count(b"\n")
            last = chunk[-1:] or last
        return excerpt(bytes(head), evidence.size > len(head), breaks + (last not in (b"", b"\n")),
                       evidence.size)
    _drain(verified_chunks(project, evidence))
    if kind == "image":
        return Content("listed", f"Not embedded: the image is larger than {IMAGE_LIMIT >> 20} MiB.")
    if kind == "pdf":
        return Content("listed", f"Not merged: the PDF is larger than {PDF_LIMIT >> 20} MiB.")
    return Content("listed")


def excerpt(head: bytes, cut: bool, total_lines: int | None = None, size: int | None = None) -> Content:
    """Return the first lines of a text file, decoded leniently, long lines shortened, with a note of how much.

    `total_lines` counts the whole file's lines (line feeds, a last unterminated line counting too); it is
    ignored for UTF-16, whose line feeds a byte count cannot find. `size` is the file's size in bytes.
    """
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    text = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8-sig")(errors="replace").decode(
        head, final=not cut)
    lines = text.splitlines()
    shown, shortened = [], False
    for line in lines[:EXCERPT_LINES]:
        line = plain(line)
        if len(line) > EXCERPT_LINE_CHARS:
            line, shortened = line[:EXCERPT_LINE_CHARS] + " …", True
        shown.append(line)
    total = None if utf16 or total_lines is None else max(total_lines, len(shown))
    more = cut or len(lines) > EXCERPT_LINES
    if total == 1 and shown and (more or shortened):
        characters = min(len(plain(lines[0])), EXCERPT_LINE_CHARS)
        note = f"Excerpt: the first {characters:,} characters of its one {_size(size or len(head))} line."
    else:
        note = excerpt_note(len(shown), total, more, shortened)
    return Content("text", note, text="\n".join(shown), truncated=more or shortened)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size:,}-byte"
    return f"{size / 1024:.1f} KiB" if size < 1 << 20 else f"{size / (1 << 20):.1f} MiB"


def _lines(count: int) -> str:
    return "1 line" if count == 1 else f"{count:,} lines"


def excerpt_note(shown: int, total: int | None, more: bool, shortened: bool) -> str:
    """Return what an excerpt says of itself, e.g. "Excerpt: the first 60 of 5,000 lines." ("" when whole)."""
    words = []
    if more and total is not None and total > shown:
        words.append(f"the first of {total:,} lines" if shown == 1 else f"the first {shown:,} of {total:,} lines")
    elif more and total is not None:
        words.append(f"its {_lines(total)}, the last only in part")
    elif more:
        words.append(f"the first {_lines(shown)} of a longer file")
    if shortened:
        words.append(f"lines longer than {EXCERPT_LINE_CHARS:,} characters shortened")
    return f"Excerpt: {'; '.join(words)}." if words else ""


def clean_image(data: bytes) -> Content:
    """Decode an image and encode its pixels afresh (no EXIF or other metadata), scaled to a sane size."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as source:
            if source.width * source.height > IMAGE_PIXELS:
                return Content("listed", "Not embedded: the image has too many pixels.")
            source.seek(0)
            picture = ImageOps.exif_transpose(source) or source
            has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
            picture = picture.convert("RGBA" if has_alpha else "RGB")
            picture.thumbnail((IMAGE_SIDE, IMAGE_SIDE))
            fresh = Image.frombytes(picture.mode, picture.size, picture.tobytes())  # pixels only, no info
            out = io.BytesIO()
            if has_alpha or source.format in ("PNG", "GIF", "BMP"):
                fresh.save(out, "PNG")
            else:
                fresh.save(out, "JPEG", quality=88)
            return Content("image", data=out.getvalue(), size=fresh.size)
    except Exception:  # any decoder failure on untrusted bytes means "list it"
        return Content("listed", "Not embedded: the file cannot be read as an image.")


def clean_pdf(data: bytes) -> Content:
    """Copy a PDF's pages (rotation applied, origin at 0,0, no annotations or actions) ready to merge."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, RectangleObject

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return Content("listed", "Not merged: the PDF is encrypted.")
        writer = PdfWriter()
        for source in reader.pages:
            page = writer.add_page(source)
            page.transfer_rotation_to_content()
            box = page.mediabox
            left, bottom, width, height = float(box.left), float(box.bottom), float(box.width), float(box.height)
            if width <= 0 or height <= 0:
                raise ValueError("a page has no size")
            if left or bottom:
                from pypdf import Transformation

                page.add_transformation(Transformation().translate(-left, -bottom))
            page.mediabox = RectangleObject([0, 0, width, height])
            page.cropbox = RectangleObject([0, 0, width, height])
            for name in ("/Annots", "/AA"):
                if NameObject(name) in page:
                    del page[NameObject(name)]
        out = io.BytesIO()
        writer.write(out)
        cleaned = out.getvalue()
        check = PdfReader(io.BytesIO(cleaned))
        sizes = tuple((float(p.mediabox.width), float(p.mediabox.height)) for p in check.pages)
        for page in check.pages:
            page.get_contents()
        if not sizes:
            return Content("listed", "Not merged: the PDF has no pages.")
        return Content("pdf", data=cleaned, page_sizes=sizes)
    except Exception:  # any parser failure on untrusted bytes means "list it"
        return Content("listed", "Not merged: the PDF cannot be read.")
