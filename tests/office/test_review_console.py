"""The review on the console: inbox column and filter, the visit page's actions per role."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ietp_desktop.office.accounts import audit
from ietp_desktop.office.console.outbox import outbox_dir

from ..bundle_world import World
from .conftest import csrf_of, signed_in_clients
from .review_world import office_db, receive


@pytest.fixture
def clients(office: World, tmp_path: Path) -> Iterator[tuple[World, dict[str, TestClient]]]:
    world = receive(office, tmp_path)
    with signed_in_clients(world.office_dir) as made:
        yield world, made


def _post(client: TestClient, uuid: str, **data: str) -> object:
    page = client.get(f"/visits/{uuid}")
    return client.post(
        f"/visits/{uuid}/review", data={"csrf": csrf_of(page.text), **data}, follow_redirects=False
    )


def test_review_on_the_console(clients: tuple[World, dict[str, TestClient]]) -> None:
    world, by_role = clients
    uuid = world.visit_uuid
    reviewer, reader = by_role["reviewer"], by_role["read-only"]

    page = reviewer.get(f"/visits/{uuid}").text
    assert "Start the review" in page and '<span class="badge review-new">New</span>' in page
    assert "Start the review" not in reader.get(f"/visits/{uuid}").text

    refused = _post(reader, uuid, action="start")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    forged = reviewer.post(f"/visits/{uuid}/review", data={"csrf": "forged", "action": "start"})
    assert forged.status_code == 403 and "The form has expired" in forged.text

    done = _post(reviewer, uuid, action="start")
    assert done.status_code == 303  # type: ignore[attr-defined]
    page = reviewer.get(done.headers["location"]).text  # type: ignore[attr-defined]
    assert "You are reviewing this visit." in page and "Return to the specialist" in page

    empty = _post(reviewer, uuid, action="return", comment=" ")
    assert empty.status_code == 400  # type: ignore[attr-defined]
    assert "a returned visit needs a comment" in empty.text  # type: ignore[attr-defined]

    comment = 'Exit photo missing <script>alert("x")</script>'
    returned = _post(by_role["coordinator"], uuid, action="return", comment=comment)
    location = returned.headers["location"]  # type: ignore[attr-defined]
    assert "review=returned#review" in location
    page = reviewer.get(location).text
    assert "the comments wait for the specialist&#39;s laptop" in page
    assert "&lt;script&gt;alert" in page and "<script>alert" not in page
    assert list(outbox_dir(world.office_dir, "lin.mei@example.org").glob("*.ietpbundle"))

    inbox = reviewer.get("/inbox?review=returned").text
    assert uuid[:8] in inbox and world.second_uuid[:8] not in inbox
    assert '<span class="badge review-returned">Returned</span>' in inbox
    assert world.second_uuid[:8] in reviewer.get("/inbox?review=new").text
    rows = list(csv.reader(io.StringIO(reviewer.get("/inbox.csv").content.decode("utf-8-sig"))))
    assert rows[0][-1] == "review"
    assert {r[0]: r[-1] for r in rows[1:]} == {uuid: "returned", world.second_uuid: "new"}

    for role in ("administrator", "coordinator", "reviewer"):
        response = _post(by_role[role], world.second_uuid, action="bogus")
        assert response.status_code == 400, role  # type: ignore[attr-defined]

    db = office_db(world)
    try:
        trail = [(e.actor, e.action) for e in audit.entries(db, text=uuid)]
    finally:
        db.dispose()
    assert ("cora", "review.returned") in trail and ("rex", "review.in_review") in trail

    # the comments cannot be published (the office no longer holds the specialist's
    # certificate): the visit is returned all the same, and the page says why
    issued = world.office_dir / "issued"
    issued.rename(world.office_dir / "issued-away")
    other = world.second_uuid
    _post(reviewer, other, action="start")
    unsent = _post(reviewer, other, action="return", comment="Sign the Q&A page")
    assert unsent.status_code == 200  # type: ignore[attr-defined]
    text = unsent.text  # type: ignore[attr-defined]
    assert "its comments go with the specialist&#39;s next assignments" in text
    assert "has enrolled no specialist with e-mail" in text
    assert '<span class="badge review-returned">Returned</span>' in text

    chinese = reviewer.get("/lang/zh?next=/inbox", follow_redirects=True).text
    assert "已退回" in chinese
