"""Breaches grouped by rule into proposed findings the specialist accepts, edits or dismisses.

Titles and descriptions are English templates with parameters so a front end can translate
them (tr(template, **params)); the period, rule, citation and evidence among the parameters
render in the reader's language. `title` and `description` give the English text,
`title_in(language)` and `description_in(language)` another language's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ietp_desktop.domain.errors import render
from ietp_desktop.domain.findings import Category, Classification
from ietp_desktop.domain.phrases import Lines, Phrase, Wording
from ietp_desktop.domain.records import Analysis, Breach, Period

MAX_EVIDENCE_LINES = 20

RULE_TITLES: dict[str, str] = {
    "rest_days_per_week": "Workers without one rest day in seven days",
    "max_consecutive_days": "Workers over the programme limit of consecutive working days",
    "overtime_hours_per_month": "Monthly overtime above the legal limit",
    "overtime_hours_per_day_special": "Daily overtime above the legal limit",
    "total_hours_per_7_days": "Total working hours above the programme limit",
    "regular_hours_per_week": "Regular working hours above the programme limit",
    "minimum_wage": "Wages below the local minimum wage",
    "piece_rate_minimum": "Piece-rate earnings below the local minimum wage",
    "premium_workday": "Overtime premium underpaid",
    "damage_deduction_share": "Deductions for damage above the legal limit",
    "pay_at_least_monthly": "Wages paid late or less than monthly",
}

WAGE_RULES = frozenset(
    {
        "minimum_wage",
        "piece_rate_minimum",
        "premium_workday",
        "damage_deduction_share",
        "pay_at_least_monthly",
    }
)

DESCRIPTION_TEMPLATE = (
    "{count} of {sampled} sampled workers ({workers}) in {period}. Rule: {rule} ({citation}). "
    "Evidence:\n{evidence}"
)
INCOMPLETE_TITLE = "Incomplete time records"
INCOMPLETE_TEMPLATE = (
    "The time records of {count} sampled workers ({workers}) have {days} day(s) with a missing "
    "clock-in or clock-out; hours on those days could not be verified."
)


@dataclass(frozen=True)
class ProposedFinding:
    rule_id: str
    classification: Classification
    category: Category
    title_template: str
    description_template: str
    params: dict[str, object]
    citation: str
    worker_codes: tuple[str, ...]
    periods: tuple[tuple[date, date], ...]
    breaches: tuple[Breach, ...] = field(default=())

    @property
    def title(self) -> str:
        return self.title_in("en")

    @property
    def description(self) -> str:
        return self.description_in("en")

    def title_in(self, language: str) -> str:
        return render(self.title_template, self.params, language)

    def description_in(self, language: str) -> str:
        return render(self.description_template, self.params, language)


def propose_findings(analysis: Analysis) -> list[ProposedFinding]:
    by_rule: dict[str, list[Breach]] = defaultdict(list)
    for b in analysis.breaches:
        by_rule[b.rule_id].append(b)
    sampled = str(analysis.summary.workers)
    proposals = [_proposal(rule_id, breaches, sampled) for rule_id, breaches in by_rule.items()]
    incomplete = [w for w in analysis.workers if w.incomplete_days]
    if incomplete:
        codes = tuple(w.worker_code for w in incomplete)
        proposals.append(
            ProposedFinding(
                rule_id="incomplete_time_records",
                classification=Classification.TRANSPARENCY,
                category=Category.TRANSPARENCY,
                title_template=INCOMPLETE_TITLE,
                description_template=INCOMPLETE_TEMPLATE,
                params={
                    "count": str(len(codes)),
                    "workers": ", ".join(codes),
                    "days": str(sum(w.incomplete_days for w in incomplete)),
                },
                citation="",
                worker_codes=codes,
                periods=(),
            )
        )
    return proposals


def _proposal(rule_id: str, breaches: list[Breach], sampled: str) -> ProposedFinding:
    breaches = sorted(breaches, key=lambda b: (b.worker_code, b.period_start))
    codes = tuple(dict.fromkeys(b.worker_code for b in breaches))
    start = min(b.period_start for b in breaches)
    end = max(b.period_end for b in breaches)
    lines = [Phrase("- {line}", line=b) for b in breaches[:MAX_EVIDENCE_LINES]]
    if len(breaches) > MAX_EVIDENCE_LINES:
        lines.append(Phrase("- … {count} more", count=len(breaches) - MAX_EVIDENCE_LINES))
    first = breaches[0]
    return ProposedFinding(
        rule_id=rule_id,
        classification=Classification.STANDARD_NC,
        category=Category.WAGES if rule_id in WAGE_RULES else Category.WORKING_HOURS,
        title_template=RULE_TITLES.get(rule_id, first.rule_text),
        description_template=DESCRIPTION_TEMPLATE,
        params={
            "count": str(len(codes)),
            "sampled": sampled,
            "workers": ", ".join(codes),
            "period": Period(start, end),
            "rule": Wording(first.rule_text, first.rule_text_zh),
            "citation": first.params.get("citation", Wording(first.citation)),
            "evidence": Lines.of(lines),
        },
        citation=first.citation,
        worker_codes=codes,
        periods=tuple((b.period_start, b.period_end) for b in breaches),
        breaches=tuple(breaches),
    )
