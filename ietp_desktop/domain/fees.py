"""The Progress Visit fee note: man-days × day rate, capped, due 15 working days after receipt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ietp_desktop.domain.errors import ValidationFailed

FEE_CAP_USD = Decimal("1500")
PAYMENT_WORKING_DAYS = 15


@dataclass(frozen=True)
class FeeNote:
    man_days: Decimal
    day_rate_usd: Decimal
    uncapped_usd: Decimal
    total_usd: Decimal
    invoice_received_on: date | None
    due_on: date | None

    @property
    def cap_applied(self) -> bool:
        return self.total_usd < self.uncapped_usd


def fee_note(
    man_days: Decimal,
    day_rate_usd: Decimal,
    invoice_received_on: date | None,
    add_working_days: Callable[[date, int], date],
) -> FeeNote:
    """`add_working_days(start, n)` skips weekends and the rule set's public holidays."""
    if man_days <= 0:
        raise ValidationFailed("man-days must be more than 0 (got {man_days}).", man_days=man_days)
    if day_rate_usd < 0:
        raise ValidationFailed(
            "the day rate cannot be negative (got {day_rate_usd} USD).", day_rate_usd=day_rate_usd
        )
    uncapped = (man_days * day_rate_usd).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    due = (
        add_working_days(invoice_received_on, PAYMENT_WORKING_DAYS) if invoice_received_on else None
    )
    return FeeNote(
        man_days=man_days,
        day_rate_usd=day_rate_usd,
        uncapped_usd=uncapped,
        total_usd=min(uncapped, FEE_CAP_USD),
        invoice_received_on=invoice_received_on,
        due_on=due,
    )
