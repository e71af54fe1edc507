"""The outcome engine of DOMAIN.md §1: rules applied in order, first match wins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.domain.findings import Classification


class Outcome(StrEnum):
    PROGRESS_AUDIT_REQUIRED = "progress_audit_required"
    TERMINATION_ZERO_TOLERANCE = "termination_zero_tolerance"
    STATUS_REVIEW_TRANSPARENCY = "status_review_transparency"
    MAINTAINED_CAP_REQUIRED = "maintained_cap_required"
    MAINTAINED = "maintained"

    @property
    def cap_required(self) -> bool:
        return self in (
            Outcome.STATUS_REVIEW_TRANSPARENCY,
            Outcome.MAINTAINED_CAP_REQUIRED,
            Outcome.TERMINATION_ZERO_TOLERANCE,
        )


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.PROGRESS_AUDIT_REQUIRED: "Progress Audit required",
    Outcome.TERMINATION_ZERO_TOLERANCE: "Termination (zero tolerance) — referred to IETP",
    Outcome.STATUS_REVIEW_TRANSPARENCY: "Status review — transparency; CAP required",
    Outcome.MAINTAINED_CAP_REQUIRED: "Certificate maintained — CAP required",
    Outcome.MAINTAINED: "Certificate maintained",
}

# What the outcome means, in words a factory manager understands.
OUTCOME_EXPLANATIONS: dict[Outcome, str] = {
    Outcome.PROGRESS_AUDIT_REQUIRED: (
        "The factory refused the Progress Visit, so it must undergo an unannounced "
        "Progress Audit. Refusing that too ends the certification."
    ),
    Outcome.TERMINATION_ZERO_TOLERANCE: (
        "A zero-tolerance issue was confirmed. The case is referred to IETP, which may "
        "terminate or downgrade the certification."
    ),
    Outcome.STATUS_REVIEW_TRANSPARENCY: (
        "Records were inconsistent in a way that shows a lack of transparency. IETP will "
        "review the certificate status, and the factory must submit a Corrective Action Plan."
    ),
    Outcome.MAINTAINED_CAP_REQUIRED: (
        "The certificate stays in place. The factory must correct the non-compliances "
        "through a Corrective Action Plan and send its remediation records."
    ),
    Outcome.MAINTAINED: "The certificate stays in place. No non-compliance was found.",
}


@dataclass(frozen=True)
class FindingRef:
    """The little the engine needs to know about a finding."""

    code: str
    classification: Classification
    title: str = ""


@dataclass(frozen=True)
class Recommendation:
    outcome: Outcome
    drivers: tuple[FindingRef, ...]
    reason: str

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def recommend(findings: Sequence[FindingRef], *, refused: bool = False) -> Recommendation:
    if refused:
        return Recommendation(
            Outcome.PROGRESS_AUDIT_REQUIRED, (), "The factory refused the Progress Visit."
        )
    for classification, outcome, reason in (
        (
            Classification.ZERO_TOLERANCE,
            Outcome.TERMINATION_ZERO_TOLERANCE,
            "At least one zero-tolerance finding.",
        ),
        (
            Classification.TRANSPARENCY,
            Outcome.STATUS_REVIEW_TRANSPARENCY,
            "At least one record inconsistency from a lack of transparency.",
        ),
        (
            Classification.STANDARD_NC,
            Outcome.MAINTAINED_CAP_REQUIRED,
            "At least one standard non-compliance.",
        ),
    ):
        drivers = tuple(f for f in findings if f.classification is classification)
        if drivers:
            return Recommendation(outcome, drivers, reason)
    return Recommendation(Outcome.MAINTAINED, (), "No non-compliance was found.")


@dataclass(frozen=True)
class Decision:
    """The recommendation and, where the specialist overrode it, the final outcome and why."""

    recommendation: Recommendation
    final: Outcome
    override_reason: str | None

    @property
    def overridden(self) -> bool:
        return self.final is not self.recommendation.outcome


def decide(
    recommendation: Recommendation, override: Outcome | None = None, reason: str | None = None
) -> Decision:
    if override is None or override is recommendation.outcome:
        return Decision(recommendation, recommendation.outcome, None)
    if not reason or not reason.strip():
        raise ValidationFailed(
            "Overriding the recommended outcome ({label}) needs a written reason.",
            label=recommendation.label,
        )
    return Decision(recommendation, override, reason.strip())
