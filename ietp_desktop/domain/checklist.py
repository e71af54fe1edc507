"""Checklist forms: the schema of a versioned form file and what can be asked of answers.

The one import point for everyone else; the work is split over `checklist_model` (pydantic
models), `checklist_parse` (file -> Form, with messages naming file, item and field) and
`checklist_answers` (coerce, validate, format, relevance, non-compliance).
"""

from __future__ import annotations

from ietp_desktop.domain.checklist_answers import (
    coerce_answer,
    effective_answers,
    evaluate,
    format_answer,
    format_number,
    is_blank,
    is_noncompliant,
    is_relevant,
    missing_required,
    noncompliant_items,
    parse_iso_date,
    validate_answer,
    violation_values,
    visible_items,
)
from ietp_desktop.domain.checklist_model import (
    ANSWER_TYPES,
    BUILT_IN_CHOICES,
    CHOICE_TYPES,
    DERIVED_TYPES,
    AnswerType,
    AnswerValue,
    Choice,
    Condition,
    ConditionOp,
    Constraint,
    DerivedSource,
    Form,
    Item,
    LocalizedText,
    Problem,
    Section,
    SectionKind,
)
from ietp_desktop.domain.checklist_parse import form_sha256, parse_form
from ietp_desktop.domain.findings import Category, Classification

__all__ = [
    "ANSWER_TYPES",
    "BUILT_IN_CHOICES",
    "CHOICE_TYPES",
    "DERIVED_TYPES",
    "AnswerType",
    "AnswerValue",
    "Category",
    "Choice",
    "Classification",
    "Condition",
    "ConditionOp",
    "Constraint",
    "DerivedSource",
    "Form",
    "Item",
    "LocalizedText",
    "Problem",
    "Section",
    "SectionKind",
    "coerce_answer",
    "effective_answers",
    "evaluate",
    "form_sha256",
    "format_answer",
    "format_number",
    "is_blank",
    "is_noncompliant",
    "is_relevant",
    "missing_required",
    "noncompliant_items",
    "parse_form",
    "parse_iso_date",
    "validate_answer",
    "violation_values",
    "visible_items",
]
