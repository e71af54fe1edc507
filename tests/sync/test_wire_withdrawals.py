"""`withdrawals` in assignments.json: visits the office took back from the laptop, checked
against the wire model like everything else that crosses over."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ietp_desktop.sync.wire.assignments import AssignmentsDocument
from ietp_desktop.sync.wire.base import WireViolation, parse_json

UUID = "8d3f8f4e-7f4e-4a53-9d61-3c1f5b8f0a11"


def _document(**withdrawal: Any) -> dict[str, Any]:
    entry = {
        "visit_uuid": UUID,
        "kind": "cancelled",
        "reason": "factory closed",
        "withdrawn_by": "cora",
        "withdrawn_at": "2026-12-01T10:00:00+00:00",
    } | withdrawal
    return {
        "schema": "ietp-assignments/1",
        "sequence": 1,
        "factories": [],
        "visits": [],
        "forms": [],
        "rule_sets": [],
        "withdrawals": [entry],
    }


def _parse(document: dict[str, Any]) -> AssignmentsDocument:
    return parse_json(AssignmentsDocument, json.dumps(document), "assignments.json")


def test_a_withdrawal_passes_and_an_older_document_without_any_still_reads() -> None:
    [withdrawal] = _parse(_document()).withdrawals
    assert (withdrawal.visit_uuid, withdrawal.kind, withdrawal.reason) == (
        UUID,
        "cancelled",
        "factory closed",
    )
    older = _document()
    del older["withdrawals"]
    assert _parse(older).withdrawals == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "deleted"}, r"withdrawals\[0\]\.kind: is not one of 'moved' or 'cancelled'"),
        ({"reason": "x" * 2001}, r"withdrawals\[0\]\.reason: is longer than 2000 characters"),
        ({"visit_uuid": "not-a-uuid"}, r"withdrawals\[0\]\.visit_uuid: 'not-a-uuid' is not a"),
        ({"withdrawn_at": "2026-12-01T10:00:00"}, r"withdrawals\[0\]\.withdrawn_at: has no time"),
        ({"reason": "a\x00b"}, r"withdrawals\[0\]\.reason: contains a NUL character"),
    ],
)
def test_a_hostile_withdrawal_is_refused_with_its_path(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(WireViolation, match=message):
        _parse(_document(**change))


def test_too_many_withdrawals_or_a_visit_both_assigned_and_withdrawn_is_refused() -> None:
    document = _document()
    document["withdrawals"] = document["withdrawals"] * 5_001
    with pytest.raises(WireViolation, match=r"withdrawals: has more than 5000 entries"):
        _parse(document)
    document = _document()
    document["factories"] = [{"ietp_id": "IETP-GD-1", "name_en": "Toys"}]
    document["forms"] = []
    document["visits"] = [{"uuid": UUID, "factory_ietp_id": "IETP-GD-1", "form_sha256": "0" * 64}]
    with pytest.raises(WireViolation, match="a visit is both assigned and withdrawn"):
        _parse(document)
