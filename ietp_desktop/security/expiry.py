"""A specialist certificate near or past its end: warn weeks before, refuse to sign after.

A visit signed or exported with an expired certificate would be refused by the office and stay
locked on the laptop as "Sent to office"; refusing on the laptop says what to do instead:
re-enrol (the office issues a new enrolment file; importing it keeps every visit).
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509

from ietp_desktop.domain.errors import UserError
from ietp_desktop.security import certificates as certs

WARN_BEFORE = dt.timedelta(weeks=4)
RENEW = (
    "ask your office for a new enrolment file and import it with "
    "'ietp-desktop identity import FILE --replace' (your visits stay on this laptop)"
)


def expiry_warning(cert: x509.Certificate, now: dt.datetime | None = None) -> str | None:
    """One line when the certificate ends within WARN_BEFORE (or has ended), else None."""
    now = now or certs.utcnow()
    ends = cert.not_valid_after_utc
    if ends <= now:
        return f"your signing certificate expired on {ends:%Y-%m-%d}; {RENEW}"
    if ends - now <= WARN_BEFORE:
        return f"your signing certificate expires on {ends:%Y-%m-%d}; {RENEW}"
    return None


def check_can_sign(cert: x509.Certificate, now: dt.datetime | None = None) -> None:
    now = now or certs.utcnow()
    ends = cert.not_valid_after_utc
    if ends <= now:
        raise UserError(
            "your signing certificate expired on {date}, so nothing can be signed or exported "
            "with it; {renew}",
            date=f"{ends:%Y-%m-%d}",
            renew=RENEW,
        )
