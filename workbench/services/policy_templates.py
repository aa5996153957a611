"""The bundled policy template library (resources/policies/*.md): read once, checked against the catalog."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from workbench import paths
from workbench.domain.errors import ValidationError
from workbench.domain.policy_templates import PolicyTemplate, find_policy_template, read_policy_templates
from workbench.services.catalog import bundled_catalog


def policy_templates_dir() -> Path:
    """Return the folder of the bundled policy templates."""
    return paths.resources_dir() / "policies"


@cache
def policy_templates() -> tuple[PolicyTemplate, ...]:
    """Return the bundled policy templates sorted by title (each criterion checked against the bundled catalog)."""
    templates = read_policy_templates(policy_templates_dir())
    catalog = bundled_catalog()
    for template in templates:
        unknown = [c for c in template.criteria if c not in catalog]
        if unknown:
            raise ValidationError(f"policy template {template.key}", f"unknown criteria {', '.join(unknown)}")
    return templates


def policy_template(key: str) -> PolicyTemplate:
    """Return the bundled template with this key; raise NotFoundError listing the keys there are."""
    return find_policy_template(policy_templates(), key)
