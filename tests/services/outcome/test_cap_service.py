"""CAP lines: editing, remediation records, the senior manager's agreement, and open lines
from the factory's earlier visits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from ietp_desktop.domain.errors import NotFound, ValidationFailed
from ietp_desktop.services.outcome import cap, findings
from ietp_desktop.services.visits import attendees, factories, lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import AuditEvent, Visit


def _visit(db: Database, day: date) -> str:
    planned = lifecycle.plan_visit(db, "IETP-T-1", day)
    lifecycle.confirm_visit(db, planned.uuid, day, None)
    lifecycle.start_visit(db, planned.uuid, day)
    return planned.uuid


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[tuple[Database, str]]:
    db = open_workspace(tmp_path / "data", actor="tester")
    factories.add_factory(
        db, factories.FactoryInput("IETP-T-1", "Test Toys", seal_issued_on=date(2026, 6, 1))
    )
    uuid = _visit(db, date(2026, 9, 1))
    findings.add_finding(db, uuid, findings.FindingInput("standard_nc", "Overtime", title="OT"))
    findings.add_finding(db, uuid, findings.FindingInput("zero_tolerance", "Child", title="CL"))
    findings.add_finding(db, uuid, findings.FindingInput("best_practice", "Canteen", title="BP"))
    yield db, uuid
    db.dispose()


def test_each_non_compliance_has_a_line_due_per_classification(
    workspace: tuple[Database, str],
) -> None:
    db, uuid = workspace
    lines = cap.list_cap_lines(db, uuid)
    assert [(line.finding_code, line.due_date, line.status) for line in lines] == [
        ("F01", date(2026, 10, 1), "open"),  # standard NC: 30 days
        ("F02", date(2026, 9, 8), "open"),  # zero tolerance: 7 days
    ]


def test_editing_a_line_changes_only_the_given_fields_and_is_audited(
    workspace: tuple[Database, str],
) -> None:
    db, uuid = workspace
    cap.update_cap_line(
        db,
        uuid,
        "F01",
        cap.CapChanges(
            corrective_action=" Hire 20 workers ",
            preventive_action="Plan capacity from order forecast",
            responsible="Zhang Min",
            due_date=date(2026, 10, 15),
            status="in_progress",
        ),
    )
    line = cap.update_cap_line(db, uuid, "f01", cap.CapChanges(factory_remark="Hiring started"))
    assert line.corrective_action == "Hire 20 workers"
    assert line.preventive_action == "Plan capacity from order forecast"
    assert (line.responsible, line.due_date, line.status) == (
        "Zhang Min",
        date(2026, 10, 15),
        "in_progress",
    )
    assert line.factory_remark == "Hiring started"
    with db.session() as session:
        fields = {
            e.field
            for e in session.query(AuditEvent).filter_by(entity="CorrectiveAction", action="update")
        }
    assert {"corrective_action", "status", "due_date", "factory_remark"} <= fields


def test_bad_status_and_line_without_cap_are_refused(workspace: tuple[Database, str]) -> None:
    db, uuid = workspace
    with pytest.raises(ValidationFailed, match="status 'done' is not one of open, in_progress"):
        cap.update_cap_line(db, uuid, "F01", cap.CapChanges(status="done"))
    with pytest.raises(NotFound, match="F03 is a best practice and has no CAP line"):
        cap.update_cap_line(db, uuid, "F03", cap.CapChanges(status="closed"))
    with pytest.raises(NotFound, match="no finding 'F09'"):
        cap.update_cap_line(db, uuid, "F09", cap.CapChanges(status="closed"))


def test_remediation_records_with_and_without_a_file(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    photo = tmp_path / "exit.jpg"
    Image.new("RGB", (64, 48), "green").save(photo)
    pdf = tmp_path / "roster.pdf"
    pdf.write_bytes(b"%PDF-1.4 roster")
    cap.add_remediation_record(db, uuid, "F01", date(2026, 9, 20), "New shift roster", pdf)
    cap.add_remediation_record(db, uuid, "F01", date(2026, 9, 22), "Photo of exit", photo)
    note_only = cap.add_remediation_record(db, uuid, "F02", date(2026, 9, 5), "Letter")
    assert note_only.attachment_id is None
    with pytest.raises(ValidationFailed, match="needs a note or a file"):
        cap.add_remediation_record(db, uuid, "F02", date(2026, 9, 5), "  ")
    detail = load_detail(db, uuid)
    records = detail.findings[0].corrective_action.records  # type: ignore[union-attr]
    assert [r.note for r in records] == ["New shift roster", "Photo of exit"]
    stored = {a.id: a for a in detail.attachments}
    assert stored[records[0].attachment_id].media_type == "application/pdf"  # type: ignore[index]
    assert Path(stored[records[0].attachment_id].path).read_bytes() == b"%PDF-1.4 roster"  # type: ignore[index]
    assert stored[records[1].attachment_id].media_type == "image/jpeg"  # type: ignore[index]
    cap.delete_remediation_record(db, uuid, note_only.id)
    assert cap.list_cap_lines(db, uuid)[1].records == ()


def test_cap_is_agreed_by_a_senior_manager_present_at_closing(
    workspace: tuple[Database, str],
) -> None:
    db, uuid = workspace
    attendees.add_attendee(db, uuid, attendees.AttendeeInput("Chen Wei", "GM", True, True, True))
    attendees.add_attendee(db, uuid, attendees.AttendeeInput("Zhang Min", "HR", False, True, True))
    assert cap.senior_managers_at_closing(db, uuid) == ["Chen Wei"]
    with pytest.raises(ValidationFailed, match="Zhang Min is not recorded as a senior manager"):
        cap.agree_cap(db, uuid, "Zhang Min", date(2026, 9, 1))
    with pytest.raises(ValidationFailed, match="say which senior manager"):
        cap.agree_cap(db, uuid, " ", date(2026, 9, 1))
    with pytest.raises(ValidationFailed, match="before the visit"):
        cap.agree_cap(db, uuid, "Chen Wei", date(2026, 8, 1))
    cap.agree_cap(db, uuid, "Chen Wei", date(2026, 9, 1))
    detail = load_detail(db, uuid)
    assert (detail.cap_agreed_by, detail.cap_agreed_on) == ("Chen Wei", date(2026, 9, 1))


def test_next_visit_shows_open_lines_of_earlier_visits(workspace: tuple[Database, str]) -> None:
    db, first = workspace
    cap.update_cap_line(db, first, "F02", cap.CapChanges(status="closed"))
    cap.update_cap_line(
        db, first, "F01", cap.CapChanges(corrective_action="Hire", status="in_progress")
    )
    with db.session() as session:
        session.query(Visit).filter_by(uuid=first).one().status = "completed"
    second = _visit(db, date(2027, 3, 1))
    earlier = cap.open_cap_lines_from_earlier_visits(db, second, today=date(2027, 3, 1))
    assert [(e.visit_short_id, e.finding_code, e.status, e.overdue) for e in earlier] == [
        (first[:8], "F01", "in_progress", True)
    ]
    assert earlier[0].corrective_action == "Hire" and earlier[0].visit_date == date(2026, 9, 1)
    # the first visit sees nothing from the later one, nor from itself
    assert cap.open_cap_lines_from_earlier_visits(db, first) == []
