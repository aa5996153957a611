"""A project made before the description followed DC1-DC9 (schema 0009/0010) keeps every word of its nine sections,
now under the DC headings, and its subservice organisations' complementary controls become CSOC records."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from tests.conftest import DEFAULT_SPEC
from workbench.domain.encryption import EncryptionChoice
from workbench.domain.entities import Csoc
from workbench.domain.enums import SubserviceMethod
from workbench.services.description import get_system_description
from workbench.services.project import create_project
from workbench.services.scope import add_subservice, get_scope, set_description
from workbench.services.session import open_project
from workbench.store import crypto, migrate

FIXTURES = Path(__file__).with_name("fixtures")
OLD_SECTIONS = {
    "services": "Analytics dashboards for retailers.\n\nAlso a mobile app for store managers: ünïcödé ✓.",
    "commitments": "99.9% uptime in the master services agreement; breach notice within 72 hours.",
    "infrastructure": "Two AWS regions.\n  Indented line kept as typed.",
    "software": "Django, PostgreSQL 16, Redis.",
    "people": "Twelve engineers and a part-time security lead.",
    "data": "Point-of-sale events; no card data.",
    "procedures": "Access requests are ticketed.\nChanges are peer reviewed.",
    "incidents": "No significant incidents.",
    "changes": "Moved to a second region in May.",
}
DC_KEYS = {"services": "dc1", "commitments": "dc2", "infrastructure": "dc3.infrastructure",
           "software": "dc3.software", "people": "dc3.people", "data": "dc3.data", "procedures": "dc3.procedures",
           "incidents": "dc4", "changes": "dc9"}
OLD_CONTROLS = "Physical security of the data centres\n\n  Environmental protection: fire, power ✓  \r\n   \nBackups"


def _old_project(tmp_path: Path) -> Path:
    """The saved 0009 project file (see make_fixtures.py) with all nine sections and three CSOC lines written."""
    path = tmp_path / "old-description.soc2"
    shutil.copyfile(FIXTURES / "project-0009.soc2", path)
    with closing(sqlite3.connect(path)) as connection, connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0009",)
        connection.execute("DELETE FROM description_sections")
        connection.executemany("INSERT INTO description_sections (key, text) VALUES (?, ?)", OLD_SECTIONS.items())
        connection.execute("UPDATE subservices SET complementary_controls = ?", (OLD_CONTROLS,))
        connection.execute("INSERT INTO subservices (name, service, method, soc_report, complementary_controls) "
                           "VALUES ('Mailer', 'E-mail', 'inclusive', '', '')")
    return path


def test_every_word_of_the_nine_sections_lands_under_its_dc_heading(tmp_path):
    path = _old_project(tmp_path)
    with open_project(path) as project:
        assert project.backup_made is not None
        texts = get_scope(project).description
        described = get_system_description(project)
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (migrate.head_revision(),)
    for old, text in OLD_SECTIONS.items():
        assert texts[DC_KEYS[old]] == text
    assert [s.code for s in described.sections] == [f"DC{n}" for n in range(1, 10)]
    assert described.section("DC1").text == OLD_SECTIONS["services"]
    assert described.section("DC2").text == OLD_SECTIONS["commitments"]
    assert [(p.title, p.text) for p in described.section("DC3").parts] == [
        ("Infrastructure", OLD_SECTIONS["infrastructure"]), ("Software", OLD_SECTIONS["software"]),
        ("People", OLD_SECTIONS["people"]), ("Procedures", OLD_SECTIONS["procedures"]),
        ("Data", OLD_SECTIONS["data"])]
    assert described.section("DC4").text == OLD_SECTIONS["incidents"]
    assert described.section("DC9").text == OLD_SECTIONS["changes"]
    assert all(described.section(f"DC{n}").text == "" for n in (5, 6, 7, 8))
    words = " ".join(OLD_SECTIONS.values()).split()
    shown = " ".join([s.text for s in described.sections] + [p.text for p in described.section("DC3").parts]).split()
    assert sorted(words) == sorted(shown)


def test_each_line_of_complementary_controls_becomes_a_csoc_with_its_exact_text(tmp_path):
    path = _old_project(tmp_path)
    with open_project(path) as project:
        cloud, mailer = get_scope(project).subservices
    assert [c.text for c in cloud.csocs] == ["Physical security of the data centres",
                                            "  Environmental protection: fire, power ✓  ", "Backups"]
    assert all(c.criteria == () and c.id > 0 for c in cloud.csocs)
    assert mailer.csocs == ()
    with closing(sqlite3.connect(path)) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(subservices)")]
        links = connection.execute("SELECT count(*) FROM csoc_criteria").fetchone()[0]
    assert "complementary_controls" not in columns and links == 0


def test_an_encrypted_projects_sections_stay_readable_through_the_move(tmp_path, monkeypatch, no_keyring):
    """The sections' stored values move under their DC keys unchanged, so their ciphertext still opens."""
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)  # the passphrase's key derivation made cheap, as in safety/
    path = tmp_path / "secret.soc2"
    passphrase = "correct horse battery"
    with create_project(path, replace(DEFAULT_SPEC, encryption=EncryptionChoice(passphrase=passphrase))) as project:
        set_description(project, OLD_SECTIONS)
        add_subservice(project, "CloudCo", "Hosting", SubserviceMethod.CARVE_OUT, "",
                       (Csoc(0, "Guards the data centres", ("CC6.4",)), Csoc(0, "Keeps the power on")))
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    try:
        with engine.begin() as connection:  # back to the schema before this change: the nine old keys
            config = migrate._config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0010")
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as connection:
        stored = dict(connection.execute("SELECT key, text FROM description_sections").fetchall())
        controls = connection.execute("SELECT complementary_controls FROM subservices").fetchall()
    assert controls == [("Guards the data centres\nKeeps the power on",)]
    assert sorted(stored) == sorted(OLD_SECTIONS)
    assert all(value.startswith(crypto.TEXT_PREFIX) for value in stored.values())  # still ciphertext
    with open_project(path, passphrase=passphrase) as project:
        texts = get_scope(project).description
        (cloud,) = get_scope(project).subservices
    assert {old: texts[DC_KEYS[old]] for old in OLD_SECTIONS} == OLD_SECTIONS
    assert [c.text for c in cloud.csocs] == ["Guards the data centres", "Keeps the power on"]  # criteria are new
