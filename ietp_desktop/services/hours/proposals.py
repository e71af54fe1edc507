"""Proposed findings from the hours and wage checks, and what the specialist did with each.

A proposal is identified by a key derived from its rule, workers and periods, so a decision
stays attached while the breaches behind it stay the same. Accepting one adds the finding and
records the decision in the same transaction: there is never a finding without its decision,
nor a decision without its finding.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import Localized, UserError
from ietp_desktop.domain.findings import FindingSource
from ietp_desktop.domain.phrases import Lines, Phrase
from ietp_desktop.domain.proposals import DESCRIPTION_TEMPLATE, ProposedFinding, propose_findings
from ietp_desktop.domain.records import Analysis
from ietp_desktop.i18n import current_language
from ietp_desktop.services.dto import FindingView
from ietp_desktop.services.hours.checks import VisitCheck, check_visit
from ietp_desktop.services.hours.records import visit_rules
from ietp_desktop.services.outcome.findings import FindingInput, insert_finding
from ietp_desktop.services.visits.refs import require_editable, resolve_visit, short_id
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import ProposalDecision, Visit

ProposalStatus = Literal["open", "accepted", "dismissed"]


@dataclass(frozen=True)
class ProposalView:
    key: str  # stable while the breaches behind it stay the same
    proposal: ProposedFinding
    status: ProposalStatus = "open"
    finding_code: str = ""  # the finding it became, once accepted


def proposal_key(proposal: ProposedFinding) -> str:
    content = json.dumps(
        [
            proposal.rule_id,
            list(proposal.worker_codes),
            [[s.isoformat(), e.isoformat()] for s, e in proposal.periods],
        ]
    )
    return f"{proposal.rule_id}:{hashlib.sha256(content.encode()).hexdigest()[:12]}"


def _decisions(session: Session, visit: Visit) -> dict[str, ProposalDecision]:
    rows = session.scalars(select(ProposalDecision).where(ProposalDecision.visit_id == visit.id))
    return {row.proposal_key: row for row in rows}


def _status(decision: str) -> ProposalStatus:
    return "accepted" if decision == "accepted" else "dismissed"


def proposals_for(
    db: Database, visit_ref: str | int, analysis: Analysis, include_handled: bool = False
) -> list[ProposalView]:
    """The proposed findings of an analysis, with what the specialist did with each."""
    with db.session() as session:
        decisions = {
            key: (_status(row.decision), row.finding_code)
            for key, row in _decisions(session, resolve_visit(session, visit_ref)).items()
        }
    views: list[ProposalView] = []
    for proposal in propose_findings(analysis):
        key = proposal_key(proposal)
        status, code = decisions.get(key, ("open", ""))
        view = ProposalView(key, proposal, status, code)
        if include_handled or view.status == "open":
            views.append(view)
    return views


WORKFORCE_TEMPLATE = (
    "{count} of {sampled} sampled workers ({workers}), {workforce_count} of {workforce} in "
    "the whole workforce, in {period}. Rule: {rule} ({citation}). Evidence:\n{evidence}"
)


def proposed_findings(
    db: Database, visit_ref: str | int, include_handled: bool = False
) -> list[ProposalView]:
    """The sample's proposed findings, each citing the whole workforce beside the sample."""
    return proposals_checked(db, visit_ref, check_visit(db, visit_ref), include_handled)


def proposals_checked(
    db: Database, visit_ref: str | int, checked: VisitCheck, include_handled: bool = False
) -> list[ProposalView]:
    views = proposals_for(db, visit_ref, checked.sample, include_handled)
    by_rule = {c.rule_id: c for c in checked.comparisons}
    out: list[ProposalView] = []
    for view in views:
        found = by_rule.get(view.proposal.rule_id)
        if found is not None and view.proposal.description_template == DESCRIPTION_TEMPLATE:
            params = {
                **view.proposal.params,
                "workforce_count": str(found.workforce_with),
                "workforce": str(found.workforce),
            }
            proposal = replace(
                view.proposal, description_template=WORKFORCE_TEMPLATE, params=params
            )
            view = replace(view, proposal=proposal)
        out.append(view)
    return out


def _evidence(proposal: ProposedFinding, rule_set_id: str) -> Lines:
    """What the finding was calculated from, with its breaches: `text(language)`."""
    head = Phrase(
        "Calculated from the imported time and pay records (rule set {rule_set_id}).",
        rule_set_id=rule_set_id,
    )
    lines: list[Localized] = list(proposal.breaches)
    if not lines:
        lines = [Phrase(proposal.description_template, **proposal.params)]
    return Lines.of([head, *lines])


def accept_proposal(
    db: Database,
    visit_ref: str | int,
    proposal: ProposalView | ProposedFinding,
    edited_description: str | None = None,
    edited_title: str | None = None,
    language: str | None = None,
) -> FindingView:
    """The proposal becomes a finding of the visit (source: calculated), in one transaction,
    with its English and Chinese title and description. An edited title or description is in
    `language` (default: the current one) and replaces that language's generated text. The
    evidence (the breaches it was calculated from) is kept in both languages too."""
    found = proposal.proposal if isinstance(proposal, ProposalView) else proposal
    edited_in = language or current_language()
    texts = {
        lang: (
            (edited_title if edited_in == lang and edited_title else found.title_in(lang)).strip(),
            (
                edited_description
                if edited_in == lang and edited_description
                else found.description_in(lang)
            ).strip(),
        )
        for lang in ("en", "zh")
    }
    key = proposal_key(found)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        evidence = _evidence(found, visit_rules(session, visit).rule_set_id)
        decision = _decisions(session, visit).get(key)
        if decision is not None and decision.decision == "accepted":
            raise UserError(
                "visit {visit}: this proposal was already accepted as finding {finding_code}",
                visit=short_id(visit.uuid),
                finding_code=decision.finding_code,
            )
        view = insert_finding(
            session,
            visit,
            FindingInput(
                classification=found.classification.value,
                description=texts["en"][1],
                title=texts["en"][0],
                title_zh=texts["zh"][0],
                description_zh=texts["zh"][1],
                category=found.category.value,
                evidence=evidence.text("en"),
                evidence_zh=evidence.text("zh"),
                source=FindingSource.CALCULATED.value,
            ),
        )
        if decision is None:
            session.add(ProposalDecision(visit_id=visit.id, proposal_key=key))
            session.flush()
            decision = _decisions(session, visit)[key]
        decision.decision = "accepted"
        decision.finding_code = view.code
        return view


def dismiss_proposal(
    db: Database,
    visit_ref: str | int,
    proposal: ProposalView | ProposedFinding,
    dismissed: bool = True,
) -> None:
    """Remember that the specialist dismissed the proposal (or, with False, restore it)."""
    found = proposal.proposal if isinstance(proposal, ProposalView) else proposal
    key = proposal_key(found)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        decision = _decisions(session, visit).get(key)
        if dismissed and decision is None:
            session.add(ProposalDecision(visit_id=visit.id, proposal_key=key, decision="dismissed"))
        elif not dismissed and decision is not None and decision.decision == "dismissed":
            session.delete(decision)
