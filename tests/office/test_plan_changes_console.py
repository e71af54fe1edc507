"""The plan page and the board as a coordinator uses them to move, re-date and cancel a
planned visit, and as the other roles see them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ietp_desktop.office.planning.calendar import add_blackout

from ..bundle_world import World
from .conftest import csrf_of, sign_in
from .plan_change_world import (
    LIN,
    TODAY,
    ZHANG,
    TwoLaptops,
    add_factory,
    enrol_zhang,
    fetch,
    fetch_all,
    laptop_visit,
    plan,
)

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def two(office: World, tmp_path: Path) -> TwoLaptops:
    return enrol_zhang(office, tmp_path)


def _post(client: TestClient, path: str, **data: str) -> object:
    page = client.get("/account/password")
    return client.post(path, data={"csrf": csrf_of(page.text), **data}, follow_redirects=False)


def test_a_coordinator_moves_redates_and_cancels_a_plan_from_the_board(
    two: TwoLaptops, console: TestClient
) -> None:
    add_factory(two.office_dir, "CN-B1")
    day = TODAY + timedelta(days=14)
    uuid = plan(two.office_dir, "CN-B1", LIN, day)
    assert fetch(two, LIN).visits_added == [uuid]
    sign_in(console, "coordinator")
    board = console.get("/planning")
    assert f'href="/planning/plans/{uuid}">Move, re-date or cancel</a>' in board.text

    page = console.get(f"/planning/plans/{uuid}")
    assert page.status_code == 200
    assert f"Assigned to Lin Mei for {day} by cora" in page.text
    assert "Move the visit" in page.text and "Zhang Wei" in page.text

    moved = _post(
        console,
        f"/planning/plans/{uuid}/move",
        specialist=ZHANG,
        date=str(day),
        reason=f"Lin is on leave {SCRIPT}",
    )
    assert moved.status_code == 303  # type: ignore[attr-defined]
    target = moved.headers["location"]  # type: ignore[attr-defined]
    new_uuid = target.split("/")[3].split("?")[0]
    assert new_uuid != uuid and target.endswith("?done=moved")
    page = console.get(target)
    assert "The visit is moved" in page.text
    assert f"Moved from Lin Mei to Zhang Wei for {day} by cora" in page.text
    assert SCRIPT not in page.text and "&lt;script&gt;" in page.text
    assert (
        console.get(f"/planning/plans/{uuid}", follow_redirects=False).headers["location"]
        == f"/planning/plans/{new_uuid}"
    )  # the old uuid leads to the plan it became
    board = console.get("/planning")
    assert "moved from Lin Mei on" in board.text

    # a date in a blackout asks first, then goes through "anyway"
    db = two.office_db()
    add_blackout(db, "Golden Week", day + timedelta(5), day + timedelta(9), actor="cora")
    db.dispose()
    asked = _post(console, f"/planning/plans/{new_uuid}/redate", date=str(day + timedelta(days=6)))
    assert asked.status_code == 200  # type: ignore[attr-defined]
    assert "Check the date before changing the plan" in asked.text  # type: ignore[attr-defined]
    assert "falls in the blackout period Golden Week" in asked.text  # type: ignore[attr-defined]
    redated = _post(
        console,
        f"/planning/plans/{new_uuid}/redate",
        date=str(day + timedelta(days=6)),
        anyway="1",
    )
    assert redated.status_code == 303  # type: ignore[attr-defined]
    assert "was " + str(day) in console.get("/planning").text

    refused = _post(console, f"/planning/plans/{new_uuid}/cancel", reason=" ")
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "say why the visit is cancelled" in refused.text  # type: ignore[attr-defined]
    cancelled = _post(
        console, f"/planning/plans/{new_uuid}/cancel", reason=f"factory closed {SCRIPT}"
    )
    assert cancelled.status_code == 303  # type: ignore[attr-defined]
    page = console.get(f"/planning/plans/{new_uuid}")
    assert "Cancelled on" in page.text and "Move the visit" not in page.text
    board = console.get("/planning")
    row = board.text.split('id="p-CN-B1"')[1].split("</tr>")[0]
    assert "Not planned" in row and "Cancelled" in row and "factory closed" in row
    assert SCRIPT not in board.text
    assert 'href="/planning?assign=CN-B1' in row  # due again: it can be assigned afresh
    rows = list(csv.reader(io.StringIO(console.get("/planning.csv").content.decode("utf-8-sig"))))
    exported = dict(zip(rows[0], next(r for r in rows if "CN-B1" in r), strict=True))
    assert (exported["plan"], exported["reason"]) == ("unplanned", f"factory closed {SCRIPT}")
    assert exported["last change"].startswith("Cancelled by cora on ")
    again = _post(console, f"/planning/plans/{new_uuid}/move", specialist=LIN, date=str(day))
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert "was cancelled on" in again.text  # type: ignore[attr-defined]

    for action in ("planning.move", "planning.redate", "planning.cancel"):
        assert "CN-B1" in console.get(f"/audit?action={action}").text, action

    # both laptops hear of it at their next fetch
    assert fetch(two, LIN).visits_withdrawn == [uuid]
    results = fetch_all(two, ZHANG)  # assigned, re-dated, then withdrawn
    assert [r.visits_added for r in results] == [[new_uuid], [], []]
    assert [r.visits_withdrawn for r in results] == [[], [], [new_uuid]]
    visit = laptop_visit(two, ZHANG, new_uuid)
    assert visit is not None and visit.status == "withdrawn"


def test_other_roles_see_the_history_but_cannot_change_a_plan(
    two: TwoLaptops, console: TestClient
) -> None:
    add_factory(two.office_dir, "CN-B2")
    uuid = plan(two.office_dir, "CN-B2", LIN, TODAY + timedelta(days=20))
    sign_in(console, "read-only")
    page = console.get(f"/planning/plans/{uuid}")
    assert page.status_code == 200 and "Assigned to Lin Mei" in page.text
    assert "Move the visit" not in page.text and "Cancel the visit" not in page.text
    assert "Move, re-date or cancel" not in console.get("/planning").text
    refused = _post(console, f"/planning/plans/{uuid}/cancel", reason="no")
    assert refused.status_code == 403  # type: ignore[attr-defined]


def test_the_plan_page_in_chinese(two: TwoLaptops, console: TestClient) -> None:
    add_factory(two.office_dir, "CN-B3")
    uuid = plan(two.office_dir, "CN-B3", LIN, TODAY + timedelta(days=20))
    sign_in(console, "coordinator")
    console.get("/lang/zh?next=/planning")
    page = console.get(f"/planning/plans/{uuid}")
    assert "计划的访问" in page.text and "取消访问" in page.text
    assert "Move the visit" not in page.text
    assert "移交、改期或取消" in console.get("/planning").text


def test_an_unknown_plan_is_said_so(console: TestClient) -> None:
    sign_in(console, "coordinator")
    page = console.get("/planning/plans/00000000-0000-4000-8000-000000000000")
    assert page.status_code == 400
    assert "there is no planned visit 00000000-0000-4000-8000-000000000000" in page.text
