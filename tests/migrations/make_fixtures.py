"""Build the migration fixtures: one small project file per schema revision, every one holding the same content.

Run from the repository root, with the program's environment active:

    python tests/migrations/make_fixtures.py

It writes tests/migrations/fixtures/project-<revision>.soc2 for every revision in
workbench/store/migrations/versions, oldest first, and replaces files already there. The output is deterministic
(a fixed clock and actor, fixed content, compacted files), so running it again changes nothing unless the
program's schema or its services changed.

How each file is made:
- the head revision: a project created and filled through the services (settings, system description,
  components, subservice, user entity control, assessments, controls mapped to criteria, evidence with bytes,
  remediation tasks, engagement with milestones, requests linked to evidence, a report with its file, an
  exception and a distribution, plan tasks with dependencies);
- every older revision: an empty SQLite file marked as ours, Alembic `upgrade` to that revision, then the head
  project's rows copied in with plain SQL, keeping only the columns that revision's tables have.

The content therefore uses only what the oldest schema can hold (for example no bridge-letter date on the report,
plan tasks with fixed dates and no pins), so every fixture migrates to identical data; the tests in
test_fixture_upgrades.py check that. When a new migration is added, run this script again and commit the new
fixture beside the old ones: the old ones stay as they are (they are the released formats: the script writes
an older revision's fixture only when it is missing).
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine  # noqa: E402

from workbench.domain.entities import ControlDraft, Engagement  # noqa: E402
from workbench.domain.enums import (  # noqa: E402
    AssessmentStatus,
    Category,
    ComponentKind,
    ControlStatus,
    Frequency,
    Nature,
    Opinion,
    ReportType,
    RequestStatus,
    SubserviceMethod,
    TaskStatus,
)
from workbench.services.assessment import assess  # noqa: E402
from workbench.services.controls import add_control, add_task  # noqa: E402
from workbench.services.engagement import add_milestone, add_request, save_engagement  # noqa: E402
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes  # noqa: E402
from workbench.services.plan import add_plan_task  # noqa: E402
from workbench.services.project import NewProject, create_project  # noqa: E402
from workbench.services.report import (  # noqa: E402
    add_distribution,
    add_exception,
    add_report,
    attach_report_file,
)
from workbench.services.scope import add_component, add_cuec, add_subservice, set_description  # noqa: E402
from workbench.services.session import OpenProject  # noqa: E402
from workbench.store import migrate  # noqa: E402
from workbench.store.projectfile import APPLICATION_ID  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = datetime(2026, 3, 2, 9, 30, 0, tzinfo=UTC)
ACTOR = "fixture builder"
ORGANIZATION = "Fixture Analytics Ltd"

# Evidence bytes: text, binary with every byte value, and one larger than a storage chunk would be for small sizes.
EVIDENCE: dict[str, bytes] = {
    "access-review-q1.csv": b"user,role,decision\nana,admin,keep\nbo,analyst,remove\n",
    "mfa-policy.txt": "Multi-factor authentication is required for every account. \u2713\n".encode(),
    "backup-log.bin": bytes(range(256)) * 40,
}
REPORT_FILE = b"%PDF-1.4\n% a SOC 2 report stand-in for the fixtures\n"


def clock() -> datetime:
    """Return the fixtures' fixed instant (audit-trail entries and timestamps are the same on every run)."""
    return NOW


def fixture_path(revision: str) -> Path:
    """Return where the fixture for this schema revision is kept."""
    return FIXTURES / f"project-{revision}.soc2"


def revisions() -> list[str]:
    """Return every schema revision of the program, oldest first."""
    links = migrate._revision_links(migrate.MIGRATIONS_DIR)
    ordered: list[str] = []
    current: str | None = migrate.head_revision()
    while current is not None:
        ordered.append(current)
        current = links[current]
    return ordered[::-1]


def populate(project: OpenProject, scratch: Path) -> None:
    """Fill a new project with the fixtures' content through the services."""
    set_description(project, {"services": "Analytics dashboards for retailers.",
                              "people": "Twelve engineers and a part-time security lead."})
    add_component(project, ComponentKind.INFRASTRUCTURE, "Cloud hosting", "Two regions, managed database")
    add_component(project, ComponentKind.SOFTWARE, "Dashboard app", "", in_scope=False)
    add_subservice(project, "CloudCo", "Hosting", SubserviceMethod.CARVE_OUT, "SOC 2 Type II 2025",
                   "Physical security of the data centres")
    add_cuec(project, "Customers manage their own user accounts.")

    add_control(project, ControlDraft(
        "AC-1", "Quarterly access review", "Managers review every account each quarter.", "Ana Lopez",
        Frequency.QUARTERLY, Nature.MANUAL, ControlStatus.IMPLEMENTED, "Started in 2025", ("CC6.1", "CC6.2")))
    add_control(project, ControlDraft(
        "AC-2", "Multi-factor authentication", "MFA enforced by the identity provider.", "Bo Chen",
        Frequency.CONTINUOUS, Nature.AUTOMATED, ControlStatus.IN_PROGRESS, "", ("CC6.1",)))
    add_control(project, ControlDraft("BK-1", "Daily backups", criteria=("A1.2",)))

    ids = []
    for (name, data), control in zip(EVIDENCE.items(), ("AC-1", "AC-2", "BK-1"), strict=True):
        meta = EvidenceMeta(control, f"Evidence {name}", date(2026, 1, 15), date(2026, 1, 1), date(2026, 1, 31),
                            "exported from the admin console", "checked by Ana")
        ids.append(add_evidence_bytes(project, name, data, meta).value.id)

    assess(project, "CC6.1", AssessmentStatus.MET, "Reviews and MFA in place")
    assess(project, "CC6.2", AssessmentStatus.PARTIALLY_MET, "Offboarding is manual")
    assess(project, "A1.2", AssessmentStatus.GAP, "No restore test yet")
    add_task(project, "Test a restore", owner="Bo Chen", due=date(2026, 4, 30), status=TaskStatus.OPEN,
             description="Restore last night's backup to staging", criterion_id="A1.2", control_ref="BK-1")

    save_engagement(project, Engagement("Ledger & Co CPAs", "Dana Fox", "dana@ledger.example", "+1 555 0100",
                                        "Fieldwork on site"))
    add_milestone(project, "Engagement letter", date(2026, 3, 15), date(2026, 3, 10))
    add_milestone(project, "Fieldwork", date(2026, 9, 1))
    add_request(project, "PBC-1", "Access review evidence", tsc_refs=("CC6.1",), control_ref="AC-1",
                owner="Ana Lopez", due=date(2026, 8, 1), status=RequestStatus.SUBMITTED, evidence_ids=ids[:1],
                description="All four quarters")
    add_request(project, "PBC-2", "Backup logs", tsc_refs=("A1.2",), owner="Bo Chen", evidence_ids=ids[1:])

    report_id = add_report(project, ReportType.TYPE2, date(2025, 1, 1), date(2025, 12, 31),
                           opinion=Opinion.QUALIFIED, issued_on=date(2026, 2, 15), auditor="Ledger & Co CPAs",
                           notes="First Type II").value
    report_file = scratch / "soc2-report-2025.pdf"
    report_file.write_bytes(REPORT_FILE)
    attach_report_file(project, report_id, report_file)
    add_exception(project, report_id, "EX-1", "One terminated user kept access for 9 days",
                  "Offboarding now automated")
    add_distribution(project, report_id, "Jo Buyer", "Retail Corp", "NDA-2026-04", date(2026, 2, 20))

    add_plan_task(project, "kickoff", "Kick-off", 1, date(2026, 3, 2), date(2026, 3, 2), milestone=True)
    add_plan_task(project, "policies", "Write the policies", 3, date(2026, 3, 3), date(2026, 3, 27),
                  depends_on=("kickoff",))
    add_plan_task(project, "window", "Observation window", 4, date(2026, 4, 1), date(2026, 9, 30),
                  depends_on=("policies",))


def build_head(path: Path) -> None:
    """Create the project at the program's newest schema through the services."""
    spec = NewProject(ORGANIZATION, "Fixture Cloud", ReportType.TYPE2,
                      (Category.SECURITY, Category.AVAILABILITY), date(2026, 4, 1), date(2026, 9, 30))
    with tempfile.TemporaryDirectory() as scratch, \
            create_project(path, spec, actor=ACTOR, clock=clock) as project:
        populate(project, Path(scratch))


def _columns(connection: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in connection.execute(f'PRAGMA {schema}.table_info("{table}")')]


# Columns an older revision has and the head does not, and what to put there (SQL over the head's row `src`).
_LEGACY_KEYS = {"dc1": "services", "dc2": "commitments", "dc3.infrastructure": "infrastructure",
                "dc3.software": "software", "dc3.people": "people", "dc3.procedures": "procedures",
                "dc3.data": "data", "dc4": "incidents", "dc9": "changes"}
_BEFORE_0011 = {
    ("subservices", "complementary_controls"):
        "coalesce((SELECT group_concat(text, char(10)) FROM (SELECT text FROM head.csocs "
        "WHERE subservice_id = src.id ORDER BY position)), '')",
    ("description_sections", "key"):
        "CASE src.key " + " ".join(f"WHEN '{new}' THEN '{old}'" for new, old in _LEGACY_KEYS.items())
        + " ELSE src.key END",
}


def build_older(revision: str, head_file: Path, path: Path) -> None:
    """Make a project file at an older schema revision holding the head project's rows."""
    from alembic import command

    engine = create_engine(f"sqlite+pysqlite:///{path}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            config = migrate._config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("ATTACH DATABASE ? AS head", (f"file:{head_file}?mode=ro",))
        connection.execute("BEGIN")
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version' ORDER BY name")]
        derived = _BEFORE_0011 if "csocs" not in tables else {}
        for table in tables:
            mine = _columns(connection, "main", table)
            theirs = set(_columns(connection, "head", table))
            missing = [c for c in mine if c not in theirs and (table, c) not in derived]
            if missing:
                raise SystemExit(f"revision {revision}: table {table} has columns the head lacks: {missing}; "
                                 "teach this script what to put there")
            names = ", ".join(f'"{c}"' for c in mine)
            values = ", ".join(derived.get((table, c), f'src."{c}"') for c in mine)
            connection.execute(f'INSERT INTO main."{table}" ({names}) SELECT {values} FROM head."{table}" AS src')
        connection.execute("COMMIT")
        problems = connection.execute("PRAGMA main.foreign_key_check").fetchall()
        if problems:
            raise SystemExit(f"revision {revision}: foreign keys broken after the copy: {problems[:5]}")
        connection.execute("DETACH DATABASE head")


def _compact(path: Path) -> None:
    """Rewrite the file compactly, in WAL mode like every project file, with nothing left beside it."""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("VACUUM")
        connection.execute("PRAGMA journal_mode=WAL")


def build_all(folder: Path = FIXTURES) -> list[Path]:
    """Write one fixture per schema revision into `folder`; return their paths, oldest first."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as work:
        head_file = Path(work) / "head.soc2"
        build_head(head_file)
        _compact(head_file)
        for revision in revisions():
            target = folder / fixture_path(revision).name
            if target.exists() and revision != migrate.head_revision():
                made.append(target)  # a released format: kept as it was made
                continue
            building = Path(work) / f"{revision}.soc2"
            if revision == migrate.head_revision():
                building.write_bytes(head_file.read_bytes())
            else:
                build_older(revision, head_file, building)
                _compact(building)
            shutil.copyfile(building, target)
            made.append(target)
    return made


def main() -> int:
    """Write the fixtures and name them."""
    for path in build_all():
        print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
