"""What the screenshots of every page (tools/window_screenshots.py) showed wrong, asserted from
the user's side: nothing hidden off to the right of a list, dialogs no larger than the screen,
a stored signature and a photo shown whole, Qt's own buttons in Chinese, no empty box."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QTableView
from pytestqt.qtbot import QtBot

from ietp_desktop.demo.records import write_pay_csv
from ietp_desktop.i18n import set_language
from ietp_desktop.reports.sample import signature_png
from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.hours import records
from ietp_desktop.services.outcome import cap, findings
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.app import use_qt_language
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.common.geometry import fit_dialog
from ietp_desktop.ui.evidence.photo_viewer import PhotoViewer
from ietp_desktop.ui.hours.records_import_dialog import RecordsImportDialog
from ietp_desktop.ui.main_window import MainWindow
from ietp_desktop.ui.meetings.signature_pad import SignaturePad
from ietp_desktop.ui.outcome.outcome_page import CAP_COLUMNS, OutcomePage
from ietp_desktop.ui.visits.visit_dialogs import PlanVisitDialog
from tests.ui.driver import open_in_window, visit_in_progress

LONG = "Guangzhou Panyu Happy Kids Manufacturing and Plastic Moulding Company Limited"


@pytest.fixture(autouse=True)
def _qt_in_english() -> object:
    yield None
    use_qt_language("en")


def _all_columns_shown(view: QTableView) -> bool:
    """Every column ends inside the view: nothing waits off to the right."""
    last = view.model().columnCount() - 1
    header = view.horizontalHeader()
    end = header.sectionViewportPosition(last) + header.sectionSize(last)
    return end <= view.viewport().width() + 1 and view.horizontalScrollBar().maximum() == 0


def test_the_visit_list_shows_every_column_on_a_narrow_window(qtbot: QtBot, db: Database) -> None:
    factories.add_factory(
        db,
        factories.FactoryInput(
            "IETP-GD-88001", LONG, "广州番禺乐童制品厂", city="Guangzhou", headcount=380
        ),
    )
    lifecycle.plan_visit(db, "IETP-GD-88001", date.today())
    visit_in_progress(db)
    window = MainWindow(db, restore=False)
    qtbot.addWidget(window)
    window.resize(1200, 600)
    window.show()
    qtbot.waitExposed(window)
    window.reload_lists()
    assert _all_columns_shown(window.visit_table)
    assert window.visit_table.columnWidth(0) < window.fontMetrics().horizontalAdvance(LONG)
    tooltips = [
        window.visit_proxy.data(window.visit_proxy.index(row, 0), Qt.ItemDataRole.ToolTipRole)
        for row in range(window.visit_proxy.rowCount())
    ]
    assert any(LONG in tip for tip in tooltips)  # elided on screen, whole in its tooltip

    window.resize(1360, 700)  # more room: the columns widen again
    qtbot.waitUntil(lambda: window.visit_table.columnWidth(0) > 300)
    assert _all_columns_shown(window.visit_table)


def test_the_cap_table_keeps_due_date_and_status_on_a_laptop_page(
    qtbot: QtBot, db: Database
) -> None:
    uuid = visit_in_progress(db)
    for number in range(3):
        findings.add_finding(
            db,
            uuid,
            findings.FindingInput(
                "standard_nc", "ehs", title=f"Fire exit partially blocked in warehouse {number}"
            ),
        )
    for line in cap.list_cap_lines(db, uuid):
        cap.update_cap_line(
            db,
            uuid,
            line.finding_code,
            cap.CapChanges(
                corrective_action="Hire 12 seasonal workers for the assembly line; cap overtime "
                "at 36 h/month. 旺季为装配线增聘12名季节工；每月加班不超过36小时。",
                preventive_action="Monthly capacity review with sales before accepting peak "
                "orders. 接单前每月与销售评审产能。",
                responsible="Chen Wei (陈伟), General Manager",
            ),
        )
    page = OutcomePage(WorkspaceContext(db, uuid, VisitEvents()))
    qtbot.addWidget(page)
    page.resize(1060, 700)  # the page's room in a maximised 1366×768 window
    page.show()
    qtbot.waitExposed(page)
    page.refresh()
    table = page.cap_table
    assert table.columnCount() == len(CAP_COLUMNS)
    qtbot.waitUntil(lambda: _all_columns_shown(table))
    corrective = table.item(0, 3)
    assert corrective is not None and "36 h/month" in corrective.toolTip()  # elided, not lost


def test_a_signature_drawn_on_a_bigger_pad_is_shown_whole(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(400, 140)
    pad.show_png(signature_png(3))  # 600×200: drawn on a larger screen
    image = pad.grab().toImage()
    ink = [
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if _is_ink(image.pixelColor(x, y))
    ]
    assert ink
    right = max(x for x, _ in ink)
    bottom = max(y for _, y in ink)
    assert right < pad.width() - 4 and bottom < pad.height() - 4  # not running off the pad
    assert bottom > 90  # the underline, at the bottom of the drawing, is there


def _is_ink(colour: QColor) -> bool:
    return colour.red() < 70 and colour.green() < 80 and colour.blue() > colour.red() + 30


def test_the_photo_viewer_fits_the_photo_and_the_screen(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    uuid = visit_in_progress(db)
    photo = tmp_path / "wide.png"
    picture = QImage(1600, 1200, QImage.Format.Format_RGB32)
    picture.fill(QColor("#2e7d32"))
    assert picture.save(str(photo))
    attachments.add_photo(db, uuid, photo)
    viewer = PhotoViewer(load_detail(db, uuid).attachments, 0)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    screen = viewer.screen().availableGeometry()
    assert viewer.width() <= screen.width() and viewer.height() <= screen.height()
    room = viewer.scroller.maximumViewportSize()
    assert viewer.image.width() <= room.width() and viewer.image.height() <= room.height()
    assert not viewer.scroller.verticalScrollBar().isVisible()


def test_a_dialog_is_never_larger_than_the_screen(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    fit_dialog(dialog, 5000, 3000)
    screen = dialog.screen().availableGeometry()
    assert dialog.width() < screen.width() and dialog.height() < screen.height()
    fit_dialog(dialog, 300, 200)
    assert (dialog.width(), dialog.height()) == (300, 200)


def test_qt_buttons_follow_the_window_language(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db, restore=False)
    qtbot.addWidget(window)
    window.language_actions["zh"].trigger()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "取消"
    window.language_actions["en"].trigger()
    QApplication.processEvents()
    assert cancel.text().replace("&", "") == "Cancel"  # an open dialog follows at once


def test_the_pay_import_in_chinese_shows_its_whole_pay_day_and_cancel(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    uuid = visit_in_progress(db)
    pay_file = tmp_path / "工资表.csv"
    write_pay_csv(pay_file, [date(2026, 9, 1), date(2026, 10, 1)])
    preview = records.preview_import(db, uuid, pay_file, "pay")
    set_language("zh")
    use_qt_language("zh")
    dialog = RecordsImportDialog(WorkspaceContext(db, uuid, VisitEvents()), "pay", preview)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    assert screen.contains(dialog.frameGeometry())  # the grid scrolls, the buttons stay
    import_button = dialog.import_button
    corner = import_button.mapToGlobal(import_button.rect().bottomRight())
    assert screen.contains(corner)
    smallest = dialog.minimumSizeHint()  # fits 1366×768 at 150 % (911×512) with its frame
    assert smallest.width() <= 911 - 24 and smallest.height() <= 512 - 64, smallest
    assert dialog.pay_day.specialValueText() == "未约定"
    assert dialog.pay_day.width() >= dialog.pay_day.sizeHint().width()
    texts = [button.text() for button in dialog.buttons.buttons()]
    assert "取消" in texts and "Cancel" not in texts


def test_the_closing_page_shows_no_empty_box_until_completion_is_refused(
    qtbot: QtBot, db: Database
) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    page = workspace.closing_page
    workspace.go_to_page(workspace.stack.indexOf(page))
    assert not page.reasons.isVisible() and not page.reasons_hint.isVisible()
    page.complete()
    qtbot.waitUntil(lambda: page.reasons.isVisible())
    assert page.reasons_hint.isVisible()
    assert page.reasons.count() > 0


def test_the_plan_dialog_has_no_blank_row_without_a_warning(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db, restore=False)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(1)
    window.factory_table.selectRow(0)
    window.plan_for_selected()
    dialog = window.dialog
    assert isinstance(dialog, PlanVisitDialog)
    qtbot.waitExposed(dialog)
    assert dialog.warning.text() == "" and not dialog.warning.isVisible()
    gap = dialog.specialist.geometry().top() - dialog.when.geometry().bottom()
    assert gap < 2 * dialog.form.verticalSpacing() + 4  # the next field follows at once
    dialog.when.edit.setText("2099-01-01")
    dialog.when.commit()
    assert "after the PV window" in dialog.warning.text() and dialog.warning.isVisible()
    dialog.reject()
