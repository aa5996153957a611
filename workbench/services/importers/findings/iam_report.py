"""The AWS IAM credential report (CSV): one row per user and the root account, judged into findings.

AWS documents its columns: user, arn, user_creation_time, password_enabled, password_last_used,
password_last_changed, password_next_rotation, mfa_active, access_key_1_active, access_key_1_last_rotated,
access_key_1_last_used_date ... (and the same for key 2), cert_1_active ... Dates are ISO 8601; N/A,
no_information and not_supported stand for none. The report says nothing of when it was generated, so its data is
taken to reflect the latest date in it (the file's time when it has none); ages are counted back from there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from workbench.domain.findings import Finding, FindingStatus, ToolRun
from workbench.services.importers.findings.criteria import mapped_criteria
from workbench.services.importers.findings.report import TableRows, ToolReport, missing, utc
from workbench.services.importers.findings.source import ReportFile, refused

NAME = "aws-iam-credential-report"
TOOL = "iam-credential-report"
ROOT = "<root_account>"
MAX_USERS = 100_000  # the report's rows are kept to find its date; IAM allows 5,000 users per account
STALE = timedelta(days=90)
_NEEDED = ("USER", "ARN", "PASSWORD_ENABLED", "MFA_ACTIVE", "ACCESS_KEY_1_ACTIVE")
_DATES = ("USER_CREATION_TIME", "PASSWORD_LAST_USED", "PASSWORD_LAST_CHANGED", "ACCESS_KEY_1_LAST_ROTATED",
          "ACCESS_KEY_1_LAST_USED_DATE", "ACCESS_KEY_2_LAST_ROTATED", "ACCESS_KEY_2_LAST_USED_DATE")
_CHECKS = {
    "root_mfa_active": "MFA active on the root account",
    "root_no_access_keys": "No access keys on the root account",
    "root_not_used_90_days": "Root account not used in the last 90 days",
    "console_user_mfa_active": "MFA active for a console user",
    "access_key_rotated_90_days": "Active access key rotated in the last 90 days",
    "unused_console_password": "No console password left unused for 90 days",
}


def is_report(table: TableRows) -> bool:
    """Return True for an IAM credential report."""
    return set(_NEEDED) <= set(table.headers)


def _yes(value: str) -> bool:
    return value.strip().lower() == "true"


def _when(value: str) -> datetime | None:
    return utc(value) if value and value[:1].isdigit() else None


def _judge(row: dict[str, str], number: int, now: datetime) -> Iterator[tuple[str, str, bool, str]]:
    """Yield (check, resource, passed, detail) for one user."""
    arn = row.get("ARN", "") or row.get("USER", "")
    keys = [n for n in (1, 2) if _yes(row.get(f"ACCESS_KEY_{n}_ACTIVE", ""))]
    if row.get("USER") == ROOT:
        yield "root_mfa_active", arn, _yes(row.get("MFA_ACTIVE", "")), f"mfa_active is {row.get('MFA_ACTIVE')}"
        yield "root_no_access_keys", arn, not keys, f"active access keys: {len(keys)}"
        used = [d for d in (_when(row.get(c, "")) for c in ("PASSWORD_LAST_USED", "ACCESS_KEY_1_LAST_USED_DATE",
                                                            "ACCESS_KEY_2_LAST_USED_DATE")) if d]
        last = max(used, default=None)
        yield "root_not_used_90_days", arn, last is None or now - last > STALE, \
            f"last used {last:%Y-%m-%d}" if last else "never used"
        return
    if _yes(row.get("PASSWORD_ENABLED", "")):
        yield "console_user_mfa_active", arn, _yes(row.get("MFA_ACTIVE", "")), \
            f"console password with mfa_active {row.get('MFA_ACTIVE')}"
        last = _when(row.get("PASSWORD_LAST_USED", "")) or _when(row.get("USER_CREATION_TIME", ""))
        yield "unused_console_password", arn, last is not None and now - last <= STALE, \
            f"password last used {row.get('PASSWORD_LAST_USED') or 'never'}"
    for n in keys:
        rotated = _when(row.get(f"ACCESS_KEY_{n}_LAST_ROTATED", ""))
        yield "access_key_rotated_90_days", f"{arn} access key {n}", rotated is not None and now - rotated <= STALE, \
            f"last rotated {rotated:%Y-%m-%d}" if rotated else "rotation date unknown"


def read(report: ReportFile, table: TableRows) -> ToolReport:
    """Read an IAM credential report (kept whole: one row per user, to find the date it reflects)."""
    missing(report.path, table.headers, _NEEDED, "an IAM credential report")
    rows = []
    for number, row in table.rows:
        if len(rows) >= MAX_USERS:
            table.close()
            raise refused(report.path, f"has more than {MAX_USERS:,} users: not an IAM credential report we read")
        rows.append((number, row))
    dates = [d for _, row in rows for d in (_when(row.get(c, "")) for c in _DATES) if d]
    now = max(dates, default=report.modified)
    account = next((row.get("ARN", "").split(":")[4] for _, row in rows if row.get("ARN", "").count(":") >= 5), "")
    run = ToolRun("aws-iam", "", NAME, account, now, report.sha256, report.path.name)

    def findings() -> Iterator[Finding]:
        for number, row in rows:
            for check, resource, passed, detail in _judge(row, number, now):
                yield Finding(check, _CHECKS[check], resource, FindingStatus.PASS if passed else FindingStatus.FAIL,
                              "high" if check.startswith("root") else "medium", mapped_criteria(TOOL, check), "iam",
                              "global", detail, number)

    return ToolReport(run, findings())

