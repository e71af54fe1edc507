"""Visit list with 10,000 visits in the database: the service's list, then filtering it.

    .venv/bin/python benchmarks/bench_visit_list.py [--visits 10000] [--quick]

Rows: `list_visits` (all 10,000 summaries) against a bare sqlite3 SELECT of the same joined
rows; typing a search in the list, filtered by the UI's own proxy model (ListFilterProxy over
VisitTableModel, offscreen) and by a plain Python scan of the same summaries, against a bare
substring scan of 10,000 strings. Target: a filter under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import tempfile
import time
import uuid as uuids
from datetime import date, timedelta
from pathlib import Path

from common import Row, median, ms, print_table

from ietp_desktop.paths import DataFolder
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.visits.read import list_visits
from ietp_desktop.services.workspace import open_workspace

CITIES = ("Dongguan", "Shenzhen", "Guangzhou", "Zhongshan", "Foshan", "Huizhou", "Shantou")
STATUSES = ("planned", "confirmed", "in_progress", "completed", "signed", "exported")
SEARCHES = ("dongguan", "toys 17", "IETP-GD-B01", "zz-no-match", "shen")


def populate_visits(data_dir: Path, count: int, answers_per_visit: int = 20) -> str:
    """`count` visits over 200 factories (one real started visit, the rest cloned in SQL);
    returns the started visit's uuid."""
    db = open_workspace(data_dir, actor="bench")
    factory = factories.add_factory(
        db,
        factories.FactoryInput(
            ietp_id="IETP-GD-BENCH",
            name_en="Bench Toys",
            name_zh="基准玩具厂",
            city="Dongguan",
            region="CN-GD-Dongguan",
            headcount=500,
            seal_issued_on=date(2026, 8, 1),
        ),
    )
    planned = lifecycle.plan_visit(db, factory.ietp_id, date(2026, 10, 12), specialist_name="B")
    lifecycle.confirm_visit(db, planned.uuid, date(2026, 10, 12), date(2026, 9, 28))
    lifecycle.start_visit(db, planned.uuid, date(2026, 10, 12))
    db.dispose()
    rng = random.Random(10_000)
    with sqlite3.connect(DataFolder(data_dir).database) as conn:
        conn.row_factory = sqlite3.Row
        base_factory = dict(conn.execute("SELECT * FROM factories").fetchone())
        base_visit = dict(conn.execute("SELECT * FROM visits").fetchone())
        factory_ids = []
        for n in range(200):
            row = {
                **base_factory,
                "id": None,
                "ietp_id": f"IETP-GD-B{n:04d}",
                "name_en": f"Guangdong Toys {n} Co.",
                "name_zh": f"广东玩具{n}厂",
                "city": CITIES[n % len(CITIES)],
            }
            cursor = conn.execute(
                f"INSERT INTO factories ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            factory_ids.append(cursor.lastrowid)
        visit_rows = []
        for _ in range(count - 1):
            day = date(2024, 1, 1) + timedelta(days=rng.randrange(1000))
            visit_rows.append(
                {
                    **base_visit,
                    "id": None,
                    "uuid": str(uuids.UUID(int=rng.getrandbits(128))),
                    "factory_id": rng.choice(factory_ids),
                    "status": rng.choice(STATUSES),
                    "planned_date": day.isoformat(),
                }
            )
        columns = list(base_visit)
        conn.executemany(
            f"INSERT INTO visits ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[r[c] for c in columns] for r in visit_rows],
        )
        ids = [i for (i,) in conn.execute("SELECT id FROM visits")]
        now = base_visit["created_at"]
        conn.executemany(
            "INSERT INTO answers (visit_id, item_id, value_json, note, updated_at) "
            "VALUES (?, ?, ?, '', ?)",
            [
                (i, f"BENCH-{k:02d}", '"yes"', now)
                for i in ids[1:]
                for k in range(answers_per_visit)
            ],
        )
    return planned.uuid


def bare_select(path: Path) -> float:
    start = time.perf_counter()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "SELECT * FROM visits JOIN factories ON visits.factory_id = factories.id "
            "ORDER BY planned_date DESC"
        ).fetchall()
    return time.perf_counter() - start


def proxy_filter_times(summaries: list[object], searches: tuple[str, ...]) -> list[float] | None:
    try:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from ietp_desktop.ui.visits.list_models import ListFilterProxy, VisitTableModel
    except ImportError:
        return None
    _app = QApplication.instance() or QApplication([])
    model = VisitTableModel()
    model.set_rows(summaries)  # type: ignore[arg-type]
    proxy = ListFilterProxy()
    proxy.setSourceModel(model)
    times = []
    for text in searches:
        start = time.perf_counter()
        proxy.set_search(text)
        proxy.rowCount()
        times.append(time.perf_counter() - start)
    proxy.set_search("")
    return times


def rows(quick: bool = False, count: int = 10_000) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-visit-list-") as folder:
        data_dir = Path(folder) / "data"
        populate_visits(data_dir, count)
        db = open_workspace(data_dir)
        list_visits(db)  # warm caches (form parsing, SQLAlchemy compiled statements)
        repeats = 2 if quick else 5
        service, floor = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            summaries = list_visits(db)
            service.append(time.perf_counter() - start)
            floor.append(bare_select(DataFolder(data_dir).database))
        db.dispose()
    assert len(summaries) == count
    haystacks = [
        " ".join(
            (
                s.factory_name_en,
                s.factory_name_zh,
                s.factory_ietp_id,
                s.city,
                s.uuid,
                s.specialist_name,
            )
        ).casefold()
        for s in summaries
    ]
    python_filter, bare_scan = [], []
    for text in SEARCHES:
        needle = text.casefold()
        start = time.perf_counter()
        [s for s, h in zip(summaries, haystacks, strict=True) if needle in h and s.status]
        python_filter.append(time.perf_counter() - start)
        start = time.perf_counter()
        [h for h in haystacks if needle in h]
        bare_scan.append(time.perf_counter() - start)
    scan = median(bare_scan)
    result = [
        Row(
            f"list_visits, {count:,} visits",
            ms(median(service)),
            f"bare SELECT {ms(median(floor))}",
            median(service) / median(floor),
        ),
        Row(
            f"filter {count:,} summaries (Python)",
            ms(max(python_filter)),
            f"substring scan {ms(scan)}",
            max(python_filter) / scan,
            "< 100 ms",
            max(python_filter) < 0.1,
        ),
    ]
    proxy = proxy_filter_times(summaries, SEARCHES)
    if proxy is not None:
        result.append(
            Row(
                f"filter {count:,} visits in the UI proxy model",
                ms(max(proxy)),
                f"substring scan {ms(scan)}",
                max(proxy) / scan,
                "< 100 ms",
                max(proxy) < 0.1,
            )
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print_table(rows(args.quick, args.visits))


if __name__ == "__main__":
    main()
