"""Visit lifecycle: every allowed transition, every refused one, the lock after signing."""

from __future__ import annotations

import itertools

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.lifecycle import (
    ALLOWED,
    STATUS_LABELS,
    VisitStatus,
    can_become,
    check_transition,
)

S = VisitStatus

EXPECTED_ALLOWED = {
    (S.PLANNED, S.CONFIRMED),
    (S.PLANNED, S.REFUSED),
    (S.CONFIRMED, S.IN_PROGRESS),
    (S.CONFIRMED, S.PLANNED),
    (S.CONFIRMED, S.REFUSED),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.IN_PROGRESS, S.REFUSED),
    (S.COMPLETED, S.SIGNED),
    (S.COMPLETED, S.IN_PROGRESS),
    (S.SIGNED, S.EXPORTED),
    (S.SIGNED, S.IN_PROGRESS),
    (S.EXPORTED, S.RECEIVED),
    (S.EXPORTED, S.IN_PROGRESS),
    (S.RECEIVED, S.IN_PROGRESS),
    (S.REFUSED, S.COMPLETED),
    (S.REFUSED, S.SIGNED),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_transition_table(current: S, target: S) -> None:
    if (current, target) in EXPECTED_ALLOWED:
        check_transition(current, target, "abcd1234")
        assert target in ALLOWED[current]
    else:
        with pytest.raises(UserError) as caught:
            check_transition(current, target, "abcd1234")
        assert str(caught.value) == (
            f"visit abcd1234 is {STATUS_LABELS[current].lower()}; it cannot become "
            f"{STATUS_LABELS[target].lower()}."
        )


@pytest.mark.parametrize(
    ("status", "label", "locked", "editable"),
    [
        (S.PLANNED, "Planned", False, True),
        (S.CONFIRMED, "Confirmed", False, True),
        (S.IN_PROGRESS, "In progress", False, True),
        (S.COMPLETED, "Completed", False, False),
        (S.SIGNED, "Signed", True, False),
        (S.EXPORTED, "Sent to office", True, False),
        (S.RECEIVED, "Received by office", True, False),
        (S.REFUSED, "Refused by factory", False, False),
    ],
)
def test_labels_lock_and_editability(status: S, label: str, locked: bool, editable: bool) -> None:
    assert status.label == label
    assert status.content_locked is locked
    assert status.editable is editable


def test_can_become_offers_exactly_the_allowed_moves() -> None:
    assert can_become(VisitStatus.PLANNED, VisitStatus.CONFIRMED)
    assert not can_become(VisitStatus.PLANNED, VisitStatus.SIGNED)
    assert can_become(VisitStatus.RECEIVED, VisitStatus.IN_PROGRESS)  # a new revision
    assert not can_become(VisitStatus.RECEIVED, VisitStatus.COMPLETED)
