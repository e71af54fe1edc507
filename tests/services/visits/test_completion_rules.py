"""The rules completion keeps, through the services API (so the CLI and scripts obey them)."""

from __future__ import annotations

from datetime import date

import pytest

from ietp_desktop.demo.seed import answer_everything
from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.reports.sample import signature_png
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.outcome import cap, findings, recommendation
from ietp_desktop.services.visits import attendees, lifecycle, signatures
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database

SENIOR = attendees.AttendeeInput("Chen Wei", "General Manager", True, True, True)
CLERK = attendees.AttendeeInput("Wang Fang", "HR clerk", False, True, True)


def _ready(db: Database, uuid: str) -> None:
    """Everything answered and a senior manager at both meetings; nothing signed yet."""
    with db.session() as session:
        form = definitions.form_by_sha(session, load_detail(db, uuid).form_sha256)
    answer_everything(db, uuid, form, date(2026, 10, 12))
    attendees.add_attendee(db, uuid, SENIOR)
    attendees.add_attendee(db, uuid, CLERK)


def test_completion_needs_both_saved_signatures(db: Database, started_visit: str) -> None:
    _ready(db, started_visit)
    with pytest.raises(ValidationFailed) as refused:
        lifecycle.complete_visit(db, started_visit)
    assert refused.value.problems == [
        "the specialist's signature is not saved",
        "no senior manager's signature is saved",
    ]
    signatures.save_signature(db, started_visit, "specialist", "Tester", signature_png(3))
    with pytest.raises(ValidationFailed, match="no senior manager's signature is saved"):
        lifecycle.complete_visit(db, started_visit)
    assert load_detail(db, started_visit).summary.status == "in_progress"


def test_the_factory_signature_must_be_a_senior_managers(db: Database, started_visit: str) -> None:
    _ready(db, started_visit)
    signatures.save_signature(db, started_visit, "specialist", "Tester", signature_png(3))
    signatures.save_signature(db, started_visit, "factory", "Wang Fang", signature_png(5))
    blockers = lifecycle.completion_blockers(db, started_visit)
    assert [(b.kind, b.name) for b in blockers] == [("signer_not_senior", "Wang Fang")]
    with pytest.raises(ValidationFailed, match="Wang Fang, who is not recorded as a senior"):
        lifecycle.complete_visit(db, started_visit)
    signatures.save_signature(db, started_visit, "factory", " chen  wei ", signature_png(5))
    assert lifecycle.complete_visit(db, started_visit) == "maintained"


def test_a_cleared_signature_blocks_again(db: Database, started_visit: str) -> None:
    _ready(db, started_visit)
    signatures.save_signature(db, started_visit, "specialist", "Tester", signature_png(3))
    signatures.save_signature(db, started_visit, "factory", "Chen Wei", signature_png(5))
    assert lifecycle.completion_blockers(db, started_visit) == []
    signatures.clear_signature(db, started_visit, "specialist")
    assert [b.role for b in lifecycle.completion_blockers(db, started_visit)] == ["specialist"]


def test_blockers_name_the_required_item(db: Database, started_visit: str) -> None:
    blockers = lifecycle.completion_blockers(db, started_visit)
    first = blockers[0]
    assert (first.kind, first.item_id) == ("required_item", "OM-01")
    assert first.message.startswith("required item OM-01 is not answered")
    assert load_detail(db, started_visit).completion_blockers == tuple(blockers)


def test_completion_warns_about_cap_lines_and_agreement(db: Database, started_visit: str) -> None:
    _ready(db, started_visit)
    signatures.save_signature(db, started_visit, "specialist", "Tester", signature_png(3))
    signatures.save_signature(db, started_visit, "factory", "Chen Wei", signature_png(5))
    assert lifecycle.completion_warnings(db, started_visit) == []
    findings.add_finding(
        db, started_visit, findings.FindingInput("standard_nc", "Fire exit blocked")
    )
    findings.add_finding(db, started_visit, findings.FindingInput("observation", "Untidy store"))
    warned = lifecycle.completion_warnings(db, started_visit)
    assert [(w.kind, w.finding_code) for w in warned] == [
        ("cap_action_missing", "F01"),
        ("cap_not_agreed", ""),
    ]
    cap.update_cap_line(
        db, started_visit, "F01", cap.CapChanges(corrective_action="Clear the exit")
    )
    cap.agree_cap(db, started_visit, "Chen Wei", date(2026, 10, 12))
    assert lifecycle.completion_warnings(db, started_visit) == []
    # a warning never blocks
    assert lifecycle.complete_visit(db, started_visit) == "maintained_cap_required"


def test_outcome_is_provisional_until_completed(db: Database, started_visit: str) -> None:
    status = recommendation.outcome_status(db, started_visit)
    assert status.provisional and "OM-01" in status.required_open
    assert status.proposals_open == 0
    _ready(db, started_visit)
    status = recommendation.outcome_status(db, started_visit)
    assert status.provisional and status.required_open == ()
    signatures.save_signature(db, started_visit, "specialist", "Tester", signature_png(3))
    signatures.save_signature(db, started_visit, "factory", "Chen Wei", signature_png(5))
    lifecycle.complete_visit(db, started_visit)
    assert not recommendation.outcome_status(db, started_visit).provisional


def test_finding_codes_are_never_reused(db: Database, started_visit: str) -> None:
    def add(text: str) -> str:
        return findings.add_finding(
            db, started_visit, findings.FindingInput("standard_nc", text)
        ).code

    assert [add("one"), add("two"), add("three")] == ["F01", "F02", "F03"]
    findings.delete_finding(db, started_visit, "F03")
    assert add("four") == "F04"
    findings.merge_findings(db, started_visit, "F01", "F04")
    assert add("five") == "F05"
    assert [f.code for f in load_detail(db, started_visit).findings] == ["F01", "F02", "F05"]


def test_findings_keep_both_languages(db: Database, started_visit: str) -> None:
    view = findings.add_finding(
        db,
        started_visit,
        findings.FindingInput(
            "standard_nc",
            "Cartons in front of the east exit.",
            title="Fire exit blocked",
            title_zh="安全出口堵塞",
            description_zh="东侧出口前堆放纸箱。",
        ),
    )
    assert (view.title_zh, view.description_zh) == ("安全出口堵塞", "东侧出口前堆放纸箱。")
    only_zh = findings.add_finding(
        db, started_visit, findings.FindingInput("observation", "", description_zh="仓库杂乱")
    )
    assert only_zh.title == "仓库杂乱"
    with pytest.raises(ValidationFailed, match="the description is empty"):
        findings.add_finding(db, started_visit, findings.FindingInput("observation", " "))
