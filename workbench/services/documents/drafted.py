"""A management document as drafted, with what its author should know before sending it."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.documents import Document


@dataclass(frozen=True, slots=True)
class Drafted:
    """A document and the warnings about it (one line each: unwritten sections, a long bridge period)."""

    document: Document
    warnings: tuple[str, ...] = ()
