"""One checklist item on a section page: question (both languages), guidance, editor,
inline validation message, note, and the non-compliance hint with "Raise finding"."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.checklist import (
    AnswerValue,
    Item,
    coerce_answer,
    is_blank,
    validate_answer,
)
from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.i18n import current_language, tr
from ietp_desktop.services.dto import AttachmentView, DerivedFact
from ietp_desktop.services.visits.answers import SavedAnswer
from ietp_desktop.services.visits.derived import fact_text
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.checklist.item_editors import make_editor
from ietp_desktop.ui.common.messages import problem_text
from ietp_desktop.ui.common.read_only import keep_enabled
from ietp_desktop.ui.evidence.photo_files import choose_photo_files
from ietp_desktop.ui.evidence.photo_viewer import PhotoViewer

DEBOUNCE_MS = 500


class RowController(Protocol):
    db: Database

    def save_answer(self, item_id: str, raw: object) -> SavedAnswer | str: ...
    def save_note(self, item_id: str, note: str) -> None: ...
    def raise_finding(self, item_id: str) -> None: ...
    def drop_photos(self, paths: list[Path], item_id: str | None) -> None: ...
    def show_source(self, source: str) -> None: ...


# The workspace page that holds each derived item's fact (its title as shown in the nav).
SOURCE_PAGES = {
    "attendees.senior_manager": "Meetings & attendees",
    "cap.due_date": "Outcome & CAP",
    "rules.minimum_wage": "Hours & wages",
}
# Where a derived item's value comes from, and where to change it.
SOURCE_LINES = {
    "attendees.senior_manager": "From the attendee list on {page}: change it there and it shows "
    "here.",
    "cap.due_date": "From the CAP lines on {page}: change their due dates there and it shows here.",
    "rules.minimum_wage": "From the visit's rule set, for the factory's region and the period "
    "reviewed (the pay records on {page}, else the visit date).",
}


def dropped_files(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class ItemRow(QFrame):
    def __init__(self, item: Item, controller: RowController, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.controller = controller
        self.setObjectName(f"row_{item.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAcceptDrops(True)
        self.last_raw: object = None
        self.noncompliant = False

        self.ref = QLabel(self)
        self.ref.setStyleSheet("color: #555; font-weight: bold;")
        self.required = QLabel(self)
        self.required.setStyleSheet("color: #b00020;")
        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.question.setStyleSheet("font-size: 11pt;")
        self.other = QLabel(self)
        self.other.setWordWrap(True)
        self.other.setStyleSheet("color: #888; font-size: 9pt;")
        self.guidance_button = QToolButton(self)
        self.guidance_button.setCheckable(True)
        self.guidance_button.setAutoRaise(True)
        self.guidance_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.guidance_button.setArrowType(Qt.ArrowType.RightArrow)
        self.guidance_button.toggled.connect(
            lambda on: self.guidance_button.setArrowType(
                Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow
            )
        )
        self.guidance = QLabel(self)
        self.guidance.setWordWrap(True)
        self.guidance.setStyleSheet("background: #f3f6fa; padding: 4px; color: #333;")
        self.guidance.setVisible(False)
        self.guidance_button.toggled.connect(self.guidance.setVisible)
        self.guidance_button.setVisible(item.guidance is not None)
        keep_enabled(self.guidance_button)

        self.editor = make_editor(item, self)
        self.error = QLabel(self)
        self.error.setObjectName(f"error_{item.id}")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.note_label = QLabel(self)
        self.note = QLineEdit(self)
        self.note.setObjectName(f"note_{item.id}")
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: #a15c00;")
        self.raise_button = QPushButton(self)
        self.raise_button.setObjectName(f"raise_{item.id}")
        self.raise_button.clicked.connect(lambda: controller.raise_finding(item.id))
        self.photo_button = QToolButton(self)
        self.photo_button.setObjectName(f"photo_{item.id}")
        self.photo_button.setAutoRaise(True)
        self.photo_button.clicked.connect(self.choose_photos)
        self.photo_mark = QToolButton(self)  # shows the count; a click shows the photos
        self.photo_mark.setObjectName(f"photos_{item.id}")
        self.photo_mark.setStyleSheet(
            "QToolButton { background: #e3eefc; color: #1a4f9c; border-radius: 6px;"
            " padding: 0 6px; border: none; }"
        )
        self.photo_mark.clicked.connect(self.show_photos)
        keep_enabled(self.photo_mark)
        self.photos: list[AttachmentView] = []
        self.viewer: PhotoViewer | None = None
        self.photo_mark.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(self.ref)
        top.addWidget(self.question, 1)
        top.addWidget(self.photo_mark, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.required, 0, Qt.AlignmentFlag.AlignTop)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_label)
        note_row.addWidget(self.note, 1)
        note_row.addWidget(self.photo_button)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.hint, 1)
        hint_row.addWidget(self.raise_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.other)
        layout.addWidget(self.guidance_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.guidance)
        self.fact: DerivedFact | None = None
        if item.derived_from is not None:
            self._build_derived(layout, item.derived_from)
        else:
            layout.addWidget(self.editor)
            layout.addWidget(self.error)
            layout.addLayout(note_row)
            layout.addLayout(hint_row)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.commit)
        self.editor.sig_typing.connect(self.timer.start)
        self.editor.sig_commit.connect(self.commit)
        self.note_timer = QTimer(self)
        self.note_timer.setSingleShot(True)
        self.note_timer.setInterval(DEBOUNCE_MS)
        self.note_timer.timeout.connect(self.commit_note)
        self.note.textEdited.connect(lambda _t: self.note_timer.start())
        self.note.editingFinished.connect(self.commit_note)
        self.last_note = ""
        self.set_noncompliant(False)
        self.retranslate()

    # --- derived items (forms from v2 on): shown, never typed -----------------------------

    def _build_derived(self, layout: QVBoxLayout, source: str) -> None:
        # never laid out and never shown: a derived item has no answer, note or finding here
        for widget in (self.editor, self.error, self.note_label, self.note, self.photo_button):
            widget.setVisible(False)
        self.derived_box = QFrame(self)
        self.derived_box.setObjectName(f"derived_box_{self.item.id}")
        self.derived_value = QLabel(self.derived_box)
        self.derived_value.setObjectName(f"derived_{self.item.id}")
        self.derived_value.setWordWrap(True)
        self.derived_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.derived_source = QLabel(self.derived_box)
        self.derived_source.setStyleSheet("color: #555; font-size: 9pt;")
        self.derived_source.setWordWrap(True)
        self.open_source = QPushButton(self.derived_box)
        self.open_source.setObjectName(f"open_source_{self.item.id}")
        self.open_source.clicked.connect(lambda: self.controller.show_source(source))
        keep_enabled(self.open_source)  # looking where a fact comes from changes nothing
        box = QVBoxLayout(self.derived_box)
        box.setContentsMargins(8, 6, 8, 6)
        box.addWidget(self.derived_value)
        footer = QHBoxLayout()
        footer.addWidget(self.derived_source, 1)
        footer.addWidget(self.open_source)
        box.addLayout(footer)
        layout.addWidget(self.derived_box)

    def show_fact(self, fact: DerivedFact | None) -> None:
        """What the program holds for a derived item; said plainly when it holds nothing yet."""
        self.fact = fact
        if self.item.derived_from is None:
            return
        known = fact is not None and fact.value is not None
        colour, border = ("#1b3a5c", "#9bb7d4") if known else ("#7a4a00", "#e0a100")
        self.derived_box.setStyleSheet(
            f"QFrame#{self.derived_box.objectName()} {{ background: "
            f"{'#eef4fb' if known else '#fff8e6'}; border: 1px solid {border}; "
            "border-radius: 4px; }"
        )
        self.derived_value.setStyleSheet(
            f"color: {colour}; font-size: 11pt; {'font-weight: bold;' if known else ''}"
        )
        self.derived_value.setText(fact_text(fact) if fact is not None else "")

    def focus_target(self) -> QWidget:
        """Where the keyboard lands on this item."""
        return self.open_source if self.item.derived_from else self.editor.focus_target()

    # --- values -------------------------------------------------------------------------

    def load(self, value: AnswerValue, note: str, noncompliant: bool) -> None:
        self.editor.blockSignals(True)
        self.editor.set_value(value)
        self.editor.blockSignals(False)
        self.last_raw = self.editor.raw_value()
        self.note.setText(note)
        self.last_note = note
        self.show_error(None)
        self.set_noncompliant(noncompliant)

    def commit(self) -> None:
        self.timer.stop()
        raw = self.editor.raw_value()
        if raw == self.last_raw or (is_blank(raw) and is_blank(self.last_raw)):
            self.show_error(None)
            return
        problem = self.check(raw)
        if problem is not None:
            self.show_error(problem)
            return
        result = self.controller.save_answer(self.item.id, raw)
        if isinstance(result, str):
            self.show_error(result)
            if not isinstance(raw, str) or self.item.type not in ("number", "text"):
                self._show_stored()  # a choice that was not saved must not look chosen
            return
        self.last_raw = raw
        self.show_error(None)
        self.set_noncompliant(result.noncompliant)

    def _show_stored(self) -> None:
        self.editor.blockSignals(True)
        self.editor.set_value(self.last_raw)  # type: ignore[arg-type]
        self.editor.blockSignals(False)

    def check(self, raw: object) -> str | None:
        """Why what was typed cannot be saved, in the UI language; None when it can."""
        try:
            value = coerce_answer(self.item, raw)
        except ValidationFailed:
            if self.item.type == "number":
                return tr("Enter a number.")
            return tr("This answer cannot be read; check what was entered.")
        problem = validate_answer(self.item, value)
        return problem_text(problem) if problem is not None else None

    def commit_note(self) -> None:
        self.note_timer.stop()
        if self.note.text() != self.last_note:
            self.controller.save_note(self.item.id, self.note.text())
            self.last_note = self.note.text()

    def flush(self) -> None:
        """Save whatever is pending now (leaving the page, closing the window)."""
        if self.timer.isActive():
            self.commit()
        if self.note_timer.isActive():
            self.commit_note()

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def set_noncompliant(self, flag: bool) -> None:
        self.noncompliant = flag and self.item.derived_from is None
        self.hint.setVisible(self.noncompliant)
        self.raise_button.setVisible(self.noncompliant)

    def set_current(self, current: bool) -> None:
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ border: 2px solid #2f6fdd; }}" if current else ""
        )

    # --- photos -------------------------------------------------------------------------

    def choose_photos(self) -> None:
        files = choose_photo_files(self, self.controller.db)
        if files:
            self.controller.drop_photos(files, self.item.id)

    def set_photos(self, photos: list[AttachmentView]) -> None:
        self.photos = photos
        count = len(photos)
        self.photo_mark.setText(tr("Photos: {count}", count=count))
        self.photo_mark.setToolTip(tr("{count} photo(s) linked to this item", count=count))
        self.photo_mark.setVisible(count > 0)

    def show_photos(self) -> None:
        if self.photos:
            self.viewer = PhotoViewer(self.photos, 0, self)
            self.viewer.open()

    # --- drops --------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_files(event)
        if paths:
            event.acceptProposedAction()
            self.controller.drop_photos(paths, self.item.id)

    # --- language -----------------------------------------------------------------------

    def retranslate(self) -> None:
        language = current_language()
        other = "en" if language == "zh" else "zh"
        self.ref.setText(self.item.id)
        self.question.setText(self.item.question.get(language))
        other_text = self.item.question.get(other)
        self.other.setText(other_text)
        self.other.setVisible(other_text != self.question.text())
        self.required.setText(tr("* required") if self.item.required else "")
        if self.item.derived_from is not None:
            page = tr(SOURCE_PAGES[self.item.derived_from])
            self.required.setText(tr("read-only"))
            self.required.setStyleSheet("color: #555;")
            self.derived_source.setText(tr(SOURCE_LINES[self.item.derived_from], page=page))
            # "&" in a button's text marks a shortcut letter: "Meetings && attendees" shows one
            self.open_source.setText(tr("Open {page} →", page=page.replace("&", "&&")))
            self.show_fact(self.fact)
        if self.item.guidance is not None:
            self.guidance.setText(
                f"{self.item.guidance.get(language)}\n{self.item.guidance.get(other)}"
            )
        self.guidance_button.setText(tr("Guidance"))
        self.note_label.setText(tr("Note"))
        self.note.setPlaceholderText(tr("Note for this item (optional)"))
        if getattr(self.editor, "violations", None):
            self.hint.setText(
                tr(
                    "Zero-tolerance violation: raise a finding. The recommended outcome becomes "
                    "termination, referred to IETP."
                )
            )
            self.hint.setStyleSheet("color: #b00020; font-weight: bold;")
        else:
            self.hint.setText(tr("This answer suggests a finding."))
        self.raise_button.setText(tr("Raise finding…"))
        self.photo_button.setText(tr("Add photo…"))
        self.photo_button.setToolTip(tr("Add photos for this item (they open in the last folder)"))
        self.set_photos(self.photos)
        self.editor.retranslate()
