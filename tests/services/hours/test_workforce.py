"""The whole workforce: imports need no sample, the sample is drawn from the roster, the
checks run for everyone, coverage says where records are missing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.hours import checks, records, roster, workers
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.storage.db import Database
from tests.importers import factory_files as ff


def imported(
    db: Database, visit: str, path: Path, kind: records.Kind = "time", **kw: object
) -> records.ImportResult:
    preview = records.preview_import(db, visit, path, kind)
    return records.commit_import(db, visit, preview, **kw)  # type: ignore[arg-type]


def workforce_csv(tmp_path: Path) -> Path:
    """36 people: 24 in 装配, 8 in 注塑, 4 in 包装; each works 1 Oct 08:00–17:00; the 4 in
    包装 work 1–13 Oct without a rest day (13 consecutive days)."""
    lines = ["工号,姓名,部门,日期,上班1,下班1"]
    departments = ["装配"] * 24 + ["注塑"] * 8 + ["包装"] * 4
    for n, department in enumerate(departments, start=1):
        days = range(1, 14) if department == "包装" else range(1, 2)
        for d in days:
            lines.append(f"E{n:03d},员工{n},{department},2026-10-{d:02d},08:00,17:00")
    return ff.write_text(tmp_path / "全厂考勤.csv", lines)


def test_the_sample_is_drawn_from_the_roster_reproducibly_and_stratified(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    result = imported(db, started_visit, workforce_csv(tmp_path))
    assert result.joined_roster == 36
    draw = roster.draw_sample(db, started_visit, seed=1234)
    assert (draw.seed, draw.size, draw.headcount) == (1234, 6, 36)  # √36
    assert draw.strata == {"包装": 1, "注塑": 1, "装配": 4}  # 24/8/4 of 36 → 4, 1.3, 0.7
    assert draw.codes == ("W01", "W02", "W03", "W04", "W05", "W06")
    sampled = {p.employee_no for p in roster.list_roster(db, started_visit) if p.in_sample}
    again = roster.draw_sample(db, started_visit, seed=1234)
    assert again.codes == draw.codes
    assert {p.employee_no for p in roster.list_roster(db, started_visit) if p.in_sample} == sampled
    assert len(workers.list_workers(db, started_visit)) == 6
    with pytest.raises(UserError, match="a sample of 40 from a roster of 36"):
        roster.draw_sample(db, started_visit, size=40)


def test_checks_run_for_everyone_sample_and_workforce_side_by_side(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    imported(db, started_visit, workforce_csv(tmp_path))
    roster.draw_sample(db, started_visit, seed=1234)
    # the sample's 包装 worker and one more by hand: 2 of 7 sampled
    packers = [p for p in roster.list_roster(db, started_visit) if p.department == "包装"]
    extra = next(p for p in packers if not p.in_sample)
    added = roster.set_in_sample(db, started_visit, extra.employee_no, True)
    assert added.code == "W07"
    result = checks.check_visit(db, started_visit)
    rest = next(c for c in result.comparisons if c.rule_id == "rest_days_per_week")
    assert (rest.sampled_with, rest.sampled, rest.workforce_with, rest.workforce) == (2, 7, 4, 36)
    assert rest.text.endswith(": 2 of 7 sampled workers, 4 of 36 in the whole workforce")
    assert result.sample.summary.workers == 7
    assert result.workforce.summary.workers == 36
    assert result.seed == 1234
    proposals = records_proposals(db, started_visit)
    assert any("4 of 36 in the whole workforce" in p for p in proposals)


def records_proposals(db: Database, visit: str) -> list[str]:
    from ietp_desktop.services.hours import proposals

    return [v.proposal.description for v in proposals.proposed_findings(db, visit)]


def test_coverage_flags_every_person_with_rows_left_out(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    imported(db, started_visit, ff.worker_day_gbk_csv(tmp_path), accept_rows_with_problems=True)
    result = checks.check_visit(db, started_visit)
    by_no = {c.employee_no: c for c in result.coverage}
    assert by_no["1002"].flagged
    assert by_no["1002"].note == (
        "1 row(s) left out (1 unreadable time); no time records; figures may be low"
    )
    assert (by_no["1001"].days_with_records, by_no["1001"].days_in_period) == (1, 1)
    assert not by_no["1001"].flagged
    assert result.rows_left_out == 1
    (accepted,) = result.imports
    assert accepted.accepted and accepted.rows_read == 3


def test_a_small_share_left_out_needs_no_acceptance_but_is_counted(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    lines = ["工号,日期,上班1,下班1"]
    lines += [f"1001,2026-10-{d:02d},08:00,17:00" for d in range(1, 31)]
    lines += [f"1002,2026-10-{d:02d},08:00,17:00" for d in range(1, 31)]
    lines[5] = "1001,2026-10-05,8点,17:00"  # 1 of 60 rows: 1.7 %
    preview = records.preview_import(
        db, started_visit, ff.write_text(tmp_path / "a.csv", lines), "time"
    )
    assert not preview.needs_acceptance
    result = records.commit_import(db, started_visit, preview)
    assert (result.stored, result.rows_left_out, result.accepted) == (59, 1, False)
    flagged = checks.check_visit(db, started_visit).flagged
    assert [(c.employee_no, c.rows_left_out) for c in flagged] == [("1001", 1)]


def test_merged_code_workbook_gives_both_breaches_for_the_workforce(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    imported(db, started_visit, ff.merged_code_xlsx(tmp_path))
    result = checks.check_visit(db, started_visit)
    assert sorted((c.rule_id, c.workforce_with) for c in result.comparisons) == [
        ("overtime_hours_per_day_special", 1),
        ("rest_days_per_week", 1),
    ]
    assert result.flagged == ()


def test_a_wecom_account_linked_to_an_employee_number(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    imported(db, started_visit, ff.payroll_xlsx(tmp_path), "pay")
    imported(db, started_visit, ff.wecom_xlsx(tmp_path))
    people = {p.employee_no: p for p in roster.list_roster(db, started_visit)}
    assert {"1001", "zhangsan", "lisi"} <= set(people)
    linked = roster.link_names(db, started_visit, "1001", "zhangsan")
    assert linked.aliases == ("zhangsan",)
    people = {p.employee_no: p for p in roster.list_roster(db, started_visit)}
    assert "zhangsan" not in people
    result = checks.check_visit(db, started_visit)
    zhang = next(c for c in result.coverage if c.employee_no == "1001")
    assert zhang.days_with_records == 1  # WeCom's punches now belong to 1001
    # the next visit of the factory knows the link
    visit = started_visit
    del visit
    planned = lifecycle.plan_visit(db, "IETP-GD-T0001", date(2027, 1, 12), specialist_name="T")
    lifecycle.confirm_visit(db, planned.uuid, date(2027, 1, 12), date(2026, 12, 28))
    lifecycle.start_visit(db, planned.uuid, date(2027, 1, 12))
    imported(db, planned.uuid, ff.payroll_xlsx(tmp_path), "pay")
    preview = records.preview_import(db, planned.uuid, ff.wecom_xlsx(tmp_path), "time")
    assert preview.new_people == ("lisi",)  # zhangsan is 1001 already


def test_the_mapping_that_worked_is_remembered_for_the_factory(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    path = ff.write_text(
        tmp_path / "odd.csv", ["Person,Day,Arrive,Leave", "1001,2026-10-01,08:00,17:00"]
    )
    with pytest.raises(UserError, match="no attendance records recognised"):
        records.preview_import(db, started_visit, path, "time")
    mapping = {
        "layout": "worker-day",
        "fields": {"worker_code": "Person", "date": "Day", "in_1": "Arrive", "out_1": "Leave"},
    }
    first = records.preview_import(db, started_visit, path, "time", mapping)
    records.commit_import(db, started_visit, first)
    later = ff.write_text(
        tmp_path / "odd2.csv", ["Person,Day,Arrive,Leave", "1002,2026-10-02,08:00,17:00"]
    )
    again = records.preview_import(db, started_visit, later, "time")
    assert again.remembered_mapping
    assert [p.minutes for p in again.punches] == [540]


def test_the_report_prints_the_workforce_and_the_rows_left_out(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    from ietp_desktop.services.reporting.report_data import report_data

    imported(db, started_visit, ff.merged_code_xlsx(tmp_path))
    imported(db, started_visit, ff.worker_day_gbk_csv(tmp_path), accept_rows_with_problems=True)
    roster.draw_sample(db, started_visit, seed=3)
    data = report_data(db, started_visit, "en")
    assert data.workers is not None
    summary = data.workers.summary
    assert "in the whole workforce" in summary
    assert (
        "考勤.csv: 1 of 3 rows could not be read and were left out; leaving them out was "
        "accepted on import"
    ) in summary
    assert "people have incomplete records" in summary
