"""Content of the fictional sample project "Brightpath Analytics, Inc.".

Pure data: this module imports only the standard library, holds no logic,
uses no randomness and never reads the clock. A generator script feeds these
constants through the application's services to build a sample ``.soc2`` file.

Everything here is invented. The company, people, hosts, addresses, account
numbers and file contents are fictional; e-mail addresses use ``example.com``
domains, IP addresses come from the documentation ranges (RFC 5737) and the AWS
account id is the documentation placeholder ``111122223333``. No sentence is
taken from the AICPA's criteria.

Shapes
------
* ``COMPONENTS``  -> tuple of :class:`Component`
* ``SUBSERVICES`` -> tuple of :class:`Subservice`
* ``CUECS``       -> tuple of str
* ``CONTROLS``    -> tuple of :class:`Control`
* ``ASSESSMENTS`` -> dict criterion id -> (status, note)
* ``TASKS``       -> tuple of :class:`Task`
* ``EVIDENCE``    -> tuple of :class:`Evidence`; ``body`` is the full file text
  for kinds text/csv/log/json, a tuple of paragraph strings for kind pdf, and
  a short caption string for kind png (the generator draws the picture).
* ``ENGAGEMENT``  -> :class:`Engagement`; ``MILESTONES`` -> tuple of :class:`Milestone`
* ``REQUESTS``    -> tuple of :class:`Request`
* ``PLAN``        -> tuple of :class:`PlanTask`; ``step`` is the program's step
  number (1 scope, 2 readiness, 3 controls, 4 evidence, 5 CPA, 6 report).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional, Tuple, Union


# ---------------------------------------------------------------------------
# Record shapes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    kind: str  # infrastructure | software | people | data | procedures
    name: str
    description: str


@dataclass(frozen=True)
class Subservice:
    name: str
    service: str
    method: str  # carve_out | inclusive
    soc_report: str
    csocs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (what they operate, the criteria it supports)


@dataclass(frozen=True)
class Control:
    ref: str
    title: str
    description: str
    owner: str
    frequency: str
    nature: str  # manual | automated
    status: str  # not_started | in_progress | implemented
    criteria: Tuple[str, ...]


@dataclass(frozen=True)
class Task:
    title: str
    owner: str
    due: date
    status: str  # open | in_progress | done
    criterion: Optional[str]
    control_ref: Optional[str]


@dataclass(frozen=True)
class Evidence:
    control_ref: str
    title: str
    filename: str
    kind: str  # text | csv | log | json | png | pdf
    collected: date
    period_start: Optional[date]
    period_end: Optional[date]
    source: str
    body: Union[str, Tuple[str, ...]]


@dataclass(frozen=True)
class Engagement:
    firm: str
    lead_auditor: str
    email: str
    phone: str


@dataclass(frozen=True)
class Milestone:
    name: str
    due: date
    done: Optional[date]


@dataclass(frozen=True)
class Request:
    ref: str
    item: str
    tsc_refs: Tuple[str, ...]
    control_ref: Optional[str]
    owner: str
    due: date
    status: str  # open | submitted | accepted | needs_follow_up
    evidence_filenames: Tuple[str, ...]


@dataclass(frozen=True)
class PlanTask:
    key: str
    name: str
    step: int
    start: date
    end: date
    milestone: bool
    depends_on: Tuple[str, ...]


# ---------------------------------------------------------------------------
# 1. Project
# ---------------------------------------------------------------------------

ORGANIZATION = "Brightpath Analytics, Inc."
SYSTEM_NAME = "Brightpath Insights Platform"
REPORT_TYPE = "type2"
CATEGORIES = ("security", "availability", "confidentiality")
PERIOD_START = date(2026, 4, 1)
PERIOD_END = date(2026, 9, 30)

# The people who own things (all fictional).
_CEO = "Marcus Oyelaran (CEO)"
_CTO = "Priya Natarajan (CTO)"
_VPE = "Elena Kowalczyk (VP Engineering)"
_SRE = "Jordan Baptiste (SRE Lead)"
_SEC = "Tomas Ferreira (Security Lead)"
_PPL = "Dana Whitfield (Head of People)"
_GRC = "Aisha Rahman (Compliance Manager)"
_IT = "Ben Halloran (IT Administrator)"


# ---------------------------------------------------------------------------
# 2. System description (DC1-DC9; DC3 in its five parts)
# ---------------------------------------------------------------------------

DESCRIPTION = {
    "dc1": (
        "Brightpath Analytics, Inc. is a 40-person software company that sells the Brightpath "
        "Insights Platform, a multi-tenant web application that lets mid-sized B2B companies load "
        "product-usage and revenue data and explore it through dashboards, scheduled reports and a "
        "REST API. Customers subscribe on annual or monthly plans billed through Stripe. The service "
        "is delivered entirely from Amazon Web Services; Brightpath operates no data centres of its own."
    ),
    "dc2": (
        "Brightpath's master subscription agreement and public trust page commit to 99.9% monthly "
        "availability of the web application and API, excluding announced maintenance windows. "
        "Customer data is treated as confidential: it is encrypted in transit and at rest, is "
        "accessible only to staff who need it to deliver support, and is deleted within 30 days "
        "after a subscription ends. Brightpath undertakes to notify affected customers of a "
        "confirmed security incident involving their data within 72 hours, and aims to restore "
        "service within 8 hours of a regional outage with no more than 15 minutes of data loss."
    ),
    "dc3.infrastructure": (
        "Production runs in a dedicated AWS account in the us-east-2 (Ohio) region across three "
        "availability zones, with backups and a warm standby footprint in us-west-2 (Oregon). "
        "Application containers run on Amazon ECS with Fargate behind an Application Load Balancer "
        "and AWS WAF; tenant metadata lives in Amazon Aurora PostgreSQL, uploaded files and exports "
        "in Amazon S3, and session and query caches in Amazon ElastiCache for Redis. All cloud "
        "resources are defined in Terraform. Staff work remotely or from a small office in Denver "
        "on company-managed laptops."
    ),
    "dc3.software": (
        "The platform consists of a Python API service, a TypeScript single-page web client, and an "
        "ingestion pipeline of queue-driven workers that validate and load customer files. Source "
        "code is held in GitHub, and GitHub Actions builds, tests, scans and deploys every change. "
        "Okta provides workforce single sign-on and multi-factor authentication, Datadog provides "
        "metrics, logs, security signals and paging, and Stripe handles subscription billing."
    ),
    "dc3.people": (
        "The CEO and the CTO lead the company and report quarterly to a three-member board. "
        "Engineering (22 people) is led by the VP Engineering and includes a four-person SRE team "
        "that runs production and the on-call rotation. A Security Lead and a Compliance Manager "
        "run the security and compliance programme, the Head of People owns hiring, onboarding and "
        "offboarding, and an IT Administrator manages Okta, laptops and the office."
    ),
    "dc3.data": (
        "The system processes customer-supplied analytics data (event streams, account and revenue "
        "records), tenant configuration, user accounts for customer staff, and billing references. "
        "Brightpath classifies all customer data as Confidential. Card numbers are entered directly "
        "into Stripe-hosted forms and never reach Brightpath systems. System and audit logs are kept "
        "in Datadog for 15 months and archived to a locked S3 bucket for two years."
    ),
    "dc3.procedures": (
        "Written policies approved by the CEO cover information security, acceptable use, access "
        "control, change management, incident response, business continuity and data "
        "classification. Access is requested and approved through tickets and reviewed quarterly; "
        "every code and infrastructure change passes peer review and automated checks before the "
        "pipeline deploys it. Security signals and availability alerts page the on-call engineer "
        "around the clock, and backups are taken automatically and test-restored."
    ),
    "dc4": (
        "One incident affecting service commitments occurred during the period. On 19 August 2026 "
        "an autoscaling setting changed during a routine deployment left the query workers "
        "under-provisioned, and dashboards loaded slowly or timed out for about 12% of tenants for "
        "38 minutes (INC-2026-014). No data was lost or exposed, the monthly availability "
        "commitment was still met, and a post-incident review added a capacity check to the "
        "deployment pipeline."
    ),
    "dc5": (
        "Brightpath's controls are grouped by the criteria they address: governance and risk "
        "management, access to systems and data, change management, system operations and "
        "monitoring, vendor management, and availability and recovery. Several criteria are met "
        "by two or more controls working together; the table below lists every control mapped to "
        "each criterion of the security, availability and confidentiality categories."
    ),
    "dc6": (
        "Brightpath's controls were designed on the assumption that customers operate the controls "
        "listed below. Customers are told about them in the master subscription agreement and in the "
        "administrator guide given to every new workspace owner."
    ),
    "dc7": (
        "Brightpath uses the carve-out method for all four of its subservice organisations: their "
        "controls are not described or tested in this report. The Compliance Manager obtains and "
        "reviews each organisation's SOC 2 Type II report every year, records the review and maps "
        "the user entity controls those reports expect of Brightpath to its own controls."
    ),
    "dc8": (
        "Every criterion of the security, availability and confidentiality categories applies to "
        "the Brightpath Insights Platform. The processing integrity and privacy categories are not "
        "part of this report."
    ),
    "dc9": (
        "In June 2026 Brightpath moved its primary production region from us-east-1 to us-east-2 "
        "and made us-west-2 its recovery region; the cut-over on 13 June was completed inside a "
        "scheduled maintenance window. In May 2026 the company replaced spreadsheet-based access "
        "reviews with review campaigns run in Okta, and in July it moved security alert handling "
        "from GuardDuty e-mail notifications to detection rules in Datadog Cloud SIEM."
    ),
}


# ---------------------------------------------------------------------------
# 3. Components
# ---------------------------------------------------------------------------

COMPONENTS = (
    Component(
        "infrastructure",
        "AWS production account (us-east-2)",
        "ECS Fargate services, Application Load Balancer, AWS WAF, Aurora PostgreSQL, S3 and "
        "ElastiCache across three availability zones.",
    ),
    Component(
        "infrastructure",
        "AWS recovery region (us-west-2)",
        "Cross-region copies of database snapshots and S3 objects, plus Terraform-defined standby "
        "capacity used for disaster recovery.",
    ),
    Component(
        "infrastructure",
        "Company-managed laptops",
        "macOS laptops enrolled in the MDM, with disk encryption, screen lock and endpoint "
        "protection enforced.",
    ),
    Component(
        "software",
        "Insights web application and API",
        "Python API service and TypeScript web client that serve dashboards, reports and the "
        "public REST API to customer users.",
    ),
    Component(
        "software",
        "Ingestion pipeline",
        "Queue-driven workers that validate, de-duplicate and load customer data files and "
        "event streams into tenant stores.",
    ),
    Component(
        "software",
        "GitHub and GitHub Actions",
        "Source control, code review and the CI/CD pipeline that tests, scans and deploys all "
        "application and infrastructure changes.",
    ),
    Component(
        "software",
        "Okta and Datadog",
        "Okta provides workforce SSO and MFA; Datadog provides monitoring, log management, "
        "security signals and on-call paging.",
    ),
    Component(
        "people",
        "Engineering and SRE",
        "Twenty-two engineers who build the product; the four-person SRE team runs production "
        "and the on-call rotation.",
    ),
    Component(
        "people",
        "Security, Compliance and IT",
        "Security Lead, Compliance Manager and IT Administrator who run the security programme, "
        "control monitoring and workforce access.",
    ),
    Component(
        "data",
        "Customer analytics data",
        "Event streams, account and revenue records uploaded by customers; classified "
        "Confidential and encrypted with AWS KMS keys.",
    ),
    Component(
        "data",
        "System and audit logs",
        "Application, CloudTrail, load balancer and Okta logs held in Datadog for 15 months and "
        "archived to a locked S3 bucket.",
    ),
    Component(
        "procedures",
        "Access and change management",
        "Ticketed access requests with owner approval, quarterly access reviews, peer-reviewed "
        "pull requests and pipeline-only deployment.",
    ),
    Component(
        "procedures",
        "Incident response and continuity",
        "Severity-based incident handling with post-incident reviews, automated backups, restore "
        "tests and a business continuity plan.",
    ),
)


# ---------------------------------------------------------------------------
# 4. Subservice organisations
# ---------------------------------------------------------------------------

SUBSERVICES = (
    Subservice(
        "Amazon Web Services",
        "Cloud hosting: compute, storage, managed databases, networking and physical data "
        "centre security in us-east-2 and us-west-2.",
        "carve_out",
        "SOC 2 Type II, period ending 2026-03-31, reviewed 2026-05-02",
        (
            ("AWS restricts and logs physical access to the data centres hosting Brightpath's "
             "resources.", ("CC6.4",)),
            ("AWS protects its data centres against fire, flood, power loss and cooling "
             "failure.", ("A1.2",)),
            ("AWS securely destroys storage media before they leave its data centres.", ("CC6.5",)),
            ("AWS monitors its infrastructure capacity and keeps the managed services available "
             "across availability zones.", ("A1.1", "CC7.2")),
        ),
    ),
    Subservice(
        "Okta",
        "Workforce identity provider for single sign-on and multi-factor authentication.",
        "carve_out",
        "SOC 2 Type II, period ending 2026-01-31, reviewed 2026-04-20",
        (
            ("Okta enforces the sign-on and multi-factor policies Brightpath configures.", ("CC6.1",)),
            ("Okta restricts its own staff's access to customer tenants and reviews it.", ("CC6.2", "CC6.3")),
        ),
    ),
    Subservice(
        "Stripe",
        "Subscription billing and card payment processing through hosted payment forms.",
        "carve_out",
        "SOC 2 Type II, period ending 2025-12-31, reviewed 2026-04-20",
        (
            ("Stripe protects the card data it collects through its hosted payment forms.", ("C1.1", "CC6.7")),
        ),
    ),
    Subservice(
        "Datadog",
        "Infrastructure and application monitoring, log management, security signals and "
        "on-call paging.",
        "carve_out",
        "SOC 2 Type II, period ending 2026-03-31, reviewed 2026-05-02",
        (
            ("Datadog keeps the logs and metrics it receives complete and protected from change for "
             "the retention period Brightpath sets.", ("CC7.2", "CC4.1")),
            ("Datadog delivers alerts to the on-call engineer without delay.", ("CC7.3",)),
        ),
    ),
)


# ---------------------------------------------------------------------------
# 5. Complementary user entity controls
# ---------------------------------------------------------------------------

# The criteria each user entity control supports, in the order of CUECS.
CUEC_CRITERIA: tuple[tuple[str, ...], ...] = (
    ("CC6.2", "CC6.3"),
    ("CC6.1",),
    ("CC6.1", "CC6.6"),
    ("C1.1", "CC6.1"),
    ("CC7.3",),
    ("C1.2",),
)

CUECS = (
    "Customers grant and remove access for their own users in a timely way and review their "
    "workspace user list at least quarterly.",
    "Customers that connect their own identity provider enforce multi-factor authentication and "
    "password rules there.",
    "Customers keep the API keys issued to them secret and rotate them at once if they may have "
    "been exposed.",
    "Customers upload only data they are entitled to share and do not send data types the "
    "agreement excludes, such as card numbers or health records.",
    "Customers tell Brightpath promptly about suspected unauthorised use of their accounts or "
    "other security concerns.",
    "Customers set workspace data-retention options that match their own retention obligations.",
)


# ---------------------------------------------------------------------------
# 6. Controls
# ---------------------------------------------------------------------------

CONTROLS = (
    # --- Access ------------------------------------------------------------
    Control(
        "AC-01",
        "SSO with enforced MFA",
        "All workforce access to production tooling (AWS, GitHub, Datadog, Stripe dashboard) goes "
        "through Okta single sign-on. Okta policy requires phishing-resistant MFA (Okta Verify "
        "with biometrics or a security key) on every sign-in.",
        _IT, "continuous", "automated", "implemented", ("CC6.1",),
    ),
    Control(
        "AC-02",
        "Access provisioning on approved request",
        "New or changed access is requested through a Jira Service Management ticket and approved "
        "by the system owner before the IT Administrator assigns the matching Okta group. Access "
        "follows role-based groups defined per team.",
        _IT, "event_driven", "manual", "implemented", ("CC6.2", "CC6.3"),
    ),
    Control(
        "AC-03",
        "Timely deprovisioning of leavers",
        "When People Ops records a departure in the HR system, the IT Administrator deactivates "
        "the Okta account, which removes downstream access, within one business day and records "
        "completion on the offboarding ticket.",
        _IT, "event_driven", "manual", "implemented", ("CC6.2", "CC6.3"),
    ),
    Control(
        "AC-04",
        "Quarterly user access review",
        "Each quarter the Security Lead runs an Okta access-review campaign in which system owners "
        "confirm or revoke every user's access to production systems; revocations are completed "
        "within five business days and the campaign export is retained.",
        _SEC, "quarterly", "manual", "implemented", ("CC6.2", "CC6.3"),
    ),
    Control(
        "AC-05",
        "Restricted privileged cloud access",
        "Administrative access to the production AWS account is granted only through IAM Identity "
        "Center permission sets assigned to the SRE group, with sessions limited to one hour. "
        "Root credentials are locked in a hardware key held by the CTO.",
        _SRE, "continuous", "automated", "implemented", ("CC6.1", "CC6.3"),
    ),
    Control(
        "AC-06",
        "Tenant data isolation",
        "Every data query in the API is scoped by tenant identifier through a shared data-access "
        "layer, and Aurora row-level security policies enforce the same rule. Automated "
        "cross-tenant tests run in CI on every pull request.",
        _VPE, "continuous", "automated", "implemented", ("CC6.1", "C1.1"),
    ),
    Control(
        "AC-07",
        "Office physical access",
        "The Denver office is entered with personal badges managed by the IT Administrator; "
        "visitors sign in and are escorted. Badge holders are reconciled to the staff list each "
        "quarter. Data centre security is provided by AWS (carved out).",
        _IT, "quarterly", "manual", "implemented", ("CC6.4",),
    ),
    # --- Change management -------------------------------------------------
    Control(
        "CM-01",
        "Peer-reviewed, pipeline-only changes",
        "GitHub branch protection on production repositories requires one approving review from "
        "someone other than the author and passing CI checks before merge. Only the GitHub "
        "Actions pipeline holds deploy rights to production.",
        _VPE, "multiple_times_daily", "automated", "implemented", ("CC8.1",),
    ),
    Control(
        "CM-02",
        "Infrastructure as code",
        "AWS resources are changed only through Terraform in the infrastructure repository; the "
        "plan output is attached to the pull request and reviewed by a second SRE before apply. "
        "Drift detection runs nightly and alerts in Slack.",
        _SRE, "event_driven", "manual", "implemented", ("CC8.1", "CC5.2"),
    ),
    Control(
        "CM-03",
        "Emergency change procedure",
        "Emergency fixes may bypass the normal review only with CTO approval in the incident "
        "channel and must receive a retrospective review within two business days. The written "
        "procedure and review template are being finalised.",
        _VPE, "event_driven", "manual", "in_progress", ("CC8.1",),
    ),
    Control(
        "CM-04",
        "Hardened baseline configuration",
        "Container base images follow a hardened internal baseline rebuilt monthly, and AWS "
        "Config conformance rules flag deviations such as public S3 buckets or unencrypted "
        "volumes for SRE follow-up.",
        _SRE, "continuous", "automated", "implemented", ("CC7.1", "CC6.8", "CC5.2"),
    ),
    # --- People ------------------------------------------------------------
    Control(
        "HR-01",
        "Pre-hire background checks",
        "People Ops runs a background check through a screening provider for every employee and "
        "contractor before their start date, as permitted by local law, and files the result in "
        "the HR system.",
        _PPL, "event_driven", "manual", "implemented", ("CC1.4",),
    ),
    Control(
        "HR-02",
        "Code of conduct and confidentiality agreement",
        "New hires sign the code of conduct, the acceptable use policy and a confidentiality "
        "agreement during onboarding, and all staff re-acknowledge the code and policy each "
        "year in the HR system.",
        _PPL, "annual", "manual", "implemented", ("CC1.1", "CC2.2", "C1.1"),
    ),
    Control(
        "HR-03",
        "Security awareness training",
        "Everyone completes security awareness training within 30 days of joining and once a "
        "year after that, including phishing and data-handling modules; the Security Lead tracks "
        "completion and chases overdue staff.",
        _SEC, "annual", "manual", "implemented", ("CC1.4", "CC2.2"),
    ),
    Control(
        "HR-04",
        "Organisation chart and role descriptions",
        "People Ops keeps the organisation chart and written role descriptions, including "
        "security responsibilities, current and reviews them with leadership twice a year.",
        _PPL, "semi_annual", "manual", "implemented", ("CC1.3",),
    ),
    Control(
        "HR-05",
        "Performance reviews cover control duties",
        "Semi-annual performance reviews include goals for the control responsibilities each "
        "person owns. The first cycle with these goals runs in October 2026.",
        _PPL, "semi_annual", "manual", "in_progress", ("CC1.5",),
    ),
    # --- Risk --------------------------------------------------------------
    Control(
        "RM-01",
        "Annual risk assessment",
        "Once a year the Compliance Manager leads a workshop with leadership that refreshes "
        "objectives, rates threats to the platform by likelihood and impact, and assigns a "
        "treatment and owner to each risk in the risk register.",
        _GRC, "annual", "manual", "implemented", ("CC3.1", "CC3.2", "CC5.1"),
    ),
    Control(
        "RM-02",
        "Risk review of significant changes",
        "Significant changes, such as a new region, a new data-processing vendor or a major "
        "architecture change, get a documented risk review approved by the CTO before rollout.",
        _CTO, "event_driven", "manual", "implemented", ("CC3.4",),
    ),
    Control(
        "RM-03",
        "Fraud risk assessment",
        "A yearly assessment of how staff or outsiders could misuse access, billing or reporting "
        "for fraud, with mitigating controls recorded. Not yet performed.",
        _GRC, "annual", "manual", "not_started", ("CC3.3",),
    ),
    # --- Operations and monitoring ----------------------------------------
    Control(
        "OP-01",
        "Security event monitoring",
        "CloudTrail, GuardDuty, Okta system logs and application audit logs stream into Datadog "
        "Cloud SIEM. Detection rules raise signals that the Security Lead or on-call engineer "
        "triages each business day, recording the outcome in the triage log.",
        _SEC, "daily", "automated", "implemented", ("CC7.2", "CC7.3"),
    ),
    Control(
        "OP-02",
        "Availability monitoring and on-call",
        "Datadog synthetic checks and monitors on error rate, latency and queue depth page the "
        "on-call SRE around the clock; uptime against the 99.9% commitment is reported monthly.",
        _SRE, "continuous", "automated", "implemented", ("CC7.2", "A1.1"),
    ),
    Control(
        "OP-03",
        "Monthly capacity review",
        "The SRE team reviews CPU, memory, database storage and queue headroom each month, "
        "adjusts autoscaling limits and records decisions in the capacity log.",
        _SRE, "monthly", "manual", "implemented", ("A1.1",),
    ),
    Control(
        "OP-04",
        "Quarterly control self-assessment",
        "Each quarter the Compliance Manager checks that every control ran as designed, using the "
        "evidence calendar, and records deviations in the control tracker.",
        _GRC, "quarterly", "manual", "implemented", ("CC4.1",),
    ),
    Control(
        "OP-05",
        "Deficiency reporting to leadership",
        "Control deviations and open remediation items are summarised for the CEO and CTO each "
        "quarter with owners and target dates. The first formal report is due in October 2026.",
        _GRC, "quarterly", "manual", "in_progress", ("CC4.2",),
    ),
    Control(
        "OP-06",
        "Endpoint management",
        "All laptops are enrolled in Kandji MDM, which enforces FileVault, OS updates, screen "
        "lock and endpoint protection; departing staff devices are remotely locked and wiped "
        "before reissue.",
        _IT, "continuous", "automated", "implemented", ("CC6.8", "CC6.5"),
    ),
    # --- Incident response -------------------------------------------------
    Control(
        "IR-01",
        "Incident response plan",
        "A written incident response plan defines severities, roles, escalation paths and "
        "customer notification duties. The Security Lead reviews it every year and after any "
        "SEV1 incident.",
        _SEC, "annual", "manual", "implemented", ("CC7.3", "CC7.4"),
    ),
    Control(
        "IR-02",
        "Incident logging and triage",
        "Every suspected security or availability incident is opened as a ticket in the incident "
        "tracker, given a severity, and worked by a named incident commander until resolved.",
        _SEC, "event_driven", "manual", "implemented", ("CC7.3", "CC7.4"),
    ),
    Control(
        "IR-03",
        "Post-incident review",
        "SEV1 and SEV2 incidents get a blameless post-incident review within five business days "
        "recording timeline, root cause and corrective actions, which are tracked to closure.",
        _SRE, "event_driven", "manual", "implemented", ("CC7.4", "CC7.5"),
    ),
    Control(
        "IR-04",
        "Incident response tabletop exercise",
        "Once a year leadership and engineering walk through a realistic incident scenario to "
        "test the plan, and findings are fed back into it. The 2026 exercise is being scheduled.",
        _SEC, "annual", "manual", "in_progress", ("CC7.4", "CC7.5"),
    ),
    # --- Backup and availability -------------------------------------------
    Control(
        "BC-01",
        "Automated backups",
        "Aurora takes continuous backups with 35-day point-in-time recovery, and AWS Backup "
        "copies daily snapshots and S3 data to us-west-2. Failed backup jobs alert the on-call SRE.",
        _SRE, "daily", "automated", "implemented", ("A1.2",),
    ),
    Control(
        "BC-02",
        "Multi-AZ redundancy",
        "Application services, the Aurora cluster and Redis run across three availability zones "
        "with automatic failover, so the loss of one zone does not interrupt service.",
        _SRE, "continuous", "automated", "implemented", ("A1.2",),
    ),
    Control(
        "BC-03",
        "Quarterly restore test",
        "Each quarter an SRE restores a recent backup into an isolated account, validates row "
        "counts and checksums, and records the time taken. So far only the Aurora database is "
        "covered; S3 and Redis restores are being added.",
        _SRE, "quarterly", "manual", "in_progress", ("A1.2", "A1.3"),
    ),
    Control(
        "BC-04",
        "Annual disaster recovery test",
        "Once a year the team fails the platform over to us-west-2 from backups using the "
        "runbook and measures recovery against the 8-hour and 15-minute targets. First test not "
        "yet held.",
        _CTO, "annual", "manual", "not_started", ("A1.3", "CC7.5"),
    ),
    Control(
        "BC-05",
        "Business continuity plan and insurance",
        "The CTO maintains a business continuity plan covering loss of a region, a key vendor or "
        "key staff, and reviews it yearly together with the company's cyber insurance cover.",
        _CTO, "annual", "manual", "implemented", ("CC9.1",),
    ),
    # --- Vulnerability management -------------------------------------------
    Control(
        "VM-01",
        "Vulnerability scanning and remediation",
        "Dependabot and Trivy scan code dependencies and container images on every build, and "
        "Amazon Inspector scans running workloads continuously. Findings are fixed within 7 "
        "days (critical), 30 days (high) or 90 days (medium).",
        _SEC, "continuous", "automated", "implemented", ("CC7.1",),
    ),
    Control(
        "VM-02",
        "Annual penetration test",
        "An independent firm tests the web application, API and AWS perimeter once a year; "
        "findings are ticketed and retested. The 2026 test ran in July.",
        _SEC, "annual", "manual", "implemented", ("CC4.1", "CC7.1"),
    ),
    Control(
        "VM-03",
        "Perimeter protection",
        "AWS WAF with managed rule groups and rate limits fronts the load balancer, and security "
        "groups allow inbound traffic only on 443 to the load balancer. Terraform checks reject "
        "rules open to the internet on any other port.",
        _SRE, "continuous", "automated", "implemented", ("CC6.6",),
    ),
    # --- Data protection / confidentiality ----------------------------------
    Control(
        "DP-01",
        "Encryption at rest",
        "Aurora, S3, EBS volumes and backups are encrypted with customer-managed AWS KMS keys "
        "that rotate yearly; AWS Config flags any unencrypted resource.",
        _SRE, "continuous", "automated", "implemented", ("CC6.1", "C1.1"),
    ),
    Control(
        "DP-02",
        "Encryption in transit",
        "Public endpoints accept TLS 1.2 or newer only, with HSTS, and internal service traffic "
        "is encrypted; certificates are issued and renewed by AWS Certificate Manager.",
        _VPE, "continuous", "automated", "implemented", ("CC6.7",),
    ),
    Control(
        "DP-03",
        "Data classification and handling",
        "The data classification standard sets four levels and handling rules for each; customer "
        "data is Confidential and may not be copied to laptops or non-production environments.",
        _GRC, "annual", "manual", "implemented", ("C1.1",),
    ),
    Control(
        "DP-04",
        "Approved support access to customer data",
        "Support staff can view a customer workspace only through a time-limited impersonation "
        "session tied to a customer ticket and approved by a team lead; sessions are logged. "
        "The approval step is being added to the admin console.",
        _VPE, "event_driven", "manual", "in_progress", ("CC6.3", "C1.1"),
    ),
    Control(
        "DP-05",
        "Secrets management",
        "Application secrets are held in AWS Secrets Manager and injected at runtime; GitHub "
        "secret scanning with push protection blocks credentials from being committed.",
        _VPE, "continuous", "automated", "implemented", ("CC6.1",),
    ),
    # --- Governance ----------------------------------------------------------
    Control(
        "GV-01",
        "Information security policy set",
        "The Compliance Manager keeps the information security policy set current; the CEO "
        "approves it every year and changes are announced to staff with a re-acknowledgement "
        "request.",
        _GRC, "annual", "manual", "implemented", ("CC5.2", "CC5.3"),
    ),
    Control(
        "GV-02",
        "Board oversight of security",
        "The CTO briefs the board each quarter on security posture, top risks, incidents and "
        "audit progress; the briefing and any board decisions are minuted.",
        _CEO, "quarterly", "manual", "implemented", ("CC1.2",),
    ),
    Control(
        "GV-03",
        "System and asset inventory",
        "An inventory of production services, data stores, SaaS tools and laptops, with owner "
        "and data classification, is generated from AWS tags and the MDM and reviewed quarterly.",
        _IT, "quarterly", "manual", "implemented", ("CC2.1", "CC6.1"),
    ),
    Control(
        "GV-04",
        "Customer commitments and notices",
        "Security, availability and confidentiality commitments are set out in the MSA, the SLA "
        "and the public trust page; planned maintenance and outages are posted on the status page.",
        _CEO, "event_driven", "manual", "implemented", ("CC2.3",),
    ),
    # --- Vendors -------------------------------------------------------------
    Control(
        "VN-01",
        "Vendor inventory and contract terms",
        "The Compliance Manager keeps a list of vendors with the data each one can reach; "
        "vendors handling customer data must sign terms covering security, confidentiality "
        "and breach notice.",
        _GRC, "annual", "manual", "implemented", ("CC3.2", "CC2.3", "CC9.2"),
    ),
    Control(
        "VN-02",
        "Subservice SOC report review",
        "Each year the Compliance Manager obtains and reads the SOC 2 reports of AWS, Okta, "
        "Stripe and Datadog, notes exceptions and checks that Brightpath performs the "
        "complementary controls each report expects.",
        _GRC, "annual", "manual", "implemented", ("CC4.1", "CC9.2"),
    ),
)


# ---------------------------------------------------------------------------
# 7. Readiness assessment
# ---------------------------------------------------------------------------

ASSESSMENTS = {
    "CC1.1": ("met", "Code of conduct signed at hire and re-acknowledged yearly (HR-02)."),
    "CC1.2": ("met", "Quarterly board security briefings minuted since January (GV-02)."),
    "CC1.3": ("met", "Org chart and role descriptions reviewed in March and September (HR-04)."),
    "CC1.4": ("met", "Background checks and training in place; two late trainings chased (HR-01, HR-03)."),
    "CC1.5": ("not_assessed", "Wait for the October review cycle that adds control goals (HR-05)."),
    "CC2.1": ("met", "Asset inventory generated from AWS tags and MDM, reviewed quarterly (GV-03)."),
    "CC2.2": ("met", "Policies on the intranet; acknowledgement and training tracked (HR-02, HR-03)."),
    "CC2.3": ("met", "MSA, SLA, trust page and status page cover external commitments (GV-04, VN-01)."),
    "CC3.1": ("met", "Objectives restated in the February 2026 risk workshop (RM-01)."),
    "CC3.2": ("met", "Risk register with owners and treatments; vendors listed (RM-01, VN-01)."),
    "CC3.3": ("partially_met", "Fraud only touched on in RM-01; dedicated assessment RM-03 not started."),
    "CC3.4": ("met", "Region move to us-east-2 had a documented, CTO-approved risk review (RM-02)."),
    "CC4.1": ("met", "Quarterly self-assessment, July pen test and vendor SOC reviews (OP-04, VM-02, VN-02)."),
    "CC4.2": ("not_assessed", "First quarterly deficiency report to leadership due in October (OP-05)."),
    "CC5.1": ("met", "Each register risk maps to a treating control (RM-01)."),
    "CC5.2": ("met", "Technology controls defined in policy and enforced via Terraform and AWS Config."),
    "CC5.3": ("met", "Policy set approved by the CEO on 2026-02-27 (GV-01)."),
    "CC6.1": ("met", "Okta SSO with MFA, IAM Identity Center, KMS encryption, tenant isolation tests."),
    "CC6.2": ("met", "Ticketed provisioning; all six leavers removed within one business day."),
    "CC6.3": ("partially_met", "Role-based groups work, but support impersonation lacks approval (DP-04)."),
    "CC6.4": ("met", "Office badge reconciliation quarterly; data centres carved out to AWS (AC-07)."),
    "CC6.5": ("met", "Returned laptops wiped through Kandji before reissue (OP-06)."),
    "CC6.6": ("met", "WAF and security groups limit inbound traffic to 443 (VM-03)."),
    "CC6.7": ("met", "TLS 1.2+ everywhere; copying customer data to laptops is prohibited (DP-02)."),
    "CC6.8": ("met", "MDM endpoint protection and hardened images with AWS Config rules (OP-06, CM-04)."),
    "CC7.1": ("met", "Continuous scanning with fix deadlines; pen test findings retested (VM-01, VM-02)."),
    "CC7.2": ("met", "Datadog SIEM and availability monitors page on-call (OP-01, OP-02)."),
    "CC7.3": ("met", "Signals triaged daily and incidents ticketed with severity (OP-01, IR-02)."),
    "CC7.4": ("partially_met", "Plan and tickets in place; 2026 tabletop exercise not yet held (IR-04)."),
    "CC7.5": ("met", "INC-2026-014 review produced a pipeline capacity check, now in place (IR-03)."),
    "CC8.1": ("partially_met", "Review and pipeline enforced; emergency change path not yet written (CM-03)."),
    "CC9.1": ("met", "Business continuity plan and cyber insurance reviewed in March (BC-05)."),
    "CC9.2": ("met", "Vendor register rates each vendor's criticality; the four critical subservice "
                        "organisations' SOC reports were reviewed in April and May (VN-01, VN-02)."),
    "A1.1": ("met", "Monthly capacity reviews and 24x7 availability paging (OP-02, OP-03)."),
    "A1.2": ("partially_met", "Backups and multi-AZ fine; restore tests cover Aurora only (BC-03)."),
    "A1.3": ("gap", "Recovery to us-west-2 never tested end to end; BC-04 not started."),
    "C1.1": ("met", "Classification, encryption, NDAs and tenant isolation (DP-01, DP-03, AC-06, HR-02)."),
    "C1.2": ("gap", "No control mapped: 30-day deletion after contract end is promised but not evidenced."),
}

# ---------------------------------------------------------------------------
# 8. Tasks
# ---------------------------------------------------------------------------

TASKS = (
    Task(
        "Add risk tiers to the vendor inventory (VN-01) and review high-risk vendors first",
        _GRC, date(2026, 11, 30), "done", "CC9.2", None,
    ),
    Task(
        "Write the customer data deletion procedure and keep a deletion record per ended contract",
        _VPE, date(2026, 11, 20), "open", "C1.2", None,
    ),
    Task(
        "Hold the first full failover test to us-west-2",
        _CTO, date(2026, 12, 11), "open", "A1.3", "BC-04",
    ),
    Task(
        "Run the fraud risk workshop and record results in the register",
        _GRC, date(2026, 11, 6), "open", "CC3.3", "RM-03",
    ),
    Task(
        "Publish the emergency change procedure and retrospective review template",
        _VPE, date(2026, 10, 30), "in_progress", "CC8.1", "CM-03",
    ),
    Task(
        "Extend quarterly restore tests to S3 exports and Redis",
        _SRE, date(2026, 10, 23), "in_progress", "A1.2", "BC-03",
    ),
    Task(
        "Get the two overdue contractors through security training",
        _SEC, date(2026, 10, 9), "done", "CC1.4", "HR-03",
    ),
    Task(
        "Book the 2026 incident response tabletop with leadership",
        _SEC, date(2026, 10, 28), "in_progress", "CC7.4", "IR-04",
    ),
)


# ---------------------------------------------------------------------------
# 9. Evidence
# ---------------------------------------------------------------------------

_POSTMORTEM_INC_2026_014 = """\
# Post-incident review: INC-2026-014

- Severity: SEV2 (partial degradation, no data impact)
- Detected: 2026-08-19 15:07 UTC by Datadog monitor "query-workers p95 latency"
- Resolved: 2026-08-19 15:45 UTC (38 minutes)
- Incident commander: Jordan Baptiste
- Review held: 2026-08-21, attendees Jordan Baptiste, Elena Kowalczyk, Tomas Ferreira

## What happened
Release 2026.08.19-2 changed the ECS service definition for the query workers. A refactor of
the Terraform module dropped the minimum task count from 6 to 2. When the afternoon load
arrived, autoscaling could not add tasks fast enough and dashboard queries for about 12% of
tenants slowed down or timed out.

## Timeline (UTC)
- 14:52 release deployed by the pipeline after review and passing checks
- 15:07 latency monitor paged the on-call SRE
- 15:19 cause identified by comparing task counts with the previous release
- 15:31 minimum task count restored to 6 via an emergency Terraform change (CTO approved)
- 15:45 latency back within normal range; status page updated to resolved

## Impact
- 38 minutes of slow or failed dashboard loads for 41 of 344 tenants
- No data lost, no unauthorised access; August uptime 99.93% against the 99.9% commitment

## Root cause
The module refactor changed a default value and the plan review did not catch it because
the diff showed the variable rename, not the changed value.

## Corrective actions
1. Pipeline check that fails when min capacity for a service drops below its floor - done 2026-08-28
2. Terraform variables for capacity made mandatory, no defaults - done 2026-08-26
3. Emergency change retrospective recorded for the 15:31 fix - done 2026-08-21
"""

EVIDENCE = (
    # --- Policies (pdf) -----------------------------------------------------
    Evidence(
        "GV-01",
        "Information Security Policy v3.0 (approved)",
        "information_security_policy_v3.pdf",
        "pdf",
        date(2026, 4, 2), None, None,
        "Google Drive",
        (
            "Brightpath Analytics, Inc. - Information Security Policy, version 3.0",
            "Approved by Marcus Oyelaran, Chief Executive Officer, on 27 February 2026. Policy owner: "
            "Aisha Rahman, Compliance Manager. Next scheduled review: February 2027.",
            "1. Purpose and scope. This policy explains how Brightpath protects the confidentiality, "
            "integrity and availability of the Brightpath Insights Platform and of the data our "
            "customers entrust to us. It applies to every employee, contractor and system that "
            "stores or processes company or customer information.",
            "2. Responsibilities. The CTO is accountable for the security programme. The Security "
            "Lead runs day-to-day security operations, the Compliance Manager maintains this policy "
            "set and tracks how controls perform, and every manager makes sure their team follows it.",
            "3. Access. Access is granted on a least-privilege basis, requested through a ticket, "
            "approved by the system owner and removed within one business day of a departure or role "
            "change. All workforce sign-ins go through Okta with multi-factor authentication.",
            "4. Change. Every production change is peer reviewed and released through the automated "
            "pipeline. Changing production by hand is not allowed except under the emergency change "
            "procedure, which requires CTO approval and a retrospective review.",
            "5. Data. Customer data is classified Confidential, encrypted in transit and at rest, and "
            "never copied to laptops or to development and test environments.",
            "6. Incidents. Anyone who suspects a security incident reports it at once in the "
            "#security-incidents channel or to security@brightpath.example.com. The Incident Response "
            "Plan governs triage, escalation and customer notification.",
            "7. Exceptions and enforcement. Exceptions need written approval from the Security Lead "
            "and the CTO, are recorded in the exceptions register and lapse after at most twelve "
            "months. Breaches of this policy may lead to disciplinary action.",
            "8. Related documents. Acceptable Use Policy; Data Classification Standard; Incident "
            "Response Plan; Business Continuity Plan; Vendor Management Procedure (draft).",
        ),
    ),
    Evidence(
        "DP-03",
        "Data Classification and Handling Standard",
        "data_classification_standard.pdf",
        "pdf",
        date(2026, 4, 2), None, None,
        "Google Drive",
        (
            "Brightpath Analytics, Inc. - Data Classification and Handling Standard, version 1.2",
            "Approved by Priya Natarajan, CTO, on 27 February 2026. Owner: Aisha Rahman.",
            "Public: information meant for anyone, such as marketing pages and public documentation. "
            "No handling restrictions.",
            "Internal: day-to-day company information such as plans, wiki pages and internal "
            "metrics. Share only inside Brightpath and with vendors under contract.",
            "Confidential: all customer data, customer contracts, employee records and security "
            "findings. Store only in approved systems, encrypt in transit and at rest, never copy to "
            "personal devices or non-production environments, and share only with people who need it "
            "to do their job.",
            "Restricted: credentials, encryption keys and signing material. Keep only in AWS Secrets "
            "Manager, AWS KMS or the company password manager; never paste into tickets or chat.",
            "Labelling: documents in Google Drive carry a classification label; data stores carry a "
            "classification tag in AWS.",
            "Retention and disposal rules for each level will be set out in a separate procedure that "
            "is being drafted.",
        ),
    ),
    Evidence(
        "IR-01",
        "Incident Response Plan v2.1",
        "incident_response_plan_v2.pdf",
        "pdf",
        date(2026, 4, 6), None, None,
        "Google Drive",
        (
            "Brightpath Analytics, Inc. - Incident Response Plan, version 2.1",
            "Owner: Tomas Ferreira, Security Lead. Reviewed and approved by the CTO on 3 March 2026.",
            "Severities. SEV1: confirmed exposure of customer data or full outage. SEV2: partial outage "
            "or a contained security event. SEV3: degraded performance or a suspicious event under "
            "investigation. SEV4: minor issue with no customer impact.",
            "Roles. Every incident has an incident commander who leads the response, a communications "
            "lead who owns status page and customer messages, and a scribe who keeps the timeline.",
            "Flow. Detect and open a ticket; assess severity; contain; eradicate and recover; close "
            "and review. SEV1 and SEV2 incidents page the CTO and the Security Lead immediately.",
            "Customer notice. Customers whose data is affected by a confirmed security incident are "
            "told within 72 hours, with what happened, what data was involved and what they should do.",
            "Learning. SEV1 and SEV2 incidents get a blameless review within five business days. The "
            "plan is exercised in a tabletop session once a year.",
        ),
    ),
    Evidence(
        "GV-02",
        "Board meeting minutes, 21 July 2026 (security briefing)",
        "board_minutes_2026-07-21.pdf",
        "pdf",
        date(2026, 7, 24), date(2026, 7, 21), date(2026, 7, 21),
        "Google Drive",
        (
            "Brightpath Analytics, Inc. - Minutes of the Board of Directors, 21 July 2026 (video call)",
            "Present: Marcus Oyelaran (CEO, director), Hannah Quist (director), Rafael Osei "
            "(independent director). In attendance: Priya Natarajan (CTO), Aisha Rahman (secretary "
            "for this item).",
            "Security briefing. The CTO reported that the SOC 2 observation period began on 1 April "
            "and that controls are running as planned, with four items in progress. The move of "
            "production to us-east-2 was completed on 13 June without customer impact.",
            "Top risks. The board discussed the three highest-rated risks: single-region dependency "
            "until the recovery test is held, concentration of production knowledge in the SRE team, "
            "and informal vendor reviews.",
            "Penetration test. The July test found no critical issues; two medium findings are being "
            "fixed within the 90-day deadline.",
            "Decision. The board asked management to hold the first disaster recovery test before "
            "the end of 2026 and to report on vendor risk reviews at the October meeting.",
        ),
    ),
    # --- Text documents ------------------------------------------------------
    Evidence(
        "HR-02",
        "Acceptable Use Policy",
        "acceptable_use_policy.md",
        "text",
        date(2026, 4, 2), None, None,
        "Google Drive",
        """\
# Brightpath Analytics - Acceptable Use Policy (v2.0)

Approved by Marcus Oyelaran (CEO) on 2026-02-27. Owner: Dana Whitfield (Head of People).

## Who this applies to
Everyone who uses a Brightpath device, account or system: employees and contractors.

## Expected behaviour
- Use only company-managed laptops for company work; keep them enrolled in Kandji.
- Sign in to company tools through Okta; never share accounts or MFA devices.
- Lock your screen when you step away and report a lost device within one hour.
- Store company files in Google Drive or GitHub, not on local disks or personal cloud storage.
- Handle customer data only in approved systems and only when your work needs it.

## Not allowed
- Installing software that Kandji blocks or disabling endpoint protection.
- Forwarding company or customer data to personal e-mail or messaging accounts.
- Using customer data to test features or to train anything outside the product.

## Reporting
Report suspected incidents in #security-incidents or to security@brightpath.example.com.

## Acknowledgement
All staff confirm they have read this policy at onboarding and once a year in the HR system.
""",
    ),
    Evidence(
        "BC-05",
        "Business Continuity Plan (2026 review)",
        "business_continuity_plan.md",
        "text",
        date(2026, 4, 3), None, None,
        "Google Drive",
        """\
# Business Continuity Plan - Brightpath Insights Platform

Owner: Priya Natarajan (CTO). Reviewed 2026-03-18, together with the cyber insurance renewal.

## Recovery targets
| Service                 | RTO     | RPO        |
|-------------------------|---------|------------|
| Web application and API | 8 hours | 15 minutes |
| Ingestion pipeline      | 8 hours | 15 minutes |
| Scheduled reports       | 24 hours| 24 hours   |

## Scenarios
1. Loss of one availability zone - handled automatically by multi-AZ services.
2. Loss of the us-east-2 region - rebuild in us-west-2 from Terraform and cross-region backups
   following runbook RB-07 "Regional failover".
3. Loss of a key vendor (Okta, Datadog, GitHub) - break-glass accounts and manual fallbacks listed
   in appendix B.
4. Loss of key staff - on-call rotation of four SREs; runbooks kept in the wiki, not in heads.

## Decision and communication
- The CTO (deputy: VP Engineering) declares a continuity event.
- Customer communication via the status page within 30 minutes of the declaration.

## Testing
- Backup restore: quarterly (see BC-03).
- Regional failover: yearly (BC-04) - first test planned for Q4 2026.

## Insurance
Cyber liability policy renewed 2026-03-01 for twelve months; cover reviewed against the plan above.
""",
    ),
    Evidence(
        "BC-03",
        "Backup restore test record, Q3 2026",
        "restore_test_2026-07-14.md",
        "text",
        date(2026, 7, 14), date(2026, 7, 1), date(2026, 9, 30),
        "Confluence export",
        """\
# Restore test - 2026-07-14

Performed by: Jordan Baptiste (SRE Lead). Witness: Elena Kowalczyk (VP Engineering).

## Scope
Aurora PostgreSQL cluster insights-prod, point-in-time restore to 2026-07-14 06:00 UTC,
into the isolated account restore-test (no network path to production).

## Steps and timings
- 09:02 restore requested from AWS Backup (cross-region copy in us-west-2)
- 09:41 cluster available (39 minutes)
- 09:55 validation queries finished

## Validation
- Row counts of 12 core tables matched the production snapshot report within 0.01%
- Checksums of tenants, workspaces and dashboards tables matched
- Application smoke test against the restored cluster: 18 of 18 checks passed

## Result
PASS. Time to usable database 53 minutes, well inside the 8-hour RTO.

## Limitations and follow-up
- S3 export buckets and Redis were not part of this test. Ticket SRE-881 adds them for Q4.
- Restored cluster deleted at 10:20 UTC.
""",
    ),
    Evidence(
        "IR-02",
        "Incident ticket and review INC-2026-014",
        "INC-2026-014_postmortem.md",
        "text",
        date(2026, 8, 21), date(2026, 8, 19), date(2026, 8, 21),
        "Confluence export",
        _POSTMORTEM_INC_2026_014,
    ),
    Evidence(
        "IR-03",
        "Post-incident review INC-2026-014",
        "INC-2026-014_postmortem.md",
        "text",
        date(2026, 8, 21), date(2026, 8, 19), date(2026, 8, 21),
        "Confluence export",
        _POSTMORTEM_INC_2026_014,
    ),
    Evidence(
        "VN-02",
        "Subservice organisation SOC report review 2026",
        "subservice_soc_review_2026.txt",
        "text",
        date(2026, 5, 4), None, None,
        "Google Drive",
        """\
Subservice organisation SOC report review - 2026
Reviewer: Aisha Rahman (Compliance Manager)    Approved: Priya Natarajan (CTO)

Vendor    Report            Period end   Opinion      Exceptions relevant to us
AWS       SOC 2 Type II     2026-03-31   Unqualified  None
Okta      SOC 2 Type II     2026-01-31   Unqualified  One, admin change logging; no impact
Stripe    SOC 2 Type II     2025-12-31   Unqualified  None
Datadog   SOC 2 Type II     2026-03-31   Unqualified  None

Complementary user entity controls expected of Brightpath and where we meet them:
- Manage our own users and MFA in the vendor tools ............ AC-01, AC-02, AC-04
- Protect API keys and secrets we create ........................ DP-05
- Encrypt data we store and configure access policies ........... DP-01, VM-03
- Monitor our account activity and vendor alerts ................ OP-01

Bridge letters: Okta and Stripe letters requested 2026-04-22; received 2026-05-01.
Next review: April 2027.
""",
    ),
    # --- CSV -------------------------------------------------------------------
    Evidence(
        "AC-04",
        "Q2 2026 user access review (Okta campaign export)",
        "access_review_2026Q2.csv",
        "csv",
        date(2026, 6, 26), date(2026, 4, 1), date(2026, 6, 30),
        "Okta admin console export",
        """\
user_email,full_name,department,application,access_level,last_login,reviewer,decision,decided_on,note
m.oyelaran@brightpath.example.com,Marcus Oyelaran,Leadership,Stripe Dashboard,Administrator,2026-06-22,Priya Natarajan,keep,2026-06-24,
p.natarajan@brightpath.example.com,Priya Natarajan,Leadership,AWS production,AdministratorAccess,2026-06-25,Marcus Oyelaran,keep,2026-06-24,break-glass owner
j.baptiste@brightpath.example.com,Jordan Baptiste,SRE,AWS production,AdministratorAccess,2026-06-25,Priya Natarajan,keep,2026-06-24,
s.lindqvist@brightpath.example.com,Sofia Lindqvist,SRE,AWS production,AdministratorAccess,2026-06-23,Jordan Baptiste,keep,2026-06-24,
k.adeyemi@brightpath.example.com,Kofi Adeyemi,SRE,AWS production,AdministratorAccess,2026-06-25,Jordan Baptiste,keep,2026-06-24,
r.mendes@brightpath.example.com,Rui Mendes,Engineering,AWS production,ReadOnly,2026-04-02,Jordan Baptiste,revoke,2026-06-24,moved to frontend team in April
e.kowalczyk@brightpath.example.com,Elena Kowalczyk,Engineering,GitHub brightpath org,Owner,2026-06-25,Priya Natarajan,keep,2026-06-25,
l.tanaka@brightpath.example.com,Lena Tanaka,Engineering,GitHub brightpath org,Member,2026-06-25,Elena Kowalczyk,keep,2026-06-25,
w.brandt@brightpath.example.com,Wes Brandt,Engineering,GitHub brightpath org,Admin,2026-06-20,Elena Kowalczyk,revoke,2026-06-25,admin not needed; reduced to member
t.ferreira@brightpath.example.com,Tomas Ferreira,Security,Datadog,Admin,2026-06-25,Priya Natarajan,keep,2026-06-25,
n.okafor@brightpath.example.com,Nia Okafor,Support,Insights admin console,Support agent,2026-06-24,Elena Kowalczyk,keep,2026-06-25,
g.moreau@brightpath.example.com,Gabriel Moreau,Finance,Stripe Dashboard,View only,2026-06-18,Marcus Oyelaran,keep,2026-06-24,
""",
    ),
    Evidence(
        "AC-03",
        "Leavers and deprovisioning timestamps, Apr-Sep 2026",
        "terminations_2026-04_to_2026-09.csv",
        "csv",
        date(2026, 10, 2), date(2026, 4, 1), date(2026, 9, 30),
        "HR system report joined with Okta system log",
        """\
employee_id,full_name,worker_type,last_working_day,okta_deactivated_at,github_removed_at,laptop_wiped_on,ticket
E-1031,Carla Duvall,employee,2026-04-17,2026-04-17T18:04:11Z,2026-04-17T18:05:02Z,2026-04-22,IT-2204
C-0112,Owen Prescott,contractor,2026-05-08,2026-05-08T16:30:45Z,2026-05-08T16:31:10Z,2026-05-13,IT-2251
E-1019,Mina Sato,employee,2026-06-05,2026-06-05T21:12:09Z,2026-06-05T21:12:40Z,2026-06-09,IT-2297
E-1044,Derek Vance,employee,2026-07-10,2026-07-15T09:02:33Z,2026-07-15T09:03:01Z,2026-07-15,IT-2340
C-0118,Ivy Harcourt,contractor,2026-08-14,2026-08-14T17:45:20Z,2026-08-14T17:45:58Z,2026-08-19,IT-2388
E-1027,Samuel Achebe,employee,2026-09-25,2026-09-25T19:20:14Z,2026-09-25T19:21:05Z,2026-09-29,IT-2431
""",
    ),
    Evidence(
        "HR-03",
        "Security awareness training completion 2026",
        "security_training_completion_2026.csv",
        "csv",
        date(2026, 9, 30), date(2026, 1, 1), date(2026, 9, 30),
        "Training platform export",
        """\
full_name,email,department,worker_type,course,assigned_on,completed_on,status
Marcus Oyelaran,m.oyelaran@brightpath.example.com,Leadership,employee,Security Essentials 2026,2026-02-02,2026-02-09,complete
Priya Natarajan,p.natarajan@brightpath.example.com,Leadership,employee,Security Essentials 2026,2026-02-02,2026-02-05,complete
Elena Kowalczyk,e.kowalczyk@brightpath.example.com,Engineering,employee,Security Essentials 2026,2026-02-02,2026-02-12,complete
Jordan Baptiste,j.baptiste@brightpath.example.com,SRE,employee,Security Essentials 2026,2026-02-02,2026-02-06,complete
Tomas Ferreira,t.ferreira@brightpath.example.com,Security,employee,Security Essentials 2026,2026-02-02,2026-02-03,complete
Dana Whitfield,d.whitfield@brightpath.example.com,People,employee,Security Essentials 2026,2026-02-02,2026-02-10,complete
Aisha Rahman,a.rahman@brightpath.example.com,Compliance,employee,Security Essentials 2026,2026-02-02,2026-02-06,complete
Ben Halloran,b.halloran@brightpath.example.com,IT,employee,Security Essentials 2026,2026-02-02,2026-02-04,complete
Lena Tanaka,l.tanaka@brightpath.example.com,Engineering,employee,Security Essentials 2026,2026-02-02,2026-02-18,complete
Nia Okafor,n.okafor@brightpath.example.com,Support,employee,Security Essentials 2026,2026-02-02,2026-02-11,complete
Sofia Lindqvist,s.lindqvist@brightpath.example.com,SRE,employee,Security Essentials 2026,2026-02-02,2026-02-20,complete
Hugo Brennan,h.brennan@brightpath.example.com,Engineering,contractor,Security Essentials 2026,2026-08-03,,overdue
Yara Costa,y.costa@brightpath.example.com,Engineering,contractor,Security Essentials 2026,2026-08-10,,overdue
Felix Amari,f.amari@brightpath.example.com,Sales,employee,Security Essentials 2026,2026-09-14,2026-09-21,complete
""",
    ),
    Evidence(
        "CM-01",
        "Merged pull requests to production, July 2026",
        "merged_pull_requests_2026-07.csv",
        "csv",
        date(2026, 8, 3), date(2026, 7, 1), date(2026, 7, 31),
        "GitHub",
        """\
repository,pr_number,title,author,approved_by,ci_result,merged_at,deployed_at
brightpath/insights-app,2841,Add CSV export for cohort report,ltanaka,wbrandt,success,2026-07-01T15:22:10Z,2026-07-01T15:41:07Z
brightpath/insights-app,2846,Fix timezone bug in weekly digest,rmendes,ltanaka,success,2026-07-02T10:05:44Z,2026-07-02T10:24:19Z
brightpath/insights-infra,612,Raise Aurora max ACU to 64,slindqvist,jbaptiste,success,2026-07-03T13:40:02Z,2026-07-03T13:52:38Z
brightpath/insights-app,2853,Upgrade charting library,wbrandt,ekowalczyk,success,2026-07-07T09:18:55Z,2026-07-07T09:37:12Z
brightpath/ingestion,977,Reject files over 2 GB with clear error,kadeyemi,rmendes,success,2026-07-09T16:02:31Z,2026-07-09T16:20:45Z
brightpath/insights-app,2870,Tenant filter on saved views endpoint,ltanaka,ekowalczyk,success,2026-07-14T11:47:09Z,2026-07-14T12:06:50Z
brightpath/insights-infra,619,WAF rate limit for /api/v1/export,jbaptiste,kadeyemi,success,2026-07-16T14:10:27Z,2026-07-16T14:21:03Z
brightpath/insights-app,2889,Remove deprecated v0 API routes,rmendes,wbrandt,success,2026-07-21T10:33:40Z,2026-07-21T10:52:16Z
brightpath/ingestion,985,Retry backoff for S3 throttling,kadeyemi,jbaptiste,success,2026-07-27T08:55:12Z,2026-07-27T09:13:48Z
brightpath/insights-app,2902,Accessibility fixes in dashboard editor,wbrandt,ltanaka,success,2026-07-30T15:28:36Z,2026-07-30T15:47:01Z
""",
    ),
    Evidence(
        "VM-01",
        "Amazon Inspector open findings, end of September 2026",
        "inspector_findings_2026-09.csv",
        "csv",
        date(2026, 9, 30), date(2026, 9, 1), date(2026, 9, 30),
        "AWS Inspector export",
        """\
finding_id,resource,package,installed_version,fixed_version,severity,first_seen,due_by,status,ticket
insp-0f3a91,ecr:insights-api:2026.09.28-1,libexpat,2.5.0-1,2.5.0-1+deb12u2,HIGH,2026-09-12,2026-10-12,remediated,SEC-501
insp-1b77c2,ecr:insights-api:2026.09.28-1,zlib,1.2.13,1.3.1,MEDIUM,2026-08-20,2026-11-18,open,SEC-488
insp-2d0e55,ecr:ingestion-worker:2026.09.25-3,python-urllib,2.0.7,2.2.2,MEDIUM,2026-09-03,2026-12-02,open,SEC-495
insp-3c91a4,ecr:ingestion-worker:2026.09.25-3,openssl,3.0.13,3.0.14,HIGH,2026-09-18,2026-10-18,remediated,SEC-503
insp-4e2f10,ecr:web-client:2026.09.29-2,busybox,1.36.1,1.36.1-r2,LOW,2026-07-30,2027-01-26,accepted_risk,SEC-472
insp-5a6b83,ecr:insights-api:2026.09.28-1,glibc,2.36-9,2.36-9+deb12u7,MEDIUM,2026-09-22,2026-12-21,open,SEC-507
""",
    ),
    # --- JSON ---------------------------------------------------------------------
    Evidence(
        "CM-01",
        "Branch protection settings for insights-app main",
        "branch_protection_main.json",
        "json",
        date(2026, 4, 3), None, None,
        "GitHub",
        """\
{
  "repository": "brightpath/insights-app",
  "branch": "main",
  "exported_at": "2026-04-03T14:05:00Z",
  "required_pull_request_reviews": {
    "required_approving_review_count": 1,
    "dismiss_stale_reviews": true,
    "require_code_owner_reviews": true,
    "require_last_push_approval": true
  },
  "required_status_checks": {
    "strict": true,
    "contexts": ["ci/unit-tests", "ci/lint", "ci/tenant-isolation", "security/trivy"]
  },
  "enforce_admins": true,
  "required_linear_history": true,
  "allow_force_pushes": false,
  "allow_deletions": false,
  "restrictions": {"teams": ["release-bots"], "users": []}
}
""",
    ),
    Evidence(
        "AC-01",
        "Okta sign-on policy export (MFA required)",
        "okta_authentication_policy.json",
        "json",
        date(2026, 4, 3), None, None,
        "Okta admin console export",
        """\
{
  "org": "brightpath.okta.example.com",
  "exported_at": "2026-04-03T15:12:44Z",
  "policy": {
    "name": "Workforce - all applications",
    "status": "ACTIVE",
    "priority": 1,
    "rules": [
      {
        "name": "Managed devices",
        "conditions": {"device": {"managed": true, "registered": true}},
        "require_factor": true,
        "allowed_factors": ["okta_verify_fastpass_biometric", "webauthn_security_key"],
        "reauthenticate_after_minutes": 720
      },
      {
        "name": "Everything else",
        "conditions": {},
        "access": "DENY"
      }
    ]
  },
  "password_policy": {"min_length": 14, "history": 10, "lockout_attempts": 10}
}
""",
    ),
    Evidence(
        "OP-02",
        "Datadog availability monitors",
        "datadog_availability_monitors.json",
        "json",
        date(2026, 4, 7), None, None,
        "Datadog API export",
        """\
[
  {
    "id": 41800101,
    "name": "API availability below 99.9% (30 day SLO)",
    "type": "slo alert",
    "query": "error_budget(\\"slo-insights-api\\").over(\\"30d\\") > 75",
    "notify": ["@oncall-sre"],
    "priority": 1
  },
  {
    "id": 41800102,
    "name": "Synthetic login and dashboard check failing",
    "type": "synthetics alert",
    "locations": ["aws:us-east-2", "aws:us-west-2", "aws:eu-west-1"],
    "notify": ["@oncall-sre"],
    "priority": 1
  },
  {
    "id": 41800103,
    "name": "query-workers p95 latency",
    "type": "metric alert",
    "query": "avg(last_10m):p95:insights.query.duration{service:query-workers} > 4",
    "notify": ["@oncall-sre"],
    "priority": 2
  },
  {
    "id": 41800104,
    "name": "Ingestion queue depth growing",
    "type": "metric alert",
    "query": "avg(last_15m):max:aws.sqs.approximate_number_of_messages_visible{queue:ingest-main} > 5000",
    "notify": ["@oncall-sre"],
    "priority": 3
  }
]
""",
    ),
    Evidence(
        "BC-01",
        "Aurora backup and cross-region copy configuration",
        "rds_backup_configuration.json",
        "json",
        date(2026, 6, 15), None, None,
        "AWS CLI export",
        """\
{
  "DBClusterIdentifier": "insights-prod",
  "Engine": "aurora-postgresql",
  "Region": "us-east-2",
  "MultiAZ": true,
  "AvailabilityZones": ["us-east-2a", "us-east-2b", "us-east-2c"],
  "BackupRetentionPeriod": 35,
  "PreferredBackupWindow": "06:00-06:30",
  "StorageEncrypted": true,
  "KmsKeyId": "arn:aws:kms:us-east-2:111122223333:key/00000000-1111-2222-3333-444444444444",
  "DeletionProtection": true,
  "AwsBackupPlan": {
    "Name": "insights-prod-daily",
    "Schedule": "cron(0 7 * * ? *)",
    "RetentionDays": 35,
    "CopyTo": "arn:aws:backup:us-west-2:111122223333:backup-vault:insights-dr",
    "CopyRetentionDays": 35
  },
  "ExportedAt": "2026-06-15T12:00:00Z"
}
""",
    ),
    # --- Logs -----------------------------------------------------------------------
    Evidence(
        "OP-01",
        "Security signal triage log, August 2026",
        "guardduty_triage_2026-08.log",
        "log",
        date(2026, 9, 1), date(2026, 8, 1), date(2026, 8, 31),
        "Datadog Cloud SIEM",
        """\
2026-08-03T14:12:09Z signal=SIG-7731 source=guardduty type=Recon:EC2/PortProbeUnprotectedPort severity=low resource=alb/insights-prod from=203.0.113.45 triage=expected_internet_noise analyst=tferreira
2026-08-04T09:40:51Z signal=SIG-7740 source=okta type=UserLockedOut severity=low user=g.moreau@brightpath.example.com triage=user_confirmed_typo analyst=tferreira
2026-08-06T11:03:27Z signal=SIG-7752 source=cloudtrail type=ConsoleLoginFromNewCountry severity=medium user=k.adeyemi triage=confirmed_travel_with_manager ticket=SEC-461 analyst=tferreira
2026-08-10T16:21:14Z signal=SIG-7768 source=guardduty type=UnauthorizedAccess:EC2/SSHBruteForce severity=medium resource=none_public from=198.51.100.23 triage=no_ssh_exposed_waf_blocked analyst=slindqvist
2026-08-12T08:55:02Z signal=SIG-7774 source=app_audit type=BulkExportLargeTenant severity=medium tenant=t-0218 triage=customer_admin_initiated ticket=SUP-3310 analyst=tferreira
2026-08-17T13:30:48Z signal=SIG-7789 source=github type=SecretScanningPushBlocked severity=medium repo=brightpath/ingestion triage=test_fixture_key_no_real_secret ticket=SEC-466 analyst=tferreira
2026-08-19T15:09:10Z signal=SIG-7795 source=datadog type=LatencyAnomaly severity=high service=query-workers triage=escalated_to_incident incident=INC-2026-014 analyst=jbaptiste
2026-08-19T15:32:05Z signal=SIG-7796 source=cloudtrail type=ECSServiceChangedOutsidePipeline severity=high principal=sre-admin-session triage=approved_emergency_change_INC-2026-014 ticket=SEC-470 analyst=tferreira
2026-08-27T09:47:19Z signal=SIG-7811 source=guardduty type=Recon:EC2/Portscan severity=low from=192.0.2.77 triage=expected_internet_noise analyst=tferreira
2026-08-31T17:00:00Z summary signals=9 escalated=1 approved_change=1 benign=7 follow_up_tickets=4 open=0 reviewer=tferreira
""",
    ),
    Evidence(
        "BC-01",
        "AWS Backup job log, September 2026 (extract)",
        "aws_backup_jobs_2026-09.log",
        "log",
        date(2026, 10, 1), date(2026, 9, 1), date(2026, 9, 30),
        "AWS Backup console export",
        """\
2026-09-01T07:00:04Z job=bk-20260901-01 plan=insights-prod-daily resource=rds:insights-prod state=COMPLETED size_gb=212.4 copy_us-west-2=COMPLETED
2026-09-01T07:00:06Z job=bk-20260901-02 plan=insights-prod-daily resource=s3:insights-prod-exports state=COMPLETED size_gb=688.1 copy_us-west-2=COMPLETED
2026-09-02T07:00:03Z job=bk-20260902-01 plan=insights-prod-daily resource=rds:insights-prod state=COMPLETED size_gb=212.9 copy_us-west-2=COMPLETED
2026-09-02T07:00:05Z job=bk-20260902-02 plan=insights-prod-daily resource=s3:insights-prod-exports state=COMPLETED size_gb=690.3 copy_us-west-2=COMPLETED
2026-09-09T07:00:04Z job=bk-20260909-02 plan=insights-prod-daily resource=s3:insights-prod-exports state=FAILED reason=AccessDenied_on_new_prefix alert=sent_oncall
2026-09-09T09:14:22Z job=bk-20260909-02r plan=manual-rerun resource=s3:insights-prod-exports state=COMPLETED size_gb=701.8 copy_us-west-2=COMPLETED note=bucket_policy_fixed_SRE-902
2026-09-15T07:00:03Z job=bk-20260915-01 plan=insights-prod-daily resource=rds:insights-prod state=COMPLETED size_gb=216.0 copy_us-west-2=COMPLETED
2026-09-22T07:00:04Z job=bk-20260922-01 plan=insights-prod-daily resource=rds:insights-prod state=COMPLETED size_gb=217.6 copy_us-west-2=COMPLETED
2026-09-30T07:00:03Z job=bk-20260930-01 plan=insights-prod-daily resource=rds:insights-prod state=COMPLETED size_gb=219.2 copy_us-west-2=COMPLETED
2026-09-30T23:59:59Z summary month=2026-09 jobs=60 completed=59 failed=1 rerun_completed=1 missing_days=0
""",
    ),
    Evidence(
        "CM-01",
        "GitHub Actions production deploy log, 12 August 2026",
        "github_actions_deploys_2026-08-12.log",
        "log",
        date(2026, 8, 13), date(2026, 8, 12), date(2026, 8, 12),
        "GitHub",
        """\
2026-08-12T09:31:02Z workflow=deploy-production run=18822 repo=brightpath/insights-app sha=4e1c9a7 pr=2941 approved_by=ltanaka trigger=merge_to_main
2026-08-12T09:31:40Z run=18822 step=unit-tests result=success duration=212s
2026-08-12T09:35:15Z run=18822 step=tenant-isolation-tests result=success duration=96s
2026-08-12T09:36:58Z run=18822 step=trivy-image-scan result=success critical=0 high=0
2026-08-12T09:38:20Z run=18822 step=ecs-deploy cluster=insights-prod service=api strategy=rolling result=success
2026-08-12T09:44:03Z run=18822 step=post-deploy-smoke result=success checks=18/18
2026-08-12T14:02:47Z workflow=deploy-production run=18836 repo=brightpath/ingestion sha=b7d0f21 pr=1003 approved_by=kadeyemi trigger=merge_to_main
2026-08-12T14:06:31Z run=18836 step=unit-tests result=failure failed=2
2026-08-12T14:06:32Z run=18836 status=aborted reason=required_check_failed deployed=false
2026-08-12T15:20:09Z workflow=deploy-production run=18841 repo=brightpath/ingestion sha=c3a55e0 pr=1003 approved_by=kadeyemi trigger=merge_to_main
2026-08-12T15:27:44Z run=18841 step=ecs-deploy cluster=insights-prod service=ingestion-worker strategy=rolling result=success
2026-08-12T15:31:10Z run=18841 step=post-deploy-smoke result=success checks=12/12
""",
    ),
    # --- Screenshots (png captions) -------------------------------------------------
    Evidence(
        "AC-01",
        "Okta screenshot: MFA enrolment enforced for all users",
        "okta_mfa_policy_screenshot.png",
        "png",
        date(2026, 4, 3), None, None,
        "Okta admin console",
        "Okta admin console, Security > Authenticators: Okta Verify and security keys required for "
        "the Everyone group; 41 of 41 active users enrolled (captured 2026-04-03).",
    ),
    Evidence(
        "VM-03",
        "AWS WAF web ACL attached to the production load balancer",
        "aws_waf_web_acl.png",
        "png",
        date(2026, 6, 16), None, None,
        "AWS console",
        "AWS WAF console, web ACL insights-prod-edge in us-east-2: core rule set, known bad inputs, "
        "SQL injection rules and a 2,000 requests per 5 minutes rate limit, attached to alb/insights-prod.",
    ),
    Evidence(
        "OP-06",
        "Kandji device compliance dashboard",
        "kandji_device_compliance.png",
        "png",
        date(2026, 9, 29), None, None,
        "Kandji MDM console",
        "Kandji dashboard, 29 September 2026: 44 Macs enrolled, FileVault on 44/44, OS up to date "
        "43/44 (one deferred 3 days), endpoint protection active 44/44.",
    ),
)


# ---------------------------------------------------------------------------
# 10. Engagement with the CPA firm
# ---------------------------------------------------------------------------

ENGAGEMENT = Engagement(
    firm="Halvorsen & Reyes LLP",
    lead_auditor="Claire Halvorsen, CPA, CISA",
    email="claire.halvorsen@halvorsen-reyes.example.com",
    phone="+1 303 555 0147",
)

MILESTONES = (
    Milestone("Engagement letter signed", date(2026, 3, 13), date(2026, 3, 11)),
    Milestone("Kickoff meeting", date(2026, 3, 25), date(2026, 3, 25)),
    Milestone("Control design questionnaire returned", date(2026, 5, 15), date(2026, 5, 19)),
    Milestone("Population lists sent", date(2026, 10, 9), date(2026, 10, 8)),
    Milestone("Fieldwork start", date(2026, 10, 19), date(2026, 10, 19)),
    Milestone("Fieldwork end", date(2026, 11, 13), None),
    Milestone("Draft report received", date(2026, 11, 27), None),
    Milestone("Management assertion signed", date(2026, 12, 15), None),
    Milestone("Representation letter signed", date(2026, 12, 15), None),
    Milestone("Final report issued", date(2026, 12, 15), None),
)


# ---------------------------------------------------------------------------
# 11. Auditor's request list (PBC)
# ---------------------------------------------------------------------------

REQUESTS = (
    Request(
        "PBC-001",
        "Provide the information security policy in effect during the period, with evidence of "
        "management approval and communication to personnel.",
        ("CC5.3", "CC2.2"), "GV-01", _GRC, date(2026, 10, 9), "accepted",
        ("information_security_policy_v3.pdf", "acceptable_use_policy.md"),
    ),
    Request(
        "PBC-002",
        "Provide the most recent user access review for in-scope systems, showing reviewer, "
        "decision and follow-up of removals.",
        ("CC6.2", "CC6.3"), "AC-04", _SEC, date(2026, 10, 9), "submitted",
        ("access_review_2026Q2.csv",),
    ),
    Request(
        "PBC-003",
        "Provide a system-generated list of all personnel terminated during the review period, "
        "with termination dates and access removal dates.",
        ("CC6.2",), "AC-03", _PPL, date(2026, 10, 9), "accepted",
        ("terminations_2026-04_to_2026-09.csv",),
    ),
    Request(
        "PBC-004",
        "Provide the population of changes deployed to production during the review period and "
        "the repository settings that enforce review before merge.",
        ("CC8.1",), "CM-01", _VPE, date(2026, 10, 9), "submitted",
        ("merged_pull_requests_2026-07.csv", "branch_protection_main.json",
         "github_actions_deploys_2026-08-12.log"),
    ),
    Request(
        "PBC-005",
        "Provide security awareness training completion records for all employees and "
        "contractors active during the period.",
        ("CC1.4", "CC2.2"), "HR-03", _SEC, date(2026, 10, 16), "needs_follow_up",
        ("security_training_completion_2026.csv",),
    ),
    Request(
        "PBC-006",
        "Provide a listing of security and availability incidents during the period and the "
        "incident ticket and root cause analysis for each selected incident.",
        ("CC7.3", "CC7.4", "CC7.5"), "IR-02", _SEC, date(2026, 10, 16), "submitted",
        ("INC-2026-014_postmortem.md",),
    ),
    Request(
        "PBC-007",
        "Provide backup configuration for production databases and evidence that scheduled "
        "backups completed during the period.",
        ("A1.2",), "BC-01", _SRE, date(2026, 10, 16), "accepted",
        ("rds_backup_configuration.json", "aws_backup_jobs_2026-09.log"),
    ),
    Request(
        "PBC-008",
        "Provide evidence of backup restoration testing performed during the period.",
        ("A1.2", "A1.3"), "BC-03", _SRE, date(2026, 10, 16), "needs_follow_up",
        ("restore_test_2026-07-14.md",),
    ),
    Request(
        "PBC-009",
        "Provide the risk assessment completed during or before the period, including how fraud "
        "risks were considered.",
        ("CC3.1", "CC3.2", "CC3.3"), "RM-01", _GRC, date(2026, 10, 23), "open",
        (),
    ),
    Request(
        "PBC-010",
        "Provide evidence of management's review of subservice organisation SOC reports and of "
        "complementary controls.",
        ("CC9.2", "CC4.1"), "VN-02", _GRC, date(2026, 10, 23), "submitted",
        ("subservice_soc_review_2026.txt",),
    ),
    Request(
        "PBC-011",
        "Provide vulnerability scan results for the period and evidence that findings were "
        "remediated within policy timelines.",
        ("CC7.1",), "VM-01", _SEC, date(2026, 10, 23), "submitted",
        ("inspector_findings_2026-09.csv",),
    ),
    Request(
        "PBC-012",
        "Provide evidence that security alerts were reviewed and followed up during the period "
        "(for selected weeks).",
        ("CC7.2",), "OP-01", _SEC, date(2026, 10, 23), "accepted",
        ("guardduty_triage_2026-08.log",),
    ),
    Request(
        "PBC-013",
        "Provide the procedure for disposing of customer confidential data at contract end and "
        "evidence of disposal for customers who left during the period.",
        ("C1.2",), None, _VPE, date(2026, 10, 30), "open",
        (),
    ),
)


# ---------------------------------------------------------------------------
# 12. Timeline plan (first Type II)
# ---------------------------------------------------------------------------

PLAN = (
    PlanTask("scope", "Define scope, system boundaries and categories", 1,
             date(2026, 1, 5), date(2026, 1, 16), False, ()),
    PlanTask("select_cpa", "Shortlist and select the CPA firm", 5,
             date(2026, 1, 19), date(2026, 3, 6), False, ("scope",)),
    PlanTask("gap_assessment", "Readiness assessment against all in-scope criteria", 2,
             date(2026, 1, 19), date(2026, 2, 13), False, ("scope",)),
    PlanTask("policies", "Write and approve the policy set", 3,
             date(2026, 2, 16), date(2026, 2, 27), False, ("gap_assessment",)),
    PlanTask("remediation", "Remediate gaps and implement controls", 3,
             date(2026, 2, 16), date(2026, 3, 27), False, ("gap_assessment",)),
    PlanTask("evidence_setup", "Set up evidence collection and the evidence calendar", 4,
             date(2026, 3, 9), date(2026, 3, 27), False, ("policies",)),
    PlanTask("engagement_letter", "Engagement letter signed", 5,
             date(2026, 3, 11), date(2026, 3, 11), True, ("select_cpa",)),
    PlanTask("kickoff", "Audit kickoff meeting", 5,
             date(2026, 3, 25), date(2026, 3, 25), True, ("engagement_letter",)),
    PlanTask("readiness_signoff", "Readiness sign-off before the window opens", 2,
             date(2026, 3, 30), date(2026, 3, 31), False,
             ("policies", "remediation", "evidence_setup")),
    PlanTask("observation", "Observation window (Type II period)", 4,
             PERIOD_START, PERIOD_END, False, ("readiness_signoff", "kickoff")),
    PlanTask("design_questionnaire", "Control design questionnaire to the auditor", 5,
             date(2026, 5, 4), date(2026, 5, 15), False, ("kickoff",)),
    PlanTask("midpoint_review", "Mid-period evidence check", 4,
             date(2026, 7, 1), date(2026, 7, 1), True, ("readiness_signoff",)),
    PlanTask("system_description", "Write the system description", 1,
             date(2026, 8, 3), date(2026, 9, 11), False, ("scope",)),
    PlanTask("populations", "Prepare and send population lists", 5,
             date(2026, 10, 1), date(2026, 10, 9), False, ("observation",)),
    PlanTask("fieldwork", "Auditor fieldwork", 5,
             date(2026, 10, 19), date(2026, 11, 13), False, ("populations",)),
    PlanTask("draft_report", "Review the draft report", 6,
             date(2026, 11, 16), date(2026, 11, 27), False,
             ("fieldwork", "system_description")),
    # management's assertion and representation letter are dated with the auditor's report
    PlanTask("management_assertion", "Management assertion signed", 6,
             date(2026, 12, 15), date(2026, 12, 15), True, ("draft_report",)),
    PlanTask("representation_letter", "Representation letter signed", 5,
             date(2026, 12, 15), date(2026, 12, 15), True, ("draft_report",)),
    PlanTask("final_report", "Final SOC 2 Type II report issued", 6,
             date(2026, 12, 15), date(2026, 12, 15), True, ("draft_report",)),
)


# ---------------------------------------------------------------------------
# Last year's report: a Type I, bridged until the Type II window closes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorReport:
    report_type: str
    as_of: date
    opinion: str
    issued: date
    auditor: str
    notes: str
    bridge_letter: date
    next_cycle_start: date
    filename: str
    pages: Tuple[str, ...]
    exceptions: Tuple[Tuple[str, str, str], ...]  # (criterion or control, exception noted, management response)
    distribution: Tuple[Tuple[str, str, str, date], ...]  # (recipient, organisation, NDA reference, date sent)


PRIOR_REPORT = PriorReport(
    report_type="type1",
    as_of=date(2025, 12, 31),
    opinion="unqualified",
    issued=date(2026, 2, 13),
    auditor="Halvorsen & Reyes LLP",
    notes="First SOC 2 report: Security only, as of year end. Used to unblock three enterprise deals while the "
          "Type II observation window ran.",
    bridge_letter=date(2026, 3, 20),
    next_cycle_start=date(2026, 4, 1),
    filename="Brightpath_SOC2_Type1_2025-12-31.pdf",
    pages=(
        "SAMPLE DOCUMENT - fictional report made for the SOC 2 Workbench sample project.",
        "Independent service auditor's report: Brightpath Analytics, Inc. - Brightpath Insights Platform, "
        "Type I, as of 31 December 2025. In our opinion the description fairly presents the system and the "
        "controls were suitably designed as of that date to meet the applicable Security criteria.",
        "Management's assertion, the description of the system, and the criteria with the related controls "
        "follow in sections II to IV of the full report.",
    ),
    exceptions=(
        ("CC6.3 / AC-04",
         "The quarterly access review procedure did not yet require reviewers to record the evidence they "
         "relied on.",
         "The review template now has a mandatory evidence column; first used for the Q1 2026 review."),
    ),
    distribution=(
        ("Procurement team", "Northwind Retail Group", "NDA-2026-004", date(2026, 2, 17)),
        ("Security review", "Contoso Health", "NDA-2026-007", date(2026, 2, 24)),
        ("Vendor risk office", "Fabrikam Logistics", "NDA-2026-011", date(2026, 3, 9)),
    ),
)


# ---------------------------------------------------------------------------
# 13. Type II testing: implemented-since dates, populations, samples, results
# ---------------------------------------------------------------------------

# When each implemented control began to operate; controls not listed operate since before the period.
IMPLEMENTED_SINCE_DEFAULT = date(2025, 10, 1)
IMPLEMENTED_SINCE = {
    "GV-02": date(2026, 1, 1),
    "HR-04": date(2026, 3, 1),
    "OP-03": date(2026, 4, 1),
    "OP-04": date(2026, 5, 15),
    "DP-05": date(2026, 2, 2),
    "AC-06": date(2025, 11, 3),
}


@dataclass(frozen=True)
class PopulationSpec:
    control_ref: str
    filename: str
    source: str
    query: str
    generated_by: str
    generated_at: date
    headers: Tuple[str, ...]
    # The generator lays one event on each working day of the period, skipping every `skip`-th day,
    # cycling through these texts for the columns after the key and the date.
    key_format: str
    first_number: int
    skip: int
    columns: Tuple[Tuple[str, ...], ...]
    seed: str
    evidence_filename: str  # completeness and accuracy evidence, in POPULATION_EVIDENCE


CHANGE_POPULATION = PopulationSpec(
    "CM-02",
    "terraform_applies_2026-04_to_2026-09.csv",
    "Terraform Cloud (workspace insights-prod), run history",
    "runs of workspace insights-prod with status applied, applied between the period's first and last day, "
    "all triggers (VCS and manual)",
    _SRE,
    date(2026, 10, 5),
    ("change_id", "applied_on", "summary", "author", "reviewer"),
    "TF-{:04d}", 1201, 11,
    (
        ("Raise Aurora max ACU for reporting", "Rotate ALB TLS certificate", "Add WAF rule for export API",
         "Tighten security group for Redis", "New S3 lifecycle rule for exports", "Scale query workers",
         "Add CloudWatch alarm for queue depth", "Update ECS task role policy", "Enable GuardDuty S3 protection",
         "Pin provider versions"),
        ("slindqvist", "jbaptiste", "kadeyemi"),
        ("jbaptiste", "kadeyemi", "slindqvist"),
    ),
    "brightpath-type2-cm02",
    "terraform_population_completeness.txt",
)

PROVISIONING_POPULATION = PopulationSpec(
    "AC-02",
    "okta_group_grants_2026-04_to_2026-09.csv",
    "Jira Service Management (project IT), access request tickets",
    "issuetype = 'Access request' AND status = Done AND resolved within the period; "
    "cross-checked against the Okta system log of group memberships added",
    _IT,
    date(2026, 10, 5),
    ("ticket", "granted_on", "person", "okta_group", "approved_by"),
    "IT-{:04d}", 2600, 1,
    (
        ("Hugo Brennan", "Yara Costa", "Felix Amari", "Rui Mendes", "Lena Tanaka", "Nia Okafor",
         "Wes Brandt", "Gabriel Moreau", "Sofia Lindqvist"),
        ("eng-github", "support-console", "finance-stripe-view", "eng-datadog", "sre-aws-readonly",
         "sales-crm"),
        ("Elena Kowalczyk (VP Engineering)", "Jordan Baptiste (SRE Lead)", "Marcus Oyelaran (CEO)"),
    ),
    "brightpath-type2-ac02",
    "access_request_population_completeness.txt",
)
# One access request every few working days: the generator keeps every `PROVISIONING_EVERY`-th working day.
PROVISIONING_EVERY = 4

POPULATIONS = (CHANGE_POPULATION, PROVISIONING_POPULATION)

POPULATION_EVIDENCE = (
    Evidence(
        "CM-02",
        "Completeness of the Terraform change population",
        "terraform_population_completeness.txt",
        "text",
        date(2026, 10, 5), None, None,
        "Terraform Cloud",
        """\
How the change population was produced

System of record: Terraform Cloud, workspace insights-prod (the only workspace with production rights).
Query: run history, status "applied", filtered on the period's first and last day, every trigger.
Completeness: the run count shown by Terraform Cloud for the same filter equals the row count of the
exported file; AWS CloudTrail shows no write by the terraform-apply role outside these runs.
Accuracy: five rows picked at random were traced back to their runs (id, date, author, reviewer).
Generated by Jordan Baptiste (SRE Lead); checked by Aisha Rahman (Compliance Manager).
""",
    ),
    Evidence(
        "AC-02",
        "Completeness of the access request population",
        "access_request_population_completeness.txt",
        "text",
        date(2026, 10, 5), None, None,
        "Jira Service Management",
        """\
How the access request population was produced

System of record: Jira Service Management, project IT, issue type "Access request".
Query: resolved requests with status Done in the period.
Completeness: every group membership added in the Okta system log in the period has a ticket in the
file, except memberships added by the automated joiner workflow, which carry their ticket id and are
included as well.
Accuracy: the file's person, group and approver were compared with the ticket for five rows.
Generated by Ben Halloran (IT Administrator); checked by Aisha Rahman (Compliance Manager).
""",
    ),
)

# The results of testing: every sampled item passes except the change-population item at this position
# of the drawn sample (0-based), which is an exception with this note and management's response.
EXCEPTION_CONTROL = "CM-02"
EXCEPTION_POSITION = 2
EXCEPTION_NOTE = (
    "the Terraform plan was not attached to the pull request; the reviewer approved the code change "
    "without seeing what the apply would do."
)
MANAGEMENT_RESPONSE = (
    "We agree. The change was a tagging update and, reviewed afterwards against its plan, changed nothing "
    "else. We have since made the pipeline refuse an apply when the pull request carries no plan output, "
    "and we checked every other infrastructure change of the period: each one had its plan attached."
)


# ---------------------------------------------------------------------------
# 14. Registers: risks, vendors and their reports, incidents, continuity tests
# ---------------------------------------------------------------------------
# Each register is the spreadsheet Brightpath kept before, imported as it stands (the first row its header).

_REVIEW = "2027-02-20"
RISK_ASSESSMENT_STARTED = date(2026, 2, 9)  # the February risk workshop (CC3.1's note)
RISK_ASSESSMENT_SIGNED = date(2026, 2, 20)
RISK_ASSESSMENT_SIGNER = _CEO
RISK_ROWS = (
    ("Risk ID", "Threat", "Asset", "Category", "Fraud?", "L", "I", "Response", "Mitigation", "Controls",
     "Residual L", "Residual I", "Owner", "Next review"),
    ("R-01", "Phishing steals a workforce password and MFA prompt", "Workforce accounts", "Access", "N", "4", "4",
     "Mitigate", "Phishing-resistant MFA through Okta and yearly awareness training", "AC-01, HR-03", "2", "3",
     _SEC, _REVIEW),
    ("R-02", "A leaver keeps access to production tools", "Production access", "Access", "N", "3", "4", "Mitigate",
     "Okta deactivation within one business day; quarterly access reviews", "AC-03, AC-04", "2", "3", _IT, _REVIEW),
    ("R-03", "Excessive privileged access to the AWS production account", "AWS production", "Access", "N", "3", "5",
     "Mitigate", "Administration only through Identity Center permission sets; root credentials locked away",
     "AC-05", "2", "4", _SRE, _REVIEW),
    ("R-04", "A bug in the API exposes one tenant's data to another", "Customer data", "Confidentiality", "N", "2",
     "5", "Mitigate", "Tenant scoping in the data layer, row-level security and cross-tenant tests in CI",
     "AC-06, CM-01", "1", "5", _VPE, _REVIEW),
    ("R-05", "An unreviewed change breaks production", "Insights platform", "Change", "N", "3", "4", "Mitigate",
     "Branch protection with peer review; deploys only through the pipeline", "CM-01, CM-02", "2", "3", _VPE,
     _REVIEW),
    ("R-06", "An emergency fix bypasses review and introduces a flaw", "Insights platform", "Change", "N", "3", "3",
     "Mitigate", "Emergency procedure with CTO approval and a retrospective review", "CM-03", "2", "3", _VPE,
     _REVIEW),
    ("R-07", "A vulnerable dependency or container image is exploited", "Application and containers",
     "Vulnerability", "N", "4", "4", "Mitigate", "Dependabot, Trivy and Inspector scans with fix deadlines; yearly "
     "penetration test", "VM-01, VM-02", "2", "3", _SEC, _REVIEW),
    ("R-08", "Ransomware or a mistaken deletion destroys production data", "Customer data", "Availability", "N", "2",
     "5", "Mitigate", "Continuous backups with cross-region copies; quarterly restore tests", "BC-01, BC-03", "1",
     "4", _SRE, _REVIEW),
    ("R-09", "The us-east-2 region is lost for days", "Availability commitment", "Availability", "N", "1", "5",
     "Mitigate", "Cross-region backups and standby capacity; a failover test is planned", "BC-04, BC-05", "1", "4",
     _CTO, _REVIEW),
    ("R-10", "A capacity shortfall slows dashboards below the commitment", "Availability commitment",
     "Availability", "N", "3", "3", "Mitigate", "Monthly capacity review, autoscaling and availability monitoring",
     "OP-02, OP-03", "2", "2", _SRE, _REVIEW),
    ("R-11", "An intrusion goes unnoticed for weeks", "Production environment", "Operations", "N", "3", "4",
     "Mitigate", "SIEM detections triaged every business day; incident response plan", "OP-01, IR-01, IR-02", "2",
     "3", _SEC, _REVIEW),
    ("R-12", "A lost or stolen laptop exposes company data", "Laptops", "Endpoint", "N", "3", "3", "Mitigate",
     "Disk encryption, remote lock and wipe enforced by the MDM", "OP-06", "1", "2", _IT, _REVIEW),
    ("R-13", "Secrets committed to source code are leaked", "Credentials", "Access", "N", "3", "4", "Mitigate",
     "Secrets held in Secrets Manager; push protection blocks committed credentials", "DP-05", "1", "4", _VPE,
     _REVIEW),
    ("R-14", "Customer data is intercepted in transit", "Customer data", "Confidentiality", "N", "2", "4",
     "Mitigate", "TLS 1.2 or newer everywhere, HSTS, managed certificates", "DP-02", "1", "3", _VPE, _REVIEW),
    ("R-15", "Support staff look at customer data without a need", "Customer data", "Confidentiality", "N", "2",
     "4", "Mitigate", "Impersonation only through ticket-bound, time-limited, logged sessions", "DP-04", "2", "3",
     _VPE, _REVIEW),
    ("R-16", "A critical vendor fails or is breached", "Subservice organisations", "Vendor", "N", "2", "4",
     "Mitigate", "Vendor register with contract terms; yearly review of critical vendors' SOC reports",
     "VN-01, VN-02", "2", "3", _GRC, _REVIEW),
    ("R-17", "An employee issues refunds or credits to accounts they control", "Billing", "Fraud", "Y", "2", "3",
     "Mitigate", "Stripe dashboard access granted only on approved request to named finance staff", "AC-02", "1",
     "3", _CEO, _REVIEW),
    ("R-18", "Usage figures are manipulated to inflate invoices", "Billing and revenue reporting", "Fraud", "Y",
     "1", "3", "Accept", "Small exposure; to be looked at again in the fraud risk assessment (RM-03)", "", "1", "3",
     _CEO, _REVIEW),
    ("R-19", "Key staff leave with knowledge nobody else has", "People", "People", "N", "3", "3", "Mitigate",
     "Runbooks in the wiki, an on-call rotation of four and written role descriptions", "HR-04, BC-05", "2", "2",
     _PPL, _REVIEW),
    ("R-20", "The cost of a cyber incident exceeds the company's reserves", "Company finances", "Financial", "N",
     "2", "4", "Transfer", "Cyber liability insurance, renewed in March 2026", "BC-05", "2", "2", _CEO, _REVIEW),
)

VENDOR_ROWS = (
    ("Vendor ID", "Vendor", "Service", "Data it touches", "Service stops without it", "Subservice organisation",
     "Contract security terms", "Owner", "Next review"),
    ("V-01", "Amazon Web Services", "Cloud hosting in us-east-2 and us-west-2", "Customer data", "Yes",
     "Carve-out", "AWS Customer Agreement with the data processing addendum", _SRE, "2027-04-30"),
    ("V-02", "Okta", "Workforce single sign-on and MFA", "Internal data only", "No", "Carve-out",
     "Master subscription agreement with security addendum and DPA", _IT, "2027-04-30"),
    ("V-03", "Stripe", "Subscription billing and card payments", "Customer data", "No", "Carve-out",
     "Services agreement and DPA; PCI DSS attestation on file", _CEO, "2027-04-30"),
    ("V-04", "Datadog", "Monitoring, logs, security signals and paging", "Customer data", "Yes", "Carve-out",
     "Master subscription agreement with DPA; log retention set to 15 months", _SRE, "2027-04-30"),
    ("V-05", "GitHub", "Source control and the CI/CD pipeline", "Internal data only", "No", "No",
     "GitHub customer agreement and DPA", _VPE, "2027-03-31"),
    ("V-06", "Google Workspace", "E-mail, calendars and documents", "Internal data only", "No", "No",
     "Workspace terms with the data processing amendment", _IT, "2027-03-31"),
    ("V-07", "Slack", "Team chat and incident channels", "Internal data only", "No", "No",
     "Customer terms of service and DPA", _IT, "2027-03-31"),
    ("V-08", "Atlassian", "Jira tickets and the Confluence wiki", "Internal data only", "No", "No",
     "Cloud terms of service and DPA", _VPE, "2027-03-31"),
    ("V-09", "Kandji", "Laptop device management", "Internal data only", "No", "No", "Subscription agreement",
     _IT, "2027-03-31"),
    ("V-10", "Checkr", "Pre-hire background checks", "Internal data only", "No", "No",
     "Services agreement with confidentiality and data protection terms", _PPL, "2027-03-31"),
    ("V-11", "Zendesk", "Customer support tickets", "Customer data", "No", "No",
     "Main services agreement and DPA", _VPE, "2027-03-31"),
    ("V-12", "1Password", "Team password and secrets manager", "Internal data only", "No", "No",
     "Terms of service; security white paper reviewed", _SEC, "2027-03-31"),
)

VENDOR_REPORT_ROWS = (
    ("Report ID", "Vendor", "Report", "Period start", "Period end", "Issued", "Opinion", "Exceptions noted",
     "Bridge letter", "Reviewed on", "Reviewed by", "Review control", "User entity controls"),
    ("VR-01", "Amazon Web Services", "SOC 2 Type II", "2025-04-01", "2026-03-31", "2026-04-24", "Unqualified", "",
     "", "2026-05-02", _GRC, "VN-02",
     "Manage the IAM users and roles of our own accounts [AC-05]\n"
     "Encrypt the data we store and set its access policies [DP-01]"),
    ("VR-02", "Okta", "SOC 2 Type II", "2025-02-01", "2026-01-31", "2026-03-20", "Unqualified",
     "Changes to administrator roles were not logged for 19 days in 2025; Okta found no unauthorised change. No "
     "impact on Brightpath: our own admin changes are checked in the quarterly access review.",
     "Requested 2026-04-22, received 2026-05-01", "2026-04-20", _GRC, "VN-02",
     "Manage our own users and require MFA for them [AC-01]\nReview who has access each quarter [AC-04]"),
    ("VR-03", "Stripe", "SOC 2 Type II", "2025-01-01", "2025-12-31", "2026-02-27", "Unqualified", "",
     "Requested 2026-04-22, received 2026-05-01", "2026-04-20", _GRC, "VN-02",
     "Keep the API keys we create secret and rotate them when exposed [DP-05]"),
    ("VR-04", "Datadog", "SOC 2 Type II", "2025-04-01", "2026-03-31", "2026-04-28", "Unqualified", "", "",
     "2026-05-02", _GRC, "VN-02",
     "Monitor our account's activity and the vendor's alerts [OP-01]\n"
     "Grant access to our account only on approved request [AC-02]"),
)

INCIDENT_ROWS = (
    ("Incident ID", "Title", "Detected on", "Classification", "Severity", "Security incident", "Contained on",
     "Resolved on", "Customers notified", "Regulators notified", "Root cause", "Lessons learned",
     "Follow-up tasks", "Control"),
    ("INC-2026-009", "Phishing e-mail reported by an engineer", "2026-06-03", "Phishing", "SEV4", "Yes",
     "2026-06-03", "2026-06-03", "No", "No", "A lookalike Okta sign-in page sent to six staff; nobody entered a "
     "password", "The report button worked: blocked within 40 minutes", "Add the sender domain to the block list",
     "IR-02"),
    ("INC-2026-011", "Laptop left on a train", "2026-07-08", "Lost device", "SEV3", "Yes", "2026-07-08",
     "2026-07-09", "No", "No", "Device lost in transit", "Remote lock reached the laptop within an hour; disk "
     "encryption held", "Remind staff to report a lost device at once", "IR-02"),
    ("INC-2026-014", "Query workers under-provisioned after a release", "2026-08-19", "Availability", "SEV2", "No",
     "2026-08-19", "2026-08-19", "Yes", "No", "A Terraform module refactor lowered the minimum task count from 6 "
     "to 2", "Plan reviews must show changed values, not only renamed variables",
     "Capacity check in the deployment pipeline (done 2026-08-28)\nAlert on a minimum task count below 4",
     "IR-02"),
)

CONTINUITY_ROWS = (
    ("Test ID", "Kind", "Scenario", "Date", "Participants", "RTO target", "RTO achieved", "RPO target",
     "RPO achieved", "Issues", "Follow-up tasks", "Control"),
    ("CT-01", "BCP exercise", "Tabletop walk-through of the business continuity plan: Okta unavailable for a "
     "working day", "2026-03-18", f"{_CTO}, {_VPE}, {_SRE}, {_SEC}", "8h", "", "15 min", "",
     "The break-glass account list in appendix B named an engineer who had left", "Appendix B updated 2026-03-20",
     "BC-05"),
    ("CT-02", "Restore test", "Point-in-time restore of the Aurora cluster insights-prod into the isolated "
     "restore-test account", "2026-07-14", f"{_SRE}; witness {_VPE}", "8h", "53 min", "15 min", "5 min",
     "S3 export buckets and Redis were not part of the test", "SRE-881: add S3 exports and Redis for Q4", "BC-03"),
)
