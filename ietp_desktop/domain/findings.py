"""Finding vocabulary shared by the checklist, the outcome engine and the CAP."""

from __future__ import annotations

from enum import StrEnum


class Classification(StrEnum):
    STANDARD_NC = "standard_nc"
    TRANSPARENCY = "transparency"  # record inconsistency from lack of transparency
    ZERO_TOLERANCE = "zero_tolerance"
    OBSERVATION = "observation"
    BEST_PRACTICE = "best_practice"

    @property
    def needs_cap(self) -> bool:
        """Every non-compliance gets a Corrective Action Plan line; observations and best
        practices never do."""
        return self in NON_COMPLIANCES


NON_COMPLIANCES = frozenset(
    {Classification.STANDARD_NC, Classification.TRANSPARENCY, Classification.ZERO_TOLERANCE}
)

CLASSIFICATION_LABELS: dict[Classification, str] = {
    Classification.STANDARD_NC: "Standard non-compliance",
    Classification.TRANSPARENCY: "Transparency (record inconsistency)",
    Classification.ZERO_TOLERANCE: "Zero tolerance",
    Classification.OBSERVATION: "Observation",
    Classification.BEST_PRACTICE: "Best practice",
}


class Category(StrEnum):
    WORKING_HOURS = "working_hours"
    WAGES = "wages_benefits"
    EHS = "ehs"
    TRANSPARENCY = "transparency"
    BUSINESS_ETHICS = "business_ethics"
    OTHER = "other"


CATEGORY_LABELS: dict[Category, str] = {
    Category.WORKING_HOURS: "Working hours",
    Category.WAGES: "Wages & benefits",
    Category.EHS: "Environment, health & safety",
    Category.TRANSPARENCY: "Transparency",
    Category.BUSINESS_ETHICS: "Business ethics",
    Category.OTHER: "Other",
}


class FindingSource(StrEnum):
    MANUAL = "manual"
    CALCULATED = "calculated"
