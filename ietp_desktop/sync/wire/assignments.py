"""The assignments document (`ietp-assignments/1`): what the office sends a laptop.

Signed by the office; the laptop still checks it against these models before it touches its
database, so a mistake at the office (or a key used by someone else) cannot write unbounded or
nonsensical values. `sequence` grows with every assignments bundle the office writes for a
specialist; the laptop refuses one older than the newest it applied (a stale bundle would revert
the factory data). `revocations` is the office's signed revocation list (security/revocation).
`withdrawals` are visits the office moved to another specialist or cancelled: every bundle for
the previous specialist carries them again, and the laptop applies each once.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from ietp_desktop.i18n import tr
from ietp_desktop.sync.wire.base import (
    Base64Text,
    Day,
    ManDays,
    PemText,
    Required,
    Revision,
    Sha256,
    Str120,
    Str200,
    Str2000,
    UtcTime,
    Uuid,
    WireModel,
    fail,
)
from ietp_desktop.sync.wire.visit import FactoryWire, FormWire, RuleSetWire

SCHEMA_PATTERN = r"^ietp-assignments/1(\.[0-9]{1,6})?$"
MAX_SEQUENCE = 2**53


class AssignedVisitWire(WireModel):
    uuid: Uuid
    factory_ietp_id: Annotated[Str200, Required]
    planned_date: Day | None = None
    man_days: ManDays | None = None
    specialist_name: Str120 = ""
    specialist_email: Str200 = ""
    form_sha256: Sha256
    rule_set_sha256: Sha256 | None = None


class ReviewReturnWire(WireModel):
    """The office returned a visit to its specialist with the reviewer's comments."""

    visit_uuid: Uuid
    revision: Revision
    comment: Annotated[Str2000, Required]
    reviewer: Str120 = ""
    returned_at: UtcTime


class WithdrawalWire(WireModel):
    """The office took a visit back from this specialist: moved to someone else, or cancelled.
    The laptop keeps what was typed and makes the visit read-only."""

    visit_uuid: Uuid
    kind: Literal["moved", "cancelled"]
    reason: Str2000 = ""
    withdrawn_by: Str120 = ""
    withdrawn_at: UtcTime


class OfficeCertificatesWire(WireModel):
    office_ca: Annotated[PemText, Required]
    office_encryption: Annotated[PemText, Required]
    office_signing: Annotated[PemText, Required]


class AssignmentsDocument(WireModel):
    schema_: str = Field(alias="schema", pattern=SCHEMA_PATTERN, max_length=40)
    office: Str200 = ""
    sequence: Annotated[int, Field(ge=0, le=MAX_SEQUENCE)] = 0
    issued_at: UtcTime | None = None
    factories: Annotated[list[FactoryWire], Field(max_length=5_000)]
    visits: Annotated[list[AssignedVisitWire], Field(max_length=5_000)]
    forms: Annotated[list[FormWire], Field(max_length=20)]
    rule_sets: Annotated[list[RuleSetWire], Field(max_length=20)]
    certificates: OfficeCertificatesWire | None = None
    revocations: Base64Text | None = None  # a signed revocation list, security/revocation
    reviews: Annotated[list[ReviewReturnWire], Field(max_length=5_000)] = Field(default=[])
    withdrawals: Annotated[list[WithdrawalWire], Field(max_length=5_000)] = Field(default=[])

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        uuids = [v.uuid for v in self.visits]
        if len(set(uuids)) != len(uuids):
            raise fail(tr("two visits have the same uuid"))
        withdrawn = {w.visit_uuid for w in self.withdrawals}
        if withdrawn & set(uuids):
            raise fail(tr("a visit is both assigned and withdrawn"))
        factories = {f.ietp_id for f in self.factories}
        forms = {f.sha256 for f in self.forms}
        rules = {r.sha256 for r in self.rule_sets}
        for index, visit in enumerate(self.visits):
            if visit.factory_ietp_id not in factories:
                raise fail(
                    tr(
                        "visits[{index}] names factory {id}, which is not in the bundle",
                        index=index,
                        id=visit.factory_ietp_id,
                    )
                )
            if visit.form_sha256 not in forms:
                raise fail(
                    tr("visits[{index}] names a form the bundle does not carry", index=index)
                )
            if visit.rule_set_sha256 is not None and visit.rule_set_sha256 not in rules:
                raise fail(
                    tr("visits[{index}] names a rule set the bundle does not carry", index=index)
                )
        return self
