"""Team mode under load: client processes editing the same controls and evidence on one PostgreSQL server.

Each client is its own process with its own connection, working as a person does: it edits what it last saw.
An edit adds one to a counter kept in the record's notes, sent with the version it was read at. When someone
else changed the record since, the edit is refused with a ConflictError; the client counts it, takes the fresh
record the error carries (or reads it again) and goes on. At the end, for every record,

    the counter on the server == the number of edits the clients were told succeeded,

which is what "no lost update" means; the audit chain must verify and hold one update entry per success.

Printed: edits per second (successes and conflicts), and the ratio of our time to plain psycopg clients doing
the same compare-and-set UPDATEs in the same processes' shape (no ORM, no audit trail, no checks).

    WORKBENCH_TEST_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres python bench/team_load.py [--clients 8]
        [--edits 500]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from workbench.domain.location import ServerAddress  # noqa: E402  (light: pure Python)

CONTROLS = 12
EVIDENCE = 6


@dataclass
class ClientResult:
    """What one client was told: successes per record key, and how many conflicts it was reported."""

    name: str
    successes: dict[str, int] = field(default_factory=dict)
    conflicts: int = 0
    seconds: float = 0.0


def _bump(notes: str) -> str:
    return str(int(notes or "0") + 1)


def _client(url: ServerAddress, name: str, edits: int, seed: int, start: float) -> ClientResult:
    """Run one client process's edits against the project at `url` (called in a child process)."""
    from dataclasses import replace

    from workbench.domain.errors import ConflictError
    from workbench.services.controls import draft_of, get_control, list_controls, update_control
    from workbench.services.evidence import EvidenceEdit, get_evidence, list_evidence, update_evidence
    from workbench.services.session import open_project

    rng = random.Random(seed)
    result = ClientResult(name)
    with open_project(url, actor=name) as project:
        controls = {c.ref: c for c in list_controls(project)}
        evidence = {e.id: e for e in list_evidence(project)}
        while time.time() < start:  # everyone starts together
            time.sleep(0.005)
        began = time.perf_counter()
        for _ in range(edits):
            if rng.random() < 0.6:
                ref = rng.choice(sorted(controls))
                seen = controls[ref]
                try:
                    controls[ref] = update_control(project, ref, replace(draft_of(seen), notes=_bump(seen.notes)),
                                                   seen.version).value
                    result.successes[f"control:{ref}"] = result.successes.get(f"control:{ref}", 0) + 1
                except ConflictError as exc:
                    result.conflicts += 1
                    controls[ref] = exc.fresh if exc.fresh is not None else get_control(project, ref)
            else:
                item_id = rng.choice(sorted(evidence))
                item = evidence[item_id]
                edit = replace(EvidenceEdit.of(item), notes=_bump(item.notes))
                try:
                    evidence[item_id] = update_evidence(project, item_id, edit, item.version).value
                    result.successes[f"evidence:{item_id}"] = result.successes.get(f"evidence:{item_id}", 0) + 1
                except ConflictError as exc:
                    result.conflicts += 1
                    evidence[item_id] = exc.fresh if exc.fresh is not None else get_evidence(project, item_id)
        result.seconds = time.perf_counter() - began
    return result


def _raw_client(url: ServerAddress, name: str, edits: int, seed: int, start: float) -> ClientResult:
    """The same compare-and-set edits with plain psycopg: SELECT, then UPDATE ... WHERE version = seen."""
    import psycopg

    rng = random.Random(seed)
    result = ClientResult(name)
    with psycopg.connect(host=url.host, port=url.port, user=url.user or None, password=url.password,
                         dbname=url.database, autocommit=True) as connection:
        refs = [r[0] for r in connection.execute("SELECT ref FROM controls ORDER BY ref")]
        items = [r[0] for r in connection.execute("SELECT id FROM evidence ORDER BY id")]
        seen: dict[tuple[str, object], tuple[str, int]] = {}
        for ref in refs:
            seen["controls", ref] = connection.execute("SELECT notes, version FROM controls WHERE ref = %s",
                                                       (ref,)).fetchone()
        for item in items:
            seen["evidence", item] = connection.execute("SELECT notes, version FROM evidence WHERE id = %s",
                                                        (item,)).fetchone()
        while time.time() < start:
            time.sleep(0.005)
        began = time.perf_counter()
        for _ in range(edits):
            table, column, key = (("controls", "ref", rng.choice(refs)) if rng.random() < 0.6
                                  else ("evidence", "id", rng.choice(items)))
            notes, version = seen[table, key]
            with connection.transaction():
                changed = connection.execute(
                    f"UPDATE {table} SET notes = %s, version = version + 1 WHERE {column} = %s AND version = %s",
                    (_bump(notes), key, version)).rowcount
            if changed:
                seen[table, key] = (_bump(notes), version + 1)
            else:
                result.conflicts += 1
                seen[table, key] = connection.execute(f"SELECT notes, version FROM {table} WHERE {column} = %s",
                                                      (key,)).fetchone()
        result.seconds = time.perf_counter() - began
    return result


def _run_clients(target: Any, url: Any, clients: int, edits: int) -> tuple[list[ClientResult], float]:
    start = time.time() + 3.0 + 0.2 * clients  # time for every process to import and connect
    context = multiprocessing.get_context("spawn")
    with context.Pool(clients) as pool:
        pending = [pool.apply_async(target, (url, f"client-{i + 1}", edits, 1000 + i, start)) for i in range(clients)]
        results = [p.get(timeout=900) for p in pending]
    return results, max(r.seconds for r in results)


def make_project(admin_url: str) -> ServerAddress:
    """Create a fresh project database with the shared controls and evidence; return its address."""
    from workbench.domain.entities import ControlDraft
    from workbench.services.controls import add_controls
    from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
    from workbench.services.project import NewProject, create_project

    address = ServerAddress.parse(admin_url).with_database(f"wb_load_{uuid.uuid4().hex[:10]}")
    with create_project(address, NewProject("Load Test Co")) as project:
        add_controls(project, [ControlDraft(f"LT-{i:02d}", f"Shared control {i}", criteria=("CC6.1",))
                               for i in range(CONTROLS)])
        for i in range(EVIDENCE):
            add_evidence_bytes(project, f"log-{i}.txt", f"evidence {i}\n".encode() * 100,
                               EvidenceMeta(f"LT-{i % CONTROLS:02d}", f"Evidence {i}"))
    return address


def drop_database(admin_url: str, address: ServerAddress) -> None:
    """Drop a database made by make_project."""
    import psycopg

    name = address.database
    admin = ServerAddress.parse(admin_url)
    with psycopg.connect(host=admin.host, port=admin.port, user=admin.user or None, password=admin.password,
                         dbname=admin.database, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def verify(url: ServerAddress, results: list[ClientResult]) -> dict[str, object]:
    """Check no update was lost, the chain verifies and holds one entry per success; return the figures."""
    from workbench.services.controls import list_controls
    from workbench.services.evidence import list_evidence
    from workbench.services.integrity import check_project
    from workbench.services.session import open_project

    told: dict[str, int] = {}
    for result in results:
        for key, count in result.successes.items():
            told[key] = told.get(key, 0) + count
    with open_project(url) as project:
        stored = {f"control:{c.ref}": int(c.notes or 0) for c in list_controls(project)}
        stored |= {f"evidence:{e.id}": int(e.notes or 0) for e in list_evidence(project)}
        problems = [f"{r.name}: {r.problem}" for r in check_project(project) if not r.ok]
        with project.uow() as uow:
            updates = sum(1 for e in uow.audit.entries() if e.action == "update" and e.entity in
                          ("controls", "evidence"))
    lost = {key: (told.get(key, 0), value) for key, value in stored.items() if told.get(key, 0) != value}
    return {"lost_updates": lost, "check_problems": problems, "audit_updates": updates,
            "successes": sum(told.values()), "conflicts": sum(r.conflicts for r in results)}


def run_load(admin_url: str, clients: int = 8, edits: int = 500, *, raw: bool = True) -> dict[str, object]:
    """Run the load on a fresh database (and, with raw, the plain psycopg baseline on another); return figures."""
    url = make_project(admin_url)
    try:
        results, seconds = _run_clients(_client, url, clients, edits)
        figures = verify(url, results)
    finally:
        drop_database(admin_url, url)
    figures |= {"clients": clients, "edits_each": edits, "seconds": round(seconds, 2),
                "edits_per_second": round(clients * edits / seconds, 1)}
    if raw:
        url = make_project(admin_url)
        try:
            raw_results, raw_seconds = _run_clients(_raw_client, url, clients, edits)
        finally:
            drop_database(admin_url, url)
        figures |= {"raw_seconds": round(raw_seconds, 2), "raw_conflicts": sum(r.conflicts for r in raw_results),
                    "ratio": round(seconds / raw_seconds, 2)}
    return figures


def main() -> int:
    """Run the load test and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-raw", action="store_true", help="skip the plain psycopg baseline")
    args = parser.parse_args()
    admin = os.environ.get("WORKBENCH_TEST_POSTGRES")
    if not admin:
        print("set WORKBENCH_TEST_POSTGRES=postgresql://user@host:port/db (an admin login on a test server)")
        return 2
    figures = run_load(admin, args.clients, args.edits, raw=not args.no_raw)
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
        return 0
    print(f"{figures['clients']} clients x {figures['edits_each']} edits on {CONTROLS} controls and {EVIDENCE} "
          f"evidence records: {figures['seconds']} s, {figures['edits_per_second']} edits/s")
    print(f"  told succeeded {figures['successes']}, conflicts reported {figures['conflicts']}, "
          f"audit update entries {figures['audit_updates']}")
    print(f"  lost updates: {len(figures['lost_updates'])}; check: {figures['check_problems'] or 'all ok'}")
    if "ratio" in figures:
        print(f"  plain psycopg compare-and-set: {figures['raw_seconds']} s; ratio {figures['ratio']}")
    return 0 if not figures["lost_updates"] and not figures["check_problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
