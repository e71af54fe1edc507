"""The office's working-day calendar: the rule set the office ships (its public holidays and
调休 make-up working days), else the visit's own rule set, else weekdays only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from ietp_desktop.domain.workdays import add_working_days
from ietp_desktop.office import catalogue
from ietp_desktop.services.catalogue import calendar, definitions
from ietp_desktop.storage.models import Visit


def working_day_adder(session: Session, visit: Visit) -> Callable[[date, int], date]:
    sha = catalogue.latest_rule_set_sha(session)
    if sha is None:
        return calendar.working_day_adder(session, visit)
    rules = definitions.rules_by_sha(session, sha)
    return lambda start, n: add_working_days(start, n, rules)
