"""The office's overdue and termination-risk invoice lists with 10,000 invoices.

    .venv/bin/python benchmarks/bench_office_followup.py [--invoices 10000] [--db URL] [--quick]

Rows: `invoices.list_invoices` for the overdue and for the termination-risk list (what the
console page and `office invoice list --show …` call), p95 over repeated runs, against the bare
SQL SELECT of the same joined rows through the same driver in the same run. Without --db the
database is SQLite in a temporary folder; give a PostgreSQL URL (an empty database) to measure
there. Target: each list under 200 ms p95.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from common import Row, median, ms, p95, print_table, row_line
from sqlalchemy import insert, text

from ietp_desktop.office.fees import invoices, settings
from ietp_desktop.storage.db import Database, open_url
from ietp_desktop.storage.models import Factory, FormDefinition, Visit
from ietp_desktop.storage.office_money_models import OfficeInvoice

TODAY = date(2026, 12, 2)
TARGET_S = 0.200


def populate(db: Database, count: int) -> None:
    rng = random.Random(15)
    now = datetime.now(UTC)
    with db.session() as session:
        session.execute(
            insert(FormDefinition).values(
                sha256="0" * 64, form_id="bench", version="1", content="{}", installed_at=now
            )
        )
        session.execute(
            insert(Factory),
            [
                {
                    "id": n + 1,
                    "ietp_id": f"IETP-GD-B{n:04d}",
                    "name_en": f"Guangdong Toys {n} Co.",
                    "name_zh": f"广东玩具{n}厂",
                    "certificate_status": "certified",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(200)
            ],
        )
        visits, rows = [], []
        for n in range(count):
            start = date(2024, 1, 1) + timedelta(days=rng.randrange(1000))
            visits.append(
                {
                    "id": n + 1,
                    "uuid": f"{n:08d}-0000-4000-8000-000000000000",
                    "factory_id": n % 200 + 1,
                    "form_sha256": "0" * 64,
                    "status": "received",
                    "revision": 1,
                    "visit_start": start,
                    "visit_end": start,
                    "man_days": Decimal("1.5"),
                    "day_rate_usd": Decimal("850"),
                    "received_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            sent = start + timedelta(days=rng.randrange(1, 20))
            received = sent + timedelta(days=rng.randrange(0, 5))
            settled = rng.random() < 0.7
            rows.append(
                {
                    "id": n + 1,
                    "number": f"PV-{start.year}-{n:05d}",
                    "visit_id": n + 1,
                    "factory_id": n % 200 + 1,
                    "man_days": Decimal("1.5"),
                    "day_rate_usd": Decimal("850"),
                    "amount_usd": Decimal("1275.00"),
                    "sent_on": sent,
                    "received_on": received,
                    "due_on": received + timedelta(days=21),
                    "paid_on": received + timedelta(days=10) if settled else None,
                    "amount_paid_usd": Decimal("1275.00") if settled else Decimal("0.00"),
                    "settled": settled,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        for chunk in range(0, count, 2000):
            session.execute(insert(Visit), visits[chunk : chunk + 2000])
        for chunk in range(0, count, 2000):
            session.execute(insert(OfficeInvoice), rows[chunk : chunk + 2000])


BARE = """
SELECT i.id, i.number, i.man_days, i.day_rate_usd, i.amount_usd, i.sent_on, i.received_on,
  i.due_on, i.paid_on, i.amount_paid_usd, i.settled, v.uuid, v.visit_start, f.ietp_id,
  f.name_en, f.name_zh
FROM office_invoices i
JOIN visits v ON v.id = i.visit_id JOIN factories f ON f.id = i.factory_id
WHERE i.settled = :settled AND i.due_on < :before ORDER BY i.due_on, i.id
"""


def measure(db: Database, show: str, runs: int) -> tuple[list[float], list[float], int]:
    with db.session() as session:
        grace = settings.read_days(session, settings.TERMINATION_GRACE_DAYS)
    before = TODAY if show == "overdue" else TODAY - timedelta(days=grace)
    service, bare, shown = [], [], 0
    for _ in range(runs):  # interleaved, so both see the same machine
        started = time.perf_counter()
        with db.session() as session:
            shown = len(invoices.list_invoices(session, invoices.InvoiceFilter(show=show), TODAY))
        service.append(time.perf_counter() - started)
        started = time.perf_counter()
        with db.engine.connect() as conn:
            bare_rows = conn.execute(text(BARE), {"settled": False, "before": before}).all()
        bare.append(time.perf_counter() - started)
        assert len(bare_rows) == shown, (len(bare_rows), shown)
    return service, bare, shown


def main() -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--db", help="an empty PostgreSQL database URL (default SQLite)")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.invoices, args.runs = 2_000, 15
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'office.sqlite3'}"
        db = open_url(url, actor="bench")
        try:
            populate(db, args.invoices)
            rows = []
            for show in ("overdue", "termination_risk"):
                service, bare, shown = measure(db, show, args.runs)
                figure, floor = p95(service), p95(bare)
                rows.append(
                    Row(
                        f"office {show.replace('_', '-')} list ({args.invoices} invoices, "
                        f"{shown} shown, {db.engine.dialect.name})",
                        f"p95 {ms(figure)} (median {ms(median(service))})",
                        f"bare SQL p95 {ms(floor)} (median {ms(median(bare))})",
                        figure / floor if floor else None,
                        "< 200 ms",
                        figure < TARGET_S,
                    )
                )
        finally:
            db.dispose()
    return rows


if __name__ == "__main__":
    table = main()
    print_table(table)
    for row in table:
        print(row_line(row))
