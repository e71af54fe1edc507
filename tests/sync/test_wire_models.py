"""The typed wire models: what a hostile or careless sender writes is refused with the field
path, what the laptop really sends passes, and the models keep step with the storage tables."""

from __future__ import annotations

import copy
import json
import shutil
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ietp_desktop.domain.errors import UserError
from ietp_desktop.services.hours import workers
from ietp_desktop.services.outcome import cap
from ietp_desktop.services.visits import qa, signatures
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage import models
from ietp_desktop.storage.models import Visit
from ietp_desktop.sync import visit_payload as vp
from ietp_desktop.sync.wire import visit as wire
from ietp_desktop.sync.wire.assignments import AssignmentsDocument
from ietp_desktop.sync.wire.base import DEFINITION_TEXT, WireViolation, parse_json, version_key
from ietp_desktop.sync.wire.receipt import ReceiptBody
from tests.bundle_world import World, world_template

__all__ = ["world_template"]

SOURCE = "visit-x-r1.json"


@pytest.fixture(scope="module")
def document(world_template: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The signed visit of the bundle tests (findings, CAP, photo, workers, report hash)."""
    data_dir = tmp_path_factory.mktemp("wire") / "laptop"
    shutil.copytree(world_template.data_dir, data_dir)
    db = open_workspace(data_dir, actor="Lin Mei")
    try:
        with db.session() as session:
            visit = session.scalars(
                select(Visit).where(Visit.uuid == world_template.visit_uuid)
            ).one()
            built = vp.build_document(session, visit)
    finally:
        db.dispose()
    name = vp.report_entry_name(built["visit"]["uuid"], built["visit"]["revision"])
    built["report"] = {"entry": name, "sha256": built["visit"]["report_sha256"]}
    return built


def refusal(document: dict[str, Any]) -> str:
    with pytest.raises(WireViolation) as caught:
        vp.parse(vp.encode(document), SOURCE)
    return str(caught.value)


def changed(document: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    result = copy.deepcopy(document)
    target: Any = result
    parts = path.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    target[int(last) if last.isdigit() else last] = value
    return result


def test_what_the_laptop_sends_passes_unchanged(document: dict[str, Any]) -> None:
    parsed = vp.parse(vp.encode(document), SOURCE)
    assert parsed["visit"]["uuid"] == document["visit"]["uuid"]
    assert parsed["workers"][0]["pay_records"][0]["net_pay"] == "2810.55"
    assert parsed["attachments"][0]["entry"] == document["attachments"][0]["entry"]
    assert len(parsed["audit"]) == len(document["audit"])


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("visit.day_rate_usd", "Infinity", "visit.day_rate_usd: not a finite number"),
        ("visit.man_days", "NaN", "visit.man_days: not a finite number"),
        ("visit.fee_total_usd", "-1e20", "visit.fee_total_usd: is below 0"),
        ("visit.fee_total_usd", "1500.01", "visit.fee_total_usd: is above 1500"),
        ("visit.uuid", "not-a-uuid", "visit.uuid: 'not-a-uuid' is not a UUID"),
        ("visit.revision", 2**62, "visit.revision: is above 10000"),
        ("visit.revision", 2**70, "visit.revision: is above 10000"),
        ("visit.revision", -5, "visit.revision: is below 1"),
        ("visit.revision", "2", "visit.revision: is not a whole number"),
        ("visit.outcome_final", "certified_forever", "visit.outcome_final: is not one of"),
        (
            "visit.visit_end",
            "2026-01-01",
            "visit: visit_start, visit_end are in the wrong order",
        ),
        ("visit.visit_start", "1066-10-14", "visit.visit_start: 1066-10-14 is outside"),
        ("answers.0.note", "x" * 5_000_000, "answers[0].note: is longer than 20000 characters"),
        ("answers.0.note", "a\x00b", "answers[0].note: contains a NUL character"),
        ("answers.0.value_json", "{not json", "answers[0].value_json: is not valid JSON"),
        ("findings.0.classification", "minor", "findings[0].classification: is not one of"),
        ("attachments.0.sha256", "/etc/passwd", "attachments[0].sha256: is not a sha256"),
        (
            "attachments.0.entry",
            "photo-" + "0" * 64,
            "attachments[0]: the photo entry is not named after the photo's sha256",
        ),
        ("workers.0.pay_records.0.net_pay", "1e400", "workers[0].pay_records[0].net_pay: is above"),
        ("workers.0.gender", "unknown", "workers[0].gender: is not one of"),
        ("workers.0.time_records.0.start_at", "2026-09-01T08:00:00+00:00", "must be a local time"),
        (
            "signatures.0.signed_at",
            "2026-09-01T08:00:00",
            "signatures[0].signed_at: has no time zone",
        ),
        ("form.version", "zzz", "form.version: 'zzz' is not a version"),
        ("form.content", '{"form_id": "pv-checklist"}', "form: the form text does not match"),
        ("report.entry", "../../escape.pdf", "(document): report.entry is not named after"),
        ("schema", "ietp-visit/1.x", "schema: "),
    ],
)
def test_every_hostile_value_is_refused_with_its_path(
    document: dict[str, Any], path: str, value: object, message: str
) -> None:
    text = refusal(changed(document, path, value))
    assert text.startswith(f"{SOURCE}: "), text
    assert message in text, text
    assert "\n" not in text and len(text) < 400


def test_lone_surrogates_and_missing_lists_are_refused(document: dict[str, Any]) -> None:
    raw = vp.encode(document).replace(b'"Dormitory exit', b'"\\ud800Dormitory exit')
    with pytest.raises(UserError, match=rf"^{SOURCE} is not valid visit JSON$"):
        vp.parse(raw, SOURCE)  # JSON that cannot become UTF-8 text is not JSON to us
    missing = {k: v for k, v in document.items() if k != "attendees"}
    assert refusal(missing).endswith("attendees: is missing")


def test_too_many_entries_in_a_list_is_refused(document: dict[str, Any]) -> None:
    many = changed(document, "signatures", document["signatures"] * 21)
    assert "signatures: has more than 20 entries" in refusal(many)


def test_links_must_point_inside_the_document(document: dict[str, Any]) -> None:
    bad = changed(document, "attachments.0.links", [{"item_id": None, "finding_ref": 99_999}])
    assert "is linked to finding ref 99999, which is not there" in refusal(bad)
    twice = changed(document, "findings", document["findings"] + document["findings"][:1])
    assert "two findings have the same ref" in refusal(twice)


def test_a_newer_minor_schema_is_read_and_its_extra_keys_dropped(document: dict[str, Any]) -> None:
    newer = changed(document, "schema", "ietp-visit/1.4")
    newer["visit"]["colour"] = "red"
    parsed = vp.parse(vp.encode(newer), SOURCE)
    assert "colour" not in parsed["visit"]


# --- the models keep step with the storage tables ------------------------------------------

_LINKS = {"id", "visit_id", "finding_id", "corrective_action_id", "attachment_id", "worker_id"}
PAIRS = [
    (models.Visit, wire.VisitWire, vp.VISIT_LOCAL_COLUMNS),
    (models.Factory, wire.FactoryWire, {"id", "created_at", "updated_at"}),
    (models.Attendee, wire.AttendeeWire, _LINKS),
    (models.Answer, wire.AnswerWire, _LINKS),
    (models.Finding, wire.FindingWire, _LINKS),
    (models.CorrectiveAction, wire.CorrectiveActionWire, _LINKS),
    (models.RemediationRecord, wire.RemediationWire, _LINKS),
    (models.QaEntry, wire.QaWire, _LINKS),
    (models.Worker, wire.WorkerWire, _LINKS),
    (models.TimeRecord, wire.TimeRecordWire, _LINKS),
    (models.PayRecord, wire.PayRecordWire, _LINKS),
    (models.Attachment, wire.AttachmentWire, _LINKS),
    (models.Signature, wire.SignatureWire, _LINKS),
    (models.VisitRevision, wire.RevisionWire, _LINKS),
    (models.AuditEvent, wire.AuditWire, _LINKS),
]


@pytest.mark.parametrize(
    ("table", "model", "skip"), PAIRS, ids=lambda p: getattr(p, "__name__", "")
)
def test_every_column_that_travels_has_a_bounded_field(
    table: Any, model: Any, skip: set[str]
) -> None:
    columns = {attr.key for attr in table.__mapper__.column_attrs} - skip
    assert columns - set(model.model_fields) == set()


def test_closed_lists_match_the_services() -> None:
    assert set(wire.CAP_STATUSES.__args__) == set(cap.CAP_STATUSES)
    assert set(wire.RAISED_BY.__args__) == set(qa.RAISED_BY)
    assert set(wire.SIGNATURE_ROLES.__args__) == set(signatures.ROLES)
    assert set(wire.GENDERS.__args__) == {"", *workers.GENDERS}


def test_versions_sort_as_numbers() -> None:
    assert max(["1.9", "1.10", "1.2"], key=version_key) == "1.10"


def test_receipt_and_assignments_bodies_are_bounded() -> None:
    body = {
        "bundle_id": "not-a-uuid",
        "manifest_sha256": "0" * 64,
        "office": "Shenzhen Office",
        "issued_at": "2026-12-01T10:00:00+00:00",
        "status": "imported",
        "visits": [],
    }
    with pytest.raises(WireViolation, match=r"receipt: bundle_id: 'not-a-uuid' is not a UUID"):
        parse_json(ReceiptBody, json.dumps(body), "receipt")
    assignments = {
        "schema": "ietp-assignments/1",
        "factories": [],
        "visits": [
            {
                "uuid": "8d3f8f4e-7f4e-4a53-9d61-3c1f5b8f0a11",
                "factory_ietp_id": "IETP-GD-1",
                "form_sha256": "0" * 64,
            }
        ],
        "forms": [],
        "rule_sets": [],
    }
    with pytest.raises(WireViolation, match="names factory IETP-GD-1, which is not in the bundle"):
        parse_json(AssignmentsDocument, json.dumps(assignments), "assignments.json")


# --- Hypothesis: hostile values anywhere ---------------------------------------------------

HOSTILE = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats()
    | st.sampled_from(["NaN", "Infinity", "-1e20", "1e400", "not-a-uuid", "\x00", "9" * 500, ""])
    | st.text(max_size=30)
    | st.lists(st.integers(), max_size=3)
    | st.dictionaries(st.text(max_size=5), st.integers(), max_size=3)
)
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            if key not in ("content", "snapshot_json", "png"):
                found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value[:2]):
            found += _paths(child, (*prefix, index))
    return found


def _set(document: Any, path: tuple[object, ...], value: object) -> None:
    for part in path[:-1]:
        document = document[part]
    document[path[-1]] = value


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@FUZZ
@given(data=st.data())
def test_any_hostile_change_is_refused_or_stays_in_bounds(
    document: dict[str, Any], data: st.DataObject
) -> None:
    mutated = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(mutated)))
        _set(mutated, path, data.draw(HOSTILE))
    try:
        raw = json.dumps(mutated, ensure_ascii=False, allow_nan=True).encode(
            "utf-8", "surrogatepass"
        )
        parsed = vp.parse(raw, SOURCE)
    except WireViolation as exc:
        assert str(exc).startswith(f"{SOURCE}: ")  # noqa: PT017 (fuzz: either it parses or it fails cleanly)
        return
    except UserError:
        return  # not JSON at all (a lone surrogate in a key): refused as such
    for text in _strings(parsed):
        assert "\x00" not in text
        assert len(text) <= DEFINITION_TEXT
    visit = parsed["visit"]
    assert 1 <= visit["revision"] <= 10_000
    for key in ("man_days", "day_rate_usd", "fee_total_usd"):
        if visit[key] is not None:
            assert Decimal(visit[key]).is_finite()
    # and what passed goes into the office's tables without any other error
    for record in parsed["workers"]:
        for row in record["pay_records"]:
            vp.json_to_columns(models.PayRecord, row, "pay")
    vp.json_to_columns(models.Visit, visit, "visit", vp.VISIT_LOCAL_COLUMNS)


@FUZZ
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_any_json_at_all_is_a_refusal_never_a_crash(value: object) -> None:
    raw = json.dumps({"schema": "ietp-visit/1", "visit": value}).encode("utf-8", "surrogatepass")
    with pytest.raises(UserError):
        vp.parse(raw, SOURCE)
