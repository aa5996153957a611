"""A pull-request list written as JSON Lines (`gh pr list --json ... --jq '.[]'`, one object a line) imports as the
array does, in UTF-8 or UTF-16; a JSON Lines file with a broken line is refused naming the line, nothing written."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest

from tests.services.test_pr_populations import FLAGGED, PRS, project  # noqa: F401  (fixture)
from workbench.domain.errors import WorkbenchError
from workbench.services.importers.engine import import_register
from workbench.services.importers.json_rows import read_json_table
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.populations import get_population
from workbench.services.session import OpenProject


def _records() -> list[dict[str, Any]]:
    return json.loads((PRS / "prs.json").read_text(encoding="utf-8"))


def _import(project: OpenProject, source: Path) -> dict[str, Any]:  # noqa: F811
    return import_register(project, POPULATIONS, source, details=(("control", "CHG-1"),))


@pytest.mark.parametrize(("name", "encoding", "bom"), [("prs.json", "utf-8", b""), ("prs.jsonl", "utf-8", b""),
                                                       ("prs.json", "utf-16-le", codecs.BOM_UTF16_LE)])
def test_json_lines_import_like_the_array(project: OpenProject, tmp_path: Path, name: str, encoding: str,  # noqa: F811
                                          bom: bytes) -> None:
    source = tmp_path / name
    source.write_bytes(bom + "".join(json.dumps(r) + "\n" for r in _records()).encode(encoding))
    result = _import(project, source)
    assert (result["population"], result["out_of_period"], result["flagged"]) == (4, 1, FLAGGED)
    assert result["format"] == "github-pull-requests"


def test_each_line_is_a_row_of_its_own(tmp_path: Path) -> None:
    source = tmp_path / "prs.json"
    source.write_text("\r\n".join(json.dumps(r) for r in _records()), encoding="utf-8")
    table = read_json_table(source)
    assert [row[table.headers.index("number")] for row in table.rows] == [r["number"] for r in _records()]


def test_a_broken_line_is_refused_naming_it_and_nothing_is_written(project: OpenProject, tmp_path: Path) -> None:  # noqa: F811
    lines = [json.dumps(r) for r in _records()]
    lines[2] = lines[2][:40]  # cut off as an interrupted pipe leaves it
    source = tmp_path / "prs.json"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as raised:
        _import(project, source)
    assert raised.value.what == str(source)
    assert "is JSON Lines (one JSON object a line), but line 3 is not JSON" in str(raised.value)
    assert get_population(project, "CHG-1") is None


def test_a_line_that_is_not_an_object_is_named(tmp_path: Path) -> None:
    source = tmp_path / "prs.json"
    source.write_text(json.dumps(_records()[0]) + "\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="line 2 holds a list, not an object"):
        read_json_table(source)


def test_a_document_with_trailing_garbage_is_still_not_a_json_document(tmp_path: Path) -> None:
    source = tmp_path / "prs.json"
    source.write_text(json.dumps(_records(), indent=2) + "\nx\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"is not a JSON document \(Extra data"):
        read_json_table(source)
