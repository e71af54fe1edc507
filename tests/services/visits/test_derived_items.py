"""Checklist v2: the facts the program already knows are read from their one source, and a
visit started on v1 keeps v1 exactly."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ietp_desktop.demo.seed import answer_everything
from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.i18n import catalogue
from ietp_desktop.paths import forms_dir
from ietp_desktop.reports.sample import signature_png
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import DerivedFact, FactoryView
from ietp_desktop.services.outcome import cap, findings
from ietp_desktop.services.reporting.report_data import report_data
from ietp_desktop.services.visits import answers, attendees, factories, lifecycle, signatures
from ietp_desktop.services.visits.derived import fact_text
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import PayRecord, Visit, Worker

SENIOR = attendees.AttendeeInput("Chen Wei", "General Manager", True, True, True)
LATE_SENIOR = attendees.AttendeeInput("Li Na", "Owner", True, False, True)
CLERK = attendees.AttendeeInput("Wang Fang", "HR clerk", False, True, True)


def fact(db: Database, uuid: str, item_id: str) -> DerivedFact:
    found = load_detail(db, uuid).derived[item_id]
    assert found.message in catalogue("zh"), f"no Chinese for {found.message!r}"
    return found


def form_version(db: Database, uuid: str) -> str:
    return definitions.form_definition(db, load_detail(db, uuid).form_sha256).version


def test_a_new_visit_gets_v2_where_the_four_facts_are_not_typed(
    db: Database, started_visit: str
) -> None:
    assert form_version(db, started_visit) == "2"
    form = definitions.form_definition(db, load_detail(db, started_visit).form_sha256)
    assert {i.id: i.derived_from for i in form.items() if i.derived} == {
        "OM-04": "attendees.senior_manager",
        "WG-02": "rules.minimum_wage",
        "CM-06": "cap.due_date",
    }
    assert "CM-07" not in {i.id for i in form.items()}  # the Report page chooses the language
    with pytest.raises(ValidationFailed, match="not typed; it is read from the attendee list"):
        answers.record_answer(db, started_visit, "OM-04", "yes")
    assert "OM-04" not in load_detail(db, started_visit).answers


def test_senior_manager_present_comes_from_the_attendee_list(
    db: Database, started_visit: str
) -> None:
    empty = fact(db, started_visit, "OM-04")
    assert (empty.value, fact_text(empty, "en")) == (
        None,
        "No senior manager among the attendees yet",
    )
    assert fact_text(empty, "zh") == "参会人员中尚无高层管理人员"
    attendees.add_attendee(db, started_visit, CLERK)
    late = attendees.add_attendee(db, started_visit, LATE_SENIOR)
    absent = fact(db, started_visit, "OM-04")
    assert absent.value == "no"
    assert fact_text(absent, "en") == (
        "No: Li Na (Owner) recorded as senior management, but not at the opening meeting"
    )
    attendees.add_attendee(db, started_visit, SENIOR)
    present = fact(db, started_visit, "OM-04")
    assert (present.value, fact_text(present, "en")) == ("yes", "Yes: Chen Wei (General Manager)")
    attendees.remove_attendee(db, started_visit, late.id)
    assert fact(db, started_visit, "OM-04").value == "yes"


def test_minimum_wage_is_the_rule_sets_for_the_region_and_period(
    db: Database, factory: FactoryView, started_visit: str
) -> None:
    # The rule set names a 2025 change for Dongguan without its figure: said plainly.
    dongguan = fact(db, started_visit, "WG-02")
    assert dongguan.value is None
    assert "CN-GD-Dongguan changed on 2025-03-01 but the figure is not entered" in fact_text(
        dongguan, "en"
    )
    shenzhen = factories.add_factory(
        db,
        factories.FactoryInput(
            ietp_id="IETP-GD-T0002",
            name_en="Shenzhen Test Toys",
            city="Shenzhen",
            region="CN-GD-Shenzhen",
            headcount=300,
            seal_issued_on=date(2026, 8, 1),
        ),
    )
    visit = lifecycle.plan_visit(db, shenzhen.ietp_id, date(2026, 10, 14)).uuid
    wage = fact(db, visit, "WG-02")
    assert wage.value == 2520.0
    assert fact_text(wage, "en") == (
        "2520 CNY for CN-GD-Shenzhen on the visit date 2026-10-14, in force since 2025-03-01 "
        "(深圳市 2025 minimum wage adjustment)"
    )
    assert fact_text(wage, "zh").startswith("2520 元")
    old = lifecycle.plan_visit(db, shenzhen.ietp_id, date(2022, 3, 1)).uuid
    assert fact(db, old, "WG-02").value == 2200.0  # the figure in force then
    nowhere = factories.add_factory(
        db,
        factories.FactoryInput(
            ietp_id="IETP-GD-T0003",
            name_en="No Region Toys",
            headcount=30,
            seal_issued_on=date(2026, 8, 1),
        ),
    )
    unset = fact(db, lifecycle.plan_visit(db, nowhere.ietp_id, date(2026, 10, 14)).uuid, "WG-02")
    assert unset.value is None and "has no region" in fact_text(unset, "en")


def test_minimum_wage_follows_the_pay_records_period_and_names_a_change_within_it(
    db: Database,
) -> None:
    guangzhou = factories.add_factory(
        db,
        factories.FactoryInput(
            ietp_id="IETP-GD-T0004",
            name_en="Guangzhou Test Toys",
            region="CN-GD-Guangzhou",
            headcount=120,
            seal_issued_on=date(2025, 3, 1),
        ),
    )
    uuid = lifecycle.plan_visit(db, guangzhou.ietp_id, date(2025, 5, 20)).uuid
    with db.session() as session:
        visit = session.query(Visit).filter_by(uuid=uuid).one()
        worker = Worker(visit_id=visit.id, code="W01")
        session.add(worker)
        session.flush()
        for start, end in (
            (date(2025, 1, 1), date(2025, 1, 31)),
            (date(2025, 4, 1), date(2025, 4, 30)),
        ):
            session.add(PayRecord(worker_id=worker.id, period_start=start, period_end=end))
    wage = fact(db, uuid, "WG-02")
    assert wage.value == 2500.0
    assert fact_text(wage, "en") == (
        "2500 CNY for CN-GD-Guangzhou, in force since 2025-03-01 (广东省人民政府关于调整我省企业"
        "职工最低工资标准的通知 (2025)); 2300 CNY before that date in the period reviewed "
        "(2025-01-01 – 2025-04-30)"
    )
    with db.session() as session:
        session.query(PayRecord).filter(PayRecord.period_start < date(2025, 4, 1)).delete()
    assert fact_text(fact(db, uuid, "WG-02"), "en").startswith(
        "2500 CNY for CN-GD-Guangzhou in the period reviewed 2025-04-01 – 2025-04-30"
    )


def test_cap_due_date_is_the_earliest_of_the_cap_lines(db: Database, started_visit: str) -> None:
    assert fact_text(fact(db, started_visit, "CM-06"), "en") == (
        "No CAP lines yet: no non-compliance is recorded"
    )
    findings.add_finding(
        db,
        started_visit,
        findings.FindingInput("standard_nc", "Overtime above 36 h a month", item_ids=("WH-03",)),
    )
    findings.add_finding(
        db, started_visit, findings.FindingInput("transparency", "Two sets of records")
    )
    dates = sorted(line.due_date for line in cap.list_cap_lines(db, started_visit) if line.due_date)
    due = fact(db, started_visit, "CM-06")
    assert due.value == dates[0].isoformat()
    assert (
        fact_text(due, "en") == f"{dates[0].isoformat()}, the earliest due date of the 2 CAP lines"
    )


def test_derived_items_never_block_completion_and_the_report_prints_them(
    db: Database, started_visit: str
) -> None:
    form = definitions.form_definition(db, load_detail(db, started_visit).form_sha256)
    answer_everything(db, started_visit, form, date(2026, 10, 12))
    attendees.add_attendee(db, started_visit, SENIOR)
    signatures.save_signature(db, started_visit, "specialist", "Tester", signature_png(3))
    signatures.save_signature(db, started_visit, "factory", "Chen Wei", signature_png(5))
    assert lifecycle.completion_blockers(db, started_visit) == []
    assert lifecycle.complete_visit(db, started_visit) == "maintained"
    data = report_data(db, started_visit, "both")
    printed = {item.item_id: (item.answer, item.note) for s in data.sections for item in s.items}
    assert printed["OM-04"] == (
        "Yes / 是",
        "Yes: Chen Wei (General Manager) / 是：Chen Wei (General Manager)",
    )
    assert printed["CM-06"][0] == "—"
    assert printed["CM-06"][1].startswith("No CAP lines yet")
    assert "CM-07" not in printed


def _old_database(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A laptop database from before v2 shipped, with a v1 visit answered; returns its uuid."""
    old_forms = tmp_path / "old-forms"
    (old_forms / "checklists").mkdir(parents=True)
    shutil.copy(forms_dir() / "checklists" / "pv-checklist-v1.json", old_forms / "checklists")
    shutil.copytree(forms_dir() / "rules", old_forms / "rules")
    with monkeypatch.context() as patch:
        patch.setattr(definitions, "forms_dir", lambda: old_forms)
        db = open_workspace(data_dir, actor="tester")
        shenzhen = factories.add_factory(
            db,
            factories.FactoryInput(
                ietp_id="IETP-GD-T0009",
                name_en="Shenzhen Old Toys",
                region="CN-GD-Shenzhen",
                headcount=200,
                seal_issued_on=date(2026, 8, 1),
            ),
        )
        uuid = lifecycle.plan_visit(db, shenzhen.ietp_id, date(2026, 10, 12)).uuid
        lifecycle.confirm_visit(db, uuid, date(2026, 10, 12), date(2026, 9, 28))
        lifecycle.start_visit(db, uuid, date(2026, 10, 12))
        for item_id, value in (
            ("OM-04", "yes"),
            ("CM-06", "2026-11-11"),
            ("CM-07", "both"),
            ("WG-02", 2100),
        ):
            answers.record_answer(db, uuid, item_id, value)
        assert form_version(db, uuid) == "1"
        db.dispose()
    return uuid


def test_a_v1_visit_keeps_v1_after_v2_is_installed(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uuid = _old_database(data_dir, tmp_path, monkeypatch)
    db = open_workspace(data_dir, actor="tester")  # installs v2 beside v1
    try:
        assert {d.version for d in definitions.list_definitions(db) if d.kind == "form"} == {
            "1",
            "2",
        }
        detail = load_detail(db, uuid)
        assert form_version(db, uuid) == "1"
        assert detail.derived == {}
        assert {k: detail.answers[k].value for k in ("OM-04", "CM-06", "CM-07", "WG-02")} == {
            "OM-04": "yes",
            "CM-06": "2026-11-11",
            "CM-07": "both",
            "WG-02": 2100.0,
        }
        answers.record_answer(db, uuid, "WG-02", 2360)  # still typed on v1
        printed = {
            item.item_id: item.answer
            for s in report_data(db, uuid, "en").sections
            for item in s.items
        }
        assert (printed["OM-04"], printed["CM-07"], printed["WG-02"]) == ("Yes", "Both", "2360 CNY")
        assert printed["CM-06"] == "2026-11-11"
        missing = [b.item_id for b in lifecycle.completion_blockers(db, uuid) if b.item_id]
        assert "OM-04" not in missing and "CM-07" not in missing
        factory = load_detail(db, uuid).factory.ietp_id
        assert form_version(db, lifecycle.plan_visit(db, factory, date(2026, 12, 1)).uuid) == "2"
    finally:
        db.dispose()
