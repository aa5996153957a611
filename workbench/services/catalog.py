"""The bundled criteria catalog."""

from __future__ import annotations

from functools import cache

from workbench import paths
from workbench.domain.catalog import Catalog, read_catalog


@cache
def bundled_catalog() -> Catalog:
    """Return the Trust Services Criteria catalog shipped with the program (validated once)."""
    return read_catalog(paths.catalog_path())
