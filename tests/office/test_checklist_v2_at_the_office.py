"""A v2 visit and a v1 visit sent to the office: the office reads v2's derived items from the
received attendees, CAP lines and rule set, and shows v1's typed answers as they were."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from ietp_desktop.office.console.app import create_app
from ietp_desktop.office.console.config import ConsoleConfig
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.visits.derived import fact_text
from ietp_desktop.services.visits.read import load_detail

from ..bundle_world import World
from .conftest import sign_in
from .review_world import office_db, receive


def test_the_office_shows_v2_facts_from_their_source_and_v1_answers(
    office: World, tmp_path: Path
) -> None:
    world = receive(office, tmp_path)
    laptop = world.laptop()
    sent = load_detail(laptop, world.visit_uuid)
    laptop.dispose()
    db = office_db(world)
    try:
        v2 = load_detail(db, world.visit_uuid)
        assert definitions.form_definition(db, v2.form_sha256).version == "2"
        assert {k: fact_text(f, "en") for k, f in v2.derived.items()} == {
            k: fact_text(f, "en") for k, f in sent.derived.items()
        }
        assert fact_text(v2.derived["OM-04"], "en") == (
            "Yes: Chen Wei (陈伟) (General Manager / 总经理)"
        )
        assert v2.derived["CM-06"].value == min(
            f.corrective_action.due_date.isoformat()
            for f in v2.findings
            if f.corrective_action and f.corrective_action.due_date
        )
        v1 = load_detail(db, world.second_uuid)
        assert definitions.form_definition(db, v1.form_sha256).version == "1"
        assert v1.derived == {}
        assert (v1.answers["OM-04"].value, v1.answers["CM-07"].value) == ("yes", "both")
    finally:
        db.dispose()
    with TestClient(
        create_app(ConsoleConfig(world.office_dir, secure_cookies=False)),
        base_url="http://127.0.0.1",
    ) as client:
        sign_in(client, "reviewer")
        page = client.get(f"/visits/{world.visit_uuid}").text
        assert "Yes: Chen Wei (陈伟) (General Manager / 总经理)" in page
        assert "the earliest due date of the" in page
