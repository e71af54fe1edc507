"""'Raise finding' from an item: prefilled with a finding title in both languages (not the
question), the item's suggested classification and category, and a description the
specialist edits. What is typed is a draft until saved; a zero-tolerance finding asks first."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
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
from ietp_desktop.ui.common.draft_dialog import DraftDialog
from ietp_desktop.ui.common.geometry import fit_dialog
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.outcome.zero_tolerance import confirm_zero_tolerance

TITLE_LIMIT = 120


def finding_title(item: Item, value: AnswerValue, language: str, section: str) -> str:
    """The form's own finding title for the item; otherwise the section and what was answered
    (a question is no title: 'Are all exits unobstructed?' reads as the opposite finding)."""
    if item.finding_title is not None:
        return item.finding_title.get(language)[:TITLE_LIMIT]
    answer = format_answer(item, value, language) or tr("not answered", language=language)
    return tr(
        "{section}: {item} answered “{answer}”",
        language=language,
        section=section,
        item=item.id,
        answer=answer,
    )[:TITLE_LIMIT]


class RaiseFindingDialog(DraftDialog):
    def __init__(
        self,
        context: WorkspaceContext,
        item: Item,
        value: AnswerValue,
        answer: AnswerView | None,
        parent: QWidget | None = None,
        section_title: tuple[str, str] = ("", ""),
    ) -> None:
        super().__init__(context.db, context.visit_uuid, "raise_finding", item.id, parent)
        self.setObjectName("raise_finding_dialog")
        self.context = context
        self.item = item
        self.zero_tolerance_box: QMessageBox | None = None
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
        for category, label in CATEGORY_LABELS.items():
            self.category.addItem(tr(label), category.value)
        self.category.setCurrentIndex(
            self.category.findData((item.category or Category.OTHER).value)
        )
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("finding_title")
        self.title_edit.setText(finding_title(item, value, "en", section_title[0]))
        self.title_zh = QLineEdit()
        self.title_zh.setObjectName("finding_title_zh")
        self.title_zh.setText(finding_title(item, value, "zh", section_title[1]))
        self.description = QPlainTextEdit()
        self.description.setObjectName("finding_description")
        self.description.setTabChangesFocus(True)
        self.description_zh = QPlainTextEdit()
        self.description_zh.setObjectName("finding_description_zh")
        self.description_zh.setTabChangesFocus(True)
        for edit, lang in ((self.description, "en"), (self.description_zh, "zh")):
            answer_text = format_answer(item, value, lang)
            prefill = tr(
                "{question} Answer: {answer}.",
                language=lang,
                question=item.question.get(lang),
                answer=answer_text or tr("not answered", language=lang),
            )
            if answer is not None and answer.note:
                prefill += "\n" + answer.note
            edit.setPlainText(prefill)
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
        form.addRow(tr("Title (English)"), self.title_edit)
        form.addRow(tr("Title (中文)"), self.title_zh)
        form.addRow(tr("Description (English)"), self.description)
        form.addRow(tr("Description (中文)"), self.description_zh)
        form.addRow(self.error)
        form.addRow(buttons)
        fit_dialog(self, 600, 460)
        self.restored = self.start_draft()
        for line in (self.title_edit, self.title_zh):
            line.textEdited.connect(lambda _t: self.changed())
        for text in (self.description, self.description_zh):
            text.textChanged.connect(self.changed)
        for combo in (self.classification, self.category):
            combo.currentIndexChanged.connect(lambda _i: self.changed())
        self.description.setFocus()

    def draft_values(self) -> dict[str, Any]:
        return {
            "classification": self.classification.currentData(),
            "category": self.category.currentData(),
            "title": self.title_edit.text(),
            "title_zh": self.title_zh.text(),
            "description": self.description.toPlainText(),
            "description_zh": self.description_zh.toPlainText(),
        }

    def apply_draft(self, values: dict[str, Any]) -> None:
        for combo, key in ((self.classification, "classification"), (self.category, "category")):
            index = combo.findData(values.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        self.title_edit.setText(str(values.get("title", self.title_edit.text())))
        self.title_zh.setText(str(values.get("title_zh", self.title_zh.text())))
        self.description.setPlainText(str(values.get("description", "")))
        self.description_zh.setPlainText(str(values.get("description_zh", "")))

    def save(self) -> None:
        if self.classification.currentData() == Classification.ZERO_TOLERANCE.value:
            self.zero_tolerance_box = confirm_zero_tolerance(self, self.save_now)
            return
        self.save_now()

    def save_now(self) -> None:
        data = findings.FindingInput(
            classification=str(self.classification.currentData()),
            category=str(self.category.currentData()),
            title=self.title_edit.text(),
            description=self.description.toPlainText(),
            title_zh=self.title_zh.text(),
            description_zh=self.description_zh.toPlainText(),
            item_ids=(self.item.id,),
        )
        with user_errors(self.error.setText) as outcome:
            view = findings.add_finding(self.context.db, self.context.visit_uuid, data)
        if outcome.failed:
            return
        self.context.events.sig_saved.emit(tr("Finding {code} saved", code=view.code))
        self.context.events.announce(Changes.FINDINGS)
        self.accept()
