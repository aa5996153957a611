"""The command line's JSON output is json.dumps's text (indent 2, non-ASCII kept), however the document is made."""

from __future__ import annotations

import datetime as dt
import enum
import json

import pytest

from workbench.cli.common import print_json
from workbench.cli.pretty_json import dumps


class _Colour(enum.Enum):
    RED = "red"


DOCUMENTS = [
    {"kind": "controls", "rows": 3, "columns": {"ref": "Control ID", "title": "Titre é"}, "dry_run": False,
     "problems": [{"row": 4, "level": "warning", "field": "criteria", "message": 'A1.2 "quoted"\n\\ \u2028 \x01'}]},
    {}, [], {"a": [], "b": {}, "c": [[], [{}]]},
    [0, -7, 10**30, 2.5, -0.0, 1e300, 1e-7, float("nan"), float("inf"), float("-inf"), True, False, None],
    ("a", ("b", 1)), "only a string", 12, None,
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_text_is_json_dumps_text(document: object) -> None:
    assert dumps(document) == json.dumps(document, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("document", [{1: "an int key"}, {"when": dt.date(2026, 1, 2)}, {"colour": _Colour.RED},
                                      {"flag": True, 3.5: None}])
def test_what_json_dumps_reads_otherwise_is_left_to_it(document: dict[object, object]) -> None:
    try:
        expected = json.dumps(document, ensure_ascii=False, indent=2)
    except TypeError:
        with pytest.raises(TypeError):
            dumps(document)
        return
    assert dumps(document) == expected


def test_a_circular_document_is_refused_as_json_dumps_refuses_it() -> None:
    looped: list[object] = []
    looped.append(looped)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(looped)


def test_print_json_prints_the_document_and_a_line_break(capsys: pytest.CaptureFixture[str]) -> None:
    document = {"problems": [{"row": n, "message": f"row {n} ü"} for n in range(3)], "created": 3}
    print_json(document)
    assert capsys.readouterr().out == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
