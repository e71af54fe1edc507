"""Office analytics on a generated national history: every analytics page, p95, against the
bare aggregate query the page cannot do with less, in the same run; and the database size.

    .venv/bin/python benchmarks/bench_office_analytics.py [--quick] [--db URL] [--runs 7]

Full sizes (the issue's): 2,000 factories, 30,000 visits over five years, 200,000 findings,
2,000,000 worker-day time records (and a pay record per worker and month). --quick: a tenth.
--db postgresql+psycopg://… runs on PostgreSQL (the database must exist and be empty);
default a throwaway SQLite file. Each page is measured twice: the analytics function alone
computed afresh each time, and the whole console page over HTTP (signed in, rendered with its
charts; the findings and training pages show figures kept while the data is unchanged, see
office/analytics/results.py). Target: every page p95 under 500 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import tempfile
import time
import uuid as uuids
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from common import Row, ms, p95, print_table, row_line
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Engine

from ietp_desktop.domain.outcome import Outcome
from ietp_desktop.office.analytics import pages
from ietp_desktop.office.analytics.model import Period
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import (
    Factory,
    Finding,
    FormDefinition,
    PayRecord,
    TimeRecord,
    Visit,
    Worker,
)

REGIONS = {
    "Guangdong": ("Dongguan", "Shenzhen", "Guangzhou", "Zhongshan", "Foshan", "Huizhou"),
    "Zhejiang": ("Ningbo", "Yiwu", "Wenzhou"),
    "Jiangsu": ("Suzhou", "Wuxi"),
    "Fujian": ("Xiamen", "Quanzhou"),
}
CAUSES = (
    "production_planning", "recruitment_retention", "health_safety_awareness",
    "management_system", "worker_awareness", "record_keeping", "supplier_subcontracting", "other",
)  # fmt: skip
CLASSES = (("standard_nc", 60), ("observation", 25), ("transparency", 8), ("best_practice", 6),
           ("zero_tolerance", 1))  # fmt: skip
CATEGORIES = ("working_hours", "wages_benefits", "ehs", "transparency", "business_ethics", "other")
OUTCOMES = [o.value for o in Outcome]
BATCH = 20_000
TARGET_MS = 500.0


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _load(engine: Engine, table: Any, rows: Iterator[dict[str, Any]]) -> None:
    for batch in _batches(rows):
        with engine.begin() as conn:
            conn.execute(insert(table), batch)


def generate(engine: Engine, factories: int, visits: int, findings: int, time_records: int) -> None:
    rng = random.Random(2026)
    with engine.begin() as conn:
        conn.execute(
            insert(FormDefinition),
            [{"sha256": "b" * 64, "form_id": "pv", "version": "1", "content": "{}"}],
        )
    places = [(r, c) for r, cities in REGIONS.items() for c in cities]
    first_day = date(2021, 7, 1)

    def factory_rows() -> Iterator[dict[str, Any]]:
        for i in range(1, factories + 1):
            region, city = rng.choice(places)
            yield {
                "id": i, "ietp_id": f"IETP-{i:05d}", "name_en": f"Factory {i}",
                "name_zh": f"工厂{i}", "city": city, "region": region,
                "headcount": rng.choice((60, 150, 450, 800, 1500, None)),
                "seal_issued_on": first_day + timedelta(days=rng.randrange(1700)),
            }  # fmt: skip

    _load(engine, Factory.__table__, factory_rows())
    specialists = [f"Specialist {n:02d}" for n in range(40)]

    def visit_rows() -> Iterator[dict[str, Any]]:
        for i in range(1, visits + 1):
            start = first_day + timedelta(days=rng.randrange(5 * 365))
            yield {
                "id": i, "uuid": str(uuids.UUID(int=rng.getrandbits(128))),
                "factory_id": rng.randrange(1, factories + 1), "form_sha256": "b" * 64,
                "status": "signed", "visit_start": start, "visit_end": start + timedelta(days=1),
                "specialist_name": rng.choice(specialists),
                "outcome_recommended": rng.choice(OUTCOMES),
                "received_at": datetime.combine(start + timedelta(days=rng.randrange(2, 40)),
                                                datetime.min.time(), UTC),
                "findings_issued": 0,
            }  # fmt: skip

    _load(engine, Visit.__table__, visit_rows())
    weights = [w for _, w in CLASSES]
    names = [c for c, _ in CLASSES]

    def finding_rows() -> Iterator[dict[str, Any]]:
        codes: dict[int, int] = {}
        for i in range(1, findings + 1):
            visit = rng.randrange(1, visits + 1)
            codes[visit] = codes.get(visit, 0) + 1
            yield {
                "id": i, "visit_id": visit, "code": f"F{codes[visit]:03d}",
                "classification": rng.choices(names, weights)[0],
                "category": rng.choice(CATEGORIES), "root_cause": rng.choice(CAUSES),
                "title": "", "description": "", "title_zh": "", "description_zh": "",
                "evidence": "", "source": "manual",
            }  # fmt: skip

    _load(engine, Finding.__table__, finding_rows())
    workers_per_visit, days = 10, 100
    record_visits = max(1, time_records // (workers_per_visit * days))

    def worker_rows() -> Iterator[dict[str, Any]]:
        wid = 0
        for v in range(1, record_visits + 1):
            for w in range(workers_per_visit):
                wid += 1
                yield {
                    "id": wid, "visit_id": v, "code": f"W{w:02d}",
                    "region": "CN-GD-Dongguan", "in_sample": w < 6,
                }  # fmt: skip

    _load(engine, Worker.__table__, worker_rows())

    def time_rows() -> Iterator[dict[str, Any]]:
        start = date(2025, 1, 6)
        for wid in range(1, record_visits * workers_per_visit + 1):
            long_days = rng.random() < 0.3
            for d in range(days):
                day = start + timedelta(days=d)
                if not long_days and day.weekday() == 6:
                    continue
                begin = datetime(day.year, day.month, day.day, 8)
                hours = rng.choice((8, 9, 10, 11, 12)) if long_days else rng.choice((8, 9, 10))
                yield {"worker_id": wid, "work_date": day, "start_at": begin,
                       "end_at": begin + timedelta(hours=hours), "source_file": ""}  # fmt: skip

    _load(engine, TimeRecord.__table__, time_rows())

    def pay_rows() -> Iterator[dict[str, Any]]:
        for wid in range(1, record_visits * workers_per_visit + 1):
            for month in (1, 2, 3):
                base = Decimal(rng.choice((1800, 1900, 2100, 2300)))
                yield {"worker_id": wid, "period_start": date(2025, month, 1),
                       "period_end": date(2025, month + 1, 1) - timedelta(days=1),
                       "base_pay": base, "extra_json": "{}", "source_file": ""}  # fmt: skip

    _load(engine, PayRecord.__table__, pay_rows())
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
            for table in ("factories", "visits", "findings", "workers"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


FLOORS: dict[str, str] = {
    "findings": "SELECT f.classification, count(*) FROM findings f JOIN visits v "
    "ON v.id = f.visit_id WHERE v.received_at IS NOT NULL GROUP BY f.classification",
    "training": "SELECT f.root_cause, count(DISTINCT v.factory_id) FROM findings f JOIN visits v "
    "ON v.id = f.visit_id WHERE v.received_at IS NOT NULL GROUP BY f.root_cause",
    "hours": "SELECT worker_id, work_date, count(*) FROM time_records "
    "GROUP BY worker_id, work_date",
    "specialists": "SELECT v.specialist_name, count(*) FROM visits v LEFT JOIN findings f "
    "ON f.visit_id = v.id WHERE v.received_at IS NOT NULL GROUP BY v.specialist_name",
    "health": "SELECT count(*), avg(v.visit_start - v.visit_start) FROM visits v "
    "WHERE v.received_at IS NOT NULL",
}


def _timed(job: Callable[[], object], runs: int) -> list[float]:
    job()  # warm the caches the way a running office has them
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return times


def database_size(db: Database, path: Path | None) -> str:
    if path is not None:
        return f"{path.stat().st_size / 1e6:.0f} MB"
    with db.engine.connect() as conn:
        size = conn.scalar(text("SELECT pg_database_size(current_database())"))
    return f"{int(size or 0) / 1e6:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--db", help="SQLAlchemy URL of an empty database (default: SQLite)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-http", action="store_true", help="only the analytics functions")
    parser.add_argument(
        "--existing",
        type=Path,
        help="measure an office folder a previous run generated (with --db)",
    )
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    sizes = (2000 // scale, 30000 // scale, 200000 // scale, 2_000_000 // scale)
    from ietp_desktop.office.folder import open_office_db
    from ietp_desktop.office.setup import init_office

    office_dir = args.existing or Path(tempfile.mkdtemp(prefix="bench-analytics-")) / "office"
    if args.existing is None:
        init_office(office_dir, "Bench Office", None, args.db)
    db = open_office_db(office_dir, args.db)
    sqlite_path = None if args.db else next(office_dir.glob("*.sqlite3"), None)
    if args.existing is None:
        started = time.perf_counter()
        generate(db.engine, *sizes)
        print(
            f"generated {sizes[0]:,} factories, {sizes[1]:,} visits, {sizes[2]:,} findings, "
            f"{sizes[3]:,} time records in {time.perf_counter() - started:.0f} s"
        )
    with db.session() as session:
        counts = [
            session.scalar(select(func.count()).select_from(model))
            for model in (Factory, Visit, Finding, TimeRecord)
        ]
        started = time.perf_counter()
        from ietp_desktop.office.analytics.hours import limits, refresh_summaries

        rebuilt = refresh_summaries(session, limits(session))
        hours_built = time.perf_counter() - started
        started = time.perf_counter()
        from ietp_desktop.office.analytics import finding_counts

        counted = finding_counts.refresh(session)  # what the import does visit by visit
        counts_built = time.perf_counter() - started
    if db.engine.dialect.name == "postgresql":  # as autovacuum would soon after counting
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(
                text(
                    "ANALYZE office_finding_visits, office_finding_classifications, "
                    "office_finding_categories, office_finding_root_causes"
                )
            )
    print(
        f"history: {counts[0]:,} factories, {counts[1]:,} visits, {counts[2]:,} findings, "
        f"{counts[3]:,} time records on {db.engine.dialect.name}; database "
        f"{database_size(db, sqlite_path)}; hours summary built for {rebuilt:,} visits in "
        f"{hours_built:.1f} s, findings counted for {counted:,} visits in {counts_built:.1f} s "
        "(once; then each import keeps them)",
        flush=True,
    )
    rows: list[Row] = []
    year = Period(date(2025, 1, 1), date(2025, 12, 31))
    for page in pages.PAGES:
        with db.engine.connect() as conn:
            floor = p95(_timed(lambda page=page: conn.execute(text(FLOORS[page])).all(), args.runs))

        # Computed every time (not the kept figures the console shows while nothing changed).
        def build(page: str = page) -> object:
            with db.session() as session:
                pages.tune_for_analytics(session)
                return pages.PAGES[page].build(session, Period(), "month")

        def build_year(page: str = page) -> object:
            with db.session() as session:
                pages.tune_for_analytics(session)
                return pages.PAGES[page].build(session, year, "month")

        for label, job in ((f"{page} (all years)", build), (f"{page} (one year)", build_year)):
            figure = p95(_timed(job, args.runs))
            rows.append(
                made := Row(
                    f"analytics {label}, computed",
                    f"p95 {ms(figure)}",
                    f"bare aggregate {ms(floor)}",
                    figure / floor if floor else None,
                    "p95 < 500 ms",
                    figure * 1000 < TARGET_MS,
                )
            )
            print(row_line(made), flush=True)
    rows.append(_planning_row(db, args.runs))
    print(row_line(rows[-1]), flush=True)
    if not args.no_http:
        rows += _http_rows(office_dir, args.db, args.runs)
    db.dispose()
    for row in rows[-len(pages.PAGES) :] if not args.no_http else []:
        print(row_line(row))
    print()
    print_table(rows)


PLANNING_FLOOR = """
SELECT f.id, f.ietp_id, f.name_en, f.region, f.seal_issued_on, lv.last_visit_on
FROM factories f
LEFT JOIN (SELECT factory_id, MAX(visit_start) AS last_visit_on FROM visits
           WHERE received_at IS NOT NULL GROUP BY factory_id) lv ON lv.factory_id = f.id
WHERE f.seal_issued_on IS NOT NULL ORDER BY f.region, f.ietp_id
"""


def _planning_row(db: Database, runs: int) -> Row:
    """The planning board (issue 16: under 200 ms) on the same national history."""
    from ietp_desktop.office.planning.board import BoardFilter, build_board

    today = date(2026, 3, 1)  # inside the history: seals renewed, PVs due
    shown = 0

    def board() -> None:
        nonlocal shown
        with db.session() as session:
            shown = build_board(session, today, BoardFilter(months=3)).count

    with db.engine.connect() as conn:
        floor = p95(_timed(lambda: conn.execute(text(PLANNING_FLOOR)).all(), runs))
    figure = p95(_timed(board, runs))
    return Row(
        f"planning board, next 3 months ({shown:,} factories shown)",
        f"p95 {ms(figure)}",
        f"bare factories + latest visit {ms(floor)}",
        figure / floor if floor else None,
        "p95 < 200 ms",
        figure < 0.2,
    )


def _http_rows(office_dir: Path, db_url: str | None, runs: int) -> list[Row]:
    from starlette.testclient import TestClient

    from ietp_desktop.office.accounts import users
    from ietp_desktop.office.console.app import create_app
    from ietp_desktop.office.console.config import ConsoleConfig
    from ietp_desktop.office.folder import open_office_db

    db = open_office_db(office_dir, db_url)
    from ietp_desktop.domain.errors import UserError

    with contextlib.suppress(UserError):  # a previous run's office (--existing) has it
        users.add_user(db, "cora", "coordinator passphrase 2026", "coordinator", actor="bench")
    with db.engine.connect() as conn:
        floor = p95(
            _timed(lambda: conn.execute(select(func.count()).select_from(Visit)).all(), runs)
        )
    db.dispose()
    rows = []
    app = create_app(ConsoleConfig(office_dir, db_url=db_url, secure_cookies=False))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get("/signin")
        import re

        token = re.search(r'name="csrf" value="([^"]*)"', page.text)
        assert token
        client.post(
            "/signin",
            data={
                "csrf": token.group(1),
                "username": "cora",
                "password": "coordinator passphrase 2026",
            },
        )
        for name in pages.PAGES:

            def fetch(name: str = name) -> object:
                response = client.get(f"/analytics/{name}")
                assert response.status_code == 200, response.text[:200]
                return response

            figure = p95(_timed(fetch, runs))
            rows.append(
                Row(
                    f"console page /analytics/{name}",
                    f"p95 {ms(figure)}",
                    f"bare count(*) of visits {ms(floor)}",
                    figure / floor if floor else None,
                    "p95 < 500 ms",
                    figure * 1000 < TARGET_MS,
                )
            )
    return rows


if __name__ == "__main__":
    main()
