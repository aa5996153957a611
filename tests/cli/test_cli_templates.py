"""`workbench templates [apply]`: the library as an auditor reads it, and sets applied to projects."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from workbench.cli import main

FIELDS = ("key", "ref", "title", "description", "frequency", "nature", "control_type", "owner_role", "criteria",
          "evidence", "sets")
SECURITY = [f"CC{series}.{n}" for series, count in ((1, 5), (2, 3), (3, 4), (4, 2), (5, 3), (6, 8), (7, 5), (8, 1),
                                                    (9, 2)) for n in range(1, count + 1)]
EXAMPLES = {  # the mappings practice has, as the issue names them
    "risk-assessment": {"CC3.1", "CC3.2", "CC3.3", "CC3.4", "CC5.1", "CC9.1"},
    "incident-response-plan": {"CC7.3", "CC7.4", "CC7.5", "CC2.3"},
    "access-review": {"CC6.1", "CC6.2", "CC6.3"},
    "change-approval": {"CC8.1", "CC5.2"},
    "vendor-review": {"CC9.2", "CC3.2"},
    "security-training": {"CC1.4", "CC2.2"},
}


def _run(capsys, *args):
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _library(capsys) -> list[dict]:
    code, out, err = _run(capsys, "templates", "--json")
    assert code == 0, err
    return json.loads(out)


def _new(capsys, path, *options) -> None:
    code, _, err = _run(capsys, "new", path, "--org", "Template Co", *options)
    assert code == 0, err


def _controls(capsys, path) -> list[dict]:
    code, out, err = _run(capsys, "controls", path, "--json")
    assert code == 0, err
    return json.loads(out)


def test_the_library_lists_at_least_90_templates_with_every_field_filled(capsys):
    library = _library(capsys)
    assert len(library) >= 90
    for template in library:
        for field in FIELDS[:8]:
            assert isinstance(template[field], str) and template[field].strip(), (template["key"], field)
        assert template["criteria"] and template["evidence"] and template["sets"], template["key"]
        assert template["nature"] in {"manual", "it_dependent_manual", "automated"}
        assert template["control_type"] in {"preventive", "detective", "corrective"}
        event_driven = template["frequency"] == "event_driven"
        assert bool(template["population"]) == event_driven, template["key"]
    assert {t["nature"] for t in library} == {"manual", "it_dependent_manual", "automated"}
    assert {t["control_type"] for t in library} == {"preventive", "detective", "corrective"}


def test_every_criterion_is_served_and_many_templates_serve_several(capsys):
    library = _library(capsys)
    code, out, _ = _run(capsys, "catalog", "--json")
    criteria = [c["id"] for c in json.loads(out)]
    assert code == 0 and len(criteria) == 61
    served = Counter(c for t in library for c in t["criteria"])
    assert [c for c in criteria if not served[c]] == []
    assert sum(len(t["criteria"]) >= 2 for t in library) >= 30
    by_key = {t["key"]: t for t in library}
    for key, wanted in EXAMPLES.items():
        assert set(by_key[key]["criteria"]) == wanted, key


def test_bundled_controls_are_split_where_auditors_test_them_separately(capsys):
    by_key = {t["key"]: t for t in _library(capsys)}
    pairs = [("incident-response-plan", "incident-tabletop"), ("restore-test", "dr-test"),
             ("onboarding-training", "security-training"), ("access-review", "privileged-access-review"),
             ("subservice-soc-review", "cuec-review")]
    for first, second in pairs:
        assert (by_key[first]["frequency"], by_key[first]["title"]) != (by_key[second]["frequency"],
                                                                        by_key[second]["title"])
    assert by_key["restore-test"]["frequency"] == "quarterly" and by_key["dr-test"]["frequency"] == "annual"
    assert by_key["onboarding-training"]["frequency"] == "event_driven"
    assert "joined" in by_key["onboarding-training"]["population"]
    for key in ("penetration-test", "emergency-changes", "separate-environments", "test-data", "code-scanning",
                "secret-scanning", "security-officer", "contractor-agreements", "system-diagrams", "data-deletion",
                "recovery-objectives", "uptime-monitoring", "tenant-isolation", "support-access",
                "firewall-rule-review", "key-rotation"):
        assert key in by_key


def test_the_sets_have_sensible_sizes_and_cover_their_categories(capsys):
    library = _library(capsys)
    members = {name: [t for t in library if name in t["sets"]]
               for name in ("first-year-saas", "processing-integrity", "privacy")}
    assert 60 <= len(members["first-year-saas"]) <= 80
    assert {c for t in members["processing-integrity"] for c in t["criteria"]} >= {f"PI1.{n}" for n in range(1, 6)}
    privacy = {c for t in members["privacy"] for c in t["criteria"]}
    assert {c for t in library for c in t["criteria"] if c.startswith("P") and not c.startswith("PI")} <= privacy


def test_first_year_saas_on_a_security_project_covers_the_common_criteria_and_nothing_else(tmp_path, capsys):
    path = tmp_path / "security.soc2"
    _new(capsys, path)
    code, out, err = _run(capsys, "templates", "apply", path, "first-year-saas", "--json")
    assert code == 0, err
    first = json.loads(out)
    assert first["uncovered"] == [] and first["present"] == []
    assert first["out_of_scope"] and all(item["criteria"] for item in first["left_out"])
    controls = _controls(capsys, path)
    assert len(controls) == len(first["created"]) >= 60
    linked = {c for control in controls for c in control["criteria"]}
    assert linked == set(SECURITY)
    by_ref = {c["ref"]: c for c in controls}
    assert by_ref["RSK-02"]["owner"] == "Security officer"
    assert by_ref["RSK-02"]["nature"] == "manual" and by_ref["RSK-02"]["frequency"] == "annual"

    code, out, err = _run(capsys, "templates", "apply", path, "first-year-saas", "--json")
    again = json.loads(out)
    assert code == 0 and again["created"] == [] and len(again["present"]) == len(first["created"])
    assert _controls(capsys, path) == controls


def test_a_set_outside_the_categories_links_only_in_scope_criteria_and_a_wider_project_gets_them(tmp_path, capsys):
    security = tmp_path / "security.soc2"
    _new(capsys, security)
    code, out, err = _run(capsys, "templates", "apply", security, "privacy", "--json")
    assert code == 0, err
    result = json.loads(out)
    skipped = len(result["out_of_scope"])
    assert skipped + len(result["created"]) == 20 and skipped >= 10
    assert {c for control in _controls(capsys, security) for c in control["criteria"]} <= set(SECURITY)

    wide = tmp_path / "wide.soc2"
    _new(capsys, wide, "--categories", "security,processing-integrity,privacy")
    code, out, err = _run(capsys, "templates", "apply", wide, "processing-integrity", "privacy", "risk-assessment",
                          "--owner", "Dana Reyes")
    assert code == 0, err
    controls = _controls(capsys, wide)
    assert {c["owner"] for c in controls} == {"Dana Reyes"}
    linked = {c for control in controls for c in control["criteria"]}
    assert {f"PI1.{n}" for n in range(1, 6)} | {"P1.1", "P6.6", "P8.1", "CC3.3"} <= linked
    assert out.strip().splitlines()[-1].startswith(f"Created {len(controls)} controls; ")


@pytest.mark.parametrize(("names", "why"), [
    (["starter-pack"], "error: template starter-pack : is neither a template key nor a set"),
])
def test_an_unknown_set_or_key_is_one_error_line_and_changes_nothing(tmp_path, capsys, names, why):
    path = tmp_path / "p.soc2"
    _new(capsys, path)
    code, out, err = _run(capsys, "templates", "apply", path, "backups", *names)
    assert code == 2 and out == "" and err.startswith(why) and len(err.strip().splitlines()) == 1
    assert _controls(capsys, path) == []
