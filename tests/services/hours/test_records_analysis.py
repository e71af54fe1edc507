from __future__ import annotations

from pathlib import Path

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.hours import records
from ietp_desktop.services.outcome import findings
from ietp_desktop.storage.db import Database
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
    open_before = records.proposed_findings(db, started_visit)
    rest = next(p for p in open_before if p.proposal.rule_id == "rest_days_per_week")
    assert "W01" in rest.proposal.description and "1–13 Oct 2026" in rest.proposal.description
    finding = records.accept_proposal(db, started_visit, rest)
    assert finding.source == "calculated"
    listed = {f.code: f for f in findings.list_findings(db, started_visit)}
    assert listed[finding.code].classification == "standard_nc"
    assert "Labour Law" in listed[finding.code].evidence
    remaining = records.proposed_findings(db, started_visit)
    assert rest.key not in {p.key for p in remaining}
    handled = records.proposed_findings(db, started_visit, include_handled=True)
    assert next(p for p in handled if p.key == rest.key).finding_code == finding.code
    with pytest.raises(UserError, match="already accepted"):
        records.accept_proposal(db, started_visit, rest)


def test_edited_and_dismissed_proposals(db: Database, started_visit: str, tmp_path: Path) -> None:
    imported(db, started_visit, tmp_path)
    proposals = records.proposed_findings(db, started_visit)
    first, second = proposals[0], proposals[1]
    finding = records.accept_proposal(db, started_visit, first, "Our own words.")
    assert finding.description == "Our own words."
    records.dismiss_proposal(db, started_visit, second)
    keys = {p.key for p in records.proposed_findings(db, started_visit)}
    assert first.key not in keys and second.key not in keys
    records.dismiss_proposal(db, started_visit, second, dismissed=False)
    assert second.key in {p.key for p in records.proposed_findings(db, started_visit)}
