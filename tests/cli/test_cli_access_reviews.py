"""access-review on the command line, as real processes: new flags the leaver, the stranger and the admin; close
is refused (one error line, the project unchanged) until every account is decided; then it files a PDF listed by
evidence list; the next campaign prints what changed; a bad user list gets one error line."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.test_cli_import import assert_one_error_line, run
from tests.services.test_services_access_reviews import STAFF
from tests.services.test_services_registers import write_csv
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.services.controls import add_control
from workbench.services.session import OpenProject

USERS = [("Username", "Email", "Role", "Admin"), ("ann", "ann@acme.test", "Developer", "no"),
         ("bob", "bob@acme.test", "Owner", "yes"), ("zed", "zed@elsewhere.test", "Developer", "no")]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_access_review_new_decide_close_and_the_next(tmp_path: Path, make_project: Callable[..., OpenProject]) -> None:
    project = make_project(tmp_path / "acme.soc2")
    add_control(project, ControlDraft("AC-07", "Quarterly user access review", frequency=Frequency.QUARTERLY,
                                      nature=Nature.MANUAL, criteria=("CC6.2",)))
    project.close()
    write_csv(tmp_path / "staff.csv", STAFF)
    write_csv(tmp_path / "users.csv", USERS)
    assert run(tmp_path, "register", "import", "acme.soc2", "people", "staff.csv").returncode == 0
    new = run(tmp_path, "access-review", "new", "acme.soc2", "--system", "GitHub", "users.csv", "--json")
    assert new.returncode == 0, new.stderr
    report = json.loads(new.stdout)
    assert report["campaign"] == "AR-001" and report["flags"]["left"] == ["ann"]
    assert report["flags"]["not_on_roster"] == ["zed"] and report["flags"]["privileged"] == ["bob"]

    decided = run(tmp_path, "access-review", "decide", "acme.soc2", "AR-001", "--entry", "ann", "--decision",
                  "remove", "--note", "left")
    assert decided.returncode == 0 and "2 accounts left to decide" in decided.stdout, decided.stderr
    before = _sha(tmp_path / "acme.soc2")
    assert_one_error_line(run(tmp_path, "access-review", "close", "acme.soc2", "AR-001", "--reviewer", "Cy Dee"),
                          "2 of 3 accounts have no decision")
    assert _sha(tmp_path / "acme.soc2") == before
    left = [run(tmp_path, "access-review", "decide", "acme.soc2", "AR-001", "--entry", login, "--decision",
                decision) for login, decision in (("bob", "keep"), ("zed", "remove"))]
    assert [r.returncode for r in left] == [0, 0]
    assert "1 account left to decide" in left[0].stdout and "0 accounts left to decide" in left[1].stdout
    closed = run(tmp_path, "access-review", "close", "acme.soc2", "AR-001", "--reviewer", "Cy Dee")
    assert closed.returncode == 0 and "2 removal tasks" in closed.stdout, closed.stderr
    evidence = json.loads(run(tmp_path, "evidence", "list", "acme.soc2", "--json").stdout)
    assert [(e["control"], e["filename"].startswith("access-review-AR-001-")) for e in evidence] == [("AC-07", True)]

    write_csv(tmp_path / "users2.csv", [USERS[0], USERS[2], ("dee", "dee@acme.test", "Developer", "no")])
    second = run(tmp_path, "access-review", "new", "acme.soc2", "--system", "GitHub", "users2.csv")
    assert second.returncode == 0 and "since AR-001: new dee; gone ann, zed" in second.stdout, second.stderr

    before = _sha(tmp_path / "acme.soc2")
    write_csv(tmp_path / "bad.csv", [("Role", "Status"), ("Owner", "active")])
    assert_one_error_line(run(tmp_path, "access-review", "new", "acme.soc2", "--system", "X", "bad.csv"), "bad.csv")
    assert_one_error_line(run(tmp_path, "access-review", "decide", "acme.soc2", "AR-009", "--entry", "x",
                              "--decision", "keep"), "AR-009")
    assert _sha(tmp_path / "acme.soc2") == before
