"""Time importing a 20,000-finding OCSF JSON report into a project against the standard library's json.load.

The report is built deterministically in the shape Prowler writes (an array of OCSF detection findings, each with
its metadata, finding_info, resources, cloud and unmapped.compliance blocks; the text is our own).
  ours: the real import, in process: services.findings.import_report() into a fresh project file (what
        `workbench register import P findings F` and the Findings page do): the file checked in one pass (hashed,
        its nesting measured), parsed a finding at a time with ijson, planned and written window by window, the
        report's bytes kept as evidence, committed. Only the import is timed, not making the project.
  raw:  json.load of the same file (the whole document in memory at once), in the same process.
Times are medians of --runs after a warm-up; peak memory is each side's peak allocation (tracemalloc, a run of its
own; ours includes making its project) and this process's peak resident size. With --quick (2,000 findings) the
import's fixed costs (the report hashed again and kept as evidence, the commit) weigh more than at full size.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from _common import Figure, emit, median, self_peak_mib

from workbench.services.findings import import_report
from workbench.services.project import NewProject, create_project

FINDINGS = 20_000
RUNS = 5
SERVICES = ("iam", "s3", "ec2", "rds", "cloudtrail", "kms", "guardduty", "backup")
STATUSES = ("PASS", "FAIL", "FAIL", "MANUAL")
SEVERITIES = ("Critical", "High", "Medium", "Low", "Informational")


def ocsf_finding(number: int) -> dict[str, Any]:
    """Return one synthetic OCSF detection finding as Prowler writes them (text of our own)."""
    service = SERVICES[number % len(SERVICES)]
    check = f"{service}_check_{number % 97:02d}"
    status = STATUSES[number % len(STATUSES)]
    return {
        "message": f"Resource {number} of {service} was checked: {status.lower()}.",
        "metadata": {"event_code": check, "product": {"name": "Prowler", "uid": "prowler", "vendor_name": "Prowler",
                                                      "version": "5.4.0"},
                     "profiles": ["cloud", "datetime"], "tenant_uid": "", "version": "1.4.0"},
        "severity_id": 1 + number % 5, "severity": SEVERITIES[number % 5],
        "status": "Suppressed" if number % 50 == 0 else "New", "status_code": status,
        "status_detail": f"The {service} resource number {number} is {status.lower()} for check {check}.",
        "status_id": 1,
        "unmapped": {"related_url": f"https://example.invalid/{service}", "categories": ["security"],
                     "depends_on": [], "related_to": [], "additional_urls": [],
                     "notes": "Synthetic finding for the reading benchmark.",
                     "compliance": {"CIS-3.0": [f"{number % 5}.{number % 9}"],
                                    "SOC2": [f"cc_6_{1 + number % 8}", "cc_7_2"]}},
        "activity_name": "Create", "activity_id": 1,
        "finding_info": {"created_time": 1739539650 + number, "created_time_dt": "2025-02-14T14:27:30.710664",
                         "desc": f"Checks that {service} resources follow the expected baseline setting "
                                 f"number {number % 97}; a resource that does not is reported as a failure. " * 3,
                         "product_uid": "prowler", "title": f"Ensure {service} setting {number % 97} is on",
                         "types": [], "uid": f"prowler-aws-{check}-{number}"},
        "resources": [{"cloud_partition": "aws", "region": "eu-west-1",
                       "data": {"details": "", "metadata": {"name": f"res-{number}", "tags": [{"k": "env"}]}},
                       "group": {"name": service}, "labels": [], "name": f"res-{number}",
                       "type": f"Aws{service.title()}Resource",
                       "uid": f"arn:aws:{service}:eu-west-1:111122223333:res/{number}"}],
        "category_name": "Findings", "category_uid": 2, "class_name": "Detection Finding", "class_uid": 2004,
        "cloud": {"account": {"name": "prod", "type": "AWS Account", "type_id": 10, "uid": "111122223333",
                              "labels": []},
                  "org": {"name": "", "uid": ""}, "provider": "aws", "region": "eu-west-1"},
        "remediation": {"desc": f"Turn on setting {number % 97} for the {service} resource.",
                        "references": [f"aws {service} update --setting {number % 97}"]},
        "risk_details": f"Without setting {number % 97}, the {service} resource may be exposed.",
        "time": 1739539650, "time_dt": "2025-02-14T14:27:30.710664",
        "type_uid": 200401, "type_name": "Detection Finding: Create",
    }


def write_ocsf(path: Path, count: int = FINDINGS, *, until_bytes: int = 0, indent: int | None = 2,
               long_text: int = 1) -> int:
    """Write an OCSF report of `count` findings (with until_bytes: as many as reach that size); return how many.

    `indent` None writes compact JSON (quicker to make); `long_text` repeats each finding's risk text that often.
    """
    written = size = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("[")
        while written < count or size < until_bytes:
            size += _write_one(handle, written, indent, long_text)
            written += 1
        handle.write("\n]\n")
    return written


def _write_one(handle: TextIO, number: int, indent: int | None, long_text: int) -> int:
    record = ocsf_finding(number)
    record["risk_details"] *= long_text
    text = (",\n" if number else "\n") + json.dumps(record, indent=indent)
    handle.write(text)
    return len(text)


PROJECT = NewProject(organization="Bench Ltd", system_name="Bench Cloud", period_start=date(2025, 1, 1),
                     period_end=date(2025, 12, 31))


def ours(path: Path) -> int:
    """Import the report into a fresh project through the findings service; return how many findings it created."""
    project_path = path.with_name(f"bench-{time.perf_counter_ns()}.soc2")
    project = create_project(project_path, PROJECT)
    try:
        return _importing(project, path)
    finally:
        project.close()
        for made in path.parent.glob(project_path.name + "*"):
            made.unlink()


def _importing(project: Any, path: Path) -> int:
    start = time.perf_counter()
    created = import_report(project, path).value["created"]
    _IMPORT_SECONDS.append(time.perf_counter() - start)
    return created


_IMPORT_SECONDS: list[float] = []  # ours' import alone, without making and closing its project


def raw(path: Path) -> int:
    """Read the report with json.load; return how many findings."""
    with open(path, encoding="utf-8") as handle:
        return len(json.load(handle))


def _timed(work: Callable[[Path], int], path: Path, runs: int) -> tuple[float, int]:
    work(path)  # warm-up (and the file in the page cache)
    _IMPORT_SECONDS.clear()
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = work(path)
        times.append(time.perf_counter() - start)
    return median(_IMPORT_SECONDS or times), count


def _peak(work: Callable[[Path], int], path: Path) -> float:
    tracemalloc.start()
    try:
        work(path)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> int:
    """Build the report, time both sides, print the ratio and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=FINDINGS)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--quick", action="store_true", help="2,000 findings, 3 runs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    count, runs = (2_000, 3) if args.quick else (args.findings, args.runs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.ocsf.json"
        write_ocsf(path, count)
        size = path.stat().st_size / 2**20
        our_time, our_count = _timed(ours, path, runs)
        raw_time, raw_count = _timed(raw, path, runs)
        if our_count != raw_count:
            print(f"count mismatch: ours {our_count}, json {raw_count}", file=sys.stderr)
            return 1
        our_peak, raw_peak = _peak(ours, path), _peak(raw, path)
    figure = Figure(f"import a {count:,}-finding OCSF report ({size:.0f} MiB)", our_time, raw_time, "<= 3x",
                    our_peak, raw_peak, runs, [f"process peak {self_peak_mib():.0f} MiB"])
    if not args.json:
        print(f"{figure.figure}: import {our_time:.2f} s, json.load {raw_time:.2f} s, "
              f"ratio {figure.ratio:.2f}x (target {figure.target})")
        print(f"peak allocation: import {our_peak:.1f} MiB, json.load {raw_peak:.1f} MiB; "
              f"process peak {self_peak_mib():.0f} MiB")
    emit([figure], args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
