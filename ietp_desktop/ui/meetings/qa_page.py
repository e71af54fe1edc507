"""Open discussion & Q&A: question, answer, raised by (factory / specialist), follow-up."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.services.dto import QaView
from ietp_desktop.services.visits import drafts, qa
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.user_errors import user_errors

RAISED_BY_LABELS = {"factory": "Factory", "specialist": "Specialist"}
COLUMNS = ("Question", "Answer", "Raised by", "Follow-up")
DRAFT_DEBOUNCE_MS = 400


class QaPage(QWidget):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qa_page")
        self.context = context
        self.entries: tuple[QaView, ...] = ()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("qa_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._load_selected)
        self.question = QPlainTextEdit()
        self.question.setObjectName("qa_question")
        self.question.setTabChangesFocus(True)
        self.question.setFixedHeight(60)
        self.answer = QPlainTextEdit()
        self.answer.setObjectName("qa_answer")
        self.answer.setTabChangesFocus(True)
        self.answer.setFixedHeight(60)
        self.raised_by = QComboBox()
        self.raised_by.setObjectName("qa_raised_by")
        self.follow_up = QCheckBox()
        self.follow_up.setObjectName("qa_follow_up")
        self.add_button = QPushButton()
        self.add_button.setObjectName("qa_add")
        self.add_button.clicked.connect(self.add)
        self.update_button = QPushButton()
        self.update_button.clicked.connect(self.update_selected)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_selected)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.labels = [QLabel() for _ in range(3)]
        form = QFormLayout()
        form.addRow(self.labels[0], self.question)
        form.addRow(self.labels[1], self.answer)
        form.addRow(self.labels[2], self.raised_by)
        form.addRow(self.follow_up)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.update_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.draft_restored = False
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DEBOUNCE_MS)
        self.draft_timer.timeout.connect(self.keep_draft)
        self._filling = False
        for text in (self.question, self.answer):
            text.textChanged.connect(self._typed)
        self.raised_by.currentIndexChanged.connect(lambda _i: self._typed())
        self.follow_up.toggled.connect(lambda _c: self._typed())
        self.retranslate()

    # --- the draft: what is typed and not yet added survives a quit ---------------------

    def _typed(self) -> None:
        if not self._filling:
            self.draft_timer.start()

    def _form_values(self) -> dict[str, Any]:
        entry = self._selected()
        return {
            "question": self.question.toPlainText(),
            "answer": self.answer.toPlainText(),
            "raised_by": self.raised_by.currentData(),
            "follow_up": self.follow_up.isChecked(),
            "entry": entry.id if entry else None,
        }

    def keep_draft(self) -> None:
        self.draft_timer.stop()
        values = self._form_values()
        db, uuid = self.context.db, self.context.visit_uuid
        with contextlib.suppress(UserError):
            if values["question"].strip() or values["answer"].strip():
                drafts.save_draft(db, uuid, "qa", "form", values)
            else:
                drafts.clear_draft(db, uuid, "qa", "form")

    def flush(self) -> None:
        if self.draft_timer.isActive():
            self.keep_draft()

    def _restore_draft(self) -> None:
        self.draft_restored = True
        try:
            values = drafts.load_draft(self.context.db, self.context.visit_uuid, "qa", "form")
        except UserError:
            return
        if not values:
            return
        self._filling = True
        self.question.setPlainText(str(values.get("question", "")))
        self.answer.setPlainText(str(values.get("answer", "")))
        self.raised_by.setCurrentIndex(max(0, self.raised_by.findData(values.get("raised_by"))))
        self.follow_up.setChecked(bool(values.get("follow_up")))
        self._filling = False
        self.error.setText(tr("Your unsaved Q&A text is back: add it or clear it."))
        self.error.setStyleSheet("color: #8a4b00;")

    def title(self) -> str:
        return tr("Q&A")

    def refresh(self, changes: Changes = Changes.ALL) -> None:
        if not changes & (Changes.QA | Changes.VISIT_STATUS):
            return
        with user_errors(self.error.setText) as outcome:
            self.entries = load_detail(self.context.db, self.context.visit_uuid).qa
        if outcome.failed:
            return
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            cells = (
                entry.question,
                entry.answer,
                tr(RAISED_BY_LABELS.get(entry.raised_by, entry.raised_by)),
                "✓" if entry.follow_up else "",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnToContents(2)
        if not self.draft_restored:
            self._restore_draft()

    def _values(self) -> tuple[str, str, str, bool]:
        return (
            self.question.toPlainText(),
            self.answer.toPlainText(),
            str(self.raised_by.currentData()),
            self.follow_up.isChecked(),
        )

    def _done(self, message: str) -> None:
        self.draft_timer.stop()
        with contextlib.suppress(UserError):
            drafts.clear_draft(self.context.db, self.context.visit_uuid, "qa", "form")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setText("")
        self.context.events.sig_saved.emit(message)
        self.context.events.announce(Changes.QA)
        self.refresh()

    def add(self) -> None:
        question, answer, raised_by, follow_up = self._values()
        with user_errors(self.error.setText) as outcome:
            qa.add_qa(
                self.context.db, self.context.visit_uuid, question, answer, raised_by, follow_up
            )
        if outcome.failed:
            return
        self.question.clear()
        self.answer.clear()
        self.follow_up.setChecked(False)
        self._done(tr("Q&A entry saved"))

    def _selected(self) -> QaView | None:
        row = self.table.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _load_selected(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        self._filling = True
        self.question.setPlainText(entry.question)
        self.answer.setPlainText(entry.answer)
        self.raised_by.setCurrentIndex(max(0, self.raised_by.findData(entry.raised_by)))
        self.follow_up.setChecked(entry.follow_up)
        self._filling = False

    def update_selected(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        with user_errors(self.error.setText) as outcome:
            qa.update_qa(self.context.db, self.context.visit_uuid, entry.id, *self._values())
        if outcome.failed:
            return
        self._done(tr("Q&A entry saved"))

    def remove_selected(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        with user_errors(self.error.setText) as outcome:
            qa.remove_qa(self.context.db, self.context.visit_uuid, entry.id)
        if outcome.failed:
            return
        self._done(tr("Q&A entry removed"))

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        for label, text in zip(self.labels, ("Question", "Answer", "Raised by"), strict=True):
            label.setText(tr(text))
        current = self.raised_by.currentData()
        self.raised_by.clear()
        for key, label_text in RAISED_BY_LABELS.items():
            self.raised_by.addItem(tr(label_text), key)
        self.raised_by.setCurrentIndex(max(0, self.raised_by.findData(current)))
        self.follow_up.setText(tr("Needs follow-up"))
        self.add_button.setText(tr("Add entry"))
        self.update_button.setText(tr("Update selected"))
        self.remove_button.setText(tr("Remove selected"))
        self.refresh_labels()

    def refresh_labels(self) -> None:
        if self.entries:
            self.refresh()
