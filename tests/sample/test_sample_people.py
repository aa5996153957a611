"""The sample's people (issue 22): a 40-person roster with joiners and leavers in the period, one leaver whose
access was removed late (an exception), and two access reviews on two systems, the closed one filed as evidence."""

from __future__ import annotations

from workbench.domain.access_reviews import Flag
from workbench.domain.people import joiners, leavers
from workbench.services.access_reviews import access_review_register
from workbench.services.evidence import list_evidence
from workbench.services.importers.kinds import PEOPLE
from workbench.services.people import people_register
from workbench.services.registers import list_register
from workbench.services.session import open_project


def test_the_sample_has_a_roster_with_a_late_removal_and_two_access_reviews(sample):
    with open_project(sample) as project:
        register = people_register(project)
        listed = list_register(project, PEOPLE)
        reviews = access_review_register(project).reviews
        evidence = list_evidence(project)
    people = [row.person for row in register.people]
    period = register.period
    assert len(people) == 40
    assert joiners(people, period.start, period.end) and len(leavers(people, period.start, period.end)) >= 4
    assert [(p["name"], p["removal"]) for p in listed if p["removal_exception"]] == [
        ("Derek Vance", "late: 3 business days (allowed 1)")]
    assert [(r.campaign.system, r.campaign.closed) for r in reviews] == [("GitHub", True), ("AWS", False)]
    github = reviews[0]
    assert github.flagged(Flag.LEFT) == ["p.grant-bp"] and github.flagged(Flag.NOT_ON_ROSTER) == ["deploy-bot"]
    assert "w.brandt-bp" in github.flagged(Flag.PRIVILEGED)
    assert github.campaign.evidence_id in {e.id for e in evidence if e.control_ref == "AC-04"}
