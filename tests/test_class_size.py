"""No class under workbench/ grows past 25 methods: a larger one is a room to split (issue 17)."""

from __future__ import annotations

import ast
from pathlib import Path

import workbench

MOST_METHODS = 25


def method_counts() -> dict[str, int]:
    """Return {"path:Class": number of functions defined directly in its body} for every class in workbench/."""
    root = Path(workbench.__file__).parent
    counts: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                methods = sum(isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) for item in node.body)
                counts[f"{path.relative_to(root)}:{node.name}"] = methods
    return counts


def test_no_class_has_more_than_25_methods() -> None:
    counts = method_counts()
    assert len(counts) > 50  # the walk found the package's classes
    too_large = {name: count for name, count in counts.items() if count > MOST_METHODS}
    assert not too_large, f"classes with more than {MOST_METHODS} methods: {too_large}"
