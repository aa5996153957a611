"""Recognising an evidence file's type from its first bytes, and from its name only for text and containers."""

from __future__ import annotations

import pytest

from workbench.domain.media import sniff_media_type

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
BINARY = bytes(range(256))


@pytest.mark.parametrize(
    ("head", "filename", "expected"),
    [
        (PDF, "policy.pdf", "application/pdf"),
        (PDF, "policy.txt", "application/pdf"),  # the bytes win over a misleading name
        (PNG, "screenshot.png", "image/png"),
        (PNG, "screenshot", "image/png"),
        (JPEG, "photo.jpg", "image/jpeg"),
        (JPEG, "photo.JPEG", "image/jpeg"),
        (b"user,role,last_login\nana,admin,2026-01-02\n", "access-review.csv", "text/csv"),
        (b"user,role,last_login\nana,admin,2026-01-02\n", "ACCESS.CSV", "text/csv"),
        (b"user,role\nana,admin\n", "access-review.txt", "text/plain"),
        ("Grüße aus Köln: Zugriff geprüft ✓\n".encode(), "notes.txt", "text/plain"),
        ("Grüß".encode()[:-1], "cut.txt", "text/plain"),  # a multi-byte character cut off at the end
        (b"\xef\xbb\xbfid,name\n", "bom.csv", "text/csv"),
        (BINARY, "dump.bin", "application/octet-stream"),
        (BINARY, "fake.csv", "application/octet-stream"),  # a name does not make binary bytes text
        (b"\x00\x00\x00\x00", "zeros.txt", "application/octet-stream"),
        (b"PK\x03\x04\x14\x00\x06\x00", "people.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (b"PK\x03\x04\x14\x00\x06\x00", "bundle.zip", "application/zip"),
        (b"GIF89a\x01\x00", "a.gif", "image/gif"),
        (b'{"users": []}', "export.json", "application/json"),
    ],
)
def test_sniff_media_type(head: bytes, filename: str, expected: str) -> None:
    assert sniff_media_type(head, filename) == expected


def test_invalid_utf8_in_the_middle_is_binary() -> None:
    head = b"hello \xff\xfe\xfd world, and a long tail of plain text after it"
    assert sniff_media_type(head, "odd.txt") == "application/octet-stream"
