"""A finding's Chinese evidence travels in the bundle and the console shows it to a reader of
Chinese; a bundle from an older laptop, without it, imports and shows the English."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from ietp_desktop.office.console.app import create_app
from ietp_desktop.office.console.config import ConsoleConfig
from ietp_desktop.storage.models import Finding, Visit
from ietp_desktop.sync import visit_payload as vp
from ietp_desktop.sync.wire.visit import FindingWire

from ..bundle_world import World
from .conftest import sign_in
from .review_world import office_db, receive

EVIDENCE_EN = "Calculated from the imported time and pay records (rule set cn-guangdong-v1).\nW01"
EVIDENCE_ZH = "根据导入的考勤和工资记录计算（规则集 cn-guangdong-v1）。\nW01 连续工作 13 天"


def _set_evidence(world: World) -> str:
    """The first finding of the signed visit as a calculated one leaves it: both languages."""
    laptop = world.laptop()
    try:
        with laptop.session() as session:
            finding = _first_finding(session, world.visit_uuid)
            finding.evidence, finding.evidence_zh = EVIDENCE_EN, EVIDENCE_ZH
            return finding.code
    finally:
        laptop.dispose()


def _first_finding(session: Session, uuid: str) -> Finding:
    visit_id = session.scalars(select(Visit.id).where(Visit.uuid == uuid)).one()
    query = select(Finding).where(Finding.visit_id == visit_id).order_by(Finding.code)
    return session.scalars(query).first()  # type: ignore[return-value]


def _office_finding(world: World, code: str) -> tuple[str, str]:
    db = office_db(world)
    try:
        with db.session() as session:
            visit_id = session.scalars(select(Visit.id).where(Visit.uuid == world.visit_uuid)).one()
            row = session.scalars(
                select(Finding).where(Finding.visit_id == visit_id, Finding.code == code)
            ).one()
            return row.evidence, row.evidence_zh
    finally:
        db.dispose()


def _visit_page(world: World, language: str) -> str:
    with TestClient(
        create_app(ConsoleConfig(world.office_dir, secure_cookies=False)),
        base_url="http://127.0.0.1",
        headers={"Accept-Language": language},
    ) as client:
        sign_in(client, "reviewer")
        response = client.get(f"/visits/{world.visit_uuid}")
        assert response.status_code == 200
        return str(response.text)


def _finding_block(page: str, code: str) -> str:
    found = re.search(rf'<article class="finding[^"]*">\s*<h3>{code} .*?</article>', page, re.S)
    assert found, f"the visit page shows no finding {code}"
    return found.group(0)


def test_the_bundle_carries_the_chinese_evidence_and_the_console_shows_it(
    office: World, tmp_path: Path
) -> None:
    code = _set_evidence(office)
    world = receive(office, tmp_path)
    assert _office_finding(world, code) == (EVIDENCE_EN, EVIDENCE_ZH)
    chinese = _finding_block(_visit_page(world, "zh-CN,zh;q=0.9"), code)
    assert "证据：根据导入的考勤和工资记录计算（规则集 cn-guangdong-v1）。" in chinese
    assert "W01 连续工作 13 天" in chinese and "Calculated from" not in chinese
    english = _finding_block(_visit_page(world, "en"), code)
    assert "Evidence: Calculated from the imported time and pay records" in english
    assert "根据导入" not in english


def test_an_older_bundle_without_the_chinese_evidence_imports(
    office: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _set_evidence(office)
    build = vp.build_document

    def older_laptop(session: Session, visit: Visit) -> dict[str, Any]:
        document = build(session, visit)
        for finding in document["findings"]:
            del finding["evidence_zh"]
        return document

    monkeypatch.setattr(vp, "build_document", older_laptop)
    world = receive(office, tmp_path)
    assert _office_finding(world, code) == (EVIDENCE_EN, "")
    chinese = _finding_block(_visit_page(world, "zh-CN"), code)
    assert "证据：Calculated from the imported time and pay records" in chinese


def test_the_wire_model_reads_a_finding_without_the_chinese_evidence() -> None:
    older = {"ref": 1, "code": "F01", "classification": "standard_nc", "evidence": "P01"}
    assert FindingWire.model_validate_json(json.dumps(older)).evidence_zh == ""
