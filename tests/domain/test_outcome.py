"""Outcome engine (DOMAIN.md §1), table-driven: every rule, their order, and the override."""

from __future__ import annotations

import pytest

from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.domain.findings import Classification as C  # noqa: N817 (short: the tables below use it on every line)
from ietp_desktop.domain.outcome import (
    OUTCOME_EXPLANATIONS,
    OUTCOME_LABELS,
    FindingRef,
    Outcome,
    decide,
    recommend,
)

ZT, TR, NC, OB, BP = (
    C.ZERO_TOLERANCE,
    C.TRANSPARENCY,
    C.STANDARD_NC,
    C.OBSERVATION,
    C.BEST_PRACTICE,
)


def refs(*classes: C) -> list[FindingRef]:
    return [FindingRef(f"F{i:02d}", c, f"t{i}") for i, c in enumerate(classes, start=1)]


@pytest.mark.parametrize(
    ("classes", "refused", "outcome", "driver_codes", "label"),
    [
        ((), False, Outcome.MAINTAINED, (), "Certificate maintained"),
        ((OB, BP), False, Outcome.MAINTAINED, (), "Certificate maintained"),
        (
            (NC,),
            False,
            Outcome.MAINTAINED_CAP_REQUIRED,
            ("F01",),
            "Certificate maintained — CAP required",
        ),
        (
            (OB, NC, NC),
            False,
            Outcome.MAINTAINED_CAP_REQUIRED,
            ("F02", "F03"),
            "Certificate maintained — CAP required",
        ),
        (
            (TR,),
            False,
            Outcome.STATUS_REVIEW_TRANSPARENCY,
            ("F01",),
            "Status review — transparency; CAP required",
        ),
        (
            (NC, TR, OB),
            False,
            Outcome.STATUS_REVIEW_TRANSPARENCY,
            ("F02",),
            "Status review — transparency; CAP required",
        ),
        (
            (ZT,),
            False,
            Outcome.TERMINATION_ZERO_TOLERANCE,
            ("F01",),
            "Termination (zero tolerance) — referred to IETP",
        ),
        (
            (TR, ZT),
            False,
            Outcome.TERMINATION_ZERO_TOLERANCE,
            ("F02",),
            "Termination (zero tolerance) — referred to IETP",
        ),
        (
            (NC, ZT, TR, ZT),
            False,
            Outcome.TERMINATION_ZERO_TOLERANCE,
            ("F02", "F04"),
            "Termination (zero tolerance) — referred to IETP",
        ),
        ((), True, Outcome.PROGRESS_AUDIT_REQUIRED, (), "Progress Audit required"),
        ((ZT, TR, NC), True, Outcome.PROGRESS_AUDIT_REQUIRED, (), "Progress Audit required"),
    ],
)
def test_rules_apply_in_order(
    classes: tuple[C, ...],
    refused: bool,
    outcome: Outcome,
    driver_codes: tuple[str, ...],
    label: str,
) -> None:
    recommendation = recommend(refs(*classes), refused=refused)
    assert recommendation.outcome is outcome
    assert tuple(d.code for d in recommendation.drivers) == driver_codes
    assert recommendation.label == label
    assert recommendation.reason


@pytest.mark.parametrize(
    ("outcome", "cap_required"),
    [
        (Outcome.PROGRESS_AUDIT_REQUIRED, False),
        (Outcome.TERMINATION_ZERO_TOLERANCE, True),
        (Outcome.STATUS_REVIEW_TRANSPARENCY, True),
        (Outcome.MAINTAINED_CAP_REQUIRED, True),
        (Outcome.MAINTAINED, False),
    ],
)
def test_cap_required_and_every_outcome_has_words(outcome: Outcome, cap_required: bool) -> None:
    assert outcome.cap_required is cap_required
    assert OUTCOME_LABELS[outcome] and OUTCOME_EXPLANATIONS[outcome]


def test_no_override_and_override_equal_to_recommendation_need_no_reason() -> None:
    recommendation = recommend(refs(NC))
    for override in (None, Outcome.MAINTAINED_CAP_REQUIRED):
        decision = decide(recommendation, override)
        assert decision.final is Outcome.MAINTAINED_CAP_REQUIRED
        assert decision.override_reason is None and not decision.overridden


@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_override_without_a_reason_is_refused(reason: str | None) -> None:
    with pytest.raises(ValidationFailed, match=r"\(Certificate maintained — CAP required\) needs"):
        decide(recommend(refs(NC)), Outcome.MAINTAINED, reason)


def test_override_with_a_reason_keeps_both() -> None:
    decision = decide(recommend(refs(ZT)), Outcome.STATUS_REVIEW_TRANSPARENCY, "  forged ID  ")
    assert decision.recommendation.outcome is Outcome.TERMINATION_ZERO_TOLERANCE
    assert decision.final is Outcome.STATUS_REVIEW_TRANSPARENCY
    assert decision.override_reason == "forged ID" and decision.overridden
