"""Reading an existing policy out of a file: Markdown as it is, a Word document as Markdown (headings as #, list
items as -), a PDF as its extracted text. Each bad file is refused in one line naming it."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.errors import WorkbenchError

MAX_BYTES = 50 * 1024 * 1024  # a policy document is a few pages; anything this large is not one
MARKDOWN_SUFFIXES = (".md", ".markdown", ".txt")
SUFFIXES = (*MARKDOWN_SUFFIXES, ".docx", ".pdf")
_HEADING_STYLE = re.compile(r"^heading (\d)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PolicyText:
    """What a file holds: its title (its first heading, else the file's name), its text as Markdown, its bytes."""

    title: str
    body: str
    data: bytes
    kind: str  # "markdown", "docx" or "pdf"


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
    if suffix == ".docx":
        body, kind = _docx_markdown(data, str(path)), "docx"
    elif suffix == ".pdf":
        body, kind = _pdf_text(data, str(path)), "pdf"
    else:
        body, kind = _markdown(data, str(path)), "markdown"
    body = "\n".join(line.rstrip() for line in body.strip().splitlines()) + "\n"
    if not body.strip():
        raise WorkbenchError(str(path), "holds no text" + (" (a scanned image? only a PDF with text can be read)"
                                                           if kind == "pdf" else ""))
    return PolicyText(_title(body) or path.stem.replace("_", " ").replace("-", " ").strip(), body, data, kind)


def _title(body: str) -> str:
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def _markdown(data: bytes, source: str) -> str:
    if b"\x00" in data:
        raise WorkbenchError(source, "is not a text file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkbenchError(source, f"is not UTF-8 text (byte {exc.start} cannot be read)") from None


def _docx_markdown(data: bytes, source: str) -> str:
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds (a zip error, a missing part, bad XML)
        raise WorkbenchError(source, "is not a Word document that can be read (.docx)") from None
    lines: list[str] = []
    styles = [(p.style.name if p.style is not None else "") or "" for p in document.paragraphs]
    shift = 1 if any(s.casefold() == "title" for s in styles) else 0  # a Title above them: Heading 1 is a section
    for paragraph, style in zip(document.paragraphs, styles, strict=True):
        text = paragraph.text.strip()
        if not text:
            continue
        heading = _HEADING_STYLE.match(style)
        if style.casefold() == "title":
            lines += [f"# {text}", ""]
        elif heading:
            lines += [f"{'#' * min(int(heading.group(1)) + shift, 6)} {text}", ""]
        elif "list" in style.casefold() or (paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None):
            lines.append(f"- {text}")
        else:
            if lines and lines[-1].startswith("- "):
                lines.append("")
            lines += [text, ""]
    return "\n".join(lines)


def _pdf_text(data: bytes, source: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise WorkbenchError(source, "is a password-protected PDF; save an unprotected copy and import that")
        pages = [page.extract_text() or "" for page in reader.pages]
    except WorkbenchError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        raise WorkbenchError(source, "is not a PDF that can be read") from None
    return "\n\n".join(text.strip() for text in pages if text.strip())
