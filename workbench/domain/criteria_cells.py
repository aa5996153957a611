"""Reading a spreadsheet cell that lists Trust Services Criteria: "CC6.1, CC 6.2; cc6.3-6.5 / A.9.2.1"."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import lru_cache

# A criterion id written loosely: "CC6.1", "cc 6.1", "PI1.2", "C1.1", or the snake form "cc_6_1".
# Single-letter prefixes take no space ("A 5.1" is how ISO annexes are often written); a letter, digit or dot
# before the prefix means the text belongs to something else ("PCI", "AC-2", "A.9.2.1", "SOC2.1").
_PREFIX = r"(?<![A-Za-z0-9.])(?P<p>CC ?|PI ?|A|C|P)"
_ID = re.compile(
    _PREFIX + r"(?P<major>\d{1,2}) ?\. ?(?P<minor>\d{1,2})(?P<pof>\.\d{1,2})?(?![\d])"
    r"|(?<![A-Za-z0-9])(?P<sp>cc|pi|a|c|p)_(?P<smajor>\d{1,2})_(?P<sminor>\d{1,2})(?![\d])",
    re.IGNORECASE,
)
# What may follow an id to make it the start of a range: a dash or "to", then a second id, whole ("-CC6.3",
# " to CC6.3", "–CC6.3") or shortened to its numbers ("-6.3", " – 6.3"). A bare number ("-3") is no id.
_RANGE_TAIL = re.compile(
    r"\s*(?:-|–|—|\bto\b|\bthrough\b|\bthru\b)\s*"
    r"(?:(?P<p>CC|PI|A|C|P) ?(?P<major>\d{1,2}) ?\. ?(?P<minor>\d{1,2})"
    r"|(?P<smajor>\d{1,2}) ?\. ?(?P<sminor>\d{1,2}))(?![\d.]*\d)",
    re.IGNORECASE,
)
# A shortened end is a range only where the id list goes on or stops: "CC7.2 - 3.5 hours" is a note.
_LIST_GOES_ON = re.compile(
    r"[ ]*(?:$|[\r\n,;:/|()\[\]&]|\.(?!\d)|\band\b|(?:CC|PI|A|C|P) ?\d|(?:cc|pi|a|c|p)_\d)", re.IGNORECASE)
# A dash (or "to") and then text that starts with a digit but is no id: "CC6.1 - 2FA enforced", "CC6.1 — 8 users".
_NUMBER_NOTE = re.compile(
    r"\s*(?:-|–|—|\bto\b|\bthrough\b|\bthru\b)\s*(?P<note>\.?\d[^,;/|\r\n]*)", re.IGNORECASE)
# After an id, a list separator and a bare number: the same series shortened ("CC6.1, 6.2, 6.3", "CC6.1/6.2").
_SHORT_NEXT = re.compile(
    r"[ ]*(?:[,;/|&+]|\band\b)[ ]*(?P<major>\d{1,2}) ?\. ?(?P<minor>\d{1,2})(?![\d.]*\d)", re.IGNORECASE)
_NOTHING_WORDS = frozenset({"", "n/a", "na", "none", "-", "--", "—", "tbd", "nil", "null", "x", "not applicable"})
_HAS_WORD = re.compile(r"[A-Za-z0-9]")


@lru_cache(maxsize=4096)
def _key(criterion_id: str) -> tuple[str, int, int]:
    match = re.match(r"^([A-Z]+)(\d+)\.(\d+)$", criterion_id)
    if not match:
        return (criterion_id, 0, 0)
    return (match.group(1), int(match.group(2)), int(match.group(3)))


@lru_cache(maxsize=8)
def _ordered_frozen(known: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(known, key=_key))


def _ordered(known: Collection[str]) -> tuple[str, ...]:
    return _ordered_frozen(known if isinstance(known, frozenset) else frozenset(known))


def _explain(criterion_id: str) -> str:
    if _key(criterion_id)[2] == 0:
        return f"{criterion_id} is a series heading, not a criterion; ignored"
    return f"{criterion_id} is not a 2017 Trust Services Criterion (mistyped, or a 2016-era id?); ignored"


def parse_criteria_cell(text: str, known: Collection[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (criterion ids in the order written, without repeats; warnings) for one cell's text."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text.replace("\xa0", " ").replace("\t", " ")
    found: list[str] = []
    warnings: list[str] = []

    def keep(criterion_id: str) -> None:
        if criterion_id in known:
            if criterion_id not in found:
                found.append(criterion_id)
        else:
            warning = _explain(criterion_id)
            if warning not in warnings:
                warnings.append(warning)

    position = 0
    anything = False
    prefix = last_id = ""
    while True:
        short = _SHORT_NEXT.match(text, position) if prefix else None
        if short is not None and not (_LIST_GOES_ON.match(text, short.end()) or _RANGE_TAIL.match(text, short.end())):
            written = " ".join(text[position:short.end()].split())
            warnings.append(f"{written!r} after {last_id} is not read as a criterion (write {prefix}"
                            f"{int(short.group('major'))}.{int(short.group('minor'))} to mean one)")
            short = None
        match = short or _ID.search(text, position)
        if match is None:
            break
        anything = True
        if short is not None:
            major, minor = int(short.group("major")), int(short.group("minor"))
        elif match.group("p") is not None:
            prefix = match.group("p").replace(" ", "").upper()
            major, minor = int(match.group("major")), int(match.group("minor"))
        else:
            prefix = match.group("sp").upper()
            major, minor = int(match.group("smajor")), int(match.group("sminor"))
        start_id = last_id = f"{prefix}{major}.{minor}"
        position = match.end()
        tail = _RANGE_TAIL.match(text, position)
        if tail is not None and tail.group("p") is not None and tail.group("p").upper() == prefix:
            end_id = f"{prefix}{int(tail.group('major'))}.{int(tail.group('minor'))}"
            position = tail.end()
            _expand(start_id, end_id, known, keep, warnings)
            continue
        if tail is not None and tail.group("smajor") is not None and _LIST_GOES_ON.match(text, tail.end()):
            end_id = f"{prefix}{int(tail.group('smajor'))}.{int(tail.group('sminor'))}"
            if _key(start_id) <= _key(end_id):
                position = tail.end()
                _expand(start_id, end_id, known, keep, warnings)
                continue
        keep(start_id)
        note = _NUMBER_NOTE.match(text, position)
        if note is not None:
            # Searching goes on from just after the id: an id inside the note still counts.
            written = " ".join(text[match.start():note.end()].split())
            warnings.append(f"{written!r} is read as {start_id} and the note {note.group('note').strip()!r}, not as "
                            "a range (ranges are written CC6.1-CC6.3 or CC6.1-6.3)")
    if not anything and not found:
        plain = " ".join(text.split()).strip().lower()
        if plain not in _NOTHING_WORDS and _HAS_WORD.search(plain) and not _looks_foreign(plain):
            warnings.append(f"no Trust Services Criterion found in {' '.join(text.split())[:60]!r}")
    return tuple(found), tuple(warnings)


_FOREIGN = re.compile(r"\b(iso|nist|pci|hipaa|gdpr|cis|cobit|csa|ccm|[a-z]{2}-\d)|\ba\.\d", re.IGNORECASE)


def _looks_foreign(text: str) -> bool:
    return _FOREIGN.search(text) is not None


def _expand(start_id: str, end_id: str, known: Collection[str], add: Callable[[str], None],
            warnings: list[str]) -> None:
    """Add every known criterion from start_id to end_id (same prefix), in catalog order."""
    start_key, end_key = _key(start_id), _key(end_id)
    if start_key > end_key:
        warnings.append(f"the range {start_id}-{end_id} runs backwards; ignored")
        return
    if start_id == end_id:
        add(start_id)
        return
    for endpoint in (start_id, end_id):
        if endpoint not in known:
            add(endpoint)  # reports it
    inside = [c for c in _ordered(known) if _key(c)[0] == start_key[0] and start_key <= _key(c) <= end_key]
    for criterion_id in inside:
        add(criterion_id)


def looks_like_criteria(text: str) -> bool:
    """Return True when the text holds at least one id shaped like a criterion (known or not)."""
    return _ID.search(text) is not None
