"""Wage checks (hourly base, overtime premium, minimum wage, piece rate, deductions, payment
date) and `analyse`, which runs every hours and wage check over a worker sample.

Proration rule (documented choice): the minimum wage owed for a pay period is the sum, over
each calendar day of the period that the worker was employed (from the hire date), of the
monthly minimum in force on that day divided by the number of days in that day's month. A full
calendar month therefore owes exactly the monthly minimum; a worker hired mid-month, or a
period across a change of rate, owes each part at its own rate.
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.hours import (
    WorkerHours,
    daily_hours,
    hours_breaches,
    make_breach,
    worker_hours,
)
from ietp_desktop.domain.phrases import Lines, Phrase, Wording
from ietp_desktop.domain.records import (
    ZERO,
    Analysis,
    AnalysisSummary,
    Breach,
    Day,
    PayRecord,
    Period,
    Punch,
    WageType,
    Worker,
    WorkerFigures,
    format_hours,
    format_money,
)
from ietp_desktop.domain.rules import RuleSet

CENT = Decimal("0.01")
TOLERANCE = Decimal("1.00")  # rounding in payroll systems: shortfalls below 1 CNY are ignored


def money(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def hourly_base(monthly: Decimal, rules: RuleSet) -> Decimal:
    """Monthly wage ÷ 174 (unrounded; round only the amounts derived from it)."""
    return monthly / rules.rules.monthly_hours_base.value


def prorated_minimum_wage(
    region: str, start: date, end: date, rules: RuleSet, employed_from: date | None = None
) -> Decimal:
    """Minimum wage owed for [start, end]; see the module docstring for the rule."""
    day = max(start, employed_from) if employed_from else start
    total = ZERO
    while day <= end:
        rate = rules.minimum_wage(region, day).amount
        total += rate / monthrange(day.year, day.month)[1]
        day += timedelta(days=1)
    return money(total)


def overtime_premium_due(
    wh: WorkerHours, start: date, end: date, hourly: Decimal, rules: RuleSet
) -> tuple[Decimal, int]:
    """(premium pay due, overtime minutes) for the days from start to end."""
    law = rules.rules
    due = ZERO
    minutes = 0
    for ot in wh.overtime:
        if start <= ot.work_date <= end:
            due += (
                Decimal(ot.workday_minutes) * law.premium_workday.value
                + Decimal(ot.rest_day_minutes) * law.premium_rest_day.value
                + Decimal(ot.holiday_minutes) * law.premium_holiday.value
            )
            minutes += ot.total
    return money(due * hourly / 60), minutes


Note = tuple[str, Phrase]  # (worker code or "", what could not be checked)


def merge_worker_notes(notes: list[Note]) -> tuple[Phrase, ...]:
    """One note per distinct phrase, naming every worker it concerns: "W01, W02: …"."""
    workers_by_note: dict[Phrase, list[str]] = {}
    for code, note in notes:
        codes = workers_by_note.setdefault(note, [])
        if code and code not in codes:
            codes.append(code)
    return tuple(
        Phrase("{workers}: {note}", workers=", ".join(codes), note=note) if codes else note
        for note, codes in workers_by_note.items()
    )


def _wage_breaches(
    worker: Worker,
    pays: list[PayRecord],
    wh: WorkerHours | None,
    rules: RuleSet,
    notes: list[Note],
) -> tuple[list[Breach], Decimal, Decimal, int]:
    """(breaches, minimum-wage shortfall, premium shortfall, late payments)."""
    law = rules.rules
    code = worker.code
    out: list[Breach] = []
    min_short = prem_short = ZERO
    late = 0
    for pay in sorted(pays, key=lambda p: p.period_start):
        period = Period(pay.period_start, pay.period_end)
        minimum: Decimal | None = None
        if worker.region:
            try:
                minimum = prorated_minimum_wage(
                    worker.region, pay.period_start, pay.period_end, rules, worker.hire_date
                )
            except UserError as exc:
                notes.append(
                    (
                        code,
                        Phrase(
                            "minimum-wage checks skipped: {reason}",
                            reason=Phrase(exc.message, **exc.params),
                        ),
                    )
                )
        else:
            notes.append((code, Phrase("no minimum-wage region; minimum-wage checks skipped")))

        if minimum is not None:
            if worker.wage_type is WageType.PIECE and pay.piece_earnings_standard_hours is not None:
                paid, rule_id, rule = (
                    pay.piece_earnings_standard_hours,
                    "piece_rate_minimum",
                    law.piece_rate_minimum,
                )
                template = (
                    "{worker} earned {paid} CNY at piece rates within standard hours for "
                    "{period}, below the minimum wage of {minimum} CNY ({region}); "
                    "rule: {rule}, {citation}"
                )
            else:
                paid = pay.base_pay + pay.allowances
                rule_id, rule = "minimum_wage", law.minimum_wage
                template = (
                    "{worker} was paid {paid} CNY for standard hours for {period}, below the "
                    "minimum wage of {minimum} CNY ({region}); rule: {rule}, {citation}"
                )
            if paid < minimum - TOLERANCE:
                min_short += minimum - paid
                b = make_breach(
                    code,
                    rule_id,
                    rule,
                    pay.period_start,
                    pay.period_end,
                    money(paid),
                    template,
                    paid=format_money(paid),
                    period=period,
                    minimum=format_money(minimum),
                    region=worker.region or "",
                )
                out.append(_with_limit(b, minimum))

        if wh is not None and worker.wage_type is not WageType.PIECE:
            out_p, short = _premium_check(worker, pay, wh, rules, minimum, notes)
            out.extend(out_p)
            prem_short += short

        out.extend(_deduction_checks(worker, pay, minimum, rules))

        if pay.paid_on and pay.agreed_pay_day and pay.paid_on > pay.agreed_pay_day:
            late += 1
            days_late = (pay.paid_on - pay.agreed_pay_day).days
            b = make_breach(
                code,
                "pay_at_least_monthly",
                law.pay_at_least_monthly,
                pay.period_start,
                pay.period_end,
                Decimal(days_late),
                "{worker} was paid for {period} on {paid_on}, {days} days after the agreed "
                "pay day {agreed}; rule: {rule}, {citation}",
                period=period,
                paid_on=Day(pay.paid_on),
                days=str(days_late),
                agreed=Day(pay.agreed_pay_day),
            )
            out.append(_with_limit(b, ZERO, unit="days"))
        span = (pay.period_end - pay.period_start).days + 1
        if span > 31:
            b = make_breach(
                code,
                "pay_at_least_monthly",
                law.pay_at_least_monthly,
                pay.period_start,
                pay.period_end,
                Decimal(span),
                "{worker}'s pay period {period} covers {days} days, more than a month; "
                "rule: {rule}, {citation}",
                period=period,
                days=str(span),
            )
            out.append(_with_limit(b, Decimal(31), unit="days"))
    return out, money(min_short), money(prem_short), late


def _premium_check(
    worker: Worker,
    pay: PayRecord,
    wh: WorkerHours,
    rules: RuleSet,
    minimum: Decimal | None,
    notes: list[Note],
) -> tuple[list[Breach], Decimal]:
    """Overtime pay due at 150/200/300 % of the hourly base; the base is the contract rate,
    never less than the local minimum wage ÷ 174."""
    if worker.wage_type is WageType.HOURLY and worker.base_rate is not None:
        hourly = worker.base_rate
    elif worker.base_rate is not None:
        hourly = hourly_base(worker.base_rate, rules)
    else:
        hourly = ZERO
    if worker.region:
        try:
            floor = rules.minimum_wage(worker.region, pay.period_end).amount
            hourly = max(hourly, hourly_base(floor, rules))
        except UserError:
            pass
    if hourly == ZERO:
        notes.append((worker.code, Phrase("no base rate or region; overtime premium not checked")))
        return [], ZERO
    due, minutes = overtime_premium_due(wh, pay.period_start, pay.period_end, hourly, rules)
    if pay.overtime_pay >= due - TOLERANCE:
        return [], ZERO
    law = rules.rules
    b = make_breach(
        worker.code,
        "premium_workday",
        law.premium_workday,
        pay.period_start,
        pay.period_end,
        pay.overtime_pay,
        "{worker} was paid {paid} CNY overtime for {period}; {due} CNY was due for {hours} h "
        "of overtime at {base} CNY an hour; rule: {rule}, {citation}",
        paid=format_money(pay.overtime_pay),
        period=Period(pay.period_start, pay.period_end),
        due=format_money(due),
        hours=format_hours(minutes / 60),
        base=format_money(money(hourly)),
    )
    citation = (
        f"{law.premium_workday.citation}; {law.premium_rest_day.citation}; "
        f"{law.premium_holiday.citation}"
    )
    cited = Lines.of(
        (
            Wording(law.premium_workday.citation, law.premium_workday.citation_zh),
            Wording(law.premium_rest_day.citation, law.premium_rest_day.citation_zh),
            Wording(law.premium_holiday.citation, law.premium_holiday.citation_zh),
        ),
        "; ",
    )
    b = Breach(**{**b.__dict__, "citation": citation, "params": {**b.params, "citation": cited}})
    return [_with_limit(b, due, unit="CNY")], due - pay.overtime_pay


def _deduction_checks(
    worker: Worker, pay: PayRecord, minimum: Decimal | None, rules: RuleSet
) -> list[Breach]:
    rule = rules.rules.damage_deduction_share
    if pay.damage_deductions <= ZERO:
        return []
    out = []
    period = Period(pay.period_start, pay.period_end)
    cap = money(pay.gross_pay * rule.value)
    if pay.damage_deductions > cap:
        b = make_breach(
            worker.code,
            "damage_deduction_share",
            rule,
            pay.period_start,
            pay.period_end,
            pay.damage_deductions,
            "{worker} had {amount} CNY deducted for damage for {period}, more than {cap} CNY "
            "({share} % of the month's wage); rule: {rule}, {citation}",
            amount=format_money(pay.damage_deductions),
            period=period,
            cap=format_money(cap),
            share=format_hours(rule.value * 100),
        )
        out.append(_with_limit(b, cap, unit="CNY"))
    remainder = pay.gross_pay - pay.damage_deductions
    if minimum is not None and remainder < minimum - TOLERANCE:
        b = make_breach(
            worker.code,
            "damage_deduction_share",
            rule,
            pay.period_start,
            pay.period_end,
            remainder,
            "{worker} kept {remainder} CNY after damage deductions for {period}, below the "
            "minimum wage of {minimum} CNY; rule: {rule}, {citation}",
            remainder=format_money(remainder),
            period=period,
            minimum=format_money(minimum),
        )
        out.append(_with_limit(b, minimum, unit="CNY"))
    return out


def _with_limit(b: Breach, limit: Decimal, unit: str = "CNY") -> Breach:
    return Breach(**{**b.__dict__, "limit": limit, "unit": unit})


def analyse(
    workers: Iterable[Worker],
    punches: Iterable[Punch],
    pay_records: Iterable[PayRecord],
    rules: RuleSet,
) -> Analysis:
    """Every hours and wage check for the sampled workers. Records of workers not in
    `workers` are ignored."""
    sample = sorted(workers, key=lambda w: w.code)
    days_by_worker = daily_hours(punches)
    pays_by_worker: dict[str, list[PayRecord]] = defaultdict(list)
    for pay in pay_records:
        pays_by_worker[pay.worker_code].append(pay)

    notes: list[Note] = []
    figures: list[WorkerFigures] = []
    breaches: list[Breach] = []
    years: set[int] = set()
    punch_days = incomplete_total = 0
    for worker in sample:
        days = days_by_worker.get(worker.code, [])
        wh = worker_hours(worker.code, days, rules)
        years.update({d.work_date.year for d in days[:1] + days[-1:]})
        worker_breaches = hours_breaches(wh, rules)
        wage_breaches, min_short, prem_short, late = _wage_breaches(
            worker, pays_by_worker.get(worker.code, []), wh if days else None, rules, notes
        )
        worker_breaches += wage_breaches
        breaches += worker_breaches
        figures.append(_figures(worker, wh, min_short, prem_short, late))
        punch_days += len(days)
        incomplete_total += sum(1 for d in days if d.incomplete)

    for year in sorted(years):
        if year not in rules.covered_years:
            notes.append(
                (
                    "",
                    Phrase(
                        "rule set {rules} has no public holidays for {year}",
                        rules=rules.rule_set_id,
                        year=year,
                    ),
                )
            )
        elif year in rules.provisional_years:
            notes.append(
                (
                    "",
                    Phrase(
                        "public holidays for {year} are provisional in {rules}",
                        year=year,
                        rules=rules.rule_set_id,
                    ),
                )
            )

    by_rule = Counter(b.rule_id for b in breaches)
    summary = AnalysisSummary(
        workers=len(sample),
        workers_with_breaches=len({b.worker_code for b in breaches}),
        breaches=len(breaches),
        breaches_by_rule=dict(sorted(by_rule.items())),
        punch_days=punch_days,
        incomplete_days=incomplete_total,
        pay_records=sum(len(pays_by_worker.get(w.code, [])) for w in sample),
    )
    return Analysis(
        rule_set_id=rules.rule_set_id,
        workers=tuple(figures),
        breaches=tuple(breaches),
        summary=summary,
        notes=merge_worker_notes(notes),
        legal_weekly_hours=float(rules.rules.standard_hours_per_week.value),
        programme_weekly_hours=float(rules.programme_limits.total_hours_per_7_days.value),
    )


def _figures(
    worker: Worker, wh: WorkerHours, min_short: Decimal, prem_short: Decimal, late: int
) -> WorkerFigures:
    run = wh.longest_run
    months = wh.overtime_by_month()
    return WorkerFigures(
        worker_code=worker.code,
        days_worked=len(wh.days),
        total_hours=round(sum(d.minutes for d in wh.days) / 60, 2),
        max_daily_hours=round(max((d.minutes for d in wh.days), default=0) / 60, 2),
        max_weekly_hours=round(max((w.hours for w in wh.weekly), default=0.0), 2),
        max_rolling7_hours=round(wh.max_rolling7_minutes / 60, 2),
        max_overtime_month_hours=round(max(months.values(), default=0) / 60, 2),
        longest_run_days=run.days if run else 0,
        longest_run_start=run.start if run else None,
        longest_run_end=run.end if run else None,
        rest_days_worked=len(wh.rest_days_worked),
        days_off_in_lieu=len(wh.days_in_lieu),
        holidays_worked=len(wh.holidays_worked),
        incomplete_days=sum(1 for d in wh.days if d.incomplete),
        min_wage_shortfall=min_short,
        premium_shortfall=prem_short,
        late_payments=late,
        weekly_hours=wh.weekly,
    )
