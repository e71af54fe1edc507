"""Hours & wages: the worker sample, time and pay record imports, the checks per worker with
a weekly-hours chart, and the proposed findings the specialist accepts, edits or dismisses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.records import (
    Analysis,
    Breach,
    WorkerFigures,
    format_hours,
    format_money,
    format_period,
)
from ietp_desktop.i18n import LANGUAGES, current_language, tr
from ietp_desktop.services.hours import checks, proposals, records, workers
from ietp_desktop.services.hours.proposals import ProposalStatus, ProposalView
from ietp_desktop.services.hours.records import (
    ImportResult,
    Kind,
    RecordsPreview,
    breach_text,
)
from ietp_desktop.services.hours.workers import SampleCoverage, WorkerView
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.geometry import fit_dialog
from ietp_desktop.ui.common.operations import Task, run_op
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.hours.records_chart import WeeklyHoursChart
from ietp_desktop.ui.hours.records_import_dialog import RecordsImportDialog
from ietp_desktop.ui.hours.worker_dialog import (
    GENDER_LABELS,
    ORIGIN_LABELS,
    WAGE_LABELS,
    WorkerDialog,
)

BREACH_BG, WARN_BG, OK_FG = QColor("#fde0dc"), QColor("#fff4d6"), QColor("#2e7d32")
ERROR_STYLE, GAP_STYLE = "color: #b00020;", "color: #8a6d00;"
FILE_FILTER = "Spreadsheets (*.csv *.xlsx *.xlsm *.txt *.tsv)"

SAMPLE_COLUMNS = (
    "Code",
    "Employee no.",
    "Name",
    "Department",
    "Gender",
    "Local / migrant",
    "Hire date",
    "Wage type",
    "Base rate",
    "Region",
    "Time records",
    "Pay records",
)
# (header, figure, rules that make the cell a breach)
RESULT_COLUMNS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Worker", "worker_code", frozenset()),
    ("Days worked", "days_worked", frozenset()),
    ("Hours", "total_hours", frozenset()),
    ("Max hours a day", "max_daily_hours", frozenset({"overtime_hours_per_day_special"})),
    ("Max hours a week", "max_weekly_hours", frozenset({"regular_hours_per_week"})),
    ("Max hours in 7 days", "max_rolling7_hours", frozenset({"total_hours_per_7_days"})),
    ("Max overtime a month", "max_overtime_month_hours", frozenset({"overtime_hours_per_month"})),
    (
        "Longest run of days",
        "longest_run_days",
        frozenset({"rest_days_per_week", "max_consecutive_days"}),
    ),
    ("Rest days worked", "rest_days_worked", frozenset()),
    ("Holidays worked", "holidays_worked", frozenset()),
    ("Incomplete days", "incomplete_days", frozenset()),
    ("Below minimum wage", "min_wage_shortfall", frozenset({"minimum_wage", "piece_rate_minimum"})),
    ("Premium underpaid", "premium_shortfall", frozenset({"premium_workday"})),
    ("Late payments", "late_payments", frozenset({"pay_at_least_monthly"})),
    ("Breaches", "", frozenset()),
)


@dataclass(frozen=True)
class Results:
    analysis: Analysis  # the sample's
    proposals: list[ProposalView]
    # the whole workforce beside the sample, coverage: lines in each language
    workforce: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _cell(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    return table


def _fill_height(widget: QWidget, minimum: int) -> QWidget:
    """A view that takes the height left over rather than asking for its preferred height:
    the workspace's scroll area gives a page with wrapped labels its preferred height, and
    the tables and the chart would make this page taller than a 1366×768 screen."""
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    widget.setMinimumHeight(minimum)
    return widget


def figure_text(figures: WorkerFigures, name: str) -> str:
    value = getattr(figures, name)
    if name in ("min_wage_shortfall", "premium_shortfall"):
        return format_money(value) if value else "—"
    if isinstance(value, float):
        return format_hours(value)
    return str(value)


class RecordsPage(QWidget):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.sample: list[WorkerView] = []
        self.coverage: SampleCoverage | None = None
        self.results: Results | None = None
        self.dialog: RecordsImportDialog | None = None
        self.check_error: str | None = None  # the last check failed: shown instead of results

        self.heading = QLabel()
        self.import_time = QPushButton()
        self.import_pay = QPushButton()
        self.recheck = QPushButton()
        self.import_time.clicked.connect(lambda: self.choose_file("time"))
        self.import_pay.clicked.connect(lambda: self.choose_file("pay"))
        self.recheck.clicked.connect(lambda: self.refresh())
        self.message = QLabel()
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        for button in (self.import_time, self.import_pay, self.recheck):
            top.addWidget(button)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._sample_tab(), "")
        self.tabs.addTab(self._results_tab(), "")
        self.tabs.addTab(self._proposals_tab(), "")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        self.refresh()

    def title(self) -> str:
        return tr("Hours & wages")

    def retranslate(self) -> None:
        self.heading.setText(f"<h2>{self.title()}</h2>")
        self.import_time.setText(tr("Import time records…"))
        self.import_pay.setText(tr("Import pay records…"))
        self.recheck.setText(tr("Check again"))
        self.tabs.setTabText(0, tr("Worker sample"))
        self.tabs.setTabText(1, tr("Results"))
        self.sample_table.setHorizontalHeaderLabels([tr(c) for c in SAMPLE_COLUMNS])
        self.add_button.setText(tr("Add worker…"))
        self.edit_button.setText(tr("Edit…"))
        self.remove_button.setText(tr("Remove"))
        self.results_table.setHorizontalHeaderLabels([tr(c[0]) for c in RESULT_COLUMNS])
        self.show_handled.setText(tr("Show accepted and dismissed proposals"))
        self.accept_button.setText(tr("Accept"))
        self.edit_proposal_button.setText(tr("Edit and accept…"))
        # what was loaded is shown again in the new language, keeping the rows chosen
        worker, result, proposal = (
            self.sample_table.currentRow(),
            self.results_table.currentRow(),
            self.proposal_list.currentRow(),
        )
        self._fill_sample()
        self._fill_results()
        self.sample_table.selectRow(worker)
        if result >= 0:
            self.results_table.selectRow(result)
        self.proposal_list.setCurrentRow(proposal)
        if self.check_error is not None:
            self._check_failed(self.check_error)

    # --- building -------------------------------------------------------------------------

    def _sample_tab(self) -> QWidget:
        self.coverage_label = QLabel()
        self.coverage_label.setWordWrap(True)
        self.gaps_label = QLabel()
        self.gaps_label.setWordWrap(True)
        self.gaps_label.setStyleSheet(GAP_STYLE)
        self.sample_table = _table(len(SAMPLE_COLUMNS))
        self.sample_table.doubleClicked.connect(lambda _index: self.edit_worker())
        self.add_button = QPushButton()
        self.edit_button = QPushButton()
        self.remove_button = QPushButton()
        self.add_button.clicked.connect(self.add_worker)
        self.edit_button.clicked.connect(self.edit_worker)
        self.remove_button.clicked.connect(self.remove_worker)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.coverage_label)
        layout.addWidget(self.gaps_label)
        layout.addWidget(_fill_height(self.sample_table, 160), 1)
        layout.addLayout(buttons)
        return tab

    def _results_tab(self) -> QWidget:
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(GAP_STYLE)
        self.results_table = _table(len(RESULT_COLUMNS))
        self.results_table.horizontalHeader().setStretchLastSection(True)
        self.results_table.itemSelectionChanged.connect(self._show_worker)
        self.chart = WeeklyHoursChart()
        self.worker_breaches = QListWidget()
        self.worker_breaches.setWordWrap(True)
        self.worker_breaches.setAlternatingRowColors(True)
        self.worker_breaches.setSpacing(2)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.chart)
        bottom.addWidget(self.worker_breaches)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        # the table keeps room for about five workers on a 1024×600 screen; the chart gives
        # way first, and the handle lets the specialist trade one for the other
        self.results_table.setMinimumHeight(170)
        rows = self.results_table.verticalHeader()
        rows.setDefaultSectionSize(max(rows.minimumSectionSize(), self.fontMetrics().height() + 8))
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("results_split")
        split.addWidget(self.results_table)
        split.addWidget(bottom)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(_fill_height(split, 320), 1)
        return tab

    def _proposals_tab(self) -> QWidget:
        self.proposal_list = QListWidget()
        self.proposal_list.setSpacing(3)
        self.proposal_list.setWordWrap(True)
        self.proposal_list.currentRowChanged.connect(self._show_proposal)
        self.proposal_text = QPlainTextEdit()
        self.proposal_text.setReadOnly(True)
        self.show_handled = QCheckBox()
        self.show_handled.toggled.connect(lambda _on: self._fill_proposals())
        self.accept_button = QPushButton()
        self.edit_proposal_button = QPushButton()
        self.dismiss_button = QPushButton()
        self.accept_button.clicked.connect(lambda: self.accept_proposal())
        self.edit_proposal_button.clicked.connect(self.edit_proposal)
        self.dismiss_button.clicked.connect(self.dismiss_proposal)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_handled)
        buttons.addStretch(1)
        for button in (self.accept_button, self.edit_proposal_button, self.dismiss_button):
            buttons.addWidget(button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.proposal_list)
        split.addWidget(self.proposal_text)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(_fill_height(split, 200), 1)
        layout.addLayout(buttons)
        return tab

    # --- loading --------------------------------------------------------------------------

    def refresh(self, changes: Changes = Changes.ALL) -> None:
        if not changes & (Changes.RECORDS):
            return
        db, uuid = self.context.db, self.context.visit_uuid
        with user_errors(self._error) as outcome:
            self.sample = workers.list_workers(db, uuid)
            self.coverage = workers.sample_coverage(db, uuid)
        if outcome.failed:
            return
        self._fill_sample()
        if not records.list_imports(db, uuid):
            self.results, self.check_error = None, None
            self._fill_results()
            return
        self.recheck.setEnabled(False)

        def work(task: Task) -> Results:
            checked = checks.check_visit(db, uuid)
            task.check()
            return Results(
                checked.sample,
                proposals.proposals_checked(db, uuid, checked, True),
                {lang: tuple(checks.workforce_notes(checked, lang)) for lang in LANGUAGES},
            )

        run_op(
            self,
            tr("Checking hours and wages…"),
            work,
            self._loaded,
            self._check_failed,
            on_finished=lambda: self.recheck.setEnabled(True),
            cancellable=True,
        )

    def _loaded(self, results: Results) -> None:
        self.results = results
        self.check_error = None
        self._fill_results()

    def _check_failed(self, message: str) -> None:
        self.check_error = message
        self.summary_label.setText(message)
        self.summary_label.setStyleSheet(ERROR_STYLE)

    def _error(self, message: str) -> None:
        self.message.setText(message)
        self.message.setStyleSheet(ERROR_STYLE)
        self.context.events.sig_error.emit(message)

    def _info(self, message: str) -> None:
        self.message.setText(message)
        self.message.setStyleSheet("")
        self.context.events.sig_saved.emit(message)

    # --- worker sample --------------------------------------------------------------------

    def _fill_sample(self) -> None:
        table = self.sample_table
        table.setRowCount(len(self.sample))
        for row, w in enumerate(self.sample):
            region = w.region + (f" ({tr('factory')})" if w.region_is_factory_default else "")
            values = [
                w.code,
                w.employee_no,
                w.name,
                w.department,
                tr(GENDER_LABELS.get(w.gender, w.gender)) if w.gender else "",
                tr(ORIGIN_LABELS.get(w.origin, w.origin)) if w.origin else "",
                w.hire_date.isoformat() if w.hire_date else "",
                tr(WAGE_LABELS.get(w.wage_type, w.wage_type)),
                format_money(w.base_rate) if w.base_rate is not None else "",
                region,
                f"{w.time_records:,}",
                f"{w.pay_records:,}",
            ]
            for col, value in enumerate(values):
                table.setItem(row, col, _cell(value, col in (8, 10, 11)))
        table.resizeColumnsToContents()
        c = self.coverage
        if c is None:
            return
        groups = [
            tr(
                "Sampled: {sampled} workers; suggested about {suggested} (√ of {headcount} "
                "workers).",
                sampled=c.sampled,
                suggested=c.suggested,
                headcount=c.headcount if c.headcount is not None else "?",
            ),
            tr(
                "Departments: {list}",
                list=", ".join(f"{d or tr('none')} {n}" for d, n in c.departments.items()) or "—",
            ),
            tr(
                "Female {f}, male {m}; local {l}, migrant {mi}.",
                f=c.genders.get("female", 0),
                m=c.genders.get("male", 0),
                l=c.origins.get("local", 0),
                mi=c.origins.get("migrant", 0),
            ),
        ]
        self.coverage_label.setText("\n".join(groups))
        self.gaps_label.setText("\n".join("⚠ " + tr(g.template, **g.params) for g in c.gaps))
        self.gaps_label.setVisible(bool(c.gaps))

    def _selected_worker(self) -> WorkerView | None:
        row = self.sample_table.currentRow()
        return self.sample[row] if 0 <= row < len(self.sample) else None

    def add_worker(self) -> None:
        dialog = WorkerDialog(self.context, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved:
            self._info(tr("Added {code} to the sample", code=dialog.saved.code))
            self.context.events.announce(Changes.RECORDS)
            self.refresh()

    def edit_worker(self) -> None:
        worker = self._selected_worker()
        if worker is None:
            return
        dialog = WorkerDialog(self.context, worker, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved:
            self._info(tr("Saved {code}", code=dialog.saved.code))
            self.refresh()

    def remove_worker(self) -> None:
        worker = self._selected_worker()
        if worker is None:
            return
        answer = QMessageBox.question(
            self,
            tr("Remove worker"),
            tr(
                "Remove {code} from the sample, with their {time} time and {pay} pay records?",
                code=worker.code,
                time=worker.time_records,
                pay=worker.pay_records,
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        with user_errors(self._error) as outcome:
            workers.remove_worker(self.context.db, self.context.visit_uuid, worker.id)
        if outcome.failed:
            return
        self._info(tr("Removed {code}", code=worker.code))
        self.refresh()

    # --- importing ------------------------------------------------------------------------

    def choose_file(self, kind: Kind) -> None:
        caption = tr("Import time records") if kind == "time" else tr("Import pay records")
        path, _ = QFileDialog.getOpenFileName(self, caption, "", tr(FILE_FILTER))
        if path:
            self.start_import(Path(path), kind)

    def start_import(self, path: Path, kind: Kind) -> None:
        """Read the file off the GUI thread, then show the mapping and preview dialog."""
        db, uuid = self.context.db, self.context.visit_uuid
        run_op(
            self,
            tr("Reading {file}…", file=path.name),
            lambda _task: records.preview_import(db, uuid, path, kind),
            lambda preview: self._show_import(kind, preview),
            self._error,
            cancellable=True,
        )

    def _show_import(self, kind: Kind, preview: RecordsPreview) -> None:
        self.dialog = RecordsImportDialog(self.context, kind, preview, self)
        self.dialog.sig_imported.connect(self._imported)
        self.dialog.open()

    def _imported(self, result: ImportResult) -> None:
        text = tr(
            "Stored {count} records from {file}", count=f"{result.stored:,}", file=result.file
        )
        if result.rows_left_out:
            text += "; " + tr("{rows} rows with problems left out", rows=result.rows_left_out)
        self._info(text)
        self.tabs.setCurrentIndex(1)
        self.refresh()

    # --- results --------------------------------------------------------------------------

    def _fill_results(self) -> None:
        table = self.results_table
        if self.results is None:
            table.setRowCount(0)
            self.summary_label.setText(tr("No records imported yet."))
            self.summary_label.setStyleSheet("")
            self.notes_label.clear()
            self.chart.set_data("", [], 40, 60)
            self.worker_breaches.clear()
            self._fill_proposals()
            return
        a = self.results.analysis
        s = a.summary
        text = tr(
            "{workers} sampled workers, {days} days of punches, {pays} pay records: "
            "{breaches} breaches for {affected} workers (rule set {rules}).",
            workers=s.workers,
            days=f"{s.punch_days:,}",
            pays=s.pay_records,
            breaches=s.breaches,
            affected=s.workers_with_breaches,
            rules=a.rule_set_id,
        )
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet(ERROR_STYLE if s.breaches else "")
        notes = [*a.notes, *self.results.workforce.get(current_language(), ())]
        self.notes_label.setText("\n".join(f"ℹ {n}" for n in notes))
        self.notes_label.setVisible(bool(notes))
        by_worker: dict[str, list[Breach]] = {}
        for b in a.breaches:
            by_worker.setdefault(b.worker_code, []).append(b)
        table.setRowCount(len(a.workers))
        bold = QFont(table.font())
        bold.setBold(True)
        for row, figures in enumerate(a.workers):
            broken = {b.rule_id for b in by_worker.get(figures.worker_code, [])}
            for col, (_header, name, rules) in enumerate(RESULT_COLUMNS):
                if name:
                    item = _cell(figure_text(figures, name), col > 0)
                else:
                    item = _cell(str(len(by_worker.get(figures.worker_code, []))), True)
                if rules & broken or (col == 0 and broken) or (not name and broken):
                    item.setBackground(BREACH_BG)
                    item.setFont(bold)
                    item.setToolTip(
                        "\n".join(
                            breach_text(b)
                            for b in by_worker.get(figures.worker_code, [])
                            if b.rule_id in rules or not rules
                        )
                    )
                elif name == "incomplete_days" and figures.incomplete_days:
                    item.setBackground(WARN_BG)
                table.setItem(row, col, item)
        table.resizeColumnsToContents()
        if a.workers:
            worst = max(
                range(len(a.workers)),
                key=lambda i: (
                    len(by_worker.get(a.workers[i].worker_code, [])),
                    a.workers[i].max_weekly_hours,
                ),
            )
            table.selectRow(worst)
        self._show_worker()
        self._fill_proposals()

    def _show_worker(self) -> None:
        if self.results is None:
            return
        a = self.results.analysis
        row = self.results_table.currentRow()
        if not 0 <= row < len(a.workers):
            return
        figures = a.workers[row]
        self.chart.set_data(
            tr("Weekly hours of {worker}", worker=figures.worker_code),
            [(w.monday, w.hours) for w in figures.weekly_hours],
            a.legal_weekly_hours,
            a.programme_weekly_hours,
        )
        self.worker_breaches.clear()
        mine = [b for b in a.breaches if b.worker_code == figures.worker_code]
        if not mine:
            item = QListWidgetItem(tr("No breaches for {worker}", worker=figures.worker_code))
            item.setForeground(OK_FG)
            self.worker_breaches.addItem(item)
        for b in mine:
            self.worker_breaches.addItem(
                f"{format_period(b.period_start, b.period_end, current_language())} — "
                f"{breach_text(b)}"
            )

    # --- proposed findings ----------------------------------------------------------------

    def _visible_proposals(self) -> list[ProposalView]:
        if self.results is None:
            return []
        return [
            p for p in self.results.proposals if self.show_handled.isChecked() or p.status == "open"
        ]

    def _fill_proposals(self) -> None:
        self.proposal_list.clear()
        visible = self._visible_proposals()
        for view in visible:
            p = view.proposal
            label = p.title_in(current_language())
            if view.status == "accepted":
                label = tr("{title} — accepted as {code}", title=label, code=view.finding_code)
            elif view.status == "dismissed":
                label = tr("{title} — dismissed", title=label)
            codes = p.worker_codes
            shown = ", ".join(codes[:6]) + (" …" if len(codes) > 6 else "")
            item = QListWidgetItem(f"{label}\n{tr('{count} workers', count=len(codes))}: {shown}")
            item.setToolTip(", ".join(codes))
            font = QFont(self.proposal_list.font())
            font.setBold(view.status == "open")
            item.setFont(font)
            if view.status != "open":
                item.setForeground(QColor("#888888"))
            self.proposal_list.addItem(item)
        open_count = sum(
            1 for v in (self.results.proposals if self.results else []) if v.status == "open"
        )
        self.tabs.setTabText(
            2,
            tr("Proposed findings ({count})", count=open_count)
            if open_count
            else tr("Proposed findings"),
        )
        if visible:
            self.proposal_list.setCurrentRow(0)
        else:
            self.proposal_text.setPlainText(tr("No proposed findings."))
        self._show_proposal()

    def current_proposal(self) -> ProposalView | None:
        visible = self._visible_proposals()
        row = self.proposal_list.currentRow()
        return visible[row] if 0 <= row < len(visible) else None

    def _show_proposal(self) -> None:
        view = self.current_proposal()
        open_one = view is not None and view.status == "open"
        for button in (self.accept_button, self.edit_proposal_button):
            button.setEnabled(open_one)
        self.dismiss_button.setEnabled(view is not None and view.status != "accepted")
        self.dismiss_button.setText(
            tr("Restore") if view is not None and view.status == "dismissed" else tr("Dismiss")
        )
        if view is not None:
            p = view.proposal
            self.proposal_text.setPlainText(
                f"{p.title_in(current_language())}\n\n{p.description_in(current_language())}"
            )

    def accept_proposal(self, title: str | None = None, description: str | None = None) -> None:
        view = self.current_proposal()
        if view is None:
            return
        with user_errors(self._error) as outcome:
            finding = proposals.accept_proposal(
                self.context.db, self.context.visit_uuid, view, description, title
            )
        if outcome.failed:
            return
        self._info(tr("Accepted as finding {code}", code=finding.code))
        self.context.events.announce(Changes.FINDINGS | Changes.RECORDS)
        self.refresh()

    def edit_proposal(self) -> None:
        view = self.current_proposal()
        if view is None:
            return
        p = view.proposal
        dialog = QDialog(self)
        dialog.setWindowTitle(tr("Edit the proposed finding"))
        title = QLineEdit(p.title_in(current_language()))
        text = QPlainTextEdit(p.description_in(current_language()))
        form = QFormLayout()
        form.addRow(tr("Title"), title)
        form.addRow(tr("Description"), text)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addLayout(form)
        layout.addWidget(buttons)
        fit_dialog(dialog, 640, 420)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.accept_proposal(title.text(), text.toPlainText())

    def dismiss_proposal(self) -> None:
        view = self.current_proposal()
        if view is None:
            return
        restore = view.status == "dismissed"
        with user_errors(self._error) as outcome:
            proposals.dismiss_proposal(
                self.context.db, self.context.visit_uuid, view, dismissed=not restore
            )
        if outcome.failed:
            return
        status: ProposalStatus = "open" if restore else "dismissed"
        assert self.results is not None
        self.results = replace(
            self.results,
            proposals=[
                ProposalView(v.key, v.proposal, status, v.finding_code) if v.key == view.key else v
                for v in self.results.proposals
            ],
        )
        self._fill_proposals()
