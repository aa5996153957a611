"""Policy templates: Markdown policies with a small front matter block, read from a folder and checked strictly.

A template file is `<key>.md`:

    ---
    key: access-control
    title: Access Control Policy
    owner: Head of Engineering
    review_months: 12
    criteria: CC6.1, CC6.2
    category: security
    ---
    # Access Control Policy
    ...

The body (everything after the closing `---`) is Markdown whose first line is `# <title>`. Finding the bundled
folder is not the domain's business: services/policy_templates.py reads it from the program's resources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.catalog import normalize_criterion_id
from workbench.domain.enums import Category
from workbench.domain.errors import NotFoundError, ValidationError

FIELDS = ("key", "title", "owner", "review_months", "criteria", "category")
FENCE = "---"
MAX_REVIEW_MONTHS = 36
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FIELD_LINE = re.compile(r"^([a-z_]+):\s*(.*?)\s*$")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# What a template leaves for the company to fill in, written {{name}} in the text.
PLACEHOLDERS: dict[str, str] = {
    "company": "the company's name",
    "product": "the product or service the report covers",
    "security_lead": "the person accountable for security",
    "ceo": "the chief executive",
    "engineering_lead": "the head of engineering",
    "people_lead": "the person who runs hiring and HR",
    "security_email": "the address staff and customers report security concerns to",
    "code_host": "where source code is kept and reviewed (e.g. GitHub)",
    "cloud_provider": "the hosting provider the product runs on (e.g. AWS)",
    "identity_provider": "the single sign-on provider",
    "ticket_system": "the tracker where requests, changes and issues are recorded",
    "password_manager": "the company password manager",
}


@dataclass(frozen=True, slots=True)
class PolicyTemplate:
    """One policy as we suggest it: who owns it, how often it is reviewed, the criteria it supports, its text."""

    key: str
    title: str
    owner: str
    review_months: int
    criteria: tuple[str, ...]
    category: Category
    body: str

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Return the names of the {{placeholders}} the text uses, each once, in order of first use."""
        return tuple(dict.fromkeys(_PLACEHOLDER.findall(self.body)))

    @property
    def sections(self) -> tuple[str, ...]:
        """Return the titles of the body's second-level (`## `) sections, in order."""
        return tuple(line[3:].strip() for line in self.body.splitlines() if line.startswith("## "))


def _fail(source: str, why: str) -> ValidationError:
    return ValidationError(f"policy template {source}", why)


def _front_matter(lines: list[str], source: str) -> tuple[dict[str, str], int]:
    """Return the front matter's fields and the index of the first body line."""
    if not lines or lines[0].strip() != FENCE:
        raise _fail(source, f"the first line must be {FENCE} (the front matter)")
    fields: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == FENCE:
            return fields, number
        if not line.strip() or line.startswith("#"):
            break
        match = _FIELD_LINE.match(line)
        if not match:
            raise _fail(source, f"line {number} is not a 'name: value' line")
        name, value = match.groups()
        if name not in FIELDS:
            raise _fail(source, f"line {number} names an unknown field {name!r} (expected: {', '.join(FIELDS)})")
        if name in fields:
            raise _fail(source, f"line {number} repeats the field {name!r}")
        if not value:
            raise _fail(source, f"line {number}: the field {name!r} is empty")
        fields[name] = value
    raise _fail(source, f"the front matter is not closed by a {FENCE} line")


def _review_months(text: str, source: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_REVIEW_MONTHS:
        raise _fail(source, f"review_months must be a whole number from 1 to {MAX_REVIEW_MONTHS}, not {text!r}")
    return int(text)


def _criteria(text: str, source: str) -> tuple[str, ...]:
    found: list[str] = []
    for part in text.split(","):
        criterion = normalize_criterion_id(part.strip())
        if criterion is None or criterion != part.strip():
            raise _fail(source, f"criteria: {part.strip()!r} is not a criterion ID such as CC6.1")
        if criterion in found:
            raise _fail(source, f"criteria: {criterion} is listed twice")
        found.append(criterion)
    return tuple(found)


def _category(text: str, source: str) -> Category:
    try:
        return Category(text)
    except ValueError:
        raise _fail(source, f"category must be one of {', '.join(c.value for c in Category)}, not {text!r}") from None


def _check_placeholders(text: str, source: str) -> None:
    unknown = sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        raise _fail(source, f"unknown placeholders {', '.join(unknown)} (known: {', '.join(PLACEHOLDERS)})")
    rest = _PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        raise _fail(source, "a placeholder is not written {{name}}")


def parse_policy_template(text: str, source: str = "text") -> PolicyTemplate:
    """Return the template a file's text holds; raise ValidationError naming the source and the fault."""
    lines = text.splitlines()
    fields, start = _front_matter(lines, source)
    missing = [name for name in FIELDS if name not in fields]
    if missing:
        raise _fail(source, f"the front matter lacks {', '.join(missing)}")
    key, title = fields["key"], fields["title"]
    if not _KEY.match(key):
        raise _fail(source, f"key {key!r} must be lower-case letters, digits and hyphens")
    body_lines = lines[start:]
    while body_lines and not body_lines[0].strip():
        body_lines.pop(0)
    if not body_lines or body_lines[0].strip() != f"# {title}":
        raise _fail(source, f"the text must start with the heading '# {title}'")
    _check_placeholders(text, source)
    return PolicyTemplate(
        key=key, title=title, owner=fields["owner"], review_months=_review_months(fields["review_months"], source),
        criteria=_criteria(fields["criteria"], source), category=_category(fields["category"], source),
        body="\n".join(body_lines).rstrip() + "\n",
    )


def read_policy_templates(folder: Path) -> tuple[PolicyTemplate, ...]:
    """Return every `*.md` template of the folder, sorted by title; each file's name must be its key."""
    if not folder.is_dir():
        raise _fail(str(folder), "the folder does not exist")
    templates: list[PolicyTemplate] = []
    for path in sorted(folder.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(str(path), f"cannot be read as UTF-8 text ({exc})") from None
        template = parse_policy_template(text, str(path))
        if template.key != path.stem:
            raise _fail(str(path), f"the key {template.key!r} differs from the file name {path.stem!r}")
        templates.append(template)
    if not templates:
        raise _fail(str(folder), "the folder holds no .md template")
    return tuple(sorted(templates, key=lambda t: t.title.casefold()))


def find_policy_template(templates: Iterable[PolicyTemplate], key: str) -> PolicyTemplate:
    """Return the template with this key; raise NotFoundError listing the keys there are."""
    known = {t.key: t for t in templates}
    wanted = key.strip().lower()
    if wanted in known:
        return known[wanted]
    raise NotFoundError(f"policy template {key!r}", f"no such template; the templates are: {', '.join(sorted(known))}")
