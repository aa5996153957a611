"""The flags of a pull-request list are printed by `register import ... populations` without --json too, bounded."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli_import import run
from tests.cli.test_cli_pr_population import PRS, folder  # noqa: F401  (fixture)


def test_the_text_output_names_each_flagged_pr_and_its_checks(folder: Path) -> None:  # noqa: F811
    result = run(folder, "register", "import", "acme.soc2", "populations", PRS / "prs.json", "--control", "CHG-1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("flagged: 2 pull requests")
    assert lines[start + 1:start + 3] == ["  #102 approved only by its author",
                                          "  #103 merged without an approving review"]


def test_more_than_twenty_flagged_prs_show_twenty_and_a_count(folder: Path) -> None:  # noqa: F811
    unreviewed = json.loads((PRS / "prs.json").read_text(encoding="utf-8"))[2]  # #103: merged, only a comment
    records = [{**unreviewed, "number": 200 + n, "mergedAt": f"2026-04-{1 + n % 28:02d}T08:05:00Z"}
               for n in range(25)]
    (folder / "many.json").write_text(json.dumps(records), encoding="utf-8")
    result = run(folder, "register", "import", "acme.soc2", "populations", "many.json", "--control", "CHG-1")
    assert result.returncode == 0, result.stderr
    flagged = [line for line in result.stdout.splitlines() if line.startswith("  #")]
    assert len(flagged) == 20 and flagged[0] == "  #200 merged without an approving review"
    assert "flagged: 25 pull requests" in result.stdout and "  and 5 more (--json lists them all)" in result.stdout


def test_a_clean_list_prints_no_flag_lines(folder: Path) -> None:  # noqa: F811
    records = json.loads((PRS / "prs.json").read_text(encoding="utf-8"))
    (folder / "clean.json").write_text(json.dumps([records[0]]), encoding="utf-8")
    result = run(folder, "register", "import", "acme.soc2", "populations", "clean.json", "--control", "CHG-1")
    assert result.returncode == 0, result.stderr
    assert "flagged" not in result.stdout
