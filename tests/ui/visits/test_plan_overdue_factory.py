"""Planning a visit for a factory whose PV window has already passed: the dialog offers a date
from today on (not the window's start, in the past) and says the window has passed."""

from __future__ import annotations

from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from ietp_desktop.i18n import set_language
from ietp_desktop.services.dto import FactoryView
from ietp_desktop.services.visits import factories
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.visits.visit_dialogs import PlanVisitDialog


def _overdue_factory(db: Database) -> FactoryView:
    return factories.add_factory(
        db,
        factories.FactoryInput(
            "IETP-GD-77099",
            "Huizhou Late Toys",
            "惠州迟到玩具",
            city="Huizhou",
            seal_issued_on=date.today() - timedelta(days=200),
        ),
    )


def test_an_overdue_factory_is_offered_a_date_from_today_with_a_warning(
    qtbot: QtBot, db: Database
) -> None:
    factory = _overdue_factory(db)
    assert factory.window_opens and factory.window_closes
    assert factory.window_closes < date.today()
    dialog = PlanVisitDialog(db, factory, lambda _m: None)
    qtbot.addWidget(dialog)
    dialog.show()
    offered = dialog.when.typed()
    assert offered is not None
    assert date.today() <= offered <= date.today() + timedelta(days=2)
    assert offered.weekday() < 5
    assert dialog.warning.isVisible()
    assert dialog.warning.text() == (
        f"⚠ The PV window ({factory.window_opens} – {factory.window_closes}) has passed: "
        "this visit is overdue. Plan it as soon as possible."
    )
    set_language("zh")
    try:
        zh = PlanVisitDialog(db, factory, lambda _m: None)
        qtbot.addWidget(zh)
        assert zh.warning.text().startswith(
            f"⚠ 进展访问窗口期（{factory.window_opens} – {factory.window_closes}）已过"
        )
    finally:
        set_language("en")


def test_a_factory_inside_its_window_gets_today_and_no_warning(qtbot: QtBot, db: Database) -> None:
    factory = factories.add_factory(
        db,
        factories.FactoryInput(
            "IETP-GD-77098",
            "Foshan Due Toys",
            seal_issued_on=date.today() - timedelta(days=90),
        ),
    )
    dialog = PlanVisitDialog(db, factory, lambda _m: None)
    qtbot.addWidget(dialog)
    dialog.show()
    offered = dialog.when.typed()
    assert offered is not None and offered >= date.today()
    assert not dialog.warning.isVisible()
