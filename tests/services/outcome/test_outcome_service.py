"""Outcome recommendation, drivers and override through the services API (DOMAIN.md §1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ietp_desktop.demo import seed
from ietp_desktop.domain.errors import UserError, ValidationFailed
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.outcome import findings, recommendation
from ietp_desktop.services.visits import attendees, factories, lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import AuditEvent, Visit
from tests.closing import sign_closing


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[tuple[Database, str]]:
    db = open_workspace(tmp_path / "data", actor="tester")
    factories.add_factory(
        db,
        factories.FactoryInput(
            "IETP-T-1", "Test Toys", "测试玩具", seal_issued_on=date(2026, 6, 1)
        ),
    )
    planned = lifecycle.plan_visit(db, "IETP-T-1", date(2026, 9, 1), specialist_name="Lin")
    lifecycle.confirm_visit(db, planned.uuid, date(2026, 9, 1), date(2026, 8, 20))
    lifecycle.start_visit(db, planned.uuid, date(2026, 9, 1))
    yield db, planned.uuid
    db.dispose()


def raise_(db: Database, uuid: str, classification: str, title: str) -> str:
    view = findings.add_finding(
        db, uuid, findings.FindingInput(classification, f"{title} seen on site", title=title)
    )
    return view.code


@pytest.mark.parametrize(
    ("classifications", "expected", "driver_titles"),
    [
        ((), "maintained", ()),
        (("observation", "best_practice"), "maintained", ()),
        (("standard_nc",), "maintained_cap_required", ("A",)),
        (("standard_nc", "observation", "standard_nc"), "maintained_cap_required", ("A", "C")),
        (("transparency",), "status_review_transparency", ("A",)),
        (("standard_nc", "transparency"), "status_review_transparency", ("B",)),
        (("zero_tolerance",), "termination_zero_tolerance", ("A",)),
        (("transparency", "zero_tolerance"), "termination_zero_tolerance", ("B",)),
        (
            ("standard_nc", "zero_tolerance", "transparency", "zero_tolerance"),
            "termination_zero_tolerance",
            ("B", "D"),
        ),
    ],
)
def test_recommendation_follows_the_rules_in_order(
    workspace: tuple[Database, str],
    classifications: tuple[str, ...],
    expected: str,
    driver_titles: tuple[str, ...],
) -> None:
    db, uuid = workspace
    for title, classification in zip("ABCD", classifications, strict=False):
        raise_(db, uuid, classification, title)
    view = recommendation.visit_outcome(db, uuid)
    assert view.recommended == expected
    assert tuple(title for _code, _cls, title in view.drivers) == driver_titles
    assert view.final == expected and not view.overridden


def test_refused_visit_needs_a_progress_audit_even_with_zero_tolerance(
    workspace: tuple[Database, str],
) -> None:
    db, uuid = workspace
    raise_(db, uuid, "zero_tolerance", "Child labour")
    lifecycle.refuse_visit(db, uuid, "The manager stopped the visit at noon.")
    view = recommendation.visit_outcome(db, uuid)
    assert view.recommended_label == "Progress Audit required"
    assert view.drivers == ()
    assert "refused" in view.explanation
    with db.session() as session:
        stored = session.query(Visit).filter_by(uuid=uuid).one()
        assert (stored.outcome_recommended, stored.outcome_final) == (
            "progress_audit_required",
            "progress_audit_required",
        )


def test_override_without_a_reason_is_refused_and_nothing_is_stored(
    workspace: tuple[Database, str],
) -> None:
    db, uuid = workspace
    raise_(db, uuid, "standard_nc", "Overtime")
    with pytest.raises(ValidationFailed, match="needs a written reason"):
        recommendation.override_outcome(db, uuid, "maintained", "   ")
    view = recommendation.visit_outcome(db, uuid)
    assert view.final == "maintained_cap_required" and not view.overridden
    with db.session() as session:
        assert session.query(Visit).filter_by(uuid=uuid).one().override_reason == ""


def test_unknown_outcome_key_is_refused(workspace: tuple[Database, str]) -> None:
    db, uuid = workspace
    with pytest.raises(ValidationFailed, match="not an outcome"):
        recommendation.override_outcome(db, uuid, "promoted", "because")


def test_override_with_a_reason_keeps_both_even_after_reopening(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    raise_(db, uuid, "transparency", "Two sets of time cards")
    view = recommendation.override_outcome(
        db, uuid, "maintained_cap_required", "Second set was a draft; HR showed the originals."
    )
    assert view.overridden
    assert view.recommended_label == "Status review — transparency; CAP required"
    assert view.final_label == "Certificate maintained — CAP required"
    assert view.override_reason == "Second set was a draft; HR showed the originals."
    db.dispose()

    reopened = open_workspace(tmp_path / "data")
    detail = load_detail(reopened, uuid)
    assert detail.outcome.recommended == "status_review_transparency"
    assert detail.outcome.final == "maintained_cap_required"
    assert detail.outcome.override_reason.startswith("Second set was a draft")
    with reopened.session() as session:
        visit = session.query(Visit).filter_by(uuid=uuid).one()
        assert visit.outcome_recommended == "status_review_transparency"
        assert visit.outcome_final == "maintained_cap_required"
        events = session.query(AuditEvent).filter_by(visit_id=visit.id).all()
    assert any(
        e.field == "outcome_override"
        and "status_review_transparency → maintained_cap_required" in (e.new_value or "")
        for e in events
    )
    assert any(e.field == "override_reason" and e.action == "update" for e in events)
    reopened.dispose()


def test_clearing_the_override_returns_to_the_recommendation(
    workspace: tuple[Database, str],
) -> None:
    db, uuid = workspace
    raise_(db, uuid, "standard_nc", "Fire exit blocked")
    recommendation.override_outcome(db, uuid, "maintained", "Cleared during the visit")
    view = recommendation.clear_override(db, uuid)
    assert not view.overridden and view.final == "maintained_cap_required"
    assert view.override_reason == ""
    # choosing the recommended outcome is not an override and needs no reason
    again = recommendation.override_outcome(db, uuid, "maintained_cap_required", "")
    assert not again.overridden


def test_completion_keeps_the_override(workspace: tuple[Database, str]) -> None:
    db, uuid = workspace
    raise_(db, uuid, "standard_nc", "Fire exit blocked")
    attendees.add_attendee(db, uuid, attendees.AttendeeInput("Chen", "GM", True, True, True))
    with db.session() as session:
        form = definitions.form_by_sha(session, definitions.latest_form_sha(session))
    seed.answer_everything(db, uuid, form, date(2026, 9, 1))
    sign_closing(db, uuid, "Chen")
    recommendation.override_outcome(
        db, uuid, "maintained", "Exit cleared before the closing meeting"
    )
    assert lifecycle.complete_visit(db, uuid, date(2026, 9, 1)) == "maintained"
    detail = load_detail(db, uuid)
    assert detail.outcome.recommended == "maintained_cap_required"
    assert detail.outcome.final == "maintained"
    assert detail.summary.outcome_label == "Certificate maintained"
    # once completed, clearing the override stores the recommendation as final
    lifecycle.reopen_visit(db, uuid)
    lifecycle.complete_visit(db, uuid, date(2026, 9, 1))
    assert recommendation.clear_override(db, uuid).final == "maintained_cap_required"
    assert load_detail(db, uuid).summary.outcome == "maintained_cap_required"


def test_signed_visit_outcome_cannot_be_overridden(workspace: tuple[Database, str]) -> None:
    db, uuid = workspace
    with db.session() as session:
        session.query(Visit).filter_by(uuid=uuid).one().status = "signed"
    with pytest.raises(UserError, match="signed"):
        recommendation.override_outcome(db, uuid, "maintained", "x")
    with pytest.raises(UserError, match="signed"):
        recommendation.clear_override(db, uuid)


def test_outcome_choices_list_every_outcome_in_engine_order() -> None:
    keys = [key for key, _label in recommendation.outcome_choices()]
    assert keys == [
        "progress_audit_required",
        "termination_zero_tolerance",
        "status_review_transparency",
        "maintained_cap_required",
        "maintained",
    ]
