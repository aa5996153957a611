"""Brightpath's people for the sample: the HR system's staff export (40 people, joiners and leavers in the period,
one leaver whose access went three business days late against the one business day AC-03 states) and two systems'
user lists for access reviews (GitHub, reviewed and closed; AWS, in progress)."""

from __future__ import annotations

D = "@brightpath.example.com"
HEADERS = ("Employee ID", "Full name", "Work email", "Worker type", "Job title", "Manager", "Hire date",
           "Last working day", "Background check", "Code of conduct signed", "Security training",
           "Access granted", "Access revoked", "Laptop returned")


def _person(ref: str, name: str, kind: str, title: str, manager: str, start: str, end: str = "",
            revoked: str = "") -> tuple[str, ...]:
    first, last = name.split(" ", 1)
    email = f"{first[0].lower()}.{last.lower().replace(' ', '')}{D}"
    checked = "" if kind == "contractor" else start
    return (ref, name, email, kind, title, manager, start, end, checked, start, start, start, revoked,
            end and revoked[:10])


_LEAD = "Marcus Oyelaran"
ROSTER_ROWS: list[tuple[str, ...]] = [HEADERS, *(
    _person(*row) for row in (
        ("E-1001", "Marcus Oyelaran", "employee", "CEO", "", "2021-03-01"),
        ("E-1002", "Priya Natarajan", "employee", "CTO", _LEAD, "2021-03-01"),
        ("E-1003", "Elena Kowalczyk", "employee", "VP Engineering", "Priya Natarajan", "2021-09-13"),
        ("E-1004", "Jordan Baptiste", "employee", "SRE Lead", "Priya Natarajan", "2022-01-10"),
        ("E-1005", "Tomas Ferreira", "employee", "Security Lead", "Priya Natarajan", "2022-04-04"),
        ("E-1006", "Dana Whitfield", "employee", "Head of People", _LEAD, "2022-02-07"),
        ("E-1007", "Aisha Rahman", "employee", "Compliance Manager", _LEAD, "2024-11-04"),
        ("E-1008", "Ben Halloran", "employee", "IT Administrator", "Jordan Baptiste", "2023-05-15"),
        ("E-1009", "Sofia Lindqvist", "employee", "Site Reliability Engineer", "Jordan Baptiste", "2022-08-01"),
        ("E-1010", "Kofi Adeyemi", "employee", "Site Reliability Engineer", "Jordan Baptiste", "2023-02-13"),
        ("E-1011", "Rui Mendes", "employee", "Frontend Engineer", "Elena Kowalczyk", "2022-06-20"),
        ("E-1012", "Lena Tanaka", "employee", "Backend Engineer", "Elena Kowalczyk", "2022-10-03"),
        ("E-1013", "Wes Brandt", "employee", "Backend Engineer", "Elena Kowalczyk", "2023-01-09"),
        ("E-1014", "Nia Okafor", "employee", "Support Lead", "Elena Kowalczyk", "2022-05-02"),
        ("E-1015", "Gabriel Moreau", "employee", "Finance Manager", _LEAD, "2022-03-14"),
        ("E-1016", "Hannah Brooks", "employee", "Data Engineer", "Elena Kowalczyk", "2023-03-06"),
        ("E-1017", "Omar Haddad", "employee", "Backend Engineer", "Elena Kowalczyk", "2023-04-17"),
        ("E-1018", "Chloe Martin", "employee", "Product Manager", "Priya Natarajan", "2023-06-05"),
        ("E-1019", "Mina Sato", "employee", "Data Scientist", "Elena Kowalczyk", "2023-07-10", "2026-06-05",
         "2026-06-05T21:12:09"),
        ("E-1020", "Lucas Ferrand", "employee", "Frontend Engineer", "Elena Kowalczyk", "2023-08-21"),
        ("E-1021", "Grace Liu", "employee", "Designer", "Chloe Martin", "2023-09-04"),
        ("E-1022", "Ahmed Karim", "employee", "Support Engineer", "Nia Okafor", "2023-10-02"),
        ("E-1023", "Isabel Cruz", "employee", "Account Executive", _LEAD, "2023-11-13"),
        ("E-1024", "Noah Fischer", "employee", "Backend Engineer", "Elena Kowalczyk", "2024-01-08"),
        ("E-1025", "Maya Patel", "employee", "Data Engineer", "Elena Kowalczyk", "2024-02-19"),
        ("E-1026", "Theo Janssen", "employee", "Support Engineer", "Nia Okafor", "2024-04-15"),
        ("E-1027", "Samuel Achebe", "employee", "Account Executive", _LEAD, "2024-05-06", "2026-09-25",
         "2026-09-25T19:20:14"),
        ("E-1028", "Paul Grant", "employee", "Backend Engineer", "Elena Kowalczyk", "2022-09-12", "2026-02-13",
         "2026-02-13T17:40:00"),
        ("E-1031", "Carla Duvall", "employee", "Customer Success Manager", "Nia Okafor", "2024-06-03",
         "2026-04-17", "2026-04-17T18:04:11"),
        ("E-1044", "Derek Vance", "employee", "Sales Engineer", _LEAD, "2024-09-09", "2026-07-10",
         "2026-07-15T09:02:33"),
        ("E-1045", "Leah Novak", "employee", "Frontend Engineer", "Elena Kowalczyk", "2025-01-13"),
        ("E-1046", "Arjun Mehta", "employee", "Site Reliability Engineer", "Jordan Baptiste", "2025-06-02"),
        ("E-1047", "Zoe Laurent", "employee", "Marketing Manager", _LEAD, "2025-10-06"),
        ("E-1050", "Felix Wagner", "employee", "Backend Engineer", "Elena Kowalczyk", "2026-04-13"),
        ("E-1051", "Amara Osei", "employee", "Support Engineer", "Nia Okafor", "2026-05-04"),
        ("E-1052", "Daniel Reyes", "employee", "Data Scientist", "Elena Kowalczyk", "2026-06-15"),
        ("E-1053", "Sara Lindholm", "employee", "Account Executive", _LEAD, "2026-08-03"),
        ("C-0112", "Owen Prescott", "contractor", "Contract Designer", "Chloe Martin", "2025-11-03", "2026-05-08",
         "2026-05-08T16:30:45"),
        ("C-0118", "Ivy Harcourt", "contractor", "Contract Engineer", "Elena Kowalczyk", "2026-02-02",
         "2026-08-14", "2026-08-14T17:45:20"),
        ("C-0121", "Ravi Shah", "contractor", "Contract Engineer", "Elena Kowalczyk", "2026-07-06"),
    ))]

USER_HEADERS = ("Login", "Email", "Role", "Admin", "Status", "Last login")
GITHUB_USERS: list[tuple[str, ...]] = [USER_HEADERS, *(
    (login, login.removesuffix("-bp") + D if login.endswith("-bp") else "", role, admin, "active", last)
    for login, role, admin, last in (
        ("p.natarajan-bp", "Owner", "yes", "2026-02-27"), ("e.kowalczyk-bp", "Owner", "yes", "2026-02-28"),
        ("l.tanaka-bp", "Member", "no", "2026-02-27"), ("w.brandt-bp", "Admin", "yes", "2026-02-20"),
        ("r.mendes-bp", "Member", "no", "2026-02-26"), ("o.haddad-bp", "Member", "no", "2026-02-27"),
        ("p.grant-bp", "Member", "no", "2026-02-12"), ("m.patel-bp", "Member", "no", "2025-10-30"),
        ("deploy-bot", "Member", "no", "2026-03-01"),
    ))]
# (login, decision, note) of the GitHub review, closed by the Security Lead, who has no account there.
GITHUB_DECISIONS = (
    ("p.natarajan-bp", "keep", ""), ("e.kowalczyk-bp", "keep", ""),
    ("l.tanaka-bp", "keep", ""), ("w.brandt-bp", "change", "admin not needed: reduce to member"),
    ("r.mendes-bp", "keep", ""), ("o.haddad-bp", "keep", ""),
    ("p.grant-bp", "remove", "left on 13 February; missed by the offboarding ticket"),
    ("m.patel-bp", "keep", "on parental leave until April"),
    ("deploy-bot", "keep", "CI deploy account; owner Jordan Baptiste"),
)
GITHUB_REVIEWER = "Tomas Ferreira"
AWS_USERS: list[tuple[str, ...]] = [USER_HEADERS, *(
    (f"{login}{D}", f"{login}{D}", role, admin, "active", last) for login, role, admin, last in (
        ("p.natarajan", "AdministratorAccess", "yes", "2026-02-25"), ("j.baptiste", "AdministratorAccess", "yes",
                                                                      "2026-03-01"),
        ("s.lindqvist", "AdministratorAccess", "yes", "2026-02-28"), ("k.adeyemi", "AdministratorAccess", "yes",
                                                                      "2026-02-27"),
        ("r.mendes", "ReadOnly", "no", "2026-01-02"), ("h.brooks", "DataEngineer", "no", "2026-02-26"),
    ))]
AWS_DECISIONS = (("p.natarajan" + D, "keep", "break-glass owner"), ("j.baptiste" + D, "keep", ""))
