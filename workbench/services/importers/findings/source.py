"""A security tool's report file, checked before anything reads it: size, kind (JSON or text table), encoding, hash.

The checks run in one pass over the bytes: the SHA-256, the text encoding (UTF-8, with or without a byte-order
mark, or UTF-16 as a Windows shell writes it) and, for JSON, how deeply it nests, because a streaming parser
given a nesting bomb spends memory on every level. Readers then get the text as UTF-8 bytes, streamed.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import IO

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.file_checks import checked_stat

MAX_REPORT_BYTES = 1024**3  # larger reports are refused before a byte is read
MAX_DEPTH = 200  # JSON nesting; tools' reports stay well under 30 levels
CHUNK = 1 << 20
HEAD_BYTES = 1 << 16

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)  # a string's text up to its closing quote
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DELTA = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def shown(path: Path) -> str:
    """Return the path as a message names it (control characters escaped)."""
    text = str(path)
    if text.isprintable():
        return text
    return text.encode("unicode_escape").decode("ascii")


def refused(path: Path, why: str) -> WorkbenchError:
    """Return the one error a reader raises for this file."""
    return WorkbenchError(shown(path), why)


@dataclass(frozen=True, slots=True)
class ReportFile:
    """A checked report file: its size, SHA-256, encoding, whether it is JSON, and its first text."""

    path: Path
    size: int
    sha256: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16-le" or "utf-16-be"
    is_json: bool
    head: str  # the first HEAD_BYTES of the text, decoded
    modified: datetime

    def open_utf8(self) -> IO[bytes]:
        """Open the report as a stream of UTF-8 bytes (UTF-16 is converted as it is read)."""
        raw = open(self.path, "rb")  # noqa: SIM115  # the caller closes it
        if self.encoding in ("utf-8", "utf-8-sig"):
            if self.encoding == "utf-8-sig":
                raw.read(3)
            return raw
        return _Utf8Stream(raw, self.encoding)


class _Utf8Stream(io.RawIOBase):
    """UTF-16 bytes read as UTF-8 bytes, a chunk at a time."""

    def __init__(self, raw: IO[bytes], encoding: str) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self._pending = b""
        self._bom = True
        self._done = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        """Return up to `size` bytes of UTF-8 (everything left when size is negative); b"" at the end."""
        while not self._done and (size < 0 or len(self._pending) < size):
            chunk = self._raw.read(CHUNK)
            self._done = not chunk
            text = self._decoder.decode(chunk, final=self._done)
            if self._bom and text:
                text, self._bom = text.removeprefix("\ufeff"), False
            self._pending += text.encode("utf-8")
        if size < 0 or size >= len(self._pending):
            out, self._pending = self._pending, b""
        else:
            out, self._pending = self._pending[:size], self._pending[size:]
        return out

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _utf16(head: bytes) -> str | None:
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be"
    sample = head[:512]
    pairs = len(sample) // 2
    if pairs >= 2:
        if sample[1::2].count(0) >= pairs * 0.9 and not sample[0::2].count(0):
            return "utf-16-le"
        if sample[0::2].count(0) >= pairs * 0.9 and not sample[1::2].count(0):
            return "utf-16-be"
    return None


def _encoding(path: Path, head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    wide = _utf16(head)
    if wide is not None:
        return wide
    if b"\x00" in head:
        raise refused(path, "is not a report: it holds binary data, not text")
    return "utf-8"


def _stat(path: Path) -> os.stat_result:
    return checked_stat(
        path, partial(refused, path), MAX_REPORT_BYTES,
        f"is larger than {MAX_REPORT_BYTES // 1024**3} GB, more than a report import reads; split the scan by account "
        "or region",
        not_regular="is not a regular file (a pipe or a device); save the report to a file and import that",
        folder="is a folder, not a report")


def open_report(path: Path | str) -> ReportFile:
    """Check a report file in one pass and return what readers need; raise WorkbenchError saying why it is unfit."""
    path = Path(path)
    info = _stat(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
            encoding = _encoding(path, head)
            text_head = head.decode(encoding, errors="replace").removeprefix("\ufeff")
            if not text_head.strip():
                raise refused(path, "holds only blank space: no report in it")
            is_json = text_head.lstrip()[:1] in ("{", "[")
            handle.seek(0)
            digest = _scan(path, handle, encoding, is_json)
    except OSError as exc:
        raise refused(path, f"cannot be read ({exc.strerror or exc})") from None
    modified = datetime.fromtimestamp(info.st_mtime, tz=UTC)
    return ReportFile(path, info.st_size, digest, encoding, is_json, text_head, modified)


def _scan(path: Path, handle: IO[bytes], encoding: str, is_json: bool) -> str:
    """Return the file's SHA-256; for JSON, check its text and nesting on the way."""
    digest = hashlib.sha256()
    depth = _Depth(path) if is_json else None
    wide = encoding.startswith("utf-16")
    decoder = codecs.getincrementaldecoder("utf-8" if encoding == "utf-8-sig" else encoding)(errors="strict")
    line = 1
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        if depth is None:
            continue
        try:
            text = decoder.decode(chunk)  # checks UTF-8 too: the parser's own message would quote raw bytes
        except UnicodeDecodeError as exc:
            where = line + chunk[: exc.start].count(b"\n") if not wide else line
            raise refused(path, f"is not {_named(encoding)} text (line {where:,}: {exc.reason}); save the report as "
                                "UTF-8") from None
        data = text.encode("utf-8") if wide else chunk
        depth.feed(data)
        line += data.count(b"\n")
    if depth is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise refused(path, f"is cut off in the middle of a character ({_named(encoding)})") from None
    return digest.hexdigest()


def _named(encoding: str) -> str:
    return "UTF-16" if encoding.startswith("utf-16") else "UTF-8"


class _Depth:
    """How deeply JSON text nests, followed chunk by chunk (brackets inside strings do not count).

    Between chunks it keeps only whether a string is open and whether a backslash waits for its escaped byte.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.depth = 0
        self.in_string = False
        self.escaped = False

    def feed(self, chunk: bytes) -> None:
        """Follow one more chunk of the text; raise WorkbenchError when it nests deeper than MAX_DEPTH."""
        data = chunk
        if self.in_string:
            end = _STRING_REST.match(data, 1 if self.escaped else 0).end()
            if end >= len(data) - 1 and (end == len(data) or data[end] == 0x5C):
                self.escaped = end < len(data)  # the chunk ends on a backslash
                return
            self.in_string = self.escaped = False
            data = data[end + 1:]
        bare = _STRING.sub(b"", data)
        quote = bare.find(b'"')
        if quote >= 0:  # a string opens and does not close in this chunk
            tail = bare[quote:]
            self.in_string = True
            self.escaped = (len(tail) - len(tail.rstrip(b"\\"))) % 2 == 1
            bare = bare[:quote]
        opens = bare.count(b"[") + bare.count(b"{")
        closes = bare.count(b"]") + bare.count(b"}")
        if self.depth + opens > MAX_DEPTH:
            brackets = bare.translate(None, _NOT_BRACKETS)
            deepest = max(accumulate((_DELTA[b] for b in brackets), initial=self.depth))
            if deepest > MAX_DEPTH:
                raise refused(self.path, f"is nested more than {MAX_DEPTH} levels deep; it is not a tool's report "
                                         "(or it is damaged)")
        self.depth += opens - closes
