"""The hours and wage checks for the sample and for the whole workforce, side by side, with
each person's coverage: no auditor can check everyone's records by hand; this program can,
and it says where the records it checked are incomplete.

"13 consecutive days: 2 of 6 sampled workers, 37 of 412 in the whole workforce."
A person's coverage is the days with time records over the days of the period the imports
cover; a person is flagged when rows of theirs were left out, a day lacks a clock-in or
clock-out, or they have no time records at all: their figures may be low, and nothing about
them is reported as compliant without that warning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ietp_desktop.domain.records import Analysis, Punch
from ietp_desktop.domain.wages import analyse
from ietp_desktop.i18n import tr
from ietp_desktop.importers.gc_pause import gc_paused
from ietp_desktop.services.hours.records import (
    ImportRecord,
    imports_of,
    load_records,
    visit_rules,
)
from ietp_desktop.services.hours.roster import file_lookup, roster_workers
from ietp_desktop.services.visits.refs import resolve_visit
from ietp_desktop.storage.db import Database


@dataclass(frozen=True)
class RuleComparison:
    rule_id: str
    rule: str
    sampled_with: int
    sampled: int
    workforce_with: int
    workforce: int

    @property
    def text(self) -> str:
        return (
            f"{self.rule}: {self.sampled_with} of {self.sampled} sampled workers, "
            f"{self.workforce_with} of {self.workforce} in the whole workforce"
        )


@dataclass(frozen=True)
class WorkerCoverage:
    code: str  # W01 … or R0001 …
    employee_no: str
    in_sample: bool
    days_with_records: int
    days_in_period: int
    incomplete_days: int  # a missing clock-in or clock-out
    rows_left_out: int
    reasons: dict[str, int]  # reason → rows left out

    @property
    def share(self) -> float:
        return self.days_with_records / self.days_in_period if self.days_in_period else 0.0

    @property
    def flagged(self) -> bool:
        return bool(self.rows_left_out or self.incomplete_days or not self.days_with_records)

    @property
    def note(self) -> str:
        parts: list[str] = []
        if self.rows_left_out:
            why = ", ".join(f"{n} {r}" for r, n in sorted(self.reasons.items()))
            parts.append(f"{self.rows_left_out} row(s) left out ({why})")
        if self.incomplete_days:
            parts.append(f"{self.incomplete_days} day(s) without a clock-in or clock-out")
        if not self.days_with_records:
            parts.append("no time records")
        return "; ".join(parts) + ("; figures may be low" if parts else "")


@dataclass(frozen=True)
class VisitCheck:
    sample: Analysis
    workforce: Analysis
    comparisons: tuple[RuleComparison, ...]
    coverage: tuple[WorkerCoverage, ...]
    period: tuple[date, date] | None
    imports: tuple[ImportRecord, ...]
    seed: int | None

    @property
    def rows_left_out(self) -> int:
        return sum(i.rows_left_out for i in self.imports)

    @property
    def flagged(self) -> tuple[WorkerCoverage, ...]:
        return tuple(c for c in self.coverage if c.flagged)


def check_visit(db: Database, visit_ref: str | int) -> VisitCheck:
    with gc_paused(), db.session() as session:
        visit = resolve_visit(session, visit_ref)
        rules = visit_rules(session, visit)
        workers, punches, pays = load_records(session, visit, sample_only=False)
        roster = roster_workers(session, visit)
        lookup = file_lookup(session, visit)
        imports = tuple(imports_of(session, visit.id))
        seed = visit.sample_seed
        people = [(w.code, w.employee_no or w.code, w.in_sample) for w in roster]
        person_of = {name: w.code for name, w in lookup.items()}
    in_sample = {code for code, _, sampled in people if sampled}
    workforce = analyse(workers, punches, pays, rules)
    sample = analyse(
        [w for w in workers if w.code in in_sample],
        [p for p in punches if p.worker_code in in_sample],
        [p for p in pays if p.worker_code in in_sample],
        rules,
    )
    return VisitCheck(
        sample=sample,
        workforce=workforce,
        comparisons=tuple(_compare(sample, workforce, len(in_sample), len(people))),
        coverage=tuple(_coverage(people, punches, workforce, imports, person_of)),
        period=_period(imports, punches),
        imports=imports,
        seed=seed,
    )


def _compare(
    sample: Analysis, workforce: Analysis, sampled: int, headcount: int
) -> list[RuleComparison]:
    rules: dict[str, str] = {}
    with_breach: dict[str, set[str]] = defaultdict(set)
    for b in workforce.breaches:
        rules.setdefault(b.rule_id, b.rule_text)
        with_breach[b.rule_id].add(b.worker_code)
    sampled_with: dict[str, set[str]] = defaultdict(set)
    for b in sample.breaches:
        sampled_with[b.rule_id].add(b.worker_code)
    return [
        RuleComparison(
            rule_id,
            rules[rule_id],
            len(sampled_with[rule_id]),
            sampled,
            len(with_breach[rule_id]),
            headcount,
        )
        for rule_id in sorted(rules)
    ]


def _period(
    imports: tuple[ImportRecord, ...], punches: Sequence[Punch]
) -> tuple[date, date] | None:
    periods = [i.period for i in imports if i.kind == "time" and i.period]
    if periods:
        return min(p[0] for p in periods), max(p[1] for p in periods)
    days = [p.work_date for p in punches]
    return (min(days), max(days)) if days else None


def _coverage(
    people: list[tuple[str, str, bool]],
    punches: Sequence[Punch],
    workforce: Analysis,
    imports: tuple[ImportRecord, ...],
    person_of: dict[str, str],
) -> list[WorkerCoverage]:
    period = _period(imports, punches)
    span = (period[1] - period[0]).days + 1 if period else 0
    days: dict[str, set[date]] = defaultdict(set)
    for p in punches:
        days[p.worker_code].add(p.work_date)
    incomplete = {f.worker_code: f.incomplete_days for f in workforce.workers}
    left: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in imports:
        for name, reasons in record.left_out.items():
            code = person_of.get(name, name or "")
            for reason, count in reasons.items():
                left[code][reason] += count
    out = [
        WorkerCoverage(
            code=code,
            employee_no=employee_no,
            in_sample=sampled,
            days_with_records=len(days.get(code, ())),
            days_in_period=span,
            incomplete_days=incomplete.get(code, 0),
            rows_left_out=sum(left.get(code, {}).values()),
            reasons=dict(left.get(code, {})),
        )
        for code, employee_no, sampled in people
    ]
    unnamed = left.get("")
    if unnamed:
        out.append(WorkerCoverage("", "", False, 0, span, 0, sum(unnamed.values()), dict(unnamed)))
    return out


def workforce_notes(checked: VisitCheck, language: str | None = None) -> list[str]:
    """The sample beside the whole workforce, rows left out and people with incomplete
    records, as lines for the results view and the report (in `language`)."""
    lines = [
        tr(
            "{rule}: {sampled_with} of {sampled} sampled workers, {workforce_with} of "
            "{workforce} in the whole workforce",
            language=language,
            rule=tr(c.rule, language=language),
            sampled_with=c.sampled_with,
            sampled=c.sampled,
            workforce_with=c.workforce_with,
            workforce=c.workforce,
        )
        for c in checked.comparisons
    ]
    for record in checked.imports:
        if record.rows_left_out and record.accepted:
            lines.append(
                tr(
                    "{file}: {rows} of {read} rows could not be read and were left out; "
                    "leaving them out was accepted on import",
                    language=language,
                    file=record.file,
                    rows=record.rows_left_out,
                    read=record.rows_read,
                )
            )
        elif record.rows_left_out:
            lines.append(
                tr(
                    "{file}: {rows} of {read} rows could not be read and were left out",
                    language=language,
                    file=record.file,
                    rows=record.rows_left_out,
                    read=record.rows_read,
                )
            )
    flagged = checked.flagged
    if flagged:
        lines.append(
            tr(
                "{count} of {total} people have incomplete records (rows left out, a missing "
                "clock-in or clock-out, or no time records): {people}; their figures may be "
                "low and are no evidence of compliance",
                language=language,
                count=len(flagged),
                total=len(checked.coverage),
                people=", ".join(c.code or "?" for c in flagged[:20])
                + (" …" if len(flagged) > 20 else ""),
            )
        )
    return lines
