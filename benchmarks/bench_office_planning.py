"""Planning board with a national register: 2,000 factories, ~30,000 received visits (this
cycle's and 14 earlier years'), 600 plans.

    .venv/bin/python benchmarks/bench_office_planning.py [--factories 2000] [--years 14]
        [--rounds 30] [--db postgresql+psycopg://…/an_empty_database]

Rows: the board as the office computes it (`build_board`: factories, latest received visit,
plans, blackouts, unavailable dates, warnings, grouping) and the /planning page over HTTP
(the same plus the specialists' load and the template), each p95 against the bare SQL of the
factories joined to their latest received visit, run in the same process. Target: p95 under
200 ms (issue 16). Printed as ratios so machines compare.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid as uuids
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from common import Row, median, ms, p95, print_table, row_line
from sqlalchemy import insert, select, text

from ietp_desktop.domain.pv_window import add_months
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.planning.board import BoardFilter, build_board
from ietp_desktop.office.setup import init_office
from ietp_desktop.storage.models import Factory, FormDefinition, Visit
from ietp_desktop.storage.office_planning_models import (
    OfficeBlackout,
    OfficeFactoryUnavailable,
    OfficePlannedVisit,
)

REGIONS = ("广东", "江苏", "浙江", "福建", "山东", "上海")
BARE = """
SELECT f.id, f.ietp_id, f.name_en, f.region, f.seal_issued_on, lv.last_visit_on
FROM factories f
LEFT JOIN (SELECT factory_id, MAX(visit_start) AS last_visit_on FROM visits
           WHERE received_at IS NOT NULL GROUP BY factory_id) lv ON lv.factory_id = f.id
WHERE f.seal_issued_on IS NOT NULL ORDER BY f.region, f.ietp_id
"""


def populate(
    office_dir: Path, db_url: str | None, count: int, today: date, years: int = 14
) -> None:
    rng = random.Random(16)
    db = open_office_db(office_dir, db_url)
    with db.session() as session:
        form = session.scalars(select(FormDefinition.sha256)).first()
        session.execute(
            insert(Factory),
            [
                {
                    "ietp_id": f"CN-{n:05d}",
                    "name_en": f"Bench Toys {n}",
                    "name_zh": f"基准玩具厂{n}",
                    "city": "东莞",
                    "region": REGIONS[n % len(REGIONS)],
                    "headcount": rng.randint(80, 3000),
                    # seals renewed every year: spread over the last one
                    "seal_issued_on": today - timedelta(days=rng.randint(0, 364)),
                }
                for n in range(count)
            ],
        )
        seals = {r[0]: r[1] for r in session.execute(select(Factory.id, Factory.seal_issued_on))}
        ids = list(seals)
        visits = []
        for factory_id, seal in seals.items():
            if add_months(seal, 4) < today and rng.random() < 0.9:  # this cycle's visit done
                visits.append(
                    {
                        "uuid": str(uuids.uuid4()),
                        "factory_id": factory_id,
                        "form_sha256": form,
                        "status": "received",
                        "visit_start": add_months(seal, 3),
                        "received_at": datetime.now(UTC),
                    }
                )
            for back in range(1, years + 1):  # earlier cycles' visits, before the seal
                visits.append(
                    {
                        "uuid": str(uuids.uuid4()),
                        "factory_id": factory_id,
                        "form_sha256": form,
                        "status": "received",
                        "visit_start": today - timedelta(days=365 * back + rng.randint(0, 60)),
                        "received_at": datetime.now(UTC),
                    }
                )
        for start in range(0, len(visits), 5000):
            session.execute(insert(Visit), visits[start : start + 5000])
        plans = []
        for factory_id in rng.sample(ids, min(len(ids), 600)):
            plans.append(
                {
                    "visit_uuid": str(uuids.uuid4()),
                    "factory_id": factory_id,
                    "specialist_email": f"specialist{rng.randint(1, 20)}@example.org",
                    "specialist_name": "Bench Specialist",
                    "proposed_date": today + timedelta(days=rng.randint(0, 80)),
                }
            )
        session.execute(insert(OfficePlannedVisit), plans)
        session.execute(
            insert(OfficeBlackout),
            [
                {"year": 2027, "name": "Chinese New Year", "starts_on": date(2027, 1, 30),
                 "ends_on": date(2027, 2, 20)},
                {"year": today.year, "name": "National Day",
                 "starts_on": today + timedelta(days=20),
                 "ends_on": today + timedelta(days=27)},
            ],
        )  # fmt: skip
        session.execute(
            insert(OfficeFactoryUnavailable),
            [
                {"factory_id": f, "starts_on": today + timedelta(days=5),
                 "ends_on": today + timedelta(days=9), "reason": "brand audit"}
                for f in rng.sample(ids, min(len(ids), 200))
            ],
        )  # fmt: skip
    db.dispose()


def timed(action, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    action()  # warm caches and the connection pool
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factories", type=int, default=2000)
    parser.add_argument("--years", type=int, default=14, help="earlier visits per factory")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--db", help="SQLAlchemy URL (default: SQLite in the office folder)")
    args = parser.parse_args()
    today = date.today()
    with tempfile.TemporaryDirectory() as folder:
        office_dir = Path(folder) / "office"
        init_office(office_dir, "Bench Office", None, args.db)
        populate(office_dir, args.db, args.factories, today, args.years)
        db = open_office_db(office_dir, args.db)
        shown = 0

        def board() -> None:
            nonlocal shown
            with db.session() as session:
                shown = build_board(session, today, BoardFilter(months=3)).count

        def bare() -> None:
            with db.engine.connect() as connection:
                connection.execute(text(BARE)).fetchall()

        board_times = timed(board, args.rounds)
        bare_times = timed(bare, args.rounds)
        page_times = _page_times(office_dir, args.db, args.rounds)
        db.dispose()
    floor = p95(bare_times)
    rows = [
        Row(
            f"planning board, {args.factories} factories ({shown} shown)",
            f"p95 {ms(p95(board_times))} (median {ms(median(board_times))})",
            f"bare SQL p95 {ms(floor)}",
            p95(board_times) / floor,
            "< 200 ms",
            p95(board_times) < 0.2,
        ),
        Row(
            "/planning page over HTTP (load, template)",
            f"p95 {ms(p95(page_times))} (median {ms(median(page_times))})",
            f"bare SQL p95 {ms(floor)}",
            p95(page_times) / floor,
            "< 200 ms",
            p95(page_times) < 0.2,
        ),
    ]
    print_table(rows)
    for row in rows:
        print(row_line(row))


def _page_times(office_dir: Path, db_url: str | None, rounds: int) -> list[float]:
    from starlette.testclient import TestClient

    from ietp_desktop.office.accounts import users
    from ietp_desktop.office.console.app import create_app
    from ietp_desktop.office.console.config import ConsoleConfig

    db = open_office_db(office_dir, db_url)
    users.add_user(db, "bench", "coordinator passphrase 2026", "coordinator", actor="bench")
    db.dispose()
    app = create_app(ConsoleConfig(office_dir, db_url=db_url, secure_cookies=False))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get("/signin").text
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        client.post(
            "/signin",
            data={"csrf": csrf, "username": "bench", "password": "coordinator passphrase 2026"},
        )

        def get() -> None:
            response = client.get("/planning")
            assert response.status_code == 200, response.status_code

        return timed(get, rounds)


if __name__ == "__main__":
    main()
