from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.hours import records, workers
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import AuditEvent, PayRecord, TimeRecord
from tests.services.hours.records_fixtures import add_sample, messy_csv, thirteen_days_csv


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_bad_rows_are_reported_by_file_row_and_reason_and_nothing_is_stored(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    add_sample(db, started_visit)
    preview = records.preview_import(db, started_visit, messy_csv(tmp_path), "time")
    assert [(p.file, p.row_number, p.column, p.reason) for p in preview.errors] == [
        ("messy.csv", 3, "日期", preview.errors[0].reason),
        ("messy.csv", 4, "下班1", "clock-out before clock-in"),
    ]
    assert "2026-13-45" in preview.errors[0].reason
    # 9999 is not in the sample: not an error any more, they join the roster
    assert preview.new_people == ("9999",)
    assert preview.record_count == 3  # the good rows' punches, 9999's included
    assert preview.left_out == {
        "1001": {"unreadable date": 1},
        "1002": {"clock-out before clock-in": 1},
    }
    assert preview.needs_acceptance  # 2 of 4 rows
    before = count(db, TimeRecord)
    with pytest.raises(
        UserError, match=r"messy.csv: 2 of 4 rows \(50.0%\) cannot be read .*nothing was stored"
    ):
        records.commit_import(db, started_visit, preview)
    assert count(db, TimeRecord) == before == 0


def test_accepting_problems_stores_only_good_rows_with_their_source(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    add_sample(db, started_visit)
    preview = records.preview_import(db, started_visit, messy_csv(tmp_path), "time")
    result = records.commit_import(db, started_visit, preview, accept_rows_with_problems=True)
    assert (result.stored, result.rows_left_out, result.joined_roster) == (3, 2, 1)
    assert result.accepted
    with db.session() as session:
        stored = session.execute(
            select(TimeRecord.start_at, TimeRecord.source_file, TimeRecord.source_row)
        ).all()
    assert sorted(stored) == [
        (datetime(2026, 10, 1, 8), "messy.csv", 2),
        (datetime(2026, 10, 1, 8), "messy.csv", 5),
        (datetime(2026, 10, 1, 13), "messy.csv", 2),
    ]
    (kept,) = records.list_imports(db, started_visit)
    assert (kept.rows_read, kept.rows_left_out, kept.accepted) == (4, 2, True)
    assert kept.left_out["1002"] == {"clock-out before clock-in": 1}


def test_one_audit_event_per_import_and_the_same_file_is_refused_or_replaced(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    add_sample(db, started_visit)
    path = thirteen_days_csv(tmp_path)
    first = records.commit_import(
        db, started_visit, records.preview_import(db, started_visit, path, "time")
    )
    assert first.stored == 27
    with db.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.field == "import")).all()
    assert len(events) == 1
    assert "考勤.csv" in (events[0].new_value or "")
    assert records.file_sha256(path) in (events[0].new_value or "")
    assert '"rows": 27' in (events[0].new_value or "")

    again = records.preview_import(db, started_visit, path, "time")
    assert again.previous is not None and again.previous.rows == 27
    assert again.errors == []  # its own earlier records are not counted as clashes
    with pytest.raises(UserError, match="already imported"):
        records.commit_import(db, started_visit, again)
    assert count(db, TimeRecord) == 27
    replaced = records.commit_import(db, started_visit, again, replace=True)
    assert (replaced.stored, replaced.replaced) == (27, 27)
    assert count(db, TimeRecord) == 27


def test_another_file_with_the_same_worker_days_is_refused_row_by_row(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    add_sample(db, started_visit)
    records.commit_import(
        db,
        started_visit,
        records.preview_import(db, started_visit, thirteen_days_csv(tmp_path), "time"),
    )
    other = tmp_path / "again.csv"
    other.write_text(
        "工号,日期,上班,下班\n1001,2026-10-02,08:00,17:00\n1003,2026-10-02,08:00,17:00\n",
        encoding="utf-8",
    )
    preview = records.preview_import(db, started_visit, other, "time")
    assert [(p.row_number, p.reason) for p in preview.errors] == [
        (2, "records for this worker and day are already stored from 考勤.csv")
    ]
    assert preview.record_count == 1


def test_pay_records_round_trip_through_the_database(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    add_sample(db, started_visit)
    workers.update_worker(
        db,
        started_visit,
        "W01",
        workers.WorkerInput(employee_no="1001", region="CN-GD-Shenzhen", base_rate=Decimal(2300)),
    )
    path = tmp_path / "pay.csv"
    path.write_text(
        "工号,月份,基本工资,加班费,津贴,夜班津贴,扣款,社保,实发工资,发薪日期\n"
        "1001,2026-09,1500,300,0,80,0,200,1680,2026-10-20\n",
        encoding="utf-8",
    )
    preview = records.preview_import(db, started_visit, path, "pay", pay_day=10)
    records.commit_import(db, started_visit, preview)
    assert count(db, PayRecord) == 1
    analysis = records.analyse_visit(db, started_visit)
    rules = {b.rule_id for b in analysis.breaches if b.worker_code == "W01"}
    assert "minimum_wage" in rules  # 1,500 base < 2,520 in Shenzhen (March 2025)
    assert "pay_at_least_monthly" in rules  # paid 20 Oct, due 10 Oct


def test_no_sample_needed_everyone_joins_the_roster(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    preview = records.preview_import(db, started_visit, thirteen_days_csv(tmp_path), "time")
    assert preview.new_people == ("1001", "1002")
    assert preview.people["1001"] == ("张三", "")
    result = records.commit_import(db, started_visit, preview)
    assert (result.stored, result.joined_roster) == (27, 2)
    assert workers.list_workers(db, started_visit) == []  # nobody sampled yet
