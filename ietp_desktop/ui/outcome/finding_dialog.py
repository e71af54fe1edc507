"""'Raise finding' from an item: prefilled with the item, its suggested classification and
category, and a description the specialist edits."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ietp_desktop.domain.checklist import AnswerValue, Item, format_answer
from ietp_desktop.domain.findings import (
    CATEGORY_LABELS,
    CLASSIFICATION_LABELS,
    Category,
    Classification,
)
from ietp_desktop.i18n import current_language, tr
from ietp_desktop.services.dto import AnswerView
from ietp_desktop.services.outcome import findings
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.user_errors import user_errors


class RaiseFindingDialog(QDialog):
    def __init__(
        self,
        context: WorkspaceContext,
        item: Item,
        value: AnswerValue,
        answer: AnswerView | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("raise_finding_dialog")
        self.context = context
        self.item = item
        language = current_language()
        self.setWindowTitle(tr("Raise finding for item {item}", item=item.id))
        self.item_label = QLabel(f"{item.id} · {item.question.get(language)}")
        self.item_label.setWordWrap(True)
        self.classification = QComboBox()
        self.classification.setObjectName("finding_classification")
        for key, label in CLASSIFICATION_LABELS.items():
            self.classification.addItem(tr(label), key.value)
        suggested = item.suggested_classification or Classification.STANDARD_NC
        self.classification.setCurrentIndex(self.classification.findData(suggested.value))
        self.category = QComboBox()
        self.category.setObjectName("finding_category")
        for key, label in CATEGORY_LABELS.items():
            self.category.addItem(tr(label), key.value)
        self.category.setCurrentIndex(
            self.category.findData((item.category or Category.OTHER).value)
        )
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("finding_title")
        self.title_edit.setText(item.question.get("en")[:120])
        self.description = QPlainTextEdit()
        self.description.setObjectName("finding_description")
        answer_text = format_answer(item, value, language)
        prefill = tr(
            "{question} Answer: {answer}.",
            question=item.question.get(language),
            answer=answer_text or tr("not answered"),
        )
        if answer is not None and answer.note:
            prefill += "\n" + answer.note
        self.description.setPlainText(prefill)
        self.error = QLabel()
        self.error.setObjectName("finding_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save finding"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        form = QFormLayout(self)
        form.addRow(tr("Item"), self.item_label)
        form.addRow(tr("Classification"), self.classification)
        form.addRow(tr("Category"), self.category)
        form.addRow(tr("Title"), self.title_edit)
        form.addRow(tr("Description"), self.description)
        form.addRow(self.error)
        form.addRow(buttons)
        self.resize(560, 380)
        self.description.setFocus()

    def save(self) -> None:
        data = findings.FindingInput(
            classification=str(self.classification.currentData()),
            category=str(self.category.currentData()),
            title=self.title_edit.text(),
            description=self.description.toPlainText(),
            item_ids=(self.item.id,),
        )
        with user_errors(self.error.setText) as outcome:
            view = findings.add_finding(self.context.db, self.context.visit_uuid, data)
        if outcome.failed:
            return
        self.context.events.sig_saved.emit(tr("Finding {code} saved", code=view.code))
        self.context.events.announce(Changes.FINDINGS)
        self.accept()
