"""The report page as the specialist uses it: sign, see where the file went, verify, revise."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ietp_desktop.demo.build import seed_demo
from ietp_desktop.demo.identity import DEMO_PASSPHRASE, OFFICE_DIR
from ietp_desktop.services.visits.read import list_visits, load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.reporting.identity_dialog import IdentityDialog
from ietp_desktop.ui.reporting.report_page import ReportPage

SHOTS = Path("/tmp/report-pngs")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "data"
    seed_demo(folder)
    return folder


@pytest.fixture
def demo_db(demo_dir: Path, tmp_path: Path) -> Iterator[Database]:
    folder = tmp_path / "data"
    shutil.copytree(demo_dir, folder)
    db = open_workspace(folder, actor="tester")
    yield db
    db.dispose()


def _visit(db: Database, status: str, outcome: str | None = None) -> str:
    return next(
        s.uuid for s in list_visits(db) if s.status == status and outcome in (None, s.outcome)
    )


def _page(qtbot: QtBot, db: Database, uuid: str) -> ReportPage:
    page = ReportPage(WorkspaceContext(db, uuid, VisitEvents()))
    qtbot.addWidget(page)
    page.resize(760, 620)
    return page


def test_build_sign_verify_and_open_a_new_revision(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    uuid = _visit(demo_db, "completed", "maintained_cap_required")
    page = _page(qtbot, demo_db, uuid)
    assert "Lin Mei" in page.identity_label.text()
    assert page.build_button.isEnabled()
    assert not page.revision_button.isVisibleTo(page)
    out = tmp_path / "signed.pdf"
    page.language.setCurrentIndex(page.language.findData("en"))
    page.build_signed_report(out, DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: page.last_built is not None, timeout=60_000)
    assert str(out) in page.result_label.text()
    assert out.read_bytes().startswith(b"%PDF")
    assert load_detail(demo_db, uuid).summary.status == "signed"
    assert page.revision_button.isVisibleTo(page)
    assert "Signed on" in page.state_label.text()

    verdict = page.verify_file(out)
    assert verdict is not None and verdict.ok
    text = page.verdict_label.text()
    assert "Valid signed report" in text and "Lin Mei" in text
    assert "Intact: yes" in text and "Trusted: yes" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "report-page.png"))

    data = bytearray(out.read_bytes())
    data[data.index(b"/Producer") + 3] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    assert page.verify_file(tampered) is not None
    assert "NOT a valid signed report" in page.verdict_label.text()

    assert not page.open_new_revision("  ")
    assert "reason" in page.result_label.text()
    assert page.open_new_revision("Corrected overtime figures")
    assert load_detail(demo_db, uuid).summary.revision == 2
    assert "revision 2" in page.state_label.text()


def test_wrong_passphrase_is_shown_and_nothing_is_signed(
    qtbot: QtBot, demo_db: Database, tmp_path: Path
) -> None:
    uuid = _visit(demo_db, "completed", "maintained")
    page = _page(qtbot, demo_db, uuid)
    errors: list[str] = []
    page.context.events.sig_error.connect(errors.append)
    page.build_signed_report(tmp_path / "never.pdf", "wrong")
    qtbot.waitUntil(lambda: bool(errors), timeout=60_000)
    assert "wrong passphrase" in page.result_label.text()
    assert load_detail(demo_db, uuid).summary.status == "completed"


def test_in_progress_visit_cannot_be_signed_yet(qtbot: QtBot, demo_db: Database) -> None:
    page = _page(qtbot, demo_db, _visit(demo_db, "in_progress"))
    assert not page.build_button.isEnabled()
    assert page.build_button.toolTip() == "Complete the visit first."


def test_first_run_identity_dialog(
    qtbot: QtBot, demo_dir: Path, tmp_path: Path, db: Database, started_visit: str
) -> None:
    page = _page(qtbot, db, started_visit)
    assert page.identity_button.isVisibleTo(page)
    assert db.data_dir is not None
    dialog = IdentityDialog(db.data_dir)
    qtbot.addWidget(dialog)
    enrolment = demo_dir / OFFICE_DIR / "lin-mei.ietp-enrol"
    assert not dialog.import_file(enrolment, "guess")
    assert "wrong passphrase" in dialog.error_label.text()
    assert dialog.import_file(enrolment, DEMO_PASSPHRASE)
    assert dialog.imported is not None and dialog.imported.name == "Lin Mei (林梅)"
    page.refresh()
    assert not page.identity_button.isVisibleTo(page)
    assert "Lin Mei" in page.identity_label.text()
