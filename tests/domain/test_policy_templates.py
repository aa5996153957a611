"""The policy template library: every template loads, maps to real criteria, and is our own text."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.enums import Category
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.policy_templates import (
    PLACEHOLDERS,
    find_policy_template,
    parse_policy_template,
    read_policy_templates,
)

GOOD = """---
key: demo
title: Demo Policy
owner: Security Lead
review_months: 12
criteria: CC6.1, CC5.3
category: security
---

# Demo Policy

## Purpose

Say why, for {{company}}.

## Scope

Everyone.
"""


def _with(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


def test_a_template_is_read_from_its_front_matter_and_body() -> None:
    template = parse_policy_template(GOOD, "demo.md")
    assert (template.key, template.title, template.owner, template.review_months) == (
        "demo", "Demo Policy", "Security Lead", 12)
    assert template.criteria == ("CC6.1", "CC5.3")
    assert template.category is Category.SECURITY
    assert template.body.startswith("# Demo Policy\n\n## Purpose\n")
    assert template.sections == ("Purpose", "Scope")
    assert template.placeholders == ("company",)


@pytest.mark.parametrize(("old", "new", "why"), [
    ("---\nkey", "key", "the first line must be ---"),
    ("category: security\n---\n", "category: security\n", "not closed"),
    ("owner: Security Lead\n", "", "lacks owner"),
    ("owner: Security Lead\n", "owner:\n", "'owner' is empty"),
    ("owner: Security Lead\n", "owner: A\nowner: B\n", "repeats the field 'owner'"),
    ("owner: Security Lead\n", "owner: A\nversion: 2\n", "unknown field 'version'"),
    ("owner: Security Lead\n", "owner Security Lead\n", "line 4 is not a 'name: value' line"),
    ("review_months: 12", "review_months: yearly", "review_months must be a whole number"),
    ("review_months: 12", "review_months: 0", "review_months must be a whole number"),
    ("criteria: CC6.1, CC5.3", "criteria: CC6.1, access", "'access' is not a criterion ID"),
    ("criteria: CC6.1, CC5.3", "criteria: CC6.1, CC6.1", "CC6.1 is listed twice"),
    ("category: security", "category: secrecy", "category must be one of"),
    ("key: demo", "key: Demo Policy", "must be lower-case"),
    ("# Demo Policy", "# Another Title", "must start with the heading '# Demo Policy'"),
    ("{{company}}", "{{company_name}}", "unknown placeholders company_name"),
    ("{{company}}", "{{company}", "not written {{name}}"),
])
def test_a_malformed_template_is_refused_naming_the_file_and_the_fault(old: str, new: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_policy_template(_with(old, new), "demo.md")
    assert caught.value.what == "policy template demo.md"
    assert why in caught.value.why


def test_a_folder_is_read_sorted_by_title_and_a_file_must_be_named_by_its_key(tmp_path: Path) -> None:
    (tmp_path / "demo.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "alpha.md").write_text(_with("key: demo", "key: alpha").replace("Demo Policy", "Alpha Policy"),
                                       encoding="utf-8")
    assert [t.key for t in read_policy_templates(tmp_path)] == ["alpha", "demo"]
    (tmp_path / "other.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ValidationError, match="differs from the file name 'other'"):
        read_policy_templates(tmp_path)


def test_an_empty_or_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"holds no \.md template"):
        read_policy_templates(tmp_path)
    with pytest.raises(ValidationError, match="does not exist"):
        read_policy_templates(tmp_path / "absent")


def test_an_unknown_key_is_refused_listing_the_keys_there_are() -> None:
    templates = (parse_policy_template(GOOD),)
    assert find_policy_template(templates, " Demo ").key == "demo"
    with pytest.raises(NotFoundError, match="the templates are: demo"):
        find_policy_template(templates, "nope")


def test_every_placeholder_is_described() -> None:
    assert all(name.isidentifier() and text for name, text in PLACEHOLDERS.items())
