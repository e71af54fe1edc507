"""The visit JSON: everything of a visit, typed values back, versions refused by major."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from ietp_desktop.domain.errors import UserError
from ietp_desktop.storage.models import PayRecord, TimeRecord, Visit
from ietp_desktop.sync import visit_payload as vp
from tests.bundle_world import World, world, world_template

__all__ = ["world", "world_template"]


def document_of(world: World) -> dict:  # type: ignore[type-arg]
    db = world.laptop()
    try:
        with db.session() as session:
            visit = session.scalars(select(Visit).where(Visit.uuid == world.visit_uuid)).one()
            return vp.build_document(session, visit)
    finally:
        db.dispose()


def test_document_holds_everything_of_the_visit(world: World) -> None:
    document = vp.parse(vp.encode(document_of(world)), "visit.json")
    assert document["schema"] == "ietp-visit/1"
    assert document["visit"]["uuid"] == world.visit_uuid
    assert "status" not in document["visit"] and "id" not in document["visit"]
    assert document["factory"]["ietp_id"]
    assert json.loads(document["form"]["content"])  # the form definition text travels
    assert document["answers"] and document["attendees"]
    finding = next(f for f in document["findings"] if f["items"])  # F04, linked to EH-02
    assert finding["corrective_action"] and "ref" in finding
    [photo] = document["attachments"]
    assert photo["entry"] == f"photo-{photo['sha256']}"
    [worker] = document["workers"]
    assert worker["name"] == "Wang Fang 王芳" and worker["time_records"] and worker["pay_records"]
    assert document["signatures"][0]["png"]  # base64 PNG
    assert document["audit"]


def test_typed_values_come_back(world: World) -> None:
    [worker] = document_of(world)["workers"]
    pay = vp.json_to_columns(PayRecord, worker["pay_records"][0], "pay")
    assert pay["net_pay"] == Decimal("2810.55") and pay["period_start"] == date(2026, 9, 1)
    time = vp.json_to_columns(TimeRecord, worker["time_records"][0], "time")
    assert time["start_at"] == datetime(2026, 9, 1, 8, 0)


def test_content_hash_ignores_the_audit_trail_only(world: World) -> None:
    document = document_of(world)
    same = dict(document, audit=[])
    assert vp.content_sha256(same) == vp.content_sha256(document)
    changed = json.loads(json.dumps(document))
    changed["answers"][0]["note"] = "edited after signing"
    assert vp.content_sha256(changed) != vp.content_sha256(document)


def test_unknown_major_version_is_refused(world: World) -> None:
    document = document_of(world)
    document["schema"] = "ietp-visit/2"
    with pytest.raises(UserError, match=r"visit.json uses visit data schema ietp-visit/2"):
        vp.parse(vp.encode(document), "visit.json")
    document["schema"] = "ietp-visit/1.7"  # a newer minor version is read
    assert vp.parse(vp.encode(document), "visit.json")


def test_bad_values_are_refused_with_where(world: World) -> None:
    with pytest.raises(UserError, match=r"pay\.period_start: 'soon' is not valid"):
        vp.json_to_columns(PayRecord, {"period_start": "soon"}, "pay")
    with pytest.raises(UserError, match=r"v\.json: visit\.uuid: is missing"):
        vp.parse(b'{"schema": "ietp-visit/1", "visit": {}, "factory": {}, "form": {}}', "v.json")
