"""Markdown (a policy's text) as document blocks, parsed by markdown-it-py (CommonMark plus tables).

Inline markup is dropped and its text kept; raw HTML and character references are not interpreted, so what the
author typed (`<b>`, `&amp;`, `=HYPERLINK(...)`) reaches the document literally, as the writers' plain text.
The token stream is read in one pass, without recursion, so lists and quotes nested hundreds deep keep their text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from workbench.domain.documents import Block, BulletList, Heading, Paragraph, Table

# markdown-it stops parsing silently at maxNesting (20 in "commonmark"): set it past what Python's recursion
# allows, so text nested too deep raises RecursionError, read then as plain paragraphs, never lost.
_PARSER = MarkdownIt("commonmark", {"html": False, "maxNesting": 100_000}).enable("table").disable("entity")
_NESTED = "– "  # how an item of a list inside a list item is set apart in the flat lists a document holds
_MAX_INDENT = 8  # items nested deeper are set apart as at this depth (the text stays, the indent stops growing)
_LISTS = ("bullet_list_open", "ordered_list_open")


def _inline(token: Token) -> str:
    """Return the plain text of an inline token: its text, breaks as spaces or new lines, markup dropped."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "image"):  # an image's content is its alternative text
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)


def _text(token: Token) -> str | None:
    """Return the text a leaf token carries (inline, code), else None."""
    if token.type == "inline":
        return _inline(token)
    if token.type in ("code_block", "fence"):
        return token.content.rstrip("\n")
    return None


@dataclass
class _List:
    """A top-level list being read: its lines (items of lists inside items set apart) and the open depth."""

    numbered: bool
    start: int
    lines: list[list[str]] = field(default_factory=list)  # each item's text parts
    depths: list[int] = field(default_factory=list)  # each item's list depth
    open_items: list[int] = field(default_factory=list)  # index of the item each open list item writes to
    depth: int = 0

    def blocks(self) -> list[Block]:
        """Return the list as a BulletList; a numbered list continuing an earlier one keeps its numbers in its text."""
        items = [_NESTED * min(depth, _MAX_INDENT) + " ".join(parts).strip()
                 for parts, depth in zip(self.lines, self.depths, strict=True)]
        if self.numbered and self.start != 1:
            numbers = iter(range(self.start, self.start + len(items)))
            return [Paragraph(f"{next(numbers)}. {text}" if depth == 0 else text)
                    for text, depth in zip(items, self.depths, strict=True)]
        return [BulletList(tuple(items), self.numbered)]


@dataclass
class _Reader:
    """Turns markdown-it's flat token stream into blocks, one token at a time."""

    blocks: list[Block] = field(default_factory=list)
    listing: _List | None = None
    table: list[list[str]] | None = None
    heading: int = 0

    def read(self, token: Token) -> None:
        """Take the next token."""
        if self.listing is not None:
            self._in_list(token)
        elif self.table is not None:
            self._in_table(token)
        elif token.type in _LISTS:
            self.listing = _List(token.type == "ordered_list_open", int(str(token.attrs.get("start", 1))))
        elif token.type == "table_open":
            self.table = []
        elif token.type == "heading_open":
            self.heading = min(int(token.tag[1:]), 3)
        elif (text := _text(token)) is not None:
            if self.heading:
                self.blocks.append(Heading(text, self.heading))
            elif text.strip():
                self.blocks.append(Paragraph(text))
        elif token.type == "heading_close":
            self.heading = 0

    def _in_list(self, token: Token) -> None:
        listing = self.listing
        assert listing is not None
        if token.type in _LISTS:
            listing.depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            if listing.depth == 0:
                self.blocks += listing.blocks()
                self.listing = None
            else:
                listing.depth -= 1
        elif token.type == "list_item_open":
            listing.open_items.append(len(listing.lines))
            listing.lines.append([])
            listing.depths.append(listing.depth)
        elif token.type == "list_item_close":
            listing.open_items.pop()
        elif (text := _text(token)) is not None:
            listing.lines[listing.open_items[-1]].append(text)

    def _in_table(self, token: Token) -> None:
        table = self.table
        assert table is not None
        if token.type == "tr_open":
            table.append([])
        elif token.type in ("th_open", "td_open"):
            table[-1].append("")
        elif token.type == "inline":
            table[-1][-1] = _inline(token)
        elif token.type == "table_close":
            header, body = tuple(table[0]), [tuple(row) for row in table[1:]]
            self.blocks.append(Table(header, tuple(row + ("",) * (len(header) - len(row)) for row in body)))
            self.table = None


def _plain(text: str) -> list[Block]:
    """Return text as paragraphs split at blank lines (for Markdown nested deeper than the parser can follow)."""
    return [Paragraph(part.strip("\n")) for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def markdown_blocks(text: str) -> tuple[Block, ...]:
    """Return Markdown text as headings (levels 1-3), paragraphs, bulleted and numbered lists and tables."""
    try:
        tokens = _PARSER.parse(text)
    except RecursionError:
        return tuple(_plain(text))
    reader = _Reader()
    for token in tokens:
        reader.read(token)
    return tuple(reader.blocks)
