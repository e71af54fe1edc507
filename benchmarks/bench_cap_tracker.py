"""The CAP tracker's overdue list with 10,000 received visits and 60,000 CAP lines.

    .venv/bin/python benchmarks/bench_cap_tracker.py [--visits 10000] [--lines-per-visit 6]
        [--db postgresql+psycopg://…]   # default: a temporary SQLite file

Rows: `tracker.query_lines(overdue=True)` as the page /cap?overdue=1 runs it (the first 1,000
lines) and as the export and `office cap list --overdue` run it (every overdue line), p95 of 20
runs each, against the bare SQL of the same joined rows and condition (due date past, not
accepted) through the same engine. Target: the page's p95 under 200 ms.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid as uuids
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from common import Row, ms, p95, print_table, row_line
from sqlalchemy import insert, text

from ietp_desktop.office.cap_followup import tracker
from ietp_desktop.storage.db import Database, open_url
from ietp_desktop.storage.models import CorrectiveAction, Factory, Finding, FormDefinition, Visit
from ietp_desktop.storage.office_review_models import OfficeCapEvidence, OfficeCapLine

RUNS = 20
TODAY = date(2027, 3, 1)
BARE = """
SELECT v.uuid, f.ietp_id, fi.code, fi.classification, ca.corrective_action, ca.responsible,
       COALESCE(l.due_date, ca.due_date) AS due
FROM corrective_actions ca
JOIN findings fi ON fi.id = ca.finding_id
JOIN visits v ON v.id = ca.visit_id
JOIN factories f ON f.id = v.factory_id
LEFT JOIN office_cap_lines l ON l.visit_id = v.id AND l.finding_code = fi.code
WHERE v.received_at IS NOT NULL AND COALESCE(l.decision, '') <> 'accepted'
  AND COALESCE(l.due_date, ca.due_date) < :today
ORDER BY due, f.ietp_id, v.id, fi.code
"""


def populate(db: Database, visits: int, per_visit: int) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with db.session() as session:
        session.execute(
            insert(FormDefinition),
            [{"sha256": "0" * 64, "form_id": "bench", "version": "1", "content": "{}"}],
        )
        session.execute(
            insert(Factory),
            [
                {"id": i + 1, "ietp_id": f"IETP-GD-B{i:04d}", "name_en": f"Bench Toys {i}",
                 "created_at": now, "updated_at": now}
                for i in range(200)
            ],
        )  # fmt: skip
        visit_rows, finding_rows, action_rows, line_rows, evidence_rows = [], [], [], [], []
        finding_id = 0
        for v in range(1, visits + 1):
            visit_rows.append(
                {"id": v, "uuid": str(uuids.uuid4()), "factory_id": v % 200 + 1,
                 "form_sha256": "0" * 64, "status": "received", "revision": 1,
                 "specialist_name": f"Specialist {v % 40}", "received_at": now,
                 "created_at": now, "updated_at": now}
            )  # fmt: skip
            for n in range(per_visit):
                finding_id += 1
                code = f"F{n + 1:02d}"
                due = TODAY + timedelta(days=(finding_id % 120) - 60)
                finding_rows.append(
                    {"id": finding_id, "visit_id": v, "code": code, "classification": "standard_nc",
                     "category": "working_hours", "root_cause": f"cause {finding_id % 7}",
                     "description": f"finding {finding_id}", "created_at": now, "updated_at": now}
                )  # fmt: skip
                action_rows.append(
                    {"finding_id": finding_id, "visit_id": v, "corrective_action": "fix it",
                     "responsible": "HR", "due_date": due, "status": "open", "updated_at": now}
                )  # fmt: skip
                if finding_id % 5 == 0:
                    line_rows.append(
                        {"visit_id": v, "finding_code": code, "decision": "accepted"
                         if finding_id % 10 == 0 else "", "decision_comment": "",
                         "decided_by": "", "updated_at": now}
                    )  # fmt: skip
                    evidence_rows.append(
                        {"visit_id": v, "finding_code": code, "factory_id": v % 200 + 1,
                         "sha256": f"{finding_id:064x}", "filename": "e.pdf",
                         "media_type": "application/pdf", "size": 1, "uploaded_by": "bench",
                         "uploaded_at": now}
                    )  # fmt: skip
        for model, rows in (
            (Visit, visit_rows),
            (Finding, finding_rows),
            (CorrectiveAction, action_rows),
            (OfficeCapLine, line_rows),
            (OfficeCapEvidence, evidence_rows),
        ):
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])


def run(visits: int, per_visit: int, url: str | None) -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        db = open_url(url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}", actor="bench")
        try:
            populate(db, visits, per_visit)
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
            timings: dict[str, tuple[list[float], list[float]]] = {}
            found: dict[str, int] = {}
            for name, limit in (("page", 1000), ("export", tracker.MAX_ROWS)):
                ours, bare = [], []
                for _ in range(RUNS):
                    started = time.perf_counter()
                    with db.session() as session:
                        found[name] = len(
                            tracker.query_lines(
                                session, tracker.CapFilter(overdue=True), today=TODAY, limit=limit
                            )
                        )
                    ours.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    with db.engine.connect() as conn:
                        rows = conn.execute(
                            text(BARE + " LIMIT :limit"), {"today": TODAY, "limit": limit}
                        ).all()
                    bare.append(time.perf_counter() - started)
                assert found[name] == len(rows), (found, len(rows))
                timings[name] = (ours, bare)
        finally:
            db.dispose()
    result = []
    for name, (ours, bare) in timings.items():
        figure, floor = p95(ours), p95(bare)
        result.append(
            Row(
                f"CAP overdue {name} ({visits * per_visit:,} lines, {found[name]:,} shown)",
                f"p95 {ms(figure)}",
                f"bare SQL p95 {ms(floor)}",
                figure / floor if floor else None,
                "< 200 ms" if name == "page" else "",
                figure < 0.2 if name == "page" else None,
            )
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--lines-per-visit", type=int, default=6)
    parser.add_argument("--db", help="SQLAlchemy URL of an empty database (default: SQLite)")
    parser.add_argument("--quick", action="store_true", help="1,000 visits")
    args = parser.parse_args()
    visits = 1_000 if args.quick else args.visits
    rows = run(visits, args.lines_per_visit, args.db)
    print_table(rows)
    for row in rows:
        print(row_line(row))


if __name__ == "__main__":
    main()
