"""The system description on the description criteria DC1-DC9: its sections, DC3's five parts, what each must
cover (a checklist in our own words), and the description as the program assembles it for the documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class DcHeading:
    """One DC section as the program structures it: storage key, code, title, a hint, a checklist, DC3's parts."""

    key: str
    code: str
    title: str
    hint: str
    checklist: tuple[str, ...]
    parts: tuple[tuple[str, str, str], ...] = ()  # (storage key, title, hint)


DC_HEADINGS: tuple[DcHeading, ...] = (
    DcHeading("dc1", "DC1", "Types of services provided",
              "What the system does for customers, and which of your services this report covers.", (
                  "Name each service the report covers and who uses it",
                  "Say which services, products or locations are left out",
                  "Describe the service in terms a customer's auditor would recognise",
              )),
    DcHeading("dc2", "DC2", "Principal service commitments and system requirements",
              "What you promise customers (contracts, SLAs, published terms) and what the system must do to keep "
              "those promises.", (
                  "List the promises made to customers (uptime, security, confidentiality, privacy)",
                  "Say where they are written down: contracts, order forms, the website, SLAs",
                  "State the system requirements that follow from them (law, regulation, your own policies)",
                  "Link the promises to the categories the report covers",
              )),
    DcHeading("dc3", "DC3", "Components of the system",
              "What the system is made of. An optional overview here; each of the five parts below has its own text "
              "and the program adds the component list.", (
                  "Cover all five parts: infrastructure, software, people, procedures and data",
                  "Say where the system's boundary lies and what sits outside it",
                  "Keep the component list on the Components tab current: it is printed here",
              ), (
                  ("dc3.infrastructure", "Infrastructure",
                   "Hosting, networks, data centres and devices the system runs on."),
                  ("dc3.software", "Software",
                   "Applications, databases, operating systems and tools that make up or support the system."),
                  ("dc3.people", "People",
                   "The teams that govern, build, run, secure and support the system, and their roles."),
                  ("dc3.procedures", "Procedures",
                   "The manual and automated procedures that operate the system, from access to change to backup."),
                  ("dc3.data", "Data",
                   "The kinds of data the system takes in, holds and sends out, and how they are classified."),
              )),
    DcHeading("dc4", "DC4", "Significant system incidents",
              "Incidents during the period that kept the system from meeting its commitments, or a statement that "
              "there were none. Significant incidents from the incident register are listed by the program.", (
                  "Describe each significant incident: what happened, when, what it affected",
                  "Say what was done about it and whether commitments were met",
                  "If there were none, say so plainly",
              )),
    DcHeading("dc5", "DC5", "Criteria in scope and the related controls",
              "How your controls meet the criteria of the categories in scope. The program lists the controls "
              "mapped to each criterion; add any explanation the table alone does not give.", (
                  "Every criterion in scope has at least one control mapped to it",
                  "Each control is described as it actually operates (who, how often, what is kept)",
                  "Explain controls that meet a criterion only together with others",
              )),
    DcHeading("dc6", "DC6", "Complementary user entity controls",
              "What your customers must do themselves for your controls to work. The program lists the user entity "
              "controls and the criteria each supports.", (
                  "List each control customers are expected to operate",
                  "Map each one to the criteria it helps meet",
                  "Say where customers are told about them (contract, onboarding, documentation)",
              )),
    DcHeading("dc7", "DC7", "Subservice organisations and their complementary controls",
              "Vendors that run part of the system for you, whether the report carves out or includes them, and "
              "what you rely on them doing. The program lists them with their controls and criteria.", (
                  "Name each subservice organisation and the service it provides",
                  "Say for each whether it is carved out or included",
                  "List the controls you expect it to operate, mapped to criteria",
                  "Say how you monitor it (for example by reviewing its SOC report)",
              )),
    DcHeading("dc8", "DC8", "Criteria not applicable and why",
              "Criteria of the categories in scope that do not apply to this system, each with the reason. The "
              "program lists those assessed not applicable, with the assessment note as the reason.", (
                  "Give a reason for every criterion marked not applicable",
                  "Check that the reasons follow from the services and the system's boundary",
                  "Name the categories left out of the report, if useful",
              )),
    DcHeading("dc9", "DC9", "Significant changes during the period",
              "Changes to the system, its controls or its organisation during the period that a reader should "
              "know of. The program adds controls that began operating during the period.", (
                  "Describe changes to services, infrastructure, software, people or procedures",
                  "Say when each change took effect",
                  "If there were no significant changes, say so plainly",
              )),
)

# Every editable text of the description, in reading order: (storage key, heading shown).
DESCRIPTION_SECTIONS: tuple[tuple[str, str], ...] = tuple(
    pair for h in DC_HEADINGS
    for pair in ((h.key, f"{h.code} {h.title}"), *((key, f"{h.code} {title}") for key, title, _ in h.parts)))
DESCRIPTION_KEYS: tuple[str, ...] = tuple(key for key, _ in DESCRIPTION_SECTIONS)
# The texts only the user can write (DC3's overview is optional, its five parts are not; DC5-DC8 the program fills).
USER_WRITTEN_KEYS: tuple[str, ...] = ("dc1", "dc2", *(key for key, _, _ in DC_HEADINGS[2].parts), "dc4", "dc9")
# The keys of the nine sections before DC1-DC9 (migration 0011 moved them): still accepted when writing.
LEGACY_KEYS: dict[str, str] = {
    "services": "dc1", "commitments": "dc2", "infrastructure": "dc3.infrastructure", "software": "dc3.software",
    "people": "dc3.people", "procedures": "dc3.procedures", "data": "dc3.data", "incidents": "dc4", "changes": "dc9",
}


def heading_of(key: str) -> DcHeading:
    """Return the DC section a storage key belongs to (a DC3 part belongs to DC3)."""
    return next(h for h in DC_HEADINGS if key == h.key or key.startswith(h.key + "."))


def hint_of(key: str) -> str:
    """Return the one-line hint shown above a section's or part's editor."""
    heading = heading_of(key)
    return heading.hint if key == heading.key else next(hint for k, _, hint in heading.parts if k == key)


@dataclass(frozen=True, slots=True)
class DcPart:
    """A titled part of a DC section (DC3's infrastructure, software, people, procedures and data)."""

    title: str
    text: str
    key: str = ""


@dataclass(frozen=True, slots=True)
class DcTable:
    """A table the program fills from the project's records."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class DcSection:
    """One DC section: the user's text, its parts and the program's tables, and what it must cover."""

    code: str
    title: str
    text: str
    parts: tuple[DcPart, ...] = ()
    tables: tuple[DcTable, ...] = ()
    checklist: tuple[str, ...] = ()
    key: str = ""


@dataclass(frozen=True, slots=True)
class SystemDescription:
    """The whole description with what the documents name: organisation, system, report type and period."""

    organization: str
    system_name: str
    report_type: str  # ReportType's value: "type1" or "type2"
    period_start: date | None
    period_end: date | None
    categories: tuple[str, ...]  # category labels in catalog order
    sections: tuple[DcSection, ...]

    def section(self, code: str) -> DcSection:
        """Return the section with this code ("DC1" ... "DC9")."""
        return next(s for s in self.sections if s.code == code)


def unwritten(description: SystemDescription) -> list[str]:
    """Name what is still empty, in order: a DC section with no text and nothing filled, or a DC3 part with no text."""
    missing = []
    for section in description.sections:
        if section.parts:
            missing += [f"{section.code} {part.title}" for part in section.parts if not part.text.strip()]
        elif not section.text.strip() and not any(table.rows for table in section.tables):
            missing.append(f"{section.code} {section.title}")
    return missing
