from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.hours import proposals, records
from ietp_desktop.services.outcome import findings, recommendation
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import ProposalDecision, Visit
from tests.services.hours.records_fixtures import add_sample, thirteen_days_csv


def imported(db: Database, visit: str, tmp_path: Path) -> None:
    add_sample(db, visit)
    records.commit_import(
        db, visit, records.preview_import(db, visit, thirteen_days_csv(tmp_path), "time")
    )


def test_stored_records_give_each_workers_figures_and_breaches(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    imported(db, started_visit, tmp_path)
    analysis = records.analyse_visit(db, started_visit)
    by_code = {w.worker_code: w for w in analysis.workers}
    assert set(by_code) == {"W01", "W02", "W03"}
    assert (by_code["W01"].days_worked, by_code["W01"].longest_run_days) == (13, 13)
    assert by_code["W01"].max_daily_hours == 11
    assert by_code["W02"].total_hours == 8  # 22:00 → 06:00 counted on the 5th
    rest = [b for b in analysis.breaches if b.rule_id == "rest_days_per_week"]
    assert rest and all(b.worker_code == "W01" for b in rest)


def test_accepted_proposal_becomes_a_calculated_finding_and_leaves_the_list(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    imported(db, started_visit, tmp_path)
    open_before = proposals.proposed_findings(db, started_visit)
    rest = next(p for p in open_before if p.proposal.rule_id == "rest_days_per_week")
    assert "W01" in rest.proposal.description and "1–13 Oct 2026" in rest.proposal.description
    finding = proposals.accept_proposal(db, started_visit, rest)
    assert finding.source == "calculated"
    listed = {f.code: f for f in findings.list_findings(db, started_visit)}
    assert listed[finding.code].classification == "standard_nc"
    assert "Labour Law" in listed[finding.code].evidence
    remaining = proposals.proposed_findings(db, started_visit)
    assert rest.key not in {p.key for p in remaining}
    handled = proposals.proposed_findings(db, started_visit, include_handled=True)
    assert next(p for p in handled if p.key == rest.key).finding_code == finding.code
    with pytest.raises(UserError, match="already accepted"):
        proposals.accept_proposal(db, started_visit, rest)


def test_edited_and_dismissed_proposals(db: Database, started_visit: str, tmp_path: Path) -> None:
    imported(db, started_visit, tmp_path)
    views = proposals.proposed_findings(db, started_visit)
    first, second = views[0], views[1]
    finding = proposals.accept_proposal(db, started_visit, first, "Our own words.")
    assert finding.description == "Our own words."
    proposals.dismiss_proposal(db, started_visit, second)
    keys = {p.key for p in proposals.proposed_findings(db, started_visit)}
    assert first.key not in keys and second.key not in keys
    proposals.dismiss_proposal(db, started_visit, second, dismissed=False)
    assert second.key in {p.key for p in proposals.proposed_findings(db, started_visit)}


def test_accepting_a_proposal_is_all_or_nothing(
    db: Database, started_visit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the finding is added leaves neither the finding nor the decision."""
    imported(db, started_visit, tmp_path)
    first = proposals.proposed_findings(db, started_visit)[0]
    before = [f.code for f in load_detail(db, started_visit).findings]

    def broken_flush(*args: object, **kwargs: object) -> None:
        raise UserError("the disk is full")

    real_decisions = proposals._decisions
    calls = {"n": 0}

    def decisions_then_fail(session: Session, visit: Visit) -> dict[str, ProposalDecision]:
        calls["n"] += 1
        if calls["n"] > 1:  # after the finding was inserted, while recording the decision
            broken_flush()
        return real_decisions(session, visit)

    monkeypatch.setattr(proposals, "_decisions", decisions_then_fail)
    with pytest.raises(UserError, match="the disk is full"):
        proposals.accept_proposal(db, started_visit, first)
    monkeypatch.undo()

    assert [f.code for f in load_detail(db, started_visit).findings] == before
    still_open = proposals.proposed_findings(db, started_visit)
    assert first.key in {p.key for p in still_open}
    accepted = proposals.accept_proposal(db, started_visit, first)  # and it can be accepted
    assert [f.code for f in load_detail(db, started_visit).findings] == [*before, accepted.code]


def test_the_outcome_stays_provisional_while_proposals_from_the_records_are_open(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    imported(db, started_visit, tmp_path)
    open_now = proposals.proposed_findings(db, started_visit)
    assert open_now
    status = recommendation.outcome_status(db, started_visit)
    assert status.provisional and status.proposals_open == len(open_now)
    proposals.dismiss_proposal(db, started_visit, open_now[0], "seen in the payroll")
    assert recommendation.outcome_status(db, started_visit).proposals_open == len(open_now) - 1
