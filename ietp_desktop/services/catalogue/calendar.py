"""The working-day calendar a visit's rule set defines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy.orm import Session

from ietp_desktop.domain.workdays import add_working_days
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.storage.models import Visit


def working_day_adder(session: Session, visit: Visit) -> Callable[[date, int], date]:
    """`add(start, n)`: weekends and the rule set's public holidays skipped. Without a rule
    set only weekends are skipped."""
    if visit.rule_set_sha256:
        rules = definitions.rules_by_sha(session, visit.rule_set_sha256)
        return lambda start, n: add_working_days(start, n, rules)

    def weekdays_only(start: date, n: int) -> date:
        day = start
        while n:
            day += timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day

    return weekdays_only
