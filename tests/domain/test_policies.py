"""The pure rules of policies: the version in force on a day, the review date, who is behind, acknowledgement at
hire, and how a cell names a policy or a person."""

from __future__ import annotations

from datetime import date

from workbench.domain.people import Person
from workbench.domain.policies import (
    Acknowledgement,
    Policy,
    PolicyVersion,
    body_sha256,
    in_force,
    person_named,
    policy_actions,
    policy_named,
    review_due,
    version_signed,
    who_is_behind,
)

V1 = PolicyVersion(1, "# A\n", body_sha256("# A\n"), "Ann", date(2026, 1, 5), date(2026, 1, 10))
V2 = PolicyVersion(2, "# A\n\nMore.\n", body_sha256("# A\n\nMore.\n"), "Ann", date(2026, 5, 25), date(2026, 6, 1))
POLICY = Policy("access-control", "Access Control Policy", review_months=12, versions=(V1, V2))
PEOPLE = (Person(1, "E1", "Ann Lee", "ann@acme.test", start_date=date(2024, 1, 1)),
          Person(2, "E2", "Bob Roy", "bob@acme.test", start_date=date(2026, 3, 1)),
          Person(3, "E3", "Cy Dee", start_date=date(2020, 1, 1), end_date=date(2026, 2, 1)))


def test_the_version_in_force_and_its_review_date():
    assert body_sha256("é") == "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c"  # UTF-8 bytes
    assert in_force(POLICY, date(2026, 1, 9)) is None
    assert in_force(POLICY, date(2026, 1, 10)) == V1 and in_force(POLICY, date(2026, 5, 31)) == V1
    assert in_force(POLICY, date(2026, 6, 1)) == V2
    assert review_due(POLICY, date(2026, 3, 1)) == date(2027, 1, 10)
    assert review_due(POLICY, date(2026, 7, 1)) == date(2027, 6, 1)
    assert version_signed(POLICY, date(2026, 1, 7)) == V1  # signed after approval, before it took effect
    assert version_signed(POLICY, date(2026, 1, 1)) is None


def test_who_is_behind_counts_the_staff_of_the_day_and_a_later_version_acknowledged():
    acks = [Acknowledgement("E1", "access-control", 1, date(2026, 1, 11))]
    assert [(b.person, b.version) for b in who_is_behind([POLICY], PEOPLE, acks, date(2026, 1, 20))] == [("E3", 1)]
    assert [(b.person, b.version) for b in who_is_behind([POLICY], PEOPLE, acks, date(2026, 6, 2))] == [
        ("E1", 2), ("E2", 2)]
    acks.append(Acknowledgement("E2", "access-control", 2, date(2026, 5, 30)))
    assert [b.person for b in who_is_behind([POLICY], PEOPLE, acks, date(2026, 6, 2))] == ["E1"]


def test_next_actions():
    draft = Policy("backup", "Backup Policy", draft_body="# Backup Policy\n")
    actions = policy_actions([POLICY, draft], PEOPLE, [], date(2027, 7, 1))
    assert actions[0] == "Approve and publish 1 policy never published (Backup Policy)"
    assert actions[1] == "Review 1 policy past the review date (Access Control Policy)"
    assert actions[2].startswith("Have 2 people acknowledge the policies in force")
    assert actions[3].startswith("Acknowledgement at hire missing for 1 joiner:") and "(Bob Roy)" in actions[3]


def test_cells_name_policies_and_people_loosely():
    assert policy_named([POLICY], "ACCESS control") is POLICY
    assert policy_named([POLICY], "access-control policy") is POLICY and policy_named([POLICY], "travel") is None
    assert policy_named([POLICY], "Acess Controll") is POLICY  # a typo
    assert person_named(PEOPLE, " ann@ACME.test ") is PEOPLE[0] and person_named(PEOPLE, "bob  roy") is PEOPLE[1]
    assert person_named(PEOPLE, "e3") is PEOPLE[2] and person_named(PEOPLE, "Dee") is None


def test_signatures_by_name_are_matched_to_a_large_people_register_at_once():
    import time

    from workbench.domain.people import Person
    from workbench.domain.policies import Acknowledgement, as_signed_by

    people = [Person(n, f"E{n}", f"Person Number {n}", f"p{n}@acme.test") for n in range(5000)]
    people.append(Person(5000, "E5000", "Person Number 1", ""))  # a second Person Number 1: that name is no one's
    acks = [Acknowledgement(f"person number {n}", "access-control", 1, date(2026, 1, 20)) for n in range(5000)]
    acks.append(Acknowledgement("P7@ACME.TEST", "access-control", 1, date(2026, 1, 20)))
    started = time.perf_counter()
    signed = [a.person for a in as_signed_by(people, acks)]
    assert time.perf_counter() - started < 1  # each name was compared with every person: 7 s
    assert signed[:3] == ["E0", "person number 1", "E2"] and signed[-2:] == ["E4999", "E7"]
