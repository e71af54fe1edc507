"""The main window: factories and visits on the home page, the visit workspace beside it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.lifecycle import STATUS_LABELS, VisitStatus
from ietp_desktop.domain.outcome import OUTCOME_LABELS
from ietp_desktop.i18n import LANGUAGES, current_language, set_language, tr
from ietp_desktop.services import settings
from ietp_desktop.services.dto import FactoryView, VisitSummary
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.visits.read import list_visits
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.app import use_qt_language
from ietp_desktop.ui.common.context import VisitEvents, WorkspaceContext
from ietp_desktop.ui.common.geometry import remember_geometry
from ietp_desktop.ui.common.shortcuts import SHORTCUTS
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.visits.factory_dialog import FactoryDialog
from ietp_desktop.ui.visits.list_models import (
    DUE_LABELS,
    FactoryTableModel,
    ListFilterProxy,
    VisitTableModel,
)
from ietp_desktop.ui.visits.visit_actions import (
    ask_before_start,
    open_label,
    open_offer,
    start_question,
    transition_offer,
)
from ietp_desktop.ui.visits.visit_dialogs import (
    ConfirmVisitDialog,
    PlanVisitDialog,
    RefuseVisitDialog,
)
from ietp_desktop.ui.workspace.progress import go_to_next_required
from ietp_desktop.ui.workspace.visit_workspace import VisitWorkspace


class _ShortcutsFirst(QObject):
    """Lists and editors claim keys like Ctrl+Down for themselves; the window's navigation
    shortcuts must win wherever the focus is."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.keys = {QKeySequence(k).toString() for s in SHORTCUTS for k in s.keys}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and QKeySequence(event.keyCombination()).toString() in self.keys
        ):
            event.ignore()
            return True
        return False


def _table(model: ListFilterProxy, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    # Columns are fitted to the first rows only: 10,000 visits must not slow a refresh.
    view.horizontalHeader().setResizeContentsPrecision(100)
    _FitOnResize(view)
    return view


ELIDE_DOWN_TO = 110  # a column shrunk to fit the window is never narrower (its tooltip helps)
# The free-text columns that give way when the list is wider than the window; dates, ids and
# counts keep their width.
ELIDABLE = ("Factory", "Outcome", "City", "Status")


def fit_columns(view: QTableView, widest: int = 320) -> None:
    """Columns as wide as their contents; when that is wider than the view (a 1366×768
    laptop, a Chinese window), the long texts give way and elide, so no column is hidden off
    to the right."""
    view.resizeColumnsToContents()
    widths = [min(view.columnWidth(c) + 12, widest) for c in range(view.model().columnCount())]
    room = view.viewport().width()
    if view.isVisible() and sum(widths) > room:
        model = view.model()
        source = model.sourceModel() if isinstance(model, ListFilterProxy) else model
        names: tuple[str, ...] = getattr(source, "columns", ())
        elidable = [i for i, name in enumerate(names) if name in ELIDABLE]
        widths = shrink_widest(widths, sum(widths) - room, ELIDE_DOWN_TO, elidable)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)


def shrink_widest(widths: list[int], excess: int, floor: int, columns: list[int]) -> list[int]:
    """Lower the widest of `columns` to one level, no lower than `floor`, to save `excess`."""
    level = max((widths[c] for c in columns), default=floor)
    while level > floor and sum(max(0, widths[c] - level) for c in columns) < excess:
        level -= 1
    return [min(w, level) if c in columns else w for c, w in enumerate(widths)]


class _FitOnResize(QObject):
    """Fits a list's columns again when its width changes (first shown, window resized)."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self.width = -1
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.view.viewport().width() != self.width:
            self.width = self.view.viewport().width()
            fit_columns(self.view)
        return False


class MainWindow(QMainWindow):
    def __init__(self, db: Database, *, restore: bool = True) -> None:
        super().__init__()
        self.db = db
        self.events = VisitEvents(self)
        self.workspace: VisitWorkspace | None = None
        self.dialog: QDialog | None = None
        self.setObjectName("main_window")
        self.resize(1024, 640)  # the real size comes from geometry.place_window when shown

        self.visit_model = VisitTableModel()
        self.visit_proxy = ListFilterProxy()
        self.visit_proxy.setSourceModel(self.visit_model)
        self.factory_model = FactoryTableModel()
        self.factory_proxy = ListFilterProxy()
        self.factory_proxy.setSourceModel(self.factory_model)

        self.search = QLineEdit()
        self.search.setObjectName("visit_search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.filters: dict[str, QComboBox] = {}
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.search, 2)
        self.filter_labels: dict[str, QLabel] = {}
        for name in ("status", "city", "due_state", "outcome"):
            label = QLabel()
            combo = QComboBox()
            combo.setObjectName(f"filter_{name}")
            combo.currentIndexChanged.connect(
                lambda _i, n=name: self.visit_proxy.set_field(n, self.filters[n].currentData())
            )
            self.filters[name] = combo
            self.filter_labels[name] = label
            filter_row.addWidget(label)
            filter_row.addWidget(combo, 1)

        self.visit_table = _table(self.visit_proxy, "visit_table")
        self.visit_table.selectionModel().currentChanged.connect(
            lambda _now, _before: self.update_visit_actions()
        )
        self.visit_table.doubleClicked.connect(lambda _i: self.open_selected())
        self.visit_table.activated.connect(lambda _i: self.open_selected())
        self.open_button = QPushButton()
        self.open_button.setObjectName("visit_open")
        self.open_button.clicked.connect(self.open_selected)
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("visit_confirm")
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.refuse_button = QPushButton()
        self.refuse_button.setObjectName("visit_refuse")
        self.refuse_button.clicked.connect(self.refuse_selected)
        self.count_label = QLabel()
        visit_buttons = QHBoxLayout()
        for button in (self.open_button, self.confirm_button, self.refuse_button):
            visit_buttons.addWidget(button)
        visit_buttons.addStretch(1)
        visit_buttons.addWidget(self.count_label)
        visits_tab = QWidget()
        visits_layout = QVBoxLayout(visits_tab)
        visits_layout.addLayout(filter_row)
        visits_layout.addWidget(self.visit_table, 1)
        visits_layout.addLayout(visit_buttons)

        self.factory_search = QLineEdit()
        self.factory_search.setObjectName("factory_search")
        self.factory_search.setClearButtonEnabled(True)
        self.factory_search.textChanged.connect(self.factory_proxy.set_search)
        self.factory_table = _table(self.factory_proxy, "factory_table")
        self.plan_button = QPushButton()
        self.plan_button.setObjectName("factory_plan")
        self.plan_button.clicked.connect(self.plan_for_selected)
        self.add_factory_button = QPushButton()
        self.add_factory_button.setObjectName("factory_add")
        self.add_factory_button.clicked.connect(self.add_factory)
        self.edit_factory_button = QPushButton()
        self.edit_factory_button.setObjectName("factory_edit")
        self.edit_factory_button.clicked.connect(self.edit_selected_factory)
        self.factory_table.doubleClicked.connect(lambda _i: self.edit_selected_factory())
        factories_tab = QWidget()
        factories_layout = QVBoxLayout(factories_tab)
        factories_layout.addWidget(self.factory_search)
        factories_layout.addWidget(self.factory_table, 1)
        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plan_button)
        plan_row.addWidget(self.add_factory_button)
        plan_row.addWidget(self.edit_factory_button)
        plan_row.addStretch(1)
        factories_layout.addLayout(plan_row)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("home_tabs")
        self.tabs.addTab(visits_tab, "")
        self.tabs.addTab(factories_tab, "")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)

        self.error_label = QLabel()
        self.error_label.setObjectName("status_error")
        self.error_label.setStyleSheet("color: #b00020;")
        self.statusBar().addPermanentWidget(self.error_label)
        self.events.sig_saved.connect(self._saved)
        self.events.sig_error.connect(self.show_error)
        self.events.sig_language_changed.connect(self.retranslate)

        self.actions_by_key: dict[str, QAction] = {}
        self._build_actions()
        self.shortcut_filter = _ShortcutsFirst(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.shortcut_filter)
        self.reload_lists()
        self.retranslate()
        if restore:
            self.restore_position()

    # --- menus and shortcuts --------------------------------------------------------------

    def _build_actions(self) -> None:
        handlers = {
            "next_item": lambda: self._in_workspace(lambda w: w.step_item(1)),
            "previous_item": lambda: self._in_workspace(lambda w: w.step_item(-1)),
            "next_required": lambda: self._in_workspace(go_to_next_required),
            "next_section": lambda: self._in_workspace(lambda w: w.step_section(1)),
            "previous_section": lambda: self._in_workspace(lambda w: w.step_section(-1)),
            "search": self.go_to_search,
            "raise_finding": lambda: self._in_workspace(lambda w: w.raise_finding_for_current()),
            "back_to_list": self.show_list,
            "help_shortcuts": self.show_shortcuts,
            "quit": self.close,
        }
        for entry in SHORTCUTS:
            action = QAction(self)
            action.setShortcuts([QKeySequence(k) for k in entry.keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(handlers[entry.action])
            self.addAction(action)
            self.actions_by_key[entry.action] = action
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.actions_by_key["back_to_list"])
        self.file_menu.addSeparator()
        self.sync_actions: dict[str, QAction] = {}
        for key, handler in (
            ("Add a factory…", self.add_factory),
            ("Edit the selected factory…", self.edit_selected_factory),
            ("Export for office…", self.export_for_office),
            ("Import receipt / assignments…", self.import_from_office),
            ("Send to office…", self.send_to_office),
            ("Fetch from office…", self.fetch_from_office),
            ("Signing identity…", self.set_up_identity),
        ):
            action = QAction(self)
            action.triggered.connect(handler)
            self.file_menu.addAction(action)
            self.sync_actions[key] = action
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.actions_by_key["quit"])
        self.visit_menu = bar.addMenu("")
        for key in (
            "next_item",
            "previous_item",
            "next_required",
            "next_section",
            "previous_section",
            "raise_finding",
            "search",
        ):
            self.visit_menu.addAction(self.actions_by_key[key])
        self.settings_menu = bar.addMenu("")
        self.language_menu = self.settings_menu.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _c=False, c=code: self.change_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.actions_by_key["help_shortcuts"])

    # --- office sync and identity ---------------------------------------------------------

    def export_for_office(self) -> None:
        from ietp_desktop.ui.sync.bundle_page import open_export_dialog

        dialog = open_export_dialog(self, self.db)
        dialog.finished.connect(lambda _r: self._export_closed(dialog))

    def _export_closed(self, dialog: QDialog) -> None:
        self.reload_lists()
        sending = getattr(dialog, "send_dialog", None)
        if sending is not None:  # "Send to office…" from the export dialog
            sending.finished.connect(lambda _r: self.reload_lists())

    def import_from_office(self) -> None:
        from ietp_desktop.ui.sync.bundle_page import open_import_dialog

        open_import_dialog(self, self.db)
        self.reload_lists()

    def send_to_office(self) -> None:
        from ietp_desktop.ui.sync.office_dialog import open_send_dialog

        dialog = open_send_dialog(self, self.db)
        dialog.finished.connect(lambda _r: self.reload_lists())

    def fetch_from_office(self) -> None:
        from ietp_desktop.ui.sync.office_dialog import open_fetch_dialog

        dialog = open_fetch_dialog(self, self.db)
        dialog.finished.connect(lambda _r: self.reload_lists())

    def set_up_identity(self) -> None:
        from ietp_desktop.ui.reporting.identity_dialog import IdentityDialog

        if self.db.data_dir is None:
            return
        IdentityDialog(self.db.data_dir, self).exec()

    def _in_workspace(self, call: Callable[[VisitWorkspace], object]) -> None:
        if self.workspace is not None and self.stack.currentWidget() is self.workspace:
            call(self.workspace)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return [
            (
                tr(s.label),
                " / ".join(
                    QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in s.keys
                ),
            )
            for s in SHORTCUTS
        ]

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td>{label}</td><td><b>{keys}</b></td></tr>"
            for label, keys in self.shortcut_rows()
        )
        box = QMessageBox(self)
        box.setObjectName("shortcuts_box")
        box.setWindowTitle(tr("Keyboard shortcuts"))
        box.setText(f"<table cellspacing='6'>{rows}</table>")
        box.open()
        self.dialog = box

    # --- lists ----------------------------------------------------------------------------

    def reload_lists(self) -> None:
        with user_errors(self.show_error) as outcome:
            visit_rows = list_visits(self.db)
            factory_rows = factories.list_factories(self.db)
        if outcome.failed:
            return
        self.visit_model.set_rows(visit_rows)
        self.factory_model.set_rows(factory_rows)
        fit_columns(self.visit_table)
        fit_columns(self.factory_table)
        self._fill_filters()
        self._update_count()
        self.update_visit_actions()

    def update_visit_actions(self) -> None:
        """Offer only the actions that apply to the selected visit; a disabled one says why."""
        visit = self.selected_visit()
        offers = (
            (self.open_button, open_offer(visit)),
            (self.confirm_button, transition_offer(visit, VisitStatus.CONFIRMED)),
            (self.refuse_button, transition_offer(visit, VisitStatus.REFUSED)),
        )
        for button, offer in offers:
            button.setEnabled(offer.enabled)
            button.setToolTip(offer.why_not)
        self.open_button.setText(open_label(visit))

    def _fill_filters(self) -> None:
        cities = sorted({v.city for v in self.visit_model.rows if v.city})
        options: dict[str, list[tuple[str, str]]] = {
            "status": [(s.value, tr(STATUS_LABELS[s])) for s in VisitStatus],
            "city": [(c, c) for c in cities],
            "due_state": [(k, tr(v)) for k, v in DUE_LABELS.items()],
            "outcome": [(o.value, tr(label)) for o, label in OUTCOME_LABELS.items()],
        }
        for name, combo in self.filters.items():
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(tr("All"), None)
            for value, label in options[name]:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _search_changed(self, text: str) -> None:
        self.visit_proxy.set_search(text)
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(
            tr(
                "{shown} of {total} visits",
                shown=self.visit_proxy.rowCount(),
                total=self.visit_model.rowCount(),
            )
        )

    def selected_visit(self) -> VisitSummary | None:
        index = self.visit_table.currentIndex()
        if not index.isValid():
            return None
        value = self.visit_proxy.data(index, Qt.ItemDataRole.UserRole)
        return value if isinstance(value, VisitSummary) else None

    def selected_factory(self) -> FactoryView | None:
        index = self.factory_table.currentIndex()
        if not index.isValid():
            return None
        value = self.factory_proxy.data(index, Qt.ItemDataRole.UserRole)
        return value if isinstance(value, FactoryView) else None

    def select_visit(self, uuid: str) -> bool:
        for row in range(self.visit_proxy.rowCount()):
            index = self.visit_proxy.index(row, 0)
            summary = self.visit_proxy.data(index, Qt.ItemDataRole.UserRole)
            if summary.uuid == uuid:
                self.visit_table.setCurrentIndex(index)
                return True
        return False

    # --- visit actions --------------------------------------------------------------------

    def _dialog_done(self, message: str) -> None:
        self._saved(message)
        self.reload_lists()

    def plan_for_selected(self) -> None:
        factory = self.selected_factory()
        if factory is None:
            self.show_error(tr("Choose a factory first."))
            return
        specialist = settings.read(self.db, settings.SPECIALIST_NAME)
        self.dialog = PlanVisitDialog(self.db, factory, self._planned, self, specialist)
        self.dialog.open()

    def _planned(self, message: str) -> None:
        dialog = self.dialog
        self._dialog_done(message)
        if isinstance(dialog, PlanVisitDialog):
            if dialog.specialist.text().strip():
                settings.write(
                    self.db, (settings.SPECIALIST_NAME, dialog.specialist.text().strip())
                )
            self.tabs.setCurrentIndex(0)
            self.select_visit(dialog.planned_uuid)

    def add_factory(self) -> None:
        self.dialog = FactoryDialog(self.db, self._factory_saved, self)
        self.dialog.open()

    def edit_selected_factory(self) -> None:
        self.tabs.setCurrentIndex(1)
        factory = self.selected_factory()
        if factory is None:
            self.show_error(tr("Choose a factory first."))
            return
        self.dialog = FactoryDialog(self.db, self._factory_saved, self, factory)
        self.dialog.open()

    def _factory_saved(self, factory: FactoryView) -> None:
        self._saved(tr("Factory {ietp_id} saved", ietp_id=factory.ietp_id))
        self.reload_lists()
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(1)
        for row in range(self.factory_proxy.rowCount()):
            index = self.factory_proxy.index(row, 0)
            view = self.factory_proxy.data(index, Qt.ItemDataRole.UserRole)
            if isinstance(view, FactoryView) and view.id == factory.id:
                self.factory_table.setCurrentIndex(index)
                break

    def confirm_selected(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            self.show_error(tr("Choose a visit first."))
            return
        self.dialog = ConfirmVisitDialog(self.db, visit, self._dialog_done, self)
        self.dialog.open()

    def refuse_selected(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            self.show_error(tr("Choose a visit first."))
            return
        self.dialog = RefuseVisitDialog(self.db, visit, self._dialog_done, self)
        self.dialog.open()

    def open_selected(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            self.show_error(tr("Choose a visit first."))
            return
        question = start_question(visit)
        if question:
            self.dialog = ask_before_start(self, question, lambda: self.open_visit(visit.uuid))
            return
        self.open_visit(visit.uuid)

    def open_visit(self, uuid: str) -> VisitWorkspace | None:
        """Start (if confirmed) or resume a visit in the workspace."""
        with user_errors(self.show_error) as outcome:
            summary = next((v for v in self.visit_model.rows if v.uuid == uuid), None)
            if summary is not None and summary.status == VisitStatus.PLANNED.value:
                self.show_error(tr("Confirm the visit date with the factory before starting."))
                return None
            if summary is not None and summary.status == VisitStatus.CONFIRMED.value:
                lifecycle.start_visit(self.db, uuid)
            if self.workspace is not None:
                self._close_workspace()
            workspace = VisitWorkspace(WorkspaceContext(self.db, uuid, self.events), self)
        if outcome.failed:
            return None
        self.workspace = workspace
        workspace.sig_reopen.connect(
            lambda: QTimer.singleShot(0, lambda: self._reopen_workspace(uuid))
        )
        workspace.refresh()
        self.stack.addWidget(workspace)
        self.stack.setCurrentWidget(workspace)
        workspace.go_to_page(0)
        self.setWindowTitle(f"IETP PV Desktop – {summary.factory_name_en if summary else uuid}")
        return workspace

    def _reopen_workspace(self, uuid: str) -> None:
        """The visit changed between read-only and editable: open it afresh where it was."""
        page = self.workspace.stack.currentIndex() if self.workspace is not None else 0
        self.reload_lists()
        workspace = self.open_visit(uuid)
        if workspace is not None:
            workspace.go_to_page(page)

    def _close_workspace(self) -> None:
        if self.workspace is None:
            return
        self.workspace.flush()
        self.stack.removeWidget(self.workspace)
        self.workspace.deleteLater()
        self.workspace = None

    def show_list(self) -> None:
        if self.workspace is not None:
            self.workspace.flush()
        self.reload_lists()
        self.stack.setCurrentWidget(self.tabs)

    def go_to_search(self) -> None:
        self.show_list()
        self.tabs.setCurrentIndex(0)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def restore_position(self) -> None:
        """Reopen the visit, section and item the user was at when the program closed."""
        uuid = settings.read(self.db, settings.LAST_VISIT)
        if not uuid or not any(v.uuid == uuid for v in self.visit_model.rows):
            return
        section = settings.read(self.db, settings.LAST_SECTION)
        item = settings.read(self.db, settings.LAST_ITEM)
        workspace = self.open_visit(uuid)
        if workspace is None:
            return
        if item and workspace.go_to_item(item):
            return
        if section:
            workspace.go_to_section(section)

    # --- status, language -----------------------------------------------------------------

    def _saved(self, message: str) -> None:
        self.error_label.setText("")
        self.statusBar().showMessage(message)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message.splitlines()[0] if message else "")

    def change_language(self, language: str) -> None:
        if self.workspace is not None:
            self.workspace.flush()
        set_language(language)
        use_qt_language(language)
        with user_errors(self.show_error):
            settings.write(self.db, (settings.LANGUAGE, language))
        self.language_actions[language].setChecked(True)
        self.events.sig_language_changed.emit()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("IETP PV Desktop"))
        self.search.setPlaceholderText(tr("Search factory, IETP id, city or visit id… (Ctrl+F)"))
        self.factory_search.setPlaceholderText(tr("Search factories…"))
        labels = {"status": "Status", "city": "City", "due_state": "Due", "outcome": "Outcome"}
        for name, label in self.filter_labels.items():
            label.setText(tr(labels[name]))
        self._fill_filters()
        self.update_visit_actions()
        self.confirm_button.setText(tr("Confirm date…"))
        self.refuse_button.setText(tr("Factory refused…"))
        self.plan_button.setText(tr("Plan a visit…"))
        self.add_factory_button.setText(tr("Add a factory…"))
        self.edit_factory_button.setText(tr("Edit factory…"))
        self.tabs.setTabText(0, tr("Visits"))
        self.tabs.setTabText(1, tr("Factories"))
        self.file_menu.setTitle(tr("&File"))
        self.visit_menu.setTitle(tr("&Visit"))
        self.settings_menu.setTitle(tr("&Settings"))
        self.language_menu.setTitle(tr("Language"))
        self.help_menu.setTitle(tr("&Help"))
        QApplication.postEvent(self.menuBar(), QEvent(QEvent.Type.LayoutRequest))
        for entry in SHORTCUTS:
            self.actions_by_key[entry.action].setText(tr(entry.label))
        for source_text, action in self.sync_actions.items():
            action.setText(tr(source_text))
        self.visit_model.retranslate()
        self.factory_model.retranslate()
        self._update_count()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.workspace is not None:
            self.workspace.flush()
        remember_geometry(self, self.db)
        super().closeEvent(event)
