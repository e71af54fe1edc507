"""The CAP follow-up on the console: tracker with filters and exports, the upload of the
factory's workbook with evidence, the change report, line decisions, flags, per role."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from ..bundle_world import World
from .conftest import csrf_of, signed_in_clients
from .review_world import office_db, receive
from .test_cap_followup import PDF, cap_codes, factory_workbook, jpeg


@pytest.fixture
def clients(office: World, tmp_path: Path) -> Iterator[tuple[World, dict[str, TestClient]]]:
    world = receive(office, tmp_path)
    with signed_in_clients(world.office_dir) as made:
        yield world, made


def test_cap_round_trip_on_the_console(
    clients: tuple[World, dict[str, TestClient]], tmp_path: Path
) -> None:
    world, by_role = clients
    uuid = world.visit_uuid
    db = office_db(world)
    codes = cap_codes(db, uuid)
    db.dispose()
    first, second = codes[0], codes[1]
    reviewer, reader = by_role["reviewer"], by_role["read-only"]

    tracker = reader.get("/cap").text
    assert "CAP tracker" in tracker and first in tracker
    assert tracker.count('class="badge cap-') == len(codes)
    assert reader.get("/cap/visits/" + uuid + "/import").status_code == 403

    form = reviewer.get(f"/cap/visits/{uuid}/import")
    assert form.status_code == 200 and f'name="evidence-{first}"' in form.text
    workbook = factory_workbook(world, tmp_path)
    files = [
        ("workbook", (workbook.name, workbook.read_bytes(), "application/octet-stream")),
        (f"evidence-{first}", ("payroll.pdf", PDF, "application/pdf")),
        (f"evidence-{first}", ("exit.jpg", jpeg(), "image/jpeg")),
    ]
    forged = reviewer.post(
        f"/cap/visits/{uuid}/import", data={"csrf": "forged"}, files=files, follow_redirects=False
    )
    assert forged.status_code == 403 and "The form has expired" in forged.text
    denied = reader.post(
        f"/cap/visits/{uuid}/import",
        data={"csrf": csrf_of(reader.get("/cap").text)},
        files=files,
        follow_redirects=False,
    )
    assert denied.status_code == 403
    done = reviewer.post(
        f"/cap/visits/{uuid}/import",
        data={"csrf": csrf_of(form.text)},
        files=files,
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    report = reviewer.get(done.headers["location"]).text
    assert "Change report" in report and "HR manager Li" in report
    assert "Overtime capped at 36 h/month 加班封顶" in report
    assert "payroll.pdf" in report and "exit.jpg" in report

    bad = reviewer.post(
        f"/cap/visits/{uuid}/import",
        data={"csrf": csrf_of(form.text)},
        files=[(f"evidence-{first}", ("run.pdf", b"MZ\x90\x00\x03", "application/pdf"))],
    )
    assert bad.status_code == 400
    assert "run.pdf (line " + first + ") is not one of the evidence types" in bad.text

    sneaky = reviewer.post(
        f"/cap/visits/{uuid}/import",
        data={"csrf": csrf_of(form.text)},
        files=[("workbook", ("../../evil.xlsx", b"not a workbook", "application/octet-stream"))],
    )
    assert sneaky.status_code == 400
    assert "evil.xlsx is not an XLSX file or is damaged" in sneaky.text
    assert not (tmp_path.parent / "evil.xlsx").exists()

    line_url = f"/cap/visits/{uuid}/lines/{first}"
    line = reviewer.get(line_url).text
    assert "payroll.pdf" in line and "Accept and close the line" in line
    assert "Accept and close the line" not in reader.get(line_url).text
    download = reader.get(line_url + "?file=1")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert reader.get(line_url + "?file=999").status_code == 404

    csrf = csrf_of(line)
    assert reader.post(line_url, data={"csrf": csrf_of(reader.get("/cap").text),
                                      "decision": "accepted"}).status_code == 403  # fmt: skip
    no_evidence = reviewer.post(
        f"/cap/visits/{uuid}/lines/{second}", data={"csrf": csrf, "decision": "accepted"}
    )
    assert no_evidence.status_code == 400 and "has no evidence yet" in no_evidence.text
    rejected = reviewer.post(
        line_url,
        data={"csrf": csrf, "decision": "rejected", "comment": "Two months of payroll, please"},
    )
    assert "The line is rejected" in rejected.text and "Two months of payroll" in rejected.text
    accepted = by_role["coordinator"].post(
        line_url,
        data={
            "csrf": csrf_of(by_role["coordinator"].get(line_url).text),
            "decision": "accepted",
            "comment": "Payroll of two months seen",
            "without_records": "1",
        },
    )
    assert "The line is accepted and closed." in accepted.text

    closed = reader.get("/cap?status=closed").text
    assert f">{first}</a>" in closed and f">{second}</a>" not in closed
    rows = list(csv.reader(io.StringIO(reader.get("/cap.csv").content.decode("utf-8-sig"))))
    by_code = {r[6]: r for r in rows[1:]}
    assert rows[0][15:18] == ["status", "evidence files", "decision"]
    assert by_code[first][15:18] == ["closed", "2", "accepted"]
    assert by_code[second][15] in ("open", "overdue", "progress")
    book = load_workbook(io.BytesIO(reader.get("/cap.xlsx?status=closed").content))
    assert [c.value for c in book.active[2]][6] == first
    assert (
        reader.get("/cap?overdue=1&week=1&factory=nobody").text.count("No CAP line matches.") == 1
    )

    chinese = reviewer.get("/lang/zh?next=/cap", follow_redirects=True).text
    assert "纠正措施跟踪" in chinese and "已完成" in chinese
