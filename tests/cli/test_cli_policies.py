"""Policies on the command line, as real processes: templates added, a version published, edited and published
again, `policies show --on` a past day giving exactly the first version (same hash), signatures imported with who is
behind, the registers listed, and each user error one line with exit status 2 that changes nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.test_cli_import import assert_one_error_line, run
from tests.services.test_policies import SIGNATURES, STAFF
from tests.services.test_services_registers import write_csv
from workbench.services.session import OpenProject


def _ok(folder: Path, *args: object) -> str:
    result = run(folder, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _json(folder: Path, *args: object) -> object:
    return json.loads(_ok(folder, *args, "--json"))


def test_publish_edit_publish_show_on_a_past_day_acknowledge_and_list(tmp_path: Path,
                                                                        make_project: Callable[..., OpenProject]
                                                                        ) -> None:
    make_project(tmp_path / "acme.soc2").close()
    added = _json(tmp_path, "policies", "add", "acme.soc2", "access-control", "code-of-conduct", "backup")
    assert added["added"] == ["access-control", "code-of-conduct", "backup"] and added["skipped"] == []
    published = _ok(tmp_path, "policies", "publish", "acme.soc2", "access-control", "--approver", "Grace Hopper",
                    "--effective", "2026-01-15", "--approved", "2026-01-10")
    assert "version 1 published, approved by Grace Hopper on 2026-01-10, effective 2026-01-15" in published
    first = _json(tmp_path, "policies", "show", "acme.soc2", "access-control", "--on", "2026-02-01")
    assert first["sha256"] == hashlib.sha256(first["body"].encode("utf-8")).hexdigest()

    (tmp_path / "v2.md").write_text(first["body"] + "\n## Exceptions\n\nAsk in writing.\n", encoding="utf-8")
    assert "1 published version unchanged" in _ok(tmp_path, "policies", "edit", "acme.soc2", "access-control",
                                                   "--text", "v2.md", "--owner", "CTO")
    _ok(tmp_path, "policies", "publish", "acme.soc2", "access-control", "--approver", "Grace Hopper",
        "--effective", "2026-02-20", "--approved", "2026-02-18")
    again = _json(tmp_path, "policies", "show", "acme.soc2", "access-control", "--on", "2026-02-01")
    assert again == first  # exactly the first version: number, hash, approval, text
    latest = _json(tmp_path, "policies", "show", "acme.soc2", "access-control", "--on", "2026-03-01")
    assert latest["version"] == 2 and latest["sha256"] != first["sha256"]
    text = _ok(tmp_path, "policies", "show", "acme.soc2", "access-control", "--on", "2026-02-01")
    assert text.startswith("Access Control Policy (access-control), version 1, in force on 2026-02-01\n")
    assert f"SHA-256 {first['sha256']}" in text and "approved by Grace Hopper on 2026-01-10" in text

    _ok(tmp_path, "policies", "publish", "acme.soc2", "code-of-conduct", "--approver", "Grace Hopper",
        "--effective", "2026-01-15", "--approved", "2026-01-10")
    write_csv(tmp_path / "staff.csv", STAFF)
    write_csv(tmp_path / "signed.csv", SIGNATURES)
    assert _json(tmp_path, "register", "import", "acme.soc2", "people", "staff.csv")["created"] == 6
    report = _json(tmp_path, "register", "import", "acme.soc2", "acknowledgements", "signed.csv")
    # version 2 of access control took effect after they signed: all five current staff are behind on it
    assert sorted({b["name"] for b in report["behind"] if b["policy"] == "code-of-conduct"}) == ["Dan Fox", "Di Ray"]
    assert {b["version"] for b in report["behind"] if b["policy"] == "access-control"} == {2}
    printed = _ok(tmp_path, "register", "import", "acme.soc2", "acknowledgements", "signed.csv")
    assert "0 created, 0 updated, 6 unchanged" in printed and "0 acknowledgements recorded. Behind: " in printed
    acked = _ok(tmp_path, "policies", "ack", "acme.soc2", "access-control", "--person", "di@acme.test",
                "--date", "2026-03-01")
    assert acked.strip() == "E4 acknowledged access-control version 2 on 2026-03-01"
    behind = _json(tmp_path, "policies", "behind", "acme.soc2", "--on", "2026-03-01")
    assert "Di Ray" not in {b["name"] for b in behind if b["policy"] == "access-control"}

    listed = _json(tmp_path, "policies", "list", "acme.soc2")
    assert [(p["key"], p["version"], p["owner"], p["draft"]) for p in listed] == [
        ("access-control", 2, "CTO", False), ("backup", None, "Head of Engineering", True),
        ("code-of-conduct", 1, "Chief Executive Officer", False)]
    registered = _json(tmp_path, "register", "list", "acme.soc2", "policies")
    assert registered[0]["sha256"] == latest["sha256"] and registered[0]["next_review"] == "2027-02-20"
    kinds = {k["kind"] for k in _json(tmp_path, "register", "kinds")}
    assert {"policies", "acknowledgements"} <= kinds
    _ok(tmp_path, "register", "export", "acme.soc2", "acknowledgements", "acks.csv")
    assert (tmp_path / "acks.csv").read_text(encoding="utf-8-sig").splitlines()[0] == (
        "Signature ID,Person,Policy,Version,Date signed")


def test_user_errors_are_one_line_and_change_nothing(tmp_path: Path,
                                                     make_project: Callable[..., OpenProject]) -> None:
    make_project(tmp_path / "acme.soc2").close()
    _ok(tmp_path, "policies", "add", "acme.soc2", "access-control")
    write_csv(tmp_path / "staff.csv", STAFF)
    _ok(tmp_path, "register", "import", "acme.soc2", "people", "staff.csv")
    before = (tmp_path / "acme.soc2").read_bytes()
    assert_one_error_line(run(tmp_path, "policies", "show", "acme.soc2", "access-control"),
                          "policy access-control", "never published")
    assert_one_error_line(run(tmp_path, "policies", "add", "acme.soc2", "access-control"), "already a policy")
    assert_one_error_line(run(tmp_path, "policies", "add", "acme.soc2", "travel"), "no such template")
    assert_one_error_line(run(tmp_path, "policies", "publish", "acme.soc2", "nope", "--approver", "A"),
                          "policy nope", "is not a policy of this project")
    assert_one_error_line(run(tmp_path, "policies", "publish", "acme.soc2", "access-control", "--approver", "A",
                              "--effective", "2026-01-01", "--approved", "2026-02-01"), "takes effect on or after")
    assert_one_error_line(run(tmp_path, "policies", "ack", "acme.soc2", "access-control", "--person", "Ann Lee"),
                          "had no version approved")
    write_csv(tmp_path / "signed.csv", [("Signer", "Document", "Date signed"), ("Zed", "Access Control", "2026-01-20")])
    assert_one_error_line(run(tmp_path, "register", "import", "acme.soc2", "acknowledgements", "signed.csv"),
                          "signed.csv", "row 2, column A ('Signer')", "nothing was imported")
    (tmp_path / "policy.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert_one_error_line(run(tmp_path, "policies", "import", "acme.soc2", "policy.doc"), "policy.doc",
                          "Markdown (.md), Word (.docx) or PDF (.pdf)")
    assert (tmp_path / "acme.soc2").read_bytes() == before


def test_repeated_signatures_are_named_by_what_the_rows_hold(tmp_path: Path,
                                                            make_project: Callable[..., OpenProject]) -> None:
    make_project(tmp_path / "acme.soc2").close()
    _ok(tmp_path, "policies", "add", "acme.soc2", "access-control")
    _ok(tmp_path, "policies", "publish", "acme.soc2", "access-control", "--approver", "Grace Hopper",
        "--effective", "2026-01-15", "--approved", "2026-01-10")
    write_csv(tmp_path / "staff.csv", STAFF)
    _ok(tmp_path, "register", "import", "acme.soc2", "people", "staff.csv")
    write_csv(tmp_path / "signed.csv", [("Signer", "Document", "Date signed"),
                                        ("Ann Lee", "Access Control Policy", "2026-01-20"),
                                        ("Bob Roy", "Access Control Policy", "2026-01-20"),
                                        ("Ann Lee", "Access Control Policy", "2026-01-20"),
                                        ("ann@acme.test", "access control", "2026-01-25")])
    printed = _ok(tmp_path, "register", "import", "acme.soc2", "acknowledgements", "signed.csv")
    assert ("row 4 warning: this row holds the same acknowledgement as row 2 (Person 'Ann Lee', Policy 'Access "
            "Control Policy', Date signed '2026-01-20'); this later row is ignored") in printed
    assert ("row 5 warning: 'ann@acme.test', 'access control' (version 1), signed 2026-01-25 is the same person and "
            "policy version as an earlier row: 'Ann Lee', 'Access Control Policy' (version 1), signed 2026-01-20; "
            "recorded once") in printed
    assert "ACK-" not in printed and "2 acknowledgements recorded" in printed
    listed = _json(tmp_path, "register", "list", "acme.soc2", "acknowledgements")
    assert [(a["person"], str(a["acknowledged_on"])) for a in listed] == [("Ann Lee", "2026-01-20"),
                                                                          ("Bob Roy", "2026-01-20")]


def test_publish_with_a_past_effective_date_alone_is_approved_that_day_as_help_says(
        tmp_path: Path, make_project: Callable[..., OpenProject]) -> None:
    make_project(tmp_path / "acme.soc2").close()
    _json(tmp_path, "policies", "add", "acme.soc2", "access-control", "backup")
    published = _ok(tmp_path, "policies", "publish", "acme.soc2", "access-control", "--approver", "Grace Hopper",
                    "--effective", "2025-02-01")
    assert "approved by Grace Hopper on 2025-02-01, effective 2025-02-01" in published
    shown = _json(tmp_path, "policies", "show", "acme.soc2", "access-control")
    assert (shown["approved_on"], shown["effective_on"]) == ("2025-02-01", "2025-02-01")
    later = _ok(tmp_path, "policies", "publish", "acme.soc2", "backup", "--approver", "Grace Hopper",
                "--effective", "2099-01-01")  # in force later: approved today, not in 2099
    assert "effective 2099-01-01" in later and "approved by Grace Hopper on 2099" not in later
    help_text = " ".join(_ok(tmp_path, "policies", "publish", "--help").split())
    assert "--approved DATE" in help_text and "or --effective when that is in the past" in help_text
