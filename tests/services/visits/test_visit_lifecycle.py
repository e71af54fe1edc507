"""The visit lifecycle through the services API, as the specialist would live it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from ietp_desktop.demo.seed import answer_everything
from ietp_desktop.domain.checklist import missing_required
from ietp_desktop.domain.errors import NotFound, UserError, ValidationFailed
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import FactoryView
from ietp_desktop.services.outcome import findings
from ietp_desktop.services.visits import answers, attendees, lifecycle
from ietp_desktop.services.visits.read import VisitFilter, list_visits, load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import AuditEvent, FormDefinition
from tests.closing import sign_closing

SENIOR = attendees.AttendeeInput("Chen Wei", "General Manager", True, True, True)


def _form(db: Database, uuid: str):  # type: ignore[no-untyped-def]
    with db.session() as session:
        return definitions.form_by_sha(session, load_detail(db, uuid).form_sha256)


def test_plan_outside_the_window_warns(db: Database, factory: FactoryView) -> None:
    planned = lifecycle.plan_visit(db, factory.ietp_id, date(2026, 9, 1))
    assert planned.window_opens == date(2026, 10, 1)
    assert planned.window_closes == date(2026, 12, 1)
    assert planned.warning is not None and "before the Progress Visit window" in planned.warning
    inside = lifecycle.plan_visit(db, factory.ietp_id, date(2026, 11, 2))
    assert inside.warning is None


def test_answer_survives_a_restart(data_dir: Path, db: Database, started_visit: str) -> None:
    answers.record_answer(db, started_visit, "WH-03", "58", "Peak in week 41")
    db.dispose()
    reopened = open_workspace(data_dir)
    detail = load_detail(reopened, started_visit)
    assert detail.answers["WH-03"].value == 58.0
    assert detail.answers["WH-03"].note == "Peak in week 41"
    reopened.dispose()


def test_invalid_answer_is_refused_and_the_previous_value_kept(
    db: Database, started_visit: str
) -> None:
    answers.record_answer(db, started_visit, "WH-03", 50)
    with pytest.raises(ValidationFailed, match="WH-03"):
        answers.record_answer(db, started_visit, "WH-03", 500)
    assert load_detail(db, started_visit).answers["WH-03"].value == 50.0


def test_unknown_item_and_unknown_visit_are_named(db: Database, started_visit: str) -> None:
    with pytest.raises(NotFound, match="XX-99"):
        answers.record_answer(db, started_visit, "XX-99", "yes")
    with pytest.raises(NotFound, match="nosuchvisit"):
        answers.record_answer(db, "nosuchvisit", "WH-03", 1)


def test_every_change_writes_an_audit_event(db: Database, started_visit: str) -> None:
    answers.record_answer(db, started_visit, "WH-03", 40)
    answers.record_answer(db, started_visit, "WH-03", 62)
    with db.session() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "Answer", AuditEvent.action == "update")
        ).all()
    change = [e for e in events if e.field == "value_json"][-1]
    assert (json.loads(change.old_value), json.loads(change.new_value)) == (40.0, 62.0)
    assert change.actor == "tester"
    assert change.visit_id == load_detail(db, started_visit).summary.id


def test_completion_gates_list_every_reason(db: Database, started_visit: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        lifecycle.complete_visit(db, started_visit)
    problems = refused.value.problems
    assert any("not answered" in p for p in problems)
    assert "no senior manager is recorded among the attendees" in problems

    form = _form(db, started_visit)
    answer_everything(db, started_visit, form, date(2026, 10, 12))
    attendees.add_attendee(
        db, started_visit, attendees.AttendeeInput("Chen Wei", "GM", True, True, False)
    )
    with pytest.raises(ValidationFailed) as refused:
        lifecycle.complete_visit(db, started_visit)
    assert refused.value.problems == [
        "no senior manager attended both the opening and the closing meeting",
        "the specialist's signature is not saved",
        "no senior manager's signature is saved",
    ]
    attendees.add_attendee(db, started_visit, SENIOR)
    sign_closing(db, started_visit, SENIOR.name)
    assert lifecycle.complete_visit(db, started_visit) == "maintained"
    assert load_detail(db, started_visit).summary.status == "completed"


def test_hidden_items_are_not_required(db: Database, started_visit: str) -> None:
    form = _form(db, started_visit)
    dependent = next(i for i in form.items() if i.relevant_when is not None and i.required)
    assert dependent not in missing_required(form, {})
    answer_everything(db, started_visit, form, date(2026, 10, 12))
    detail = load_detail(db, started_visit)
    assert not any("not answered" in p for p in detail.completion_problems)


def test_outcome_follows_findings(db: Database, started_visit: str) -> None:
    answer_everything(db, started_visit, _form(db, started_visit), date(2026, 10, 12))
    attendees.add_attendee(db, started_visit, SENIOR)
    findings.add_finding(
        db, started_visit, findings.FindingInput("standard_nc", "Overtime above 36 h/month")
    )
    findings.add_finding(
        db, started_visit, findings.FindingInput("zero_tolerance", "Second set of records")
    )
    sign_closing(db, started_visit, SENIOR.name)
    assert lifecycle.complete_visit(db, started_visit) == "termination_zero_tolerance"
    detail = load_detail(db, started_visit)
    assert [d[0] for d in detail.outcome.drivers] == ["F02"]
    rows = list_visits(db, VisitFilter(outcome="termination_zero_tolerance"))
    assert [r.uuid for r in rows] == [started_visit]


def test_a_started_visit_keeps_its_form_version(db: Database, started_visit: str) -> None:
    original = load_detail(db, started_visit).form_sha256
    with db.session() as session:
        definition = session.get(FormDefinition, original)
        assert definition is not None
        data = json.loads(definition.content)
        data["version"] = "3"  # v2 is shipped
        data["sections"][0]["items"][0]["question"]["en"] = "Changed wording in version 3"
        definitions.install_form_text(session, json.dumps(data), "pv-checklist-v3.json")
    assert load_detail(db, started_visit).form_sha256 == original
    with db.session() as session:
        assert definitions.latest_form_sha(session) != original


def test_refused_visit_requires_a_progress_audit(db: Database, factory: FactoryView) -> None:
    planned = lifecycle.plan_visit(db, factory.ietp_id, date(2026, 10, 20))
    with pytest.raises(ValidationFailed):
        lifecycle.refuse_visit(db, planned.uuid, "  ")
    lifecycle.refuse_visit(db, planned.uuid, "Refused at the gate")
    detail = load_detail(db, planned.uuid)
    assert detail.outcome.final == "progress_audit_required"
    with pytest.raises(UserError, match="refused"):
        answers.record_answer(db, planned.uuid, "WH-03", 40)


def test_lifecycle_refuses_skipping_steps(db: Database, factory: FactoryView) -> None:
    planned = lifecycle.plan_visit(db, factory.ietp_id, date(2026, 10, 20))
    with pytest.raises(UserError, match="cannot become in progress"):
        lifecycle.start_visit(db, planned.uuid)
    with pytest.raises(ValidationFailed, match="confirm the date"):
        answers.record_answer(db, planned.uuid, "WH-03", 40)


def test_visit_found_by_number_full_id_or_all_digit_short_id(
    db: Database, factory: FactoryView
) -> None:
    digits = "12345678-aaaa-4bbb-8ccc-123456789abc"
    planned = lifecycle.plan_visit(db, factory.ietp_id, date(2026, 10, 20), visit_uuid=digits)
    assert load_detail(db, "12345678").summary.uuid == digits
    assert load_detail(db, str(planned.id)).summary.uuid == digits
    assert load_detail(db, digits).summary.uuid == digits
    with pytest.raises(NotFound):
        load_detail(db, "99999")
