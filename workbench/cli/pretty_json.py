"""JSON text exactly as json.dumps(value, ensure_ascii=False, indent=2) writes it, made faster for large documents.

With an indent, the standard library encodes in Python, one small piece at a time; an import's result document
holds a problem for thousands of rows. Here each string is escaped by the standard library's own (C) escaper and
every object or array is joined at once. A value of another type than the JSON ones (an enum, a date, a dict with
keys that are not strings) leaves the whole document to json.dumps, so the text is always json.dumps's.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # the C escaper where there is one
from typing import Any

_INFINITY = float("inf")


class _Unusual(Exception):
    """A value this encoder leaves to json.dumps."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _encode(value: Any, indent: str) -> str:
    """Return the text of a value whose lines inside it are indented by `indent` and two spaces more."""
    kind = value.__class__
    if kind is str:
        return encode_basestring(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + "  "
        parts = []
        for key, item in value.items():
            if key.__class__ is not str:
                raise _Unusual
            parts.append(f"{encode_basestring(key)}: {_encode(item, inner)}")
        return "{\n" + inner + (",\n" + inner).join(parts) + "\n" + indent + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = indent + "  "
        return "[\n" + inner + (",\n" + inner).join([_encode(item, inner) for item in value]) + "\n" + indent + "]"
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is float:
        return _float(value)
    raise _Unusual


def dumps(value: Any) -> str:
    """Return json.dumps(value, ensure_ascii=False, indent=2)."""
    try:
        return _encode(value, "")
    except (_Unusual, RecursionError):
        return json.dumps(value, ensure_ascii=False, indent=2)
