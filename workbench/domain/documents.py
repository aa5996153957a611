"""Documents management hands the auditor (description, assertion, bridge letter, policies), as plain blocks.

A document is data: headings, paragraphs, lists, tables and places to sign, in order. The DOCX and PDF writers
(services/exports/documents.py) lay the same blocks out in each format. Every text here is plain text: the
writers escape it, so user text never becomes markup or a formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides and isolates: a text's own direction
_EMBEDS, _ISOLATES = "\u202a\u202b\u202d\u202e", "\u2066\u2067\u2068"
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")  # tab, line ends and form feed are text; these are not


def control_character(text: str) -> str | None:
    """Return where a text holds a control character no document text has ("line 3 holds ... (U+001B)"), else None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return (f"line {text.count(chr(10), 0, found.start()) + 1:,} holds a control character "
            f"(U+{ord(found.group()):04X}), which no document text has; remove it")


def without_control_characters(text: str) -> str:
    """Return a text with each control character no document text has as a space."""
    return _CONTROL.sub(" ", text)


def isolated(text: str) -> str:
    """Return a name to be set into a sentence with each direction override or embedding it opens closed at its end
    (U+202C, or U+2069 for an isolate): Word would otherwise show the rest of the sentence backwards."""
    if not _BIDI.search(text):
        return text
    opened: list[str] = []
    for char in text:
        if char in _EMBEDS:
            opened.append("\u202c")
        elif char in _ISOLATES:
            opened.append("\u2069")
        elif char == "\u202c" and opened and opened[-1] == "\u202c":
            opened.pop()
        elif char == "\u2069" and "\u2069" in opened:
            del opened[len(opened) - 1 - opened[::-1].index("\u2069"):]  # closes the embeddings opened inside it too
    return text + "".join(reversed(opened))


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of level 1 to 3 (Word's Heading 1..3; a PDF bookmark at the same depth)."""

    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text (a line break inside it is kept)."""

    text: str


@dataclass(frozen=True, slots=True)
class BulletList:
    """A list of items, bulleted or numbered from 1."""

    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row; `widths` are relative column widths (None: equal)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None


@dataclass(frozen=True, slots=True)
class SignatureBlock:
    """A line to sign on, then the lines under it (name, title, date)."""

    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PageBreak:
    """The next block starts on a new page."""


Block = Heading | Paragraph | BulletList | Table | SignatureBlock | PageBreak


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document: its title page facts, its blocks in order and the properties its file carries."""

    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]
    blocks: tuple[Block, ...]
    author: str
    subject: str
    keywords: tuple[str, ...]
    marking: str = "Confidential"


def introduces_list(blocks: tuple[Block, ...], index: int) -> bool:
    """Return True when the block at `index` is a paragraph directly followed by a list (kept on one page with it)."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return isinstance(blocks[index], Paragraph) and isinstance(following, BulletList)


def text_blocks(text: str) -> tuple[Block, ...]:
    """Return user text as blocks: paragraphs split on blank lines, runs of "- " or "1. " lines as lists."""
    blocks: list[Block] = []
    for part in text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n"):
        lines = [line.rstrip() for line in part.split("\n") if line.strip()]
        # Consecutive lines of one kind (prose None, bulleted False, numbered True) make one block.
        for kind, run in groupby(((*list_item(line), line) for line in lines), key=lambda entry: entry[1]):
            entries = list(run)
            if kind is None:
                blocks.append(Paragraph("\n".join(line for _, _, line in entries).strip()))
            else:
                blocks.append(BulletList(tuple(item for item, _, _ in entries if item is not None), kind))
    return tuple(blocks)


def list_item(line: str) -> tuple[str | None, bool | None]:
    """Return (the item's text, numbered?) for a list item ("- x", "* x", "1. x", "2) x"), else (None, None)."""
    stripped = line.strip()
    if stripped[:2] in ("- ", "* ", "• "):
        return stripped[2:].strip(), False
    number, dot, rest = stripped.partition(". ")
    if not dot:
        number, dot, rest = stripped.partition(") ")
    if dot and number.isdigit() and len(number) <= 3 and rest.strip():
        return rest.strip(), True
    return None, None
