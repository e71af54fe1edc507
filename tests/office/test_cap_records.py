"""New records for wage and hours CAP lines: read with the laptop's importer, checked with its
calculators and the visit's rule set, kept with the line; flags, refusals, the console, the
CLI, PostgreSQL.

The received visit (20 Nov 2026, factory IETP-GD-10231 东莞市宏达玩具有限公司, rule set
cn-guangdong-v1) has F01 (no rest day in 7), F02 (monthly overtime), F03 (more than 60 h in
7 days), all working hours, and F04 (a blocked fire exit, EHS).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from ietp_desktop.cli import main
from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.cap_followup import (
    decisions,
    records_check,
    records_reading,
    records_summary,
)
from ietp_desktop.office.cap_followup.factory_returns import import_cap
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import ImportMapping
from ietp_desktop.storage.office_models import OfficeAuditEntry
from ietp_desktop.storage.office_records_models import OfficeCapRecordsCheck
from ietp_desktop.storage.office_review_models import OfficeCapEvidence
from tests.bundle_world import World, office_state, row_count, world, world_template
from tests.importers import factory_files
from tests.office import records_files as rf
from tests.office.conftest import csrf_of
from tests.office.review_world import office_db, receive
from tests.office.test_cap_console import clients
from tests.office.test_cap_followup import PDF
from tests.office.test_office_postgres import _export
from tests.postgres import PG_URL

__all__ = ["clients", "world", "world_template"]

WHO = {"actor": "rex", "role": "reviewer"}
LONG = frozenset({"1001", "1002"})


def files_of(*paths: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]


def check(db: Database, world: World, code: str, *paths: Path, confirm: bool = False) -> object:
    return records_check.check_line_records(
        db, world.office_dir, world.visit_uuid, code, files_of(*paths), confirm=confirm, **WHO
    )


@pytest.fixture
def received(world: World, tmp_path: Path) -> World:
    return receive(world, tmp_path)


def evidence_folder(world: World) -> list[str]:
    return sorted(p.name for p in world.office_dir.rglob("*") if p.is_file() and "cap" in str(p))


# --- the service ----------------------------------------------------------------------------


def test_two_months_of_clean_records_show_no_breach_and_no_flag(
    received: World, tmp_path: Path
) -> None:
    db = office_db(received)
    try:
        stored = check(
            db,
            received,
            "F02",
            rf.dingtalk_grid_xlsx(tmp_path, 2026, 12),
            rf.dingtalk_grid_xlsx(tmp_path, 2027, 1),
            rf.payroll_xlsx(tmp_path, 2026, 12),
            rf.payroll_xlsx(tmp_path, 2027, 1),
        )
        assert isinstance(stored, records_check.StoredCheck)
        s = stored.summary
        assert (s.period_start, s.period_end) == ("2026-12-01", "2027-01-31")
        assert s.months == ("2026-12", "2027-01") and s.workers == 3
        assert s.rules == () and s.flags == () and s.weeks_over == 0
        assert s.finding_rules == ("overtime_hours_per_month",)
        assert s.checked == ("overtime_hours_per_month",)
        assert [(f.kind, f.records, f.rows_left_out) for f in s.files] == [
            ("time", 3 * 2 * 23, 0),  # 23 weekdays in Dec 2026, two intervals a day
            ("time", 3 * 2 * 20, 0),  # 21 weekdays in Jan 2027 less New Year's Day
            ("pay", 3, 0),
            ("pay", 3, 0),
        ]
        # the rule set says the Dongguan minimum wage changed without giving the figure:
        # the result says the minimum wage was not checked instead of calling it kept
        assert any("minimum-wage checks skipped" in n.text("en") for n in s.not_checked)
        # kept as template and values: it reads in the reader's language once stored
        latest = records_check.line_records(db, received.visit_uuid, "F02").latest
        assert latest is not None and latest.summary.not_checked == s.not_checked
        zh = [n.text("zh") for n in latest.summary.not_checked]
        assert any(n.startswith("1001, 1002, 1003：未检查最低工资：规则集") for n in zh), zh
        assert not any("checks skipped" in n or "not entered" in n for n in zh), zh
        with db.session() as session:
            row = session.scalars(select(OfficeCapRecordsCheck)).one()
            assert (row.finding_code, row.months_covered, row.workers, row.flags) == (
                "F02",
                2,
                3,
                "",
            )
            assert len(session.scalars(select(OfficeCapEvidence)).all()) == 4
            entry = session.scalars(
                select(OfficeAuditEntry).where(OfficeAuditEntry.action == "cap.records-check")
            ).one()
            assert entry.actor == "rex" and "3 worker(s), 0 breach(es); flags: none" in entry.detail
        # a clean check: the line is accepted without any confirmation
        decisions.decide_line(db, received.visit_uuid, "F02", "accepted", "Two clean months", **WHO)
    finally:
        db.dispose()


def test_sixty_hour_weeks_that_persist_are_flagged(received: World, tmp_path: Path) -> None:
    db = office_db(received)
    try:
        stored = check(db, received, "F03", rf.zkteco_csv(tmp_path, rf.DEC_1, rf.JAN_31, LONG))
        assert isinstance(stored, records_check.StoredCheck)
        s = stored.summary
        assert s.flags == (records_summary.PERSIST,)  # 1 Dec – 30 Jan (31 Jan is a Sunday)
        total = s.rules[0]
        assert (total.rule_id, total.finding_rule, total.workers) == (
            "total_hours_per_7_days",
            True,
            2,
        )
        # 6 × 11 h = 66 h in every 7 days, except the windows holding New Year's Day (5 days
        # worked): two runs per worker, 1 Dec – 31 Dec and 2 Jan – 30 Jan
        assert total.periods == 4
        assert [(e.worker, e.start, e.end, e.figure) for e in total.examples[:2]] == [
            ("1001", "2026-12-01", "2026-12-31", "66.00"),
            ("1001", "2027-01-02", "2027-01-30", "66.00"),
        ]
        # whole Monday–Sunday weeks above 60 h: 7 Dec … 21 Dec, 4 Jan … 25 Jan = 7 a worker
        assert (s.weeks_over, s.weekly_limit) == (14, "60")
        overtime = next(r for r in s.rules if r.rule_id == "overtime_hours_per_month")
        assert (overtime.workers, overtime.periods, overtime.finding_rule) == (2, 4, False)
        # no payroll sent: wages not checked
        assert records_summary.NO_PAY in [n.text("en") for n in s.not_checked]
        with pytest.raises(UserError, match="is flagged"):
            decisions.decide_line(db, received.visit_uuid, "F03", "accepted", "ok", **WHO)
        with pytest.raises(UserError, match="say why"):
            decisions.decide_line(
                db, received.visit_uuid, "F03", "accepted", "", without_records=True, **WHO
            )
        decisions.decide_line(
            db,
            received.visit_uuid,
            "F03",
            "accepted",
            "Peak season ends in February; IETP agreed",
            without_records=True,
            **WHO,
        )
        with db.session() as session:
            details = session.scalars(
                select(OfficeAuditEntry.detail).where(OfficeAuditEntry.action == "cap.accepted")
            ).all()
        assert details == [
            "accepted without a clean records check: Peak season ends in February; IETP agreed"
        ]
    finally:
        db.dispose()


def test_one_month_of_records_is_flagged_short(received: World, tmp_path: Path) -> None:
    db = office_db(received)
    try:
        stored = check(db, received, "F01", rf.dingtalk_grid_xlsx(tmp_path, 2026, 12))
        assert isinstance(stored, records_check.StoredCheck)
        s = stored.summary
        assert s.flags == (records_summary.SHORT,)
        assert (s.period_start, s.period_end, s.months) == (
            "2026-12-01",
            "2026-12-31",
            ("2026-12",),
        )
        assert s.rules == () and s.finding_rules == ("rest_days_per_week",)
        with pytest.raises(UserError, match="is flagged"):
            decisions.decide_line(db, received.visit_uuid, "F01", "accepted", "ok", **WHO)
    finally:
        db.dispose()


def test_accepting_an_hours_line_without_records_asks_for_confirmation(received: World) -> None:
    db = office_db(received)
    try:
        evidence = [("F01", "p.pdf", PDF)]
        import_cap(db, received.office_dir, received.visit_uuid, None, evidence, **WHO)
        with pytest.raises(UserError, match="check two months of new records first"):
            decisions.decide_line(db, received.visit_uuid, "F01", "accepted", "ok", **WHO)
        decisions.decide_line(
            db,
            received.visit_uuid,
            "F01",
            "accepted",
            "The finding was about the rota; the new rota is the evidence",
            without_records=True,
            **WHO,
        )
    finally:
        db.dispose()


def test_rows_left_out_need_confirmation_before_anything_is_stored(
    received: World, tmp_path: Path
) -> None:
    path = rf.zkteco_csv(tmp_path, rf.DEC_1, rf.JAN_31)
    lines = path.read_bytes().decode("gbk").splitlines()
    # the 08:00 punches of 1001's first five working days hold an impossible time: more
    # than 2 % of the rows of this short file
    bad = [line.replace(" 08:00:00", " 25:61:00") for line in lines[3:23]]
    short = tmp_path / "short.csv"
    short.write_bytes("\r\n".join(lines[:3] + bad + lines[23:200]).encode("gbk"))
    db = office_db(received)
    try:
        before = office_state(received.office_dir)
        pending = check(db, received, "F03", short)
        assert isinstance(pending, records_check.Pending)
        assert pending.reasons == (records_reading.LEFT_OUT,)
        assert any("rows left out" in line.text("en") for line in pending.files[0].summary)
        assert office_state(received.office_dir) == before
        stored = check(db, received, "F03", short, confirm=True)
        assert isinstance(stored, records_check.StoredCheck)
        assert stored.summary.confirmed and stored.summary.unread_total == 5
        first = stored.summary.unread[0]
        assert (first.file, first.row) == ("short.csv", 4) and "25:61" in first.reason.text("en")
        # stored as template and values: the Chinese console reads it in Chinese
        latest = records_check.line_records(db, received.visit_uuid, "F03").latest
        assert latest is not None and latest.summary.unread[0] == first
        assert first.reason.text("zh").startswith("无法读取的时间 ")
    finally:
        db.dispose()


def test_bad_input_is_refused_with_what_and_where_and_nothing_is_stored(
    received: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = rf.dingtalk_grid_xlsx(tmp_path, 2026, 12)
    db = office_db(received)
    try:
        before = office_state(received.office_dir)
        files_before = evidence_folder(received)
        cases = [
            (rf.not_records_csv(tmp_path), r"灭火器检查\.csv holds neither attendance nor payroll"),
            (factory_files.zkteco_export_csv(tmp_path), "row 4: records of 2026-10-01, before "),
            (
                rf.payroll_xlsx(tmp_path, 2026, 12, company="东莞市某某玩具有限公司"),
                "row 1: the title names 东莞市某某玩具有限公司, not factory IETP-GD-10231",
            ),
        ]
        for bad, message in cases:
            with pytest.raises(UserError, match=message):
                check(db, received, "F01", good, bad)
        december = rf.zkteco_csv(tmp_path, rf.DEC_1, rf.DEC_1)
        with pytest.raises(
            UserError,
            match=r"考勤记录\.csv: the records of worker 1001 for 2026-12-01 are also in 钉钉",
        ):
            check(db, received, "F01", good, december)
        broken = tmp_path / "考勤.xlsx"
        broken.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
        with pytest.raises(UserError, match=r"考勤\.xlsx: the workbook is damaged"):
            check(db, received, "F01", broken)
        with pytest.raises(UserError, match="line F04 is about ehs, not working hours or wages"):
            check(db, received, "F04", good)
        monkeypatch.setattr(records_reading, "MAX_RECORDS_BYTES", 1000)
        with pytest.raises(UserError, match=r"钉钉考勤2026-12.xlsx is [\d,]+ bytes; a records"):
            check(db, received, "F01", good)
        with pytest.raises(UserError, match="may not check records"):
            records_check.check_line_records(
                db,
                received.office_dir,
                received.visit_uuid,
                "F01",
                files_of(good),
                actor="rory",
                role="read-only",
            )
        assert office_state(received.office_dir) == before
        assert evidence_folder(received) == files_before
        assert row_count(db, OfficeCapRecordsCheck) == 0
    finally:
        db.dispose()


# --- the console --------------------------------------------------------------------------------


def test_console_line_page_checks_records_and_shows_the_result(
    clients: tuple[World, dict[str, TestClient]], tmp_path: Path
) -> None:
    world, by_role = clients
    reviewer, reader = by_role["reviewer"], by_role["read-only"]
    url = f"/cap/visits/{world.visit_uuid}/lines/F03"
    page = reviewer.get(url)
    assert "Check new records" in page.text and "No new records checked yet." in page.text
    assert 'name="without_records"' in page.text
    assert (
        "Check new records"
        not in reader.get(url)
        .text.split('id="records"')[1]
        .split("</section>")[0]
        .split("No new records checked yet.")[1]
    )
    ehs = reviewer.get(f"/cap/visits/{world.visit_uuid}/lines/F04").text
    assert 'id="records"' not in ehs and 'name="without_records"' not in ehs

    csv = rf.zkteco_csv(tmp_path, rf.DEC_1, rf.JAN_31, LONG)
    upload = [("records", (csv.name, csv.read_bytes(), "text/csv"))]
    denied = reader.post(
        url + "/records", data={"csrf": csrf_of(reader.get(url).text)}, files=upload
    )
    assert denied.status_code == 403
    bad = rf.not_records_csv(tmp_path)
    refused = reviewer.post(
        url + "/records",
        data={"csrf": csrf_of(page.text)},
        files=[("records", (bad.name, bad.read_bytes(), "text/csv"))],
    )
    assert refused.status_code == 400
    assert "灭火器检查.csv holds neither attendance nor payroll records" in refused.text
    done = reviewer.post(
        url + "/records", data={"csrf": csrf_of(page.text)}, files=upload, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    shown = reviewer.get(done.headers["location"]).text
    for text in (
        "The records are checked; the result is below.",
        "Breaches persist",
        "2026-12-01 – 2027-01-30",
        "At most 60 total hours in any 7 days (programme limit)",
        "1001: 2026-12-01 – 2026-12-31, 66.00 h (limit 60)",
        "14 worker-week(s) (Monday–Sunday) above 60 h:",
        "Wages not checked: no payroll records were read.",
        "考勤记录.csv",
    ):
        assert text in shown, text
    assert "Records cover less than two months after the visit" not in shown
    refused_accept = reviewer.post(
        url, data={"csrf": csrf_of(shown), "decision": "accepted", "comment": "ok"}
    )
    assert refused_accept.status_code == 400 and "is flagged" in refused_accept.text
    chinese = reviewer.get("/lang/zh?next=" + url, follow_redirects=True).text
    assert "违规仍在持续" in chinese and "检查新记录" in chinese
    assert "未检查工资：未读取到工资记录。" in chinese


def test_console_confirms_a_file_with_rows_left_out(
    clients: tuple[World, dict[str, TestClient]], tmp_path: Path
) -> None:
    world, by_role = clients
    reviewer = by_role["reviewer"]
    url = f"/cap/visits/{world.visit_uuid}/lines/F01"
    grid = rf.dingtalk_grid_xlsx(tmp_path, 2026, 12)
    from openpyxl import load_workbook

    wb = load_workbook(grid)
    ws = wb.active
    assert ws is not None
    ws["D3"] = "7.58 12:00"  # an unreadable time: 1 of 3 rows left out
    wb.save(grid)
    page = reviewer.get(url)
    confirm = reviewer.post(
        url + "/records",
        data={"csrf": csrf_of(page.text)},
        files=[("records", (grid.name, grid.read_bytes(), "application/octet-stream"))],
    )
    assert confirm.status_code == 200
    assert "Confirm what was read" in confirm.text and "Layout: monthly-grid" in confirm.text
    assert "Nothing is stored until you confirm." in confirm.text
    assert "No new records checked yet." in reviewer.get(url).text
    done = reviewer.post(
        url + "/records/confirm",
        data={
            "csrf": csrf_of(confirm.text),
            "file": confirm.text.split('name="file" value="')[1].split('"')[0],
            "name": grid.name,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    shown = reviewer.get(done.headers["location"]).text
    assert "Records cover less than two months after the visit" in shown
    assert "Could not be read" in shown and "7.58" in shown
    assert not (world.office_dir / "cap-records-pending").exists() or not any(
        (world.office_dir / "cap-records-pending").iterdir()
    )


def test_console_takes_a_column_mapping_and_confirms_it(
    clients: tuple[World, dict[str, TestClient]], tmp_path: Path
) -> None:
    world, by_role = clients
    reviewer = by_role["reviewer"]
    url = f"/cap/visits/{world.visit_uuid}/lines/F03"
    export = rf.own_headers_csv(tmp_path, rf.DEC_1, rf.JAN_31)
    page = reviewer.get(url)
    assert "Column mapping, for a file the importer cannot read on its own" in page.text
    upload = [("records", (export.name, export.read_bytes(), "text/csv"))]
    mapping = json.dumps(rf.OWN_MAPPING, ensure_ascii=False)
    confirm = reviewer.post(
        url + "/records", data={"csrf": csrf_of(page.text), "mapping": mapping}, files=upload
    )
    assert confirm.status_code == 200, confirm.text
    assert "A file could only be read with the column mapping you gave" in confirm.text
    assert "人员编码  →  worker_code" in confirm.text
    form = {
        "csrf": csrf_of(confirm.text),
        "file": confirm.text.split('name="file" value="')[1].split('"')[0],
        "name": export.name,
        "mapping": confirm.text.split('name="mapping" value="')[1].split('"')[0],
    }
    assert form["mapping"].startswith("{&#34;") or form["mapping"].startswith("{&quot;")
    form["mapping"] = mapping  # the browser sends the unescaped value
    done = reviewer.post(url + "/records/confirm", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    shown = reviewer.get(done.headers["location"]).text
    assert "刷卡汇总.csv" in shown and "No breach found in the records read" in shown
    expired = reviewer.post(
        url + "/records/confirm", data={**form, "file": "0" * 64}, follow_redirects=False
    )
    assert expired.status_code == 400
    assert "The files to confirm are no longer held; upload them again." in expired.text
    # the same upload read in Chinese: what was understood is in the reader's language
    page = reviewer.get("/lang/zh?next=" + url, follow_redirects=True)
    chinese = reviewer.post(
        url + "/records", data={"csrf": csrf_of(page.text), "mapping": mapping}, files=upload
    ).text
    assert "文件：刷卡汇总.csv" in chinese and "读取行数：" in chinese
    assert "File:" not in chinese and "Rows read" not in chinese


# --- the command line ---------------------------------------------------------------------------


def test_office_cap_records_command(
    received: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = str(received.office_dir)
    line = f"{received.visit_uuid}:F03"
    csv = rf.zkteco_csv(tmp_path, rf.DEC_1, rf.JAN_31, LONG)
    assert main(["office", "cap", "records", line, str(csv), "--office-dir", office]) == 0
    out = capsys.readouterr().out
    assert "FLAG: Breaches persist" in out
    assert "total_hours_per_7_days (the finding's rule): 2 worker(s), 4 period(s)" in out
    assert "14 worker-week(s) above 60 h" in out
    grid = rf.dingtalk_grid_xlsx(tmp_path, 2026, 12)
    code = main(
        ["office", "cap", "records", f"{received.visit_uuid}:f01", str(grid), "--json",
         "--office-dir", office]
    )  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stored"] is True
    assert data["summary"]["flags"] == ["short-coverage"]
    assert data["summary"]["months"] == ["2026-12"]
    bad = rf.not_records_csv(tmp_path)
    assert main(["office", "cap", "records", line, str(bad), "--office-dir", office]) == 1
    assert "holds neither attendance nor payroll records" in capsys.readouterr().err
    assert main(["office", "cap", "records", "F03", str(csv), "--office-dir", office]) == 1
    assert "VISIT_UUID:FINDING" in capsys.readouterr().err
    assert main(
        ["office", "cap", "decide", received.visit_uuid, "F03", "accept", "--comment",
         "agreed with IETP", "--without-records", "--office-dir", office]
    ) == 0  # fmt: skip


# --- PostgreSQL ---------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="IETP_TEST_PG_URL is not set")
def test_records_check_on_postgres(world: World, tmp_path: Path, pg_url: str) -> None:
    [outcome] = import_bundles(
        world.office_dir, [_export(world, tmp_path / "v.ietpbundle")], pg_url
    )
    assert outcome.status == "imported", outcome.message
    db = open_office_db(world.office_dir, pg_url)
    try:
        stored = check(db, world, "F03", rf.zkteco_csv(tmp_path, rf.DEC_1, rf.JAN_31, LONG))
        assert isinstance(stored, records_check.StoredCheck)
        assert stored.summary.flags == (records_summary.PERSIST,)
        before = office_state(world.office_dir, pg_url)
        with pytest.raises(UserError, match="before the visit"):
            check(db, world, "F01", factory_files.zkteco_export_csv(tmp_path))
        assert office_state(world.office_dir, pg_url) == before
        shown = records_check.line_records(db, world.visit_uuid, "F03")
        assert shown.latest is not None and shown.latest.summary.rules[0].periods == 4
        short = check(db, world, "F01", rf.dingtalk_grid_xlsx(tmp_path, 2026, 12))
        assert isinstance(short, records_check.StoredCheck)
        assert short.summary.flags == (records_summary.SHORT,)
    finally:
        db.dispose()


def test_a_mapping_given_for_an_unknown_export_is_confirmed_then_remembered(
    received: World, tmp_path: Path
) -> None:
    export = rf.own_headers_csv(tmp_path, rf.DEC_1, rf.JAN_31)
    mapping = json.dumps(rf.OWN_MAPPING, ensure_ascii=False)
    db = office_db(received)
    try:
        with pytest.raises(UserError, match=r"刷卡汇总\.csv holds neither attendance nor payroll"):
            check(db, received, "F03", export)
        with pytest.raises(UserError, match="the column mapping is not JSON"):
            records_check.check_line_records(
                db, received.office_dir, received.visit_uuid, "F03", files_of(export),
                mapping="{worker_code:", **WHO,
            )  # fmt: skip
        pending = records_check.check_line_records(
            db, received.office_dir, received.visit_uuid, "F03", files_of(export),
            mapping=mapping, **WHO,
        )  # fmt: skip
        assert isinstance(pending, records_check.Pending)
        assert pending.reasons == (records_reading.GIVEN,)
        assert "    A  人员编码  →  worker_code" in [
            line.text("en") for line in pending.files[0].recognition
        ]
        assert row_count(db, OfficeCapRecordsCheck) == 0 and row_count(db, ImportMapping) == 0
        stored = records_check.check_line_records(
            db, received.office_dir, received.visit_uuid, "F03", files_of(export),
            mapping=mapping, confirm=True, **WHO,
        )  # fmt: skip
        assert isinstance(stored, records_check.StoredCheck)
        assert stored.summary.flags == () and stored.summary.rules == ()
        assert stored.summary.files[0].records == 3 * 2 * (23 + 20)
        # the factory's next export of the same kind is read with the remembered mapping,
        # shown for confirmation again
        again = check(db, received, "F01", export)
        assert isinstance(again, records_check.Pending)
        assert again.reasons == (records_reading.REMEMBERED,)
    finally:
        db.dispose()
