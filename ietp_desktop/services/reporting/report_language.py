"""The report's language as the visit answered it: checklist v1 asked it (CM-07); from v2 on
the Report page chooses it."""

from __future__ import annotations

from ietp_desktop.services.dto import VisitDetail

REPORT_LANGUAGE_ITEM = "CM-07"  # v1 only
REPORT_LANGUAGES = ("en", "zh", "both")


def answered_report_language(detail: VisitDetail) -> str | None:
    """ "en", "zh" or "both" when the visit's checklist asked and it was answered, else None."""
    answer = detail.answers.get(REPORT_LANGUAGE_ITEM)
    if answer is None or answer.value not in REPORT_LANGUAGES:
        return None
    return str(answer.value)
