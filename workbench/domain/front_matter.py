"""The metadata block other tools put at the top of a Markdown policy (Jekyll-style front matter, as strongdm/comply
writes it, sometimes without its opening `---`): `key: value` lines and indented lists ending at a `---` line.
Left in the text it would read as a heading made of YAML, so it is taken out and its title and criteria kept."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.domain.catalog import normalize_criterion_id

FENCES = ("---", "...")
MAX_LINES = 200  # a metadata block is a few dozen lines; a longer run of `key:` lines is text
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*):(?:\s+(.*?))?\s*$")
_CRITERION = re.compile(r"\b(?:CC|PI|A|C|P)\s?\d+\.\d+\b", re.IGNORECASE)
_CRITERIA_KEY = re.compile(r"criteri|satisf|tsc|soc", re.IGNORECASE)
_TITLE_KEYS = ("title", "name")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """What a metadata block says: the policy's title and owner ("" when none) and the criteria it names, once each."""

    title: str
    criteria: tuple[str, ...]
    owner: str = ""


def _block_end(lines: list[str], start: int) -> int | None:
    for index in range(start, min(len(lines), start + MAX_LINES)):
        if lines[index].strip() in FENCES:
            return index if index > start else None
    return None


def _is_metadata(block: list[str], fenced: bool) -> bool:
    if _KEY_LINE.match(block[0]) is None:
        return False
    for line in block:
        if not line.strip() or line[0].isspace() or _KEY_LINE.match(line):
            continue
        if not (fenced and line.startswith("#")):  # a YAML comment, only inside an opened block
            return False
    return True


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _read(block: list[str]) -> FrontMatter:
    title, owner, criteria, in_criteria = "", "", [], False
    for line in block:
        match = _KEY_LINE.match(line)
        if match is not None:
            key, value = match.group(1), match.group(2) or ""
            if key.casefold() in _TITLE_KEYS and not title:
                title = _unquoted(value)
            if key.casefold() == "owner" and not owner:
                owner = _unquoted(value)
            in_criteria = bool(_CRITERIA_KEY.search(key))
            text = value
        else:
            text = line
        if in_criteria:
            criteria += [c for c in (normalize_criterion_id(t) for t in _CRITERION.findall(text)) if c]
    return FrontMatter(title, tuple(dict.fromkeys(criteria)), owner)


def split_front_matter(text: str) -> tuple[FrontMatter | None, str]:
    """Return a Markdown text's front matter (None when it has none) and the text after it."""
    lines = text.split("\n")
    fenced = bool(lines) and lines[0].strip() == FENCES[0]
    start = 1 if fenced else 0
    end = _block_end(lines, start)
    if end is None or not _is_metadata(lines[start:end], fenced):
        return None, text
    return _read(lines[start:end]), "\n".join(lines[end + 1:]).lstrip("\n")
