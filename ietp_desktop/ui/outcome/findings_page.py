"""Findings of the visit: table, edit dialog, merge two findings, delete with confirmation."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.findings import (
    CATEGORY_LABELS,
    CLASSIFICATION_LABELS,
    Category,
    Classification,
)
from ietp_desktop.i18n import current_language, tr
from ietp_desktop.services.dto import FindingView
from ietp_desktop.services.outcome import findings
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.draft_dialog import DraftDialog
from ietp_desktop.ui.common.geometry import fit_dialog
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.outcome.zero_tolerance import confirm_zero_tolerance

COLUMNS = (
    "Code",
    "Classification",
    "Category",
    "Root cause",
    "Title",
    "Linked items",
    "Photos",
    "Source",
)
SOURCE_LABELS = {"manual": "Raised by hand", "calculated": "Proposed by the calculators"}
ERROR_STYLE = "color: #b00020;"


def classification_label(key: str) -> str:
    return tr(next((v for k, v in CLASSIFICATION_LABELS.items() if k.value == key), key))


def category_label(key: str) -> str:
    return tr(next((v for k, v in CATEGORY_LABELS.items() if k.value == key), key))


def root_cause_label(key: str) -> str:
    if not key:
        return ""
    cause = next((c for c in findings.root_causes() if c.id == key), None)
    return cause.label.get(current_language()) if cause else key


class FindingEditDialog(DraftDialog):
    """Add or edit a finding; the service's refusal is shown inside the dialog. What is typed
    is a draft until saved; making a finding zero-tolerance asks first."""

    def __init__(
        self,
        context: WorkspaceContext,
        finding: FindingView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            context.db, context.visit_uuid, "finding", finding.code if finding else "new", parent
        )
        self.setObjectName("finding_edit_dialog")
        self.zero_tolerance_box: QMessageBox | None = None
        self.context = context
        self.finding = finding
        self.setWindowTitle(
            tr("Edit finding {code}", code=finding.code) if finding else tr("New finding")
        )
        self.classification = QComboBox()
        for key, label in CLASSIFICATION_LABELS.items():
            self.classification.addItem(tr(label), key.value)
        self.category = QComboBox()
        for category, category_text in CATEGORY_LABELS.items():
            self.category.addItem(tr(category_text), category.value)
        self.root_cause = QComboBox()
        self.root_cause.addItem(tr("(not set)"), "")
        for cause in findings.root_causes():
            self.root_cause.addItem(cause.label.get(current_language()), cause.id)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("edit_title")
        self.title_zh = QLineEdit()
        self.title_zh.setObjectName("edit_title_zh")
        self.description = QPlainTextEdit()
        self.description.setObjectName("edit_description")
        self.description.setTabChangesFocus(True)
        self.description_zh = QPlainTextEdit()
        self.description_zh.setObjectName("edit_description_zh")
        self.description_zh.setTabChangesFocus(True)
        # the evidence in the window's language; the other language's text is kept as it is
        self.evidence_language = "zh" if current_language() == "zh" else "en"
        self.evidence_key = "evidence_zh" if self.evidence_language == "zh" else "evidence"
        self.evidence = QPlainTextEdit()
        self.evidence.setObjectName("edit_evidence")
        self.evidence.setTabChangesFocus(True)
        self.items = QLineEdit()
        self.items.setPlaceholderText(tr("Checklist item ids, e.g. WH-01, WH-03"))
        self.error = QLabel()
        self.error.setObjectName("finding_dialog_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Classification"), self.classification)
        form.addRow(tr("Category"), self.category)
        form.addRow(tr("Root cause"), self.root_cause)
        form.addRow(tr("Title (English)"), self.title_edit)
        form.addRow(tr("Title (中文)"), self.title_zh)
        form.addRow(tr("Description (English)"), self.description)
        form.addRow(tr("Description (中文)"), self.description_zh)
        form.addRow(
            tr("Evidence (中文)" if self.evidence_language == "zh" else "Evidence (English)"),
            self.evidence,
        )
        form.addRow(tr("Linked items"), self.items)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        fit_dialog(self, 600, 600)
        if finding is not None:
            self._load(finding)
        else:
            self.category.setCurrentIndex(self.category.findData(Category.OTHER.value))
        self.start_draft()
        for line in (self.title_edit, self.title_zh, self.items):
            line.textEdited.connect(lambda _t: self.changed())
        for text in (self.description, self.description_zh, self.evidence):
            text.textChanged.connect(self.changed)
        for combo in (self.classification, self.category, self.root_cause):
            combo.currentIndexChanged.connect(lambda _i: self.changed())

    def draft_values(self) -> dict[str, Any]:
        return {
            "classification": self.classification.currentData(),
            "category": self.category.currentData(),
            "root_cause": self.root_cause.currentData(),
            "title": self.title_edit.text(),
            "title_zh": self.title_zh.text(),
            "description": self.description.toPlainText(),
            "description_zh": self.description_zh.toPlainText(),
            self.evidence_key: self.evidence.toPlainText(),
            "items": self.items.text(),
        }

    def apply_draft(self, values: dict[str, Any]) -> None:
        for combo, key in (
            (self.classification, "classification"),
            (self.category, "category"),
            (self.root_cause, "root_cause"),
        ):
            index = combo.findData(values.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        for line, key in (
            (self.title_edit, "title"),
            (self.title_zh, "title_zh"),
            (self.items, "items"),
        ):
            line.setText(str(values.get(key, line.text())))
        for text, key in (
            (self.description, "description"),
            (self.description_zh, "description_zh"),
            (self.evidence, self.evidence_key),
        ):
            text.setPlainText(str(values.get(key, text.toPlainText())))

    def _load(self, finding: FindingView) -> None:
        for combo, value in (
            (self.classification, finding.classification),
            (self.category, finding.category),
            (self.root_cause, finding.root_cause),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.title_edit.setText(finding.title)
        self.title_zh.setText(finding.title_zh)
        self.description.setPlainText(finding.description)
        self.description_zh.setPlainText(finding.description_zh)
        self.evidence.setPlainText(finding.evidence_in(self.evidence_language))
        self.items.setText(", ".join(finding.item_ids))

    def data(self) -> findings.FindingInput:
        items = tuple(
            part.strip().upper() for part in self.items.text().replace(";", ",").split(",")
        )
        return findings.FindingInput(
            classification=str(self.classification.currentData()),
            description=self.description.toPlainText(),
            title=self.title_edit.text(),
            title_zh=self.title_zh.text(),
            description_zh=self.description_zh.toPlainText(),
            category=str(self.category.currentData()),
            root_cause=str(self.root_cause.currentData()),
            **self._evidence_texts(),
            item_ids=tuple(i for i in items if i),
            source=self.finding.source if self.finding else "manual",
        )

    def _evidence_texts(self) -> dict[str, str]:
        """Both languages' evidence: the one shown as typed, the other as stored. The other
        language's evidence shown because none was written in this one, and left as it was,
        stays unwritten (so it keeps following the other language's text)."""
        typed, finding = self.evidence.toPlainText(), self.finding
        stored = {
            "evidence": finding.evidence if finding else "",
            "evidence_zh": finding.evidence_zh if finding else "",
        }
        shown = finding.evidence_in(self.evidence_language) if finding else ""
        if not stored[self.evidence_key] and typed == shown:
            typed = ""
        return stored | {self.evidence_key: typed}

    def save(self) -> None:
        zero = Classification.ZERO_TOLERANCE.value
        was = self.finding.classification if self.finding else None
        if self.classification.currentData() == zero and was != zero:
            self.zero_tolerance_box = confirm_zero_tolerance(self, self.save_now)
            return
        self.save_now()

    def save_now(self) -> None:
        db, uuid = self.context.db, self.context.visit_uuid
        with user_errors(self.error.setText) as outcome:
            if self.finding is None:
                findings.add_finding(db, uuid, self.data())
            else:
                findings.update_finding(db, uuid, self.finding.code, self.data())
        if outcome.failed:
            return
        self.accept()


class MergeDialog(QDialog):
    def __init__(self, rows: tuple[FindingView, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Merge findings"))
        self.rows = rows
        self.keep = QComboBox()
        self.keep.setObjectName("merge_keep")
        self.other = QComboBox()
        self.other.setObjectName("merge_other")
        for finding in rows:
            self.keep.addItem(f"{finding.code} · {finding.title}", finding.code)
        self.keep.currentIndexChanged.connect(lambda _i: self._fill_other())
        self._fill_other()
        note = QLabel(
            tr(
                "The second finding's checklist items, photos, CAP answers and remediation "
                "records move to the kept finding; the second finding is then deleted."
            )
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Keep"), self.keep)
        form.addRow(tr("Merge into it and delete"), self.other)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _fill_other(self) -> None:
        """The finding to merge in is any finding but the one kept: never the same twice."""
        keep, current = self.keep.currentData(), self.other.currentData()
        self.other.blockSignals(True)
        self.other.clear()
        for finding in self.rows:
            if finding.code != keep:
                self.other.addItem(f"{finding.code} · {finding.title}", finding.code)
        self.other.setCurrentIndex(max(0, self.other.findData(current)))
        self.other.blockSignals(False)


class FindingsPage(QWidget):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findings_page")
        self.context = context
        self.rows: tuple[FindingView, ...] = ()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("findings_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_selected)
        self.merge_button = QPushButton()
        self.merge_button.clicked.connect(self.merge_dialog)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self.delete_selected)
        self.error = QLabel()
        self.error.setObjectName("findings_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.empty = QLabel()
        self.empty.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.merge_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        self.retranslate()

    def title(self) -> str:
        return tr("Findings")

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.add_button.setText(tr("New finding…"))
        self.edit_button.setText(tr("Edit…"))
        self.merge_button.setText(tr("Merge two findings…"))
        self.delete_button.setText(tr("Delete"))
        self.empty.setText(tr("No finding yet. Raise one here or from a checklist item."))
        self.refresh()

    def refresh(self, changes: Changes = Changes.ALL) -> None:
        if not changes & (
            Changes.FINDINGS
            | Changes.CAP
            | Changes.ATTACHMENTS
            | Changes.ANSWERS
            | Changes.RECORDS
            | Changes.VISIT_STATUS
        ):
            return
        with user_errors(self.error.setText) as outcome:
            self.rows = tuple(findings.list_findings(self.context.db, self.context.visit_uuid))
        if outcome.failed:
            return
        self.table.setRowCount(len(self.rows))
        chinese = current_language() == "zh"
        for row, finding in enumerate(self.rows):
            # each language's own text first, the other when only that one was written
            title = (finding.title_zh if chinese else finding.title) or finding.title_zh
            described = (finding.description_zh if chinese else finding.description) or (
                finding.description or finding.description_zh
            )
            cells = (
                finding.code,
                classification_label(finding.classification),
                category_label(finding.category),
                root_cause_label(finding.root_cause),
                title or finding.title,
                ", ".join(finding.item_ids),
                str(len(finding.attachment_ids)),
                tr(SOURCE_LABELS.get(finding.source, finding.source)),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 4:
                    item.setToolTip(described)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not self.rows)
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(bool(self.rows))
        self.merge_button.setEnabled(len(self.rows) > 1)

    def selected(self) -> FindingView | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def select_code(self, code: str) -> None:
        for row, finding in enumerate(self.rows):
            if finding.code == code:
                self.table.selectRow(row)

    def _changed(self, message: str) -> None:
        self.error.setText("")
        self.refresh()
        self.context.events.announce(Changes.FINDINGS | Changes.CAP)
        self.context.events.sig_saved.emit(message)

    def open_dialog(self, finding: FindingView | None) -> FindingEditDialog:
        """The edit dialog, not yet shown (tests fill it in and call save())."""
        dialog = FindingEditDialog(self.context, finding, self)
        dialog.accepted.connect(lambda: self._changed(tr("Saved")))
        return dialog

    def add(self) -> None:
        self.open_dialog(None).open()

    def edit_selected(self) -> None:
        finding = self.selected()
        if finding is not None:
            self.open_dialog(finding).open()

    def merge(self, keep_code: str, other_code: str) -> bool:
        with user_errors(self.error.setText) as outcome:
            findings.merge_findings(self.context.db, self.context.visit_uuid, keep_code, other_code)
        if outcome.failed:
            return False
        self._changed(tr("Saved"))
        self.select_code(keep_code)
        return True

    def merge_dialog(self) -> None:
        dialog = MergeDialog(self.rows, self)
        selected = self.selected()
        if selected is not None:
            dialog.keep.setCurrentIndex(max(0, dialog.keep.findData(selected.code)))
        dialog.accepted.connect(
            lambda: self.merge(str(dialog.keep.currentData()), str(dialog.other.currentData()))
        )
        dialog.open()

    def confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, tr("Delete finding"), question)
        return answer == QMessageBox.StandardButton.Yes

    def delete_selected(self) -> bool:
        finding = self.selected()
        if finding is None:
            return False
        question = tr(
            "Delete finding {code} ({title})? Its CAP line and remediation records are deleted "
            "with it; the audit trail keeps a copy.",
            code=finding.code,
            title=finding.title,
        )
        if not self.confirm(question):
            return False
        with user_errors(self.error.setText) as outcome:
            findings.delete_finding(self.context.db, self.context.visit_uuid, finding.code)
        if outcome.failed:
            return False
        self._changed(tr("Saved"))
        return True
