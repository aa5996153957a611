"""Recognising a file's type from its first bytes, falling back to its name."""

from __future__ import annotations

import re
from pathlib import PurePath

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"\x1f\x8b", "application/gzip"),
)
_ZIP_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odt": "application/vnd.oasis.opendocument.text",
}
_TEXT_TYPES = {
    ".csv": "text/csv", ".tsv": "text/tab-separated-values", ".json": "application/json",
    ".md": "text/markdown", ".html": "text/html", ".htm": "text/html", ".xml": "application/xml",
    ".yaml": "application/yaml", ".yml": "application/yaml",
}
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")
# What can be shown of a stored file: pictures, PDFs, and text by media type or (when not known binary) by name.
_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})
_TEXT_MEDIA = frozenset({"application/json", "application/xml", "application/yaml"})
_TEXT_SUFFIXES = frozenset({".txt", ".log", ".csv", ".tsv", ".json", ".md", ".xml", ".yaml", ".yml"})


def sniff_media_type(head: bytes, filename: str) -> str:
    """Return the media type of a file from its first bytes (a few KiB) and, for containers, its name."""
    suffix = PurePath(filename).suffix.lower()
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _ZIP_TYPES.get(suffix, "application/zip")
    if _looks_like_text(head):
        return _TEXT_TYPES.get(suffix, "text/plain")
    return "application/octet-stream"


def shown_as(media_type: str, filename: str) -> str | None:
    """Return how a file's content can be shown: "image", "pdf" or "text"; None when it can only be listed."""
    if media_type in _IMAGE_TYPES:
        return "image"
    if media_type == "application/pdf":
        return "pdf"
    if media_type.startswith("text/") or media_type in _TEXT_MEDIA:
        return "text"
    if PurePath(filename).suffix.lower() in _TEXT_SUFFIXES and media_type != "application/octet-stream":
        return "text"
    return None


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if _BINARY_BYTES.search(head):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True
