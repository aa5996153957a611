"""Reading an existing policy out of a file: Markdown as it is (UTF-8, or UTF-16 as Windows tools write it; another
tool's front matter taken out for its title and criteria), a Word document as Markdown (see policy_docx), a PDF as
its extracted text. Each bad file is refused in one line naming it."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.documents import control_character, without_control_characters
from workbench.domain.errors import WorkbenchError
from workbench.domain.front_matter import FrontMatter, split_front_matter
from workbench.domain.policies import too_wide_table
from workbench.services.importers.json_rows import _encoding as text_encoding
from workbench.services.policy_docx import docx_markdown

MAX_BYTES = 50 * 1024 * 1024  # a policy document is a few pages; anything this large is not one
MAX_TEXT = 2_000_000  # characters: ten times a long policy; more cannot be edited, previewed or exported in time
MARKDOWN_SUFFIXES = (".md", ".markdown", ".txt")
SUFFIXES = (*MARKDOWN_SUFFIXES, ".docx", ".pdf")
_WORDLESS = re.compile(r"[\W_]*")


@dataclass(frozen=True, slots=True)
class PolicyText:
    """What a file holds: its title (its first heading, else the file's name), its text as Markdown, its bytes."""

    title: str
    body: str
    data: bytes
    kind: str  # "markdown", "docx" or "pdf"
    criteria: tuple[str, ...] = ()  # as a Markdown file's front matter names them (not checked against a catalog)
    owner: str = ""  # as its front matter names them


def read_policy_file(path: Path | str) -> PolicyText:
    """Return the policy a .md, .docx or .pdf file holds; raise WorkbenchError naming the file and the fault."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise WorkbenchError(str(path), f"a policy is imported from Markdown (.md), Word (.docx) or PDF (.pdf), not "
                                        f"{suffix or 'a file without an extension'}")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise WorkbenchError(str(path), f"is larger than {MAX_BYTES // (1024 * 1024)} MB; not a policy document")
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbenchError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    front = None
    if suffix == ".docx":
        body, kind = docx_markdown(data, str(path)), "docx"
    elif suffix == ".pdf":
        body, kind = _pdf_text(data, str(path)), "pdf"
    else:
        (body, front), kind = _markdown(data, str(path)), "markdown"
    body = "\n".join(line.rstrip() for line in body.strip().splitlines()) + "\n"
    if _WORDLESS.fullmatch(body):  # nothing but blanks, empty headings or rules
        raise WorkbenchError(str(path), "holds no text" + (" (a scanned image? only a PDF with text can be read)"
                                                           if kind == "pdf" else ""))
    if len(body) > MAX_TEXT:
        raise WorkbenchError(str(path), f"holds {len(body):,} characters of text, more than the {MAX_TEXT:,} a policy "
                                        "may have (a long policy has a few hundred thousand); not a policy document")
    if fault := too_wide_table(body):
        raise WorkbenchError(str(path), fault)
    title = ((front.title if front else "") or _title(body) or (_first_line(body) if kind == "pdf" else "")
             or path.stem.replace("_", " ").replace("-", " ").strip())
    return PolicyText(title, body, data, kind, front.criteria if front else (), front.owner if front else "")


def _title(body: str) -> str:
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def _first_line(text: str) -> str:
    """Return a PDF's first line when it reads like a title (a PDF has no headings; its file name is often a scan's)."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= 100 and any(c.isalpha() for c in line) else ""


def _markdown(data: bytes, source: str) -> tuple[str, FrontMatter | None]:
    encoding = text_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding.startswith("utf-16"):
            raise WorkbenchError(source, f"looks like UTF-16 text but is damaged (byte {exc.start:,})") from None
        line = data[:exc.start].count(b"\n") + 1
        raise WorkbenchError(source, f"is not UTF-8 text (line {line:,}, byte {exc.start:,}); save it as UTF-8 "
                                     "and import it again") from None
    if "\x00" in text:
        raise WorkbenchError(source, "is not a text file (it holds binary data)")
    if fault := control_character(text):
        raise WorkbenchError(source, f"{fault} and import the file again")
    front, body = split_front_matter(text.lstrip("\ufeff"))
    return body, front


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Keep a library's warnings about a damaged file off stderr while it is read (the refusal says it)."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _pdf_text(data: bytes, source: str) -> str:
    from pypdf import PdfReader

    with _quiet("pypdf"):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):  # "" opens a PDF locked only against editing
                raise WorkbenchError(source, "is a password-protected PDF; save an unprotected copy and import that")
            pages = [page.extract_text() or "" for page in reader.pages]
        except WorkbenchError:
            raise
        except Exception:  # pypdf raises many kinds on a damaged file (its own, ValueError, KeyError, zlib, ...)
            raise WorkbenchError(source, "is not a PDF that can be read") from None
    pages = [without_control_characters(text).strip() for text in pages]  # a PDF's extraction artefacts, not its words
    return "\n\n".join(text for text in pages if text)
