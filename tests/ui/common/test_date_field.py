"""Typing dates the way a specialist does: whole dates, Tab to move on, errors that say why
and go when fixed, the PV window in the calendar, and no invented 'today'."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QApplication, QTableView, QWidget
from pytestqt.qtbot import QtBot

from ietp_desktop.i18n import set_language
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.visits.read import list_visits, load_detail
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.date_field import WINDOW_COLOUR, DateField, OptionalDate, to_qdate
from ietp_desktop.ui.visits.visit_dialogs import ConfirmVisitDialog, PlanVisitDialog
from tests.ui.driver import (
    activate,
    go_to_section,
    open_in_window,
    press_ok,
    visit_in_progress,
)


def _type(widget: QWidget, text: str) -> None:
    """Key presses carrying each character (QTest.keyClicks aborts on 年, 月, 日)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def _retype(qtbot: QtBot, field: DateField, text: str) -> None:
    field.edit.setFocus()
    field.edit.selectAll()
    _type(field.edit, text)


def _plan_dialog(qtbot: QtBot, db: Database, done: list[str]) -> PlanVisitDialog:
    dialog = PlanVisitDialog(db, factories.get_factory(db, "IETP-GD-77001"), done.append)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    activate(dialog)
    return dialog


def test_typed_year_is_kept_and_tab_goes_to_the_next_field(qtbot: QtBot, db: Database) -> None:
    done: list[str] = []
    dialog = _plan_dialog(qtbot, db, done)
    _retype(qtbot, dialog.when, "2027/2/15")
    qtbot.keyClick(dialog.when.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.specialist
    assert dialog.when.edit.text() == "2027-02-15"
    assert dialog.when.date() == to_qdate(date(2027, 2, 15))


def test_chinese_form_is_read(qtbot: QtBot, db: Database) -> None:
    dialog = _plan_dialog(qtbot, db, [])
    _retype(qtbot, dialog.when, "2027年2月15日")
    qtbot.keyClick(dialog.when.edit, Qt.Key.Key_Return)
    assert dialog.when.edit.text() == "2027-02-15"
    assert not dialog.when.has_error()


def test_impossible_date_is_refused_not_moved_and_the_error_goes_when_fixed(
    qtbot: QtBot, db: Database
) -> None:
    done: list[str] = []
    dialog = _plan_dialog(qtbot, db, done)
    _retype(qtbot, dialog.when, "2027-02-30")
    qtbot.keyClick(dialog.when.edit, Qt.Key.Key_Tab)
    assert dialog.when.edit.text() == "2027-02-30"  # as typed, not 2027-03-02 or 2026-02-03
    assert dialog.when.has_error()
    assert "2027-02 has 28 days" in dialog.when.error.text()
    press_ok(qtbot, dialog)
    assert done == [] and dialog.isVisible() and list_visits(db) == []
    assert QApplication.focusWidget() is dialog.when.edit

    _retype(qtbot, dialog.when, "2027-02-")
    assert dialog.when.has_error()  # not a date yet: the complaint stays
    qtbot.keyClicks(dialog.when.edit, "28")
    assert not dialog.when.has_error()  # fixed: the complaint goes while typing
    press_ok(qtbot, dialog)
    assert done and list_visits(db)[0].planned_date == date(2027, 2, 28)


def test_window_warning_follows_the_typing(qtbot: QtBot, db: Database) -> None:
    dialog = _plan_dialog(qtbot, db, [])
    closes = dialog.factory.window_closes
    assert closes is not None
    _retype(qtbot, dialog.when, (closes + timedelta(days=1)).isoformat())
    assert "after the PV window" in dialog.warning.text()  # before Enter or Tab
    _retype(qtbot, dialog.when, closes.isoformat())
    assert dialog.warning.text() == ""


def test_calendar_shows_the_pv_window(qtbot: QtBot, db: Database) -> None:
    dialog = _plan_dialog(qtbot, db, [])
    opens, closes = dialog.factory.window_opens, dialog.factory.window_closes
    assert opens is not None and closes is not None
    dialog.when.edit.setFocus()
    qtbot.keyClick(dialog.when.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = dialog.when.popup
    assert popup is not None and popup.isVisible()
    calendar = popup.calendar

    def tint(day: date) -> QColor:
        return calendar.dateTextFormat(to_qdate(day)).background().color()

    assert tint(opens) == QColor(WINDOW_COLOUR) and tint(closes) == QColor(WINDOW_COLOUR)
    assert tint(closes + timedelta(days=1)) != QColor(WINDOW_COLOUR)
    assert f"{opens} – {closes}" in popup.legend.text()
    calendar.setSelectedDate(to_qdate(closes))
    view = calendar.findChild(QTableView)
    assert view is not None
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert dialog.when.edit.text() == closes.isoformat()


def test_confirm_dialog_error_clears_when_the_date_is_fixed(qtbot: QtBot, db: Database) -> None:
    planned = lifecycle.plan_visit(db, "IETP-GD-77001", date.today())
    visit = next(v for v in list_visits(db) if v.uuid == planned.uuid)
    done: list[str] = []
    dialog = ConfirmVisitDialog(db, visit, done.append)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    _retype(qtbot, dialog.announced, (date.today() + timedelta(days=3)).isoformat())
    press_ok(qtbot, dialog)
    assert "must be sent before" in dialog.error.text() and not done
    _retype(qtbot, dialog.announced, (date.today() - timedelta(days=3)).isoformat())
    assert dialog.error.text() == ""
    press_ok(qtbot, dialog)
    assert done


def test_unticking_not_answered_saves_nothing_until_a_date_is_typed(
    qtbot: QtBot, db: Database
) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    page = go_to_section(qtbot, workspace, "ehs")
    editor = page.rows["EH-03"].editor
    editor.unset.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClick(editor.unset, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    assert QApplication.focusWidget() is editor.date.edit  # type: ignore[attr-defined]
    assert "EH-03" not in load_detail(db, uuid).answers
    _type(editor.date.edit, "2027年2月30日")  # type: ignore[attr-defined]
    qtbot.keyClick(editor.date.edit, Qt.Key.Key_Tab)  # type: ignore[attr-defined]
    assert editor.date.has_error()  # type: ignore[attr-defined]
    assert "EH-03" not in load_detail(db, uuid).answers
    _retype(qtbot, editor.date, "2027年2月3日")  # type: ignore[attr-defined]
    qtbot.keyClick(editor.date.edit, Qt.Key.Key_Tab)  # type: ignore[attr-defined]
    assert load_detail(db, uuid).answers["EH-03"].value == "2027-02-03"


def test_optional_date_unticked_waits_for_a_date(qtbot: QtBot) -> None:
    field = OptionalDate()
    qtbot.addWidget(field)
    field.set_value(None)
    field.show()
    activate(field)
    changes: list[bool] = []
    field.sig_changed.connect(lambda: changes.append(True))
    qtbot.mouseClick(field.unset, Qt.MouseButton.LeftButton)
    assert changes == [] and field.value() is None
    qtbot.keyClicks(field.edit.edit, "2026/12/3")
    qtbot.keyClick(field.edit.edit, Qt.Key.Key_Return)
    assert changes == [True] and field.value() == date(2026, 12, 3)


def test_errors_in_chinese(qtbot: QtBot) -> None:
    set_language("zh")
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    activate(field)
    _retype(qtbot, field, "2027-02-30")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert "不存在" in field.error.text()


def test_visit_details_dates_typed_and_the_window_in_their_calendar(
    qtbot: QtBot, db: Database
) -> None:
    uuid = visit_in_progress(db)
    _window, workspace = open_in_window(qtbot, db, uuid)
    details = workspace.details_page
    workspace.go_to_page(workspace.stack.indexOf(details))
    end = details.dates["visit_end"]
    assert end.unset.isChecked()
    qtbot.mouseClick(end.unset, Qt.MouseButton.LeftButton)
    assert load_detail(db, uuid).visit_end is None  # unticking saved nothing
    _type(end.edit.edit, "2026/2/30")
    qtbot.keyClick(end.edit.edit, Qt.Key.Key_Tab)
    assert end.edit.has_error() and load_detail(db, uuid).visit_end is None
    workspace.refresh()  # another save elsewhere does not wipe the date still to fix
    assert end.edit.edit.text() == "2026/2/30"
    _retype(qtbot, end.edit, date.today().strftime("%Y年%m月%d日"))
    qtbot.keyClick(end.edit.edit, Qt.Key.Key_Tab)
    assert load_detail(db, uuid).visit_end == date.today()
    end.edit.open_calendar()
    popup = end.edit.popup
    assert popup is not None and "PV window" in popup.legend.text()
    popup.hide()
