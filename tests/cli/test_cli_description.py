"""`workbench description show|set|csoc|cuec-criteria` and `engagement checks|check` as a user runs them: values
read back from the project with `show --json` and `checks --json`, bad input refused in one line, nothing changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.test_cli_process import assert_one_error_line, run

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    copy = tmp_path / "sample.soc2"
    shutil.copyfile(SAMPLE, copy)
    return copy


def _ok(tmp_path: Path, *args: object) -> str:
    result = run(tmp_path, *args)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def _outline(tmp_path: Path, project: Path) -> dict:
    return json.loads(_ok(tmp_path, "description", "show", project, "--json"))


def _texts(outline: dict) -> dict[str, str]:
    texts = {s["key"]: s["text"] for s in outline["sections"]}
    texts.update({p["key"]: p["text"] for s in outline["sections"] for p in s["parts"]})
    return texts


def test_show_lists_every_section_and_part_with_what_it_should_cover(tmp_path, sample):
    outline = _outline(tmp_path, sample)
    assert [s["code"] for s in outline["sections"]] == [f"DC{n}" for n in range(1, 10)]
    dc3 = outline["sections"][2]
    assert [p["title"] for p in dc3["parts"]] == ["Infrastructure", "Software", "People", "Procedures", "Data"]
    assert all(s["checklist"] and s["hint"] for s in outline["sections"])
    assert outline["unwritten"] == [] and all(s["written"] for s in outline["sections"])
    assert {"title": "Okta (carve-out): complementary controls", "rows": 2} in outline["sections"][6]["filled"]
    text = _ok(tmp_path, "description", "show", sample)
    assert "== DC1 Types of services provided (written)" in text and "-- DC3 Software (written)" in text
    assert _texts(outline)["dc1"] in text


def test_set_takes_any_spelling_of_a_section_and_a_file(tmp_path, sample):
    (tmp_path / "software.txt").write_bytes("\ufeffPython API; 数据 pipeline 🚀\n".encode())
    _ok(tmp_path, "description", "set", sample, "DC3", "software", "--file", "software.txt")
    _ok(tmp_path, "description", "set", sample, "dc3.data", "--text", "Tenant data.")
    _ok(tmp_path, "description", "set", sample, "DC 9", "--text", "")
    _ok(tmp_path, "description", "set", sample, "services", "--text", "Dashboards.")  # a key from before DC1-DC9
    outline = _outline(tmp_path, sample)
    texts = _texts(outline)
    assert texts["dc3.software"] == "Python API; 数据 pipeline 🚀\n"
    assert texts["dc3.data"] == "Tenant data." and texts["dc1"] == "Dashboards."
    dc9 = outline["sections"][8]
    assert texts["dc9"] == "" and dc9["written"]  # the program still lists the changes to controls
    written = _ok(tmp_path, "description", "show", sample)
    assert "Python API; 数据 pipeline 🚀" in written


@pytest.mark.parametrize(("content", "phrase"), [
    (b"text\x00with a NUL", "binary"),
    ("café".encode("latin-1"), "not UTF-8 text (byte 3"),
    (None, "cannot be read"),
])
def test_set_refuses_a_file_that_is_not_text(tmp_path, sample, content, phrase):
    before = _texts(_outline(tmp_path, sample))
    source = tmp_path / "section.txt"
    if content is not None:
        source.write_bytes(content)
    result = run(tmp_path, "description", "set", sample, "dc1", "--file", source)
    assert str(source) in assert_one_error_line(result, phrase)
    assert _texts(_outline(tmp_path, sample)) == before


def test_set_refuses_a_huge_file_and_an_unknown_section(tmp_path, sample):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(5 * 1024 * 1024)
    assert_one_error_line(run(tmp_path, "description", "set", sample, "dc2", "--file", huge), "huge.txt", "larger")
    assert_one_error_line(run(tmp_path, "description", "set", sample, "dc10", "--text", "x"), "dc10", "dc3.software")
    assert_one_error_line(run(tmp_path, "description", "set", sample, "dc3", "hardware", "--text", "x"), "hardware")
    assert_one_error_line(run(tmp_path, "description", "set", sample, "dc1"), "--text", "--file")


def test_csocs_are_added_listed_and_removed_with_their_criteria(tmp_path, sample):
    out = _ok(tmp_path, "description", "csoc", "add", sample, "--subservice", "okta", "--text",
              "Okta keeps its MFA service available.", "--criteria", "cc6.6,CC6.1")
    assert "Okta: complementary control 3 added, criteria CC6.1, CC6.6" in out
    okta = json.loads(_ok(tmp_path, "description", "csoc", "list", sample, "--subservice", "OKTA", "--json"))[0]
    assert okta["csocs"][2] == {"number": 3, "text": "Okta keeps its MFA service available.",
                                "criteria": ["CC6.1", "CC6.6"]}
    _ok(tmp_path, "description", "csoc", "remove", sample, "--subservice", "Okta", "1")
    okta = next(s for s in _outline(tmp_path, sample)["subservices"] if s["name"] == "Okta")
    assert [c["number"] for c in okta["csocs"]] == [1, 2]
    assert okta["csocs"][1]["text"] == "Okta keeps its MFA service available."
    assert "Okta (carve-out): 2 complementary controls" in _ok(tmp_path, "description", "csoc", "list", sample)


def test_csoc_mistakes_are_one_line_and_change_nothing(tmp_path, sample):
    before = _outline(tmp_path, sample)["subservices"]
    cases = [
        (("add", sample, "--subservice", "Nobody", "--text", "x"), ("Nobody", "Okta")),
        (("add", sample, "--subservice", "Okta", "--text", "x", "--criteria", "CC99.1"), ("CC99.1",)),
        (("add", sample, "--subservice", "Okta", "--text", "x", "--criteria", "nonsense"), ("nonsense",)),
        (("add", sample, "--subservice", "Okta", "--text", "  "), ("empty",)),
        (("remove", sample, "--subservice", "Okta", "3"), ("there are 2",)),
        (("remove", sample, "--subservice", "Okta", "0"), ("'0'",)),
    ]
    for args, phrases in cases:
        assert_one_error_line(run(tmp_path, "description", "csoc", *args), *phrases)
    assert _outline(tmp_path, sample)["subservices"] == before


def test_cuec_criteria_are_mapped_and_refused(tmp_path, sample):
    assert "criteria CC6.2, C1.1" in _ok(tmp_path, "description", "cuec-criteria", sample, "2", "--criteria",
                                         "c1.1,cc6.2")
    assert _outline(tmp_path, sample)["cuecs"][1]["criteria"] == ["CC6.2", "C1.1"]
    shown = _ok(tmp_path, "description", "show", sample)  # the numbers the commands take, under DC6 and DC7
    assert "   2. Customers that connect their own identity provider" in shown and "[CC6.2, C1.1]" in shown
    assert "   Okta (carve-out): 2 complementary controls\n     1. Okta enforces" in shown
    assert_one_error_line(run(tmp_path, "description", "cuec-criteria", sample, "7", "--criteria", "CC6.2"),
                          "user entity control 7", "there are 6")
    assert_one_error_line(run(tmp_path, "description", "cuec-criteria", sample, "1"), "--criteria")
    assert _outline(tmp_path, sample)["cuecs"][1]["criteria"] == ["CC6.2", "C1.1"]


def test_the_engagement_checklist_is_ticked_and_unticked(tmp_path, sample):
    items = json.loads(_ok(tmp_path, "engagement", "checks", sample, "--json"))
    assert items[0]["key"] == "rep-responsibility" and not any(i["done"] for i in items)
    out = _ok(tmp_path, "engagement", "check", sample, "rep-access", "--by", "Dana Ruiz", "--date", "2026-10-15")
    assert out.strip() == "rep-access: ticked on 2026-10-15 by Dana Ruiz"
    _ok(tmp_path, "engagement", "check", sample, "SUB-ASKED", "--by", "Dana Ruiz")
    items = {i["key"]: i for i in json.loads(_ok(tmp_path, "engagement", "checks", sample, "--json"))}
    assert (items["rep-access"]["done_on"], items["rep-access"]["done_by"]) == ("2026-10-15", "Dana Ruiz")
    assert items["sub-asked"]["done"] and items["sub-asked"]["done_on"]
    assert "[x] 2026-10-15 Dana Ruiz rep-access" in _ok(tmp_path, "engagement", "checks", sample)
    _ok(tmp_path, "engagement", "check", sample, "rep-access", "--clear")
    items = {i["key"]: i for i in json.loads(_ok(tmp_path, "engagement", "checks", sample, "--json"))}
    assert not items["rep-access"]["done"] and items["rep-access"]["done_by"] == ""


def test_engagement_check_mistakes_are_one_line(tmp_path, sample):
    assert_one_error_line(run(tmp_path, "engagement", "check", sample, "rep-nothing", "--by", "Dana"),
                          "rep-nothing", "rep-access")
    assert_one_error_line(run(tmp_path, "engagement", "check", sample, "rep-access"), "--by", "--clear")
    assert_one_error_line(run(tmp_path, "engagement", "check", sample, "rep-access", "--by", " "), "who")
    assert_one_error_line(run(tmp_path, "engagement", "check", sample, "rep-access", "--by", "D", "--date",
                              "15/10/2026"), "YYYY-MM-DD")
    items = json.loads(_ok(tmp_path, "engagement", "checks", sample, "--json"))
    assert not any(i["done"] for i in items)


@pytest.mark.parametrize("fixture", ["project-0001.soc2", "project-0010.soc2"])
def test_a_project_made_before_dc1_to_dc9_shows_every_word_under_the_dc_headings(tmp_path, fixture):
    source = Path(__file__).resolve().parents[1] / "migrations" / "fixtures" / fixture
    if not source.exists():
        pytest.skip(f"{fixture} is not in the tree")
    project = tmp_path / "old.soc2"
    shutil.copyfile(source, project)
    texts = _texts(_outline(tmp_path, project))
    assert texts["dc1"] == "Analytics dashboards for retailers."  # the old 'services' section
    assert texts["dc3.people"] == "Twelve engineers and a part-time security lead."  # the old 'people' section
    shown = _ok(tmp_path, "description", "show", project)
    assert "== DC1 Types of services provided (written)\nAnalytics dashboards for retailers." in shown
    assert "-- DC3 People (written)\nTwelve engineers and a part-time security lead." in shown
