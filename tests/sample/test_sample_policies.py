"""The sample's policies: every template published, two revised, and two people behind on the versions in force."""

from __future__ import annotations

from datetime import date

from workbench.services.policies import policy_register
from workbench.services.session import open_project


def test_the_sample_has_published_policies_signed_by_all_but_two_people(sample):
    with open_project(sample) as project:
        register = policy_register(project, date(2026, 9, 30))
    assert len(register.policies) >= 15 and all(p.versions for p in register.policies)
    assert sorted(p.key for p in register.policies if len(p.versions) == 2) == ["acceptable-use",
                                                                                 "information-security"]
    assert not any("{{" in p.latest.body for p in register.policies)
    assert {b.name for b in register.behind} == {"Isabel Cruz", "Leah Novak"}
    assert {b.version for b in register.behind} == {2}
