"""The policy template library: every template loads, maps to real criteria, and is our own text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from workbench.domain.enums import Category
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.policy_templates import (
    PLACEHOLDERS,
    PolicyTemplate,
    find_policy_template,
    parse_policy_template,
    read_policy_templates,
)
from workbench.services.catalog import bundled_catalog
from workbench.services.policy_templates import policy_template, policy_templates, policy_templates_dir

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


# --- the bundled library -------------------------------------------------------------------------------------------

FIRST_YEAR_SET = (
    "information-security", "acceptable-use", "access-control", "change-management", "incident-response",
    "business-continuity", "vendor-management", "data-classification", "data-retention", "encryption",
    "risk-management", "code-of-conduct", "hr-security", "physical-security", "secure-development",
    "logging-monitoring", "backup",
)
CRITERIA_TO_COVER = {"CC1.1", "CC1.4", "CC2.2", "CC3.1", "CC5.3", "CC6.1", "CC7.3", "CC8.1", "CC9.2", "A1.2", "C1.2"}
SECTIONS = ("Purpose", "Scope", "Roles", "Policy statements", "Exceptions", "Enforcement", "Review")

# The AICPA's own wording (criterion sentences of the 2017 Trust Services Criteria and COSO vocabulary), shortened to
# the fragments a copy would carry; none may appear in our text.
AICPA_PHRASES = (
    "the entity",
    "coso principle",
    "points of focus",
    "demonstrates a commitment to integrity and ethical values",
    "demonstrates independence from management and exercises oversight",
    "structures, reporting lines, and appropriate authorities and responsibilities",
    "commitment to attract, develop, and retain competent individuals",
    "holds individuals accountable for their internal control responsibilities",
    "relevant, quality information to support the functioning of internal control",
    "internally communicates information, including objectives and responsibilities",
    "communicates with external parties regarding matters affecting",
    "specifies objectives with sufficient clarity",
    "identifies risks to the achievement of its objectives across",
    "considers the potential for fraud in assessing risks",
    "identifies and assesses changes that could significantly impact",
    "ongoing and/or separate evaluations",
    "internal control deficiencies in a timely manner",
    "contribute to the mitigation of risks to the achievement of objectives",
    "general control activities over technology",
    "policies that establish what is expected and in procedures that put policies into action",
    "logical access security software, infrastructure, and architectures",
    "registers and authorizes new internal and external users",
    "giving consideration to the concepts of least privilege and segregation of duties",
    "restricts physical access to facilities and protected information assets",
    "discontinues logical and physical protections over physical assets",
    "threats from sources outside its system boundaries",
    "restricts the transmission, movement, and removal of information",
    "introduction of unauthorized or malicious software",
    "susceptibilities to newly discovered vulnerabilities",
    "anomalies that are indicative of malicious acts",
    "evaluates security events to determine whether they could or have resulted",
    "executing a defined incident response program",
    "activities to recover from identified security incidents",
    "authorizes, designs, develops or acquires, configures, documents, tests, approves",
    "risk mitigation activities for risks arising from potential business disruptions",
    "assesses and manages risks associated with vendors and business partners",
    "current processing capacity and use of system components",
    "environmental protections, software, data back-up processes, and recovery infrastructure",
    "tests recovery plan procedures supporting system recovery",
    "identifies and maintains confidential information to meet",
    "disposes of confidential information to meet",
)


def _flat(text: str) -> str:
    return " ".join(text.casefold().split())


@pytest.fixture(scope="module")
def library() -> tuple[PolicyTemplate, ...]:
    return policy_templates()


def test_the_library_holds_the_first_year_set_sorted_by_title(library: tuple[PolicyTemplate, ...]) -> None:
    assert sorted(t.key for t in library) == sorted(FIRST_YEAR_SET)
    assert len({t.key for t in library}) == len(library) == 17
    assert [t.title for t in library] == sorted((t.title for t in library), key=str.casefold)
    assert policy_template("access-control").title == "Access Control Policy"
    with pytest.raises(NotFoundError, match="the templates are: acceptable-use, access-control, backup, "):
        policy_template("password")


def test_each_template_maps_to_real_criteria_and_together_they_cover_the_first_year_list(
        library: tuple[PolicyTemplate, ...]) -> None:
    catalog = bundled_catalog()
    for template in library:
        assert template.criteria, template.key
        assert all(c in catalog for c in template.criteria), template.key
    assert {c for t in library for c in t.criteria} >= CRITERIA_TO_COVER


def test_each_template_applies_to_the_category_it_serves(library: tuple[PolicyTemplate, ...]) -> None:
    by_key = {t.key: t for t in library}
    # Every first-year policy applies to a security-only report (continuity and backup serve CC7.5 and CC9.1,
    # retention CC6.5); the criteria of other categories are kept only where those categories are in scope.
    assert all(t.category is Category.SECURITY for t in library)
    assert {"CC7.5", "A1.2"} <= set(by_key["backup"].criteria)
    assert {"CC6.5", "C1.2"} <= set(by_key["data-retention"].criteria)
    assert all(t.owner and 1 <= t.review_months <= 12 for t in library)


def test_each_template_is_a_full_policy_of_400_to_1000_words(library: tuple[PolicyTemplate, ...]) -> None:
    for template in library:
        assert template.body.startswith(f"# {template.title}\n"), template.key
        assert template.sections == SECTIONS, template.key
        assert 400 <= len(template.body.split()) <= 1000, template.key
        statements = template.body.split("## Policy statements", 1)[1].split("## Exceptions", 1)[0]
        assert len(re.findall(r"^\d+\. ", statements, re.MULTILINE)) >= 5, template.key
        assert {"company", "security_lead"} & set(template.placeholders), template.key


def test_no_template_carries_the_aicpa_wording(library: tuple[PolicyTemplate, ...]) -> None:
    for template in library:
        text = _flat(template.body)
        assert [p for p in AICPA_PHRASES if p in text] == [], template.key


def test_the_templates_are_found_where_the_bundle_puts_the_resources(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    # The PyInstaller spec bundles the whole resources/ folder under sys._MEIPASS; the loader looks there when frozen.
    monkeypatch.delenv("WORKBENCH_RESOURCES", raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert policy_templates_dir() == tmp_path / "resources" / "policies"
