"""Which classifications need a Corrective Action Plan line (DOMAIN.md: every non-compliance)."""

from __future__ import annotations

import pytest

from ietp_desktop.domain.findings import CLASSIFICATION_LABELS, Classification


@pytest.mark.parametrize(
    ("classification", "needs_cap"),
    [
        (Classification.STANDARD_NC, True),
        (Classification.TRANSPARENCY, True),
        (Classification.ZERO_TOLERANCE, True),
        (Classification.OBSERVATION, False),
        (Classification.BEST_PRACTICE, False),
    ],
)
def test_every_non_compliance_needs_a_cap_line_and_nothing_else_does(
    classification: Classification, needs_cap: bool
) -> None:
    assert classification.needs_cap is needs_cap


def test_the_table_above_covers_every_classification_and_each_has_a_label() -> None:
    assert set(CLASSIFICATION_LABELS) == set(Classification)
    assert len(Classification) == 5
