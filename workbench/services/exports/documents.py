"""Writing a management document (domain/documents.py) as DOCX or PDF, chosen by the file's extension."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from workbench.domain.documents import Document
from workbench.domain.errors import ValidationError
from workbench.services.exports.output import atomic_output

DOCUMENT_SUFFIXES = (".docx", ".pdf")
# The fields of a Document the PDF draws on its pages; author, subject and keywords also fill its metadata, which
# takes any character, so they are left as written.
_DRAWN = ("title", "subtitle", "facts", "blocks", "marking")


def document_format(path: Path | str) -> str:
    """Return "docx" or "pdf" for a document's file name; raise a ValidationError naming it for any other."""
    suffix = Path(path).suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise ValidationError(str(path), f"a document is written as {' or '.join(DOCUMENT_SUFFIXES)}; "
                                         f"give the file one of these extensions")
    return suffix[1:]


def write_document(document: Document, path: Path | str) -> tuple[str, ...]:
    """Write a Document as DOCX or PDF by the path's extension; the file appears only once complete.

    Return what its reader should be told: a PDF names the characters its font cannot draw (CJK, emoji), each run of
    them shown as a bracketed note in the text instead of as empty boxes.
    """
    destination = Path(path)
    kind = document_format(destination)
    notes: tuple[str, ...] = ()
    with atomic_output(destination) as temporary:
        if kind == "docx":
            from workbench.services.exports.document_docx import write_docx

            write_docx(document, temporary)
        else:
            from workbench.services.exports.document_pdf import write_pdf

            document, notes = pdf_drawable(document)
            write_pdf(document, temporary, destination)
    return notes


def pdf_drawable(document: Document) -> tuple[Document, tuple[str, ...]]:
    """Return the document with each run of characters the PDF's font lacks replaced by a note saying how many,
    and a warning naming some of them ((): every character can be drawn)."""
    covered = _font_characters()
    if covered is None:
        return document, ()
    missing: dict[str, None] = {}  # in the order met

    def run_note(match: re.Match[str]) -> str:
        run = match.group(0).replace(" ", "")
        missing.update(dict.fromkeys(run))
        return f"[{len(run)} character{'s' * (len(run) != 1)} the PDF font cannot show]"

    def shown(text: str) -> str:
        if all(ord(c) < 0x250 or c in covered for c in text):  # Latin text, the common case, costs one pass
            return text
        lacking = {c for c in text if c not in covered and _visible(c)}
        if not lacking:
            return text
        one = "[" + "".join(map(re.escape, sorted(lacking))) + "]+"
        return re.sub(f"{one}(?: +{one})*", run_note, text)  # words apart only by spaces make one run

    drawn = replace(document, **{name: _mapped(getattr(document, name), shown) for name in _DRAWN})
    if not missing:
        return document, ()
    examples = " ".join(list(missing)[:8])
    return drawn, (f"the PDF's font cannot show {len(missing)} different characters of the text ({examples}"
                   f"{' ...' * (len(missing) > 8)}); a note in brackets stands for each run of them: the DOCX export "
                   "keeps them",)


def _visible(character: str) -> bool:
    """Return False for characters drawn as nothing anyway: spaces, line breaks and format controls (bidi marks)."""
    return not character.isspace() and unicodedata.category(character) not in ("Cf", "Cc")


def _font_characters() -> frozenset[str] | None:
    """Return the characters the PDF documents' font can draw (None: it is not known; nothing is replaced)."""
    from reportlab.pdfbase import pdfmetrics

    from workbench.services.exports.pdf_parts import package_fonts

    fonts = package_fonts()
    if not fonts.unicode:
        return None  # reportlab's Latin-1 fonts: the writer already encodes text to what they hold
    face = getattr(pdfmetrics.getFont(fonts.regular), "face", None)
    codes = getattr(face, "charToGlyph", None)
    return frozenset(map(chr, codes)) if codes else None


def _mapped(value: Any, change: Callable[[str], str]) -> Any:
    """Return value with `change` applied to every string in it (in tuples and the fields of dataclasses)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, tuple):
        return tuple(_mapped(item, change) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _mapped(getattr(value, f.name), change) for f in fields(value)})
    return value
