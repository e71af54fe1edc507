"""What a records check found for one CAP line, as stored and shown: the period and months the
new records cover, per rule the workers and periods in breach with examples, what could not be
read or checked, and the two flags (less than two months after the visit; the finding's own
rule still broken)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ietp_desktop.domain.phrases import Phrase, phrase_from_data
from ietp_desktop.domain.proposals import RULE_TITLES, WAGE_RULES
from ietp_desktop.domain.pv_window import add_months
from ietp_desktop.domain.records import Analysis, Breach, PayRecord, Punch
from ietp_desktop.office.cap_followup.records_reading import ReadFile

SHORT = "short-coverage"
PERSIST = "breaches-persist"
FLAG_TEXT = {
    SHORT: "Records cover less than two months after the visit",
    PERSIST: "Breaches persist",
}
ALL_RULES = frozenset(RULE_TITLES)
HOURS_RULES = ALL_RULES - WAGE_RULES
EXAMPLES = 5
END_GRACE = 2
MAX_NOTES = 20
NO_TIME = "Working hours not checked: no attendance records were read."
NO_PAY = "Wages not checked: no payroll records were read."
MAX_UNREAD = 200


@dataclass(frozen=True)
class Example:
    worker: str
    start: str
    end: str
    figure: str
    limit: str
    unit: str


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    rule: str  # the rule's text, English (translated when shown)
    workers: int
    periods: int  # breaches as the calculator reports them: weeks, months, 7-day runs
    finding_rule: bool  # the rule of the line's finding
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class Unread:
    file: str  # file, and the sheet when a workbook had several
    row: int
    column: str
    reason: Phrase  # kept as template and values: read in the reader's language


@dataclass(frozen=True)
class FileRead:
    filename: str
    sha256: str
    kind: str  # time | pay
    records: int
    rows_read: int
    rows_left_out: int
    recognition: tuple[Phrase, ...]  # what was understood, in any language
    summary: tuple[Phrase, ...]
    confirm: tuple[str, ...]


@dataclass(frozen=True)
class RecordsSummary:
    finding_code: str
    period_start: str  # first–last date of every record read, ISO
    period_end: str
    months: tuple[str, ...]  # calendar months with records, YYYY-MM
    workers: int
    rules: tuple[RuleResult, ...]  # rules in breach
    checked: tuple[str, ...]  # rule ids the records allowed to check
    not_checked: tuple[Phrase, ...]  # why some rules could not be checked, in any language
    incomplete_days: int  # days without a clock-in or clock-out: hours not counted
    weeks_over: int  # worker-weeks (Monday–Sunday) above the programme's weekly hours
    weekly_limit: str
    week_examples: tuple[Example, ...]
    unread: tuple[Unread, ...]
    unread_total: int
    files: tuple[FileRead, ...]
    flags: tuple[str, ...]
    finding_rules: tuple[str, ...]
    relevant_kind: tuple[str, ...]  # time and/or pay: what the two months are counted on
    rule_set: str
    confirmed: bool = False

    @property
    def breaches(self) -> int:
        return sum(r.periods for r in self.rules)

    @property
    def months_covered(self) -> int:
        return len(self.months)

    @property
    def finding_rule_titles(self) -> tuple[str, ...]:
        """English titles of the finding's rules (as the proposed findings name them)."""
        return tuple(RULE_TITLES.get(r, r) for r in self.finding_rules)


def two_months(start: date, end: date) -> bool:
    """1 Dec – 31 Jan is two months. The last records may fall up to END_GRACE days before
    the end (a weekend off closes many months): 1 Dec – 29 Jan still counts, 1 Dec – 28 Jan
    does not."""
    return end + timedelta(days=END_GRACE) >= add_months(start, 2) - timedelta(days=1)


def _example(b: Breach) -> Example:
    return Example(
        b.worker_code,
        b.period_start.isoformat(),
        b.period_end.isoformat(),
        f"{b.figure:f}",
        f"{b.limit:f}",
        b.unit,
    )


def summarise(
    code: str,
    analysis: Analysis,
    punches: Sequence[Punch],
    pays: Sequence[PayRecord],
    read: Sequence[ReadFile],
    reads: tuple[FileRead, ...],
    wanted: set[str],
    kinds: set[str],
    visit_end: date,
    confirmed: bool = False,
) -> RecordsSummary:
    by_rule: dict[str, list[Breach]] = defaultdict(list)
    for b in analysis.breaches:
        by_rule[b.rule_id].append(b)
    rules = tuple(
        RuleResult(
            rule_id,
            found[0].rule_text,
            len({b.worker_code for b in found}),
            len(found),
            rule_id in wanted,
            tuple(_example(b) for b in sorted(found, key=_order)[:EXAMPLES]),
        )
        for rule_id, found in sorted(by_rule.items(), key=lambda x: (x[0] not in wanted, x[0]))
    )
    days = [p.work_date for p in punches]
    starts = days + [p.period_start for p in pays]
    ends = days + [p.period_end for p in pays]
    months = sorted(
        {f"{d:%Y-%m}" for d in days}
        | {f"{d:%Y-%m}" for p in pays for d in (p.period_start, p.period_end)}
    )
    checked: set[str] = set()
    not_checked: list[Phrase] = []
    if punches:
        checked |= HOURS_RULES
    else:
        not_checked.append(Phrase(NO_TIME))
    if pays:
        checked |= WAGE_RULES
    else:
        not_checked.append(Phrase(NO_PAY))
    not_checked.extend(analysis.notes[:MAX_NOTES])
    if len(analysis.notes) > MAX_NOTES:
        not_checked.append(
            Phrase("… {count} more notes of the calculators", count=len(analysis.notes) - MAX_NOTES)
        )
    relevant: list[str] = []
    if wanted & HOURS_RULES:
        relevant.append("time")
    if wanted & WAGE_RULES:
        relevant.append("pay")
    flags: list[str] = []
    if not _covers_two_months(relevant, punches, pays, visit_end):
        flags.append(SHORT)
    if any(r.finding_rule for r in rules):
        flags.append(PERSIST)
    limit = analysis.programme_weekly_hours
    over = [(f.worker_code, w) for f in analysis.workers for w in f.weekly_hours if w.hours > limit]
    unread = [Unread(p.file, p.row_number, p.column, p.message) for f in read for p in f.problems]
    return RecordsSummary(
        finding_code=code,
        period_start=min(starts).isoformat() if starts else "",
        period_end=max(ends).isoformat() if ends else "",
        months=tuple(months),
        workers=len(analysis.workers),
        rules=rules,
        checked=tuple(sorted(checked & wanted)) or tuple(sorted(checked)),
        not_checked=tuple(not_checked),
        incomplete_days=analysis.summary.incomplete_days,
        weeks_over=len(over) if punches else 0,
        weekly_limit=_number(limit),
        week_examples=tuple(
            Example(
                worker,
                w.monday.isoformat(),
                (w.monday + timedelta(days=6)).isoformat(),
                f"{w.hours:.2f}",
                _number(limit),
                "h",
            )
            for worker, w in over[:EXAMPLES]
        ),
        unread=tuple(unread[:MAX_UNREAD]),
        unread_total=len(unread),
        files=reads,
        flags=tuple(flags),
        finding_rules=tuple(sorted(wanted)),
        relevant_kind=tuple(relevant),
        rule_set=analysis.rule_set_id,
        confirmed=confirmed,
    )


def _number(value: float) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def _order(b: Breach) -> tuple[str, date]:
    return (b.worker_code, b.period_start)


def _covers_two_months(
    relevant: list[str], punches: Sequence[Punch], pays: Sequence[PayRecord], visit_end: date
) -> bool:
    spans: list[tuple[date, date] | None] = []
    for kind in relevant or ["time", "pay"]:
        if kind == "time":
            days = [p.work_date for p in punches if p.work_date > visit_end]
            spans.append((min(days), max(days)) if days else None)
        else:
            periods = [p for p in pays if p.period_end > visit_end]
            spans.append(
                (min(p.period_start for p in periods), max(p.period_end for p in periods))
                if periods
                else None
            )
    if not relevant:  # the finding names no rule: either kind will do
        return any(s is not None and two_months(*s) for s in spans)
    return all(s is not None and two_months(*s) for s in spans)


def summary_from_json(text: str) -> RecordsSummary:
    data = json.loads(text)
    return RecordsSummary(
        finding_code=data["finding_code"],
        period_start=data["period_start"],
        period_end=data["period_end"],
        months=tuple(data["months"]),
        workers=int(data["workers"]),
        rules=tuple(
            RuleResult(
                r["rule_id"],
                r["rule"],
                int(r["workers"]),
                int(r["periods"]),
                bool(r["finding_rule"]),
                tuple(Example(**e) for e in r["examples"]),
            )
            for r in data["rules"]
        ),
        checked=tuple(data["checked"]),
        not_checked=tuple(phrase_from_data(n) for n in data["not_checked"]),
        incomplete_days=int(data["incomplete_days"]),
        weeks_over=int(data["weeks_over"]),
        weekly_limit=data["weekly_limit"],
        week_examples=tuple(Example(**e) for e in data["week_examples"]),
        unread=tuple(
            Unread(u["file"], int(u["row"]), u["column"], phrase_from_data(u["reason"]))
            for u in data["unread"]
        ),
        unread_total=int(data["unread_total"]),
        files=tuple(
            FileRead(
                **{
                    **f,
                    "recognition": tuple(phrase_from_data(line) for line in f["recognition"]),
                    "summary": tuple(phrase_from_data(line) for line in f["summary"]),
                    "confirm": tuple(f["confirm"]),
                }
            )
            for f in data["files"]
        ),
        flags=tuple(data["flags"]),
        finding_rules=tuple(data["finding_rules"]),
        relevant_kind=tuple(data["relevant_kind"]),
        rule_set=data["rule_set"],
        confirmed=bool(data.get("confirmed", False)),
    )
