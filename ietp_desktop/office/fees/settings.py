"""The follow-up settings an office edits, each declared once with its default and limits.

grace = settings.read(session, settings.TERMINATION_GRACE_DAYS)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.storage.office_money_models import OfficeMoneySetting
from ietp_desktop.storage.types import utcnow


@dataclass(frozen=True)
class NumberSetting:
    key: str
    label: str
    default: Decimal
    minimum: Decimal
    maximum: Decimal
    whole: bool  # a number of days, not a percentage


# How long after the due date an unpaid invoice is shown as a termination risk.
TERMINATION_GRACE_DAYS = NumberSetting(
    "fees.termination_grace_days",
    "Grace after the due date before termination risk (days)",
    Decimal("30"),
    Decimal("0"),
    Decimal("365"),
    True,
)
# The share of each paid fee that goes to the Factory Training and Development Fund. The
# programme documents name the fund but no figure; 10 % is the office's starting value.
FUND_SHARE_PERCENT = NumberSetting(
    "fees.fund_share_percent",
    "Share of each paid fee booked to the Training and Development Fund (%)",
    Decimal("10"),
    Decimal("0"),
    Decimal("100"),
    False,
)
# A refused visit's Progress Audit must be arranged within this many days of receipt.
PA_ARRANGE_DAYS = NumberSetting(
    "escalations.pa_arrange_days",
    "Days to arrange the Progress Audit after a refused visit",
    Decimal("30"),
    Decimal("1"),
    Decimal("365"),
    True,
)

ALL = (TERMINATION_GRACE_DAYS, FUND_SHARE_PERCENT, PA_ARRANGE_DAYS)


def read(session: Session, setting: NumberSetting) -> Decimal:
    row = session.get(OfficeMoneySetting, setting.key)
    if row is None:
        return setting.default
    try:
        return Decimal(row.value)
    except InvalidOperation:
        return setting.default


def read_days(session: Session, setting: NumberSetting) -> int:
    return int(read(session, setting))


def parse(setting: NumberSetting, text: str) -> Decimal:
    """The value typed for `setting`, or a refusal that names the setting and the limits."""
    try:
        value = Decimal(text.strip().rstrip("%").strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if (
        not value.is_finite()
        or not setting.minimum <= value <= setting.maximum
        or (setting.whole and value != value.to_integral_value())
    ):
        if setting.whole:
            raise UserError(
                "{setting}: “{value}” is not a whole number from {low} to {high}",
                setting=setting.label,
                value=text[:40],
                low=setting.minimum,
                high=setting.maximum,
            )
        raise UserError(
            "{setting}: “{value}” is not a number from {low} to {high}",
            setting=setting.label,
            value=text[:40],
            low=setting.minimum,
            high=setting.maximum,
        )
    return value.normalize() if not setting.whole else value.to_integral_value()


def write(
    session: Session, setting: NumberSetting, text: str, actor: str, remote: str = ""
) -> Decimal:
    value = parse(setting, text)
    row = session.get(OfficeMoneySetting, setting.key)
    old = row.value if row else str(setting.default)
    if row is None:
        session.add(OfficeMoneySetting(key=setting.key, value=str(value), changed_by=actor))
    else:
        row.value = str(value)
        row.changed_by = actor
        row.changed_at = utcnow()
    audit.record(session, actor, "setting.change", setting.key, f"{old} → {value}", remote)
    return value
