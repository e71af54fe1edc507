"""Findings: root cause from the shipped list, edit, merge with the audit trail, delete."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.outcome import cap, findings
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import AuditEvent, CorrectiveAction, RemediationRecord


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[tuple[Database, str]]:
    db = open_workspace(tmp_path / "data", actor="tester")
    factories.add_factory(
        db, factories.FactoryInput("IETP-T-1", "Test Toys", seal_issued_on=date(2026, 6, 1))
    )
    planned = lifecycle.plan_visit(db, "IETP-T-1", date(2026, 9, 1))
    lifecycle.confirm_visit(db, planned.uuid, date(2026, 9, 1), None)
    lifecycle.start_visit(db, planned.uuid, date(2026, 9, 1))
    yield db, planned.uuid
    db.dispose()


def photo(tmp_path: Path, name: str, colour: str) -> Path:
    path = tmp_path / name
    Image.new("RGB", (40, 30), colour).save(path)
    return path


def test_root_causes_come_from_the_forms_list() -> None:
    causes = findings.root_causes()
    ids = [c.id for c in causes]
    assert {"production_planning", "recruitment_retention", "health_safety_awareness"} <= set(ids)
    assert next(c for c in causes if c.id == "production_planning").label.zh == "生产计划"


def test_unknown_root_cause_is_refused_and_empty_allowed(workspace: tuple[Database, str]) -> None:
    db, uuid = workspace
    with pytest.raises(ValidationFailed, match="root cause 'bad_luck' is not one of"):
        findings.add_finding(
            db, uuid, findings.FindingInput("standard_nc", "Overtime", root_cause="bad_luck")
        )
    view = findings.add_finding(db, uuid, findings.FindingInput("standard_nc", "Overtime"))
    assert view.root_cause == ""
    updated = findings.update_finding(
        db,
        uuid,
        view.code,
        findings.FindingInput(
            "standard_nc", "Overtime", category="working_hours", root_cause="production_planning"
        ),
    )
    assert (updated.category, updated.root_cause) == ("working_hours", "production_planning")


def test_reclassifying_moves_the_cap_line(workspace: tuple[Database, str]) -> None:
    db, uuid = workspace
    view = findings.add_finding(db, uuid, findings.FindingInput("observation", "Old notice"))
    assert view.corrective_action is None
    view = findings.update_finding(db, uuid, view.code, findings.FindingInput("standard_nc", "x"))
    assert view.corrective_action is not None and view.corrective_action.status == "open"


def test_reclassifying_moves_a_default_due_date_and_keeps_a_chosen_one(
    workspace: tuple[Database, str],
) -> None:
    """Visit started 1 Sep 2026: a standard NC is due 30 days later, zero tolerance 7."""
    db, uuid = workspace
    view = findings.add_finding(db, uuid, findings.FindingInput("standard_nc", "Locked exit"))
    assert view.corrective_action and view.corrective_action.due_date == date(2026, 10, 1)
    view = findings.update_finding(
        db, uuid, view.code, findings.FindingInput("zero_tolerance", "Locked exit")
    )
    assert view.corrective_action and view.corrective_action.due_date == date(2026, 9, 8)

    chosen = findings.add_finding(db, uuid, findings.FindingInput("standard_nc", "Payslips"))
    cap.update_cap_line(db, uuid, chosen.code, cap.CapChanges(due_date=date(2026, 9, 20)))
    chosen = findings.update_finding(
        db, uuid, chosen.code, findings.FindingInput("transparency", "Payslips")
    )
    assert chosen.corrective_action and chosen.corrective_action.due_date == date(2026, 9, 20)


def test_merge_moves_items_photos_and_remediation_records(
    workspace: tuple[Database, str], tmp_path: Path
) -> None:
    db, uuid = workspace
    keep = findings.add_finding(
        db,
        uuid,
        findings.FindingInput(
            "standard_nc", "Overtime in assembly", title="Overtime", item_ids=("WH-01",)
        ),
    )
    other = findings.add_finding(
        db,
        uuid,
        findings.FindingInput(
            "transparency",
            "Time cards rewritten",
            title="Time cards",
            evidence="Two ledgers",
            root_cause="record_keeping",
            item_ids=("WH-01", "WH-03"),
        ),
    )
    shared = attachments.add_photo(
        db, uuid, photo(tmp_path, "a.jpg", "red"), finding_refs=(keep.code, other.code)
    )
    own = attachments.add_photo(
        db, uuid, photo(tmp_path, "b.jpg", "blue"), finding_refs=(other.code,)
    )
    cap.update_cap_line(db, uuid, other.code, cap.CapChanges(corrective_action="Keep one ledger"))
    cap.add_remediation_record(db, uuid, other.code, date(2026, 9, 10), "Ledger photo")

    merged = findings.merge_findings(db, uuid, keep.code, other.code)

    assert merged.code == "F01"
    assert merged.classification == "transparency"  # the worse grade is kept
    assert merged.item_ids == ("WH-01", "WH-03")
    assert merged.attachment_ids == tuple(sorted((shared.id, own.id)))
    assert "[F02] Time cards: Time cards rewritten" in merged.evidence
    assert merged.root_cause == "record_keeping"
    action = merged.corrective_action
    assert action is not None and action.corrective_action == "Keep one ledger"
    assert [r.note for r in action.records] == ["Ledger photo"]
    detail = load_detail(db, uuid)
    assert [f.code for f in detail.findings] == ["F01"]
    with db.session() as session:
        assert session.query(CorrectiveAction).count() == 1
        assert session.query(RemediationRecord).count() == 1
        events = session.query(AuditEvent).all()
    assert any(e.field == "merge" and e.new_value == "F02 merged into F01" for e in events)
    assert any(
        e.entity == "Finding" and e.action == "delete" and "Time cards" in (e.old_value or "")
        for e in events
    )


def test_merge_refusals(workspace: tuple[Database, str]) -> None:
    db, uuid = workspace
    obs = findings.add_finding(db, uuid, findings.FindingInput("observation", "Notice board"))
    nc = findings.add_finding(db, uuid, findings.FindingInput("standard_nc", "Exit blocked"))
    with pytest.raises(ValidationFailed, match="with itself"):
        findings.merge_findings(db, uuid, nc.code, nc.code)
    cap.add_remediation_record(db, uuid, nc.code, date(2026, 9, 3), "Photo of cleared exit")
    with pytest.raises(ValidationFailed, match="F02 has remediation records but F01"):
        findings.merge_findings(db, uuid, obs.code, nc.code)
    assert len(findings.list_findings(db, uuid)) == 2


def test_delete_removes_the_cap_line(workspace: tuple[Database, str]) -> None:
    db, uuid = workspace
    view = findings.add_finding(db, uuid, findings.FindingInput("standard_nc", "Exit blocked"))
    cap.add_remediation_record(db, uuid, view.code, date(2026, 9, 3), "Photo")
    findings.delete_finding(db, uuid, view.code)
    assert findings.list_findings(db, uuid) == []
    assert cap.list_cap_lines(db, uuid) == []
