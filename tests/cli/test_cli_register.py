"""`workbench register kinds|import|list|export` as a real process, and import-controls / import-requests as aliases."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.test_cli_import import assert_one_error_line, run
from workbench.services.session import OpenProject


@pytest.fixture
def folder(tmp_path: Path, make_project: Callable[..., OpenProject]) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    make_project(path / "acme.soc2").close()
    (path / "controls.csv").write_text(
        "Control ID,Control Title,Owner,TSC Ref(s)\n"
        "AC-1,Access reviews,Jane,CC6.1\n"
        "AC-1,,,CC6.2\n"  # a crosswalk row: AC-1 again with another criterion
        "AC-2,MFA,Ana,CC6.6 A1.2\n",  # A1.2: Availability is not in this project's scope
        encoding="utf-8")
    (path / "requests.csv").write_text(
        "PBC #,Request,Related Control,Due Date\nPBC-1,User listing,AC-1,03/04/2026\nPBC-2,Org chart,,2026-05-01\n",
        encoding="utf-8")
    return path


def json_of(folder: Path, *args: object) -> object:
    result = run(folder, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_kinds_lists_controls_and_requests_with_their_fields(folder: Path) -> None:
    kinds = {k["kind"]: k for k in json_of(folder, "register", "kinds", "--json")}
    assert set(kinds) >= {"controls", "requests"}
    assert kinds["controls"]["key"] == "ref" and kinds["requests"]["key"] == "ref"
    fields = {name: {f["name"]: f["type"] for f in kind["fields"]} for name, kind in kinds.items()}
    assert fields["controls"] == {"ref": "text", "title": "text", "description": "text", "owner": "text",
                                  "frequency": "enum", "criteria": "criteria", "status": "enum", "nature": "enum",
                                  "implemented_since": "date", "retired_on": "date", "notes": "text"}
    assert fields["requests"]["due"] == "date" and fields["requests"]["criteria"] == "criteria"


def test_register_import_help_names_every_kind_register_kinds_serves(folder: Path) -> None:
    served = [k["kind"] for k in json_of(folder, "register", "kinds", "--json")]
    result = run(folder, "register", "import", "--help")
    assert result.returncode == 0, result.stderr
    kind_help = result.stdout.split("\n  KIND", 1)[1].split("\n  SOURCE", 1)[0]  # KIND's help, wrapped
    named = set(kind_help.replace(",", " ").split())
    assert len(served) == 13 and [kind for kind in served if kind not in named] == []


@pytest.mark.parametrize(("kind", "alias", "source", "extra"), [
    ("controls", "import-controls", "controls.csv", ()),
    ("control", "import-controls", "controls.csv", ()),
    ("requests", "import-requests", "requests.csv", ("--day-first",)),
])
def test_register_import_and_its_alias_print_the_same_report(folder: Path, kind: str, alias: str, source: str,
                                                             extra: tuple[str, ...]) -> None:
    by_register = json_of(folder, "register", "import", "acme.soc2", kind, source, "--dry-run", "--json", *extra)
    by_alias = json_of(folder, alias, "acme.soc2", source, "--dry-run", "--json", *extra)
    assert by_register == by_alias and by_register["kind"] == ("requests" if kind == "requests" else "controls")


def test_import_list_export_and_import_again_round_trip(folder: Path) -> None:
    report = json_of(folder, "register", "import", "acme.soc2", "controls", "controls.csv", "--json")
    assert (report["created"], report["merged"], report["criteria_links"]) == (2, 1, 3)
    assert [(p["row"], p["level"], p["field"]) for p in report["problems"]] == [(4, "warning", "criteria")]
    json_of(folder, "register", "import", "acme.soc2", "requests", "requests.csv", "--month-first", "--json")
    listed = json_of(folder, "register", "list", "acme.soc2", "controls", "--json")
    assert [(c["ref"], c["title"], c["criteria"]) for c in listed] == [
        ("AC-1", "Access reviews", ["CC6.1", "CC6.2"]), ("AC-2", "MFA", ["CC6.6"])]
    requests = json_of(folder, "register", "list", "acme.soc2", "request", "--json")
    assert [(r["ref"], r["control"], r["due"]) for r in requests] == [("PBC-1", "AC-1", "2026-03-04"),
                                                                      ("PBC-2", None, "2026-05-01")]
    for kind, out in (("controls", "controls-out.xlsx"), ("requests", "requests-out.csv")):
        exported = run(folder, "register", "export", "acme.soc2", kind, out)
        assert exported.returncode == 0, exported.stderr
        again = json_of(folder, "register", "import", "acme.soc2", kind, out, "--json")
        assert (again["created"], again["updated"], again["merged"]) == (0, 0, 0)
    sheet = load_workbook(folder / "controls-out.xlsx").active
    assert [c.value for c in sheet[1]][:3] == ["Control ID", "Title", "Description"]
    assert [c.value for c in sheet[2]][:2] == ["AC-1", "Access reviews"]
    listed_json = folder / "controls.json"
    listed_json.write_text(json.dumps(listed), encoding="utf-8")
    from_json = json_of(folder, "register", "import", "acme.soc2", "controls", listed_json.name, "--json")
    assert (from_json["sheet"], from_json["created"], from_json["unchanged"]) == (None, 0, 2)


def test_rows_without_ids_import_with_generate_ids(folder: Path) -> None:
    (folder / "noids.csv").write_text("Control,Owner,TSC\nAccess reviews,Jane,CC6.1\nMFA,Ana,CC6.6\n",
                                      encoding="utf-8")
    refused = run(folder, "register", "import", "acme.soc2", "controls", "noids.csv")
    assert_one_error_line(refused, "no column holds the control ID")
    first = json_of(folder, "register", "import", "acme.soc2", "controls", "noids.csv", "--generate-ids", "--json")
    again = json_of(folder, "import-controls", "acme.soc2", "noids.csv", "--generate-ids", "--json")
    assert (first["created"], again["created"], again["unchanged"]) == (2, 0, 2)


@pytest.mark.parametrize(("args", "phrase"), [
    (["register", "import", "acme.soc2", "widgets", "controls.csv"], "'widgets' : is not a kind of register"),
    (["register", "list", "acme.soc2", "nope", "--json"], "is not a kind of register"),
    (["register", "export", "acme.soc2", "controls", "out.pdf"], "out.pdf : a register is exported as .xlsx or "
                                                                 ".csv, not .pdf"),
    (["register", "import", "acme.soc2", "controls", "controls.csv", "--sheet", "Nope"], "no sheet named 'Nope'"),
    (["register", "import", "acme.soc2", "controls", "missing.csv"], "missing.csv : the file does not exist"),
])
def test_user_errors_exit_2_with_one_line_and_leave_the_project_alone(folder: Path, args: list[str],
                                                                       phrase: str) -> None:
    before = (folder / "acme.soc2").read_bytes()
    result = run(folder, *args)
    assert_one_error_line(result, phrase)
    assert result.stdout == ""
    assert (folder / "acme.soc2").read_bytes() == before
    assert not (folder / "out.pdf").exists()


def test_a_file_with_thousands_of_problems_prints_the_first_and_counts_the_rest(folder: Path) -> None:
    rows = "".join(f"AC-{n},Control {n},Jane,CC6.1\nAC-{n},Control {n} again,Ana,CC6.1\n" for n in range(1, 601))
    (folder / "repeated.csv").write_text("Control ID,Control Title,Owner,TSC Ref(s)\n" + rows, encoding="utf-8")
    result = run(folder, "import-controls", "acme.soc2", "repeated.csv")
    assert result.returncode == 0, result.stderr
    listed = [line for line in result.stdout.splitlines() if line.startswith("  row ")]
    assert len(listed) == 200 and "warning" in listed[0]
    assert result.stdout.rstrip().endswith("  ... and 400 more problems (--json lists every one)")
    document = json_of(folder, "import-controls", "acme.soc2", "repeated.csv", "--dry-run", "--json")
    assert len(document["problems"]) == 600
