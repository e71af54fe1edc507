"""One editor per answer type. Each emits `sig_commit` when its value should be saved now
and `sig_typing` while text is being typed (the row saves on a short debounce)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, QSize, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from ietp_desktop.domain.checklist import AnswerValue, Item, format_number, violation_values
from ietp_desktop.i18n import current_language, tr
from ietp_desktop.ui.common.date_field import DateField

RADIO_LIMIT = 5  # a single choice with more options than this becomes a combo box


class ItemEditor(QWidget):
    sig_commit = Signal()
    sig_typing = Signal()

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)

    def raw_value(self) -> object:
        raise NotImplementedError

    def set_value(self, value: AnswerValue) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self

    def retranslate(self) -> None:
        pass


VIOLATION_STYLE = "QRadioButton { color: #b00020; font-weight: bold; }"


def zero_tolerance_label(value: str) -> str | None:
    """The answer's words on a zero-tolerance screen item; None for a value without them."""
    labels = {
        "yes": tr("Yes — violation found"),
        "no": tr("No violation"),
        "na": tr("N/A"),
    }
    return labels.get(value)


class ChoiceButtons(ItemEditor):
    """yes/no/na, yes/partial/no and short single choices: radio buttons in a row
    (Tab enters the group, arrow keys move, Space picks).

    On a zero-tolerance screen item "Yes" reports a violation, where everywhere else it means
    compliant: the item asks "Violation found?", the violation answer is last, red and named
    as such, and the keyboard's first stop is never the violation."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.violations = violation_values(item)
        self.prompt = QLabel(self)
        self.prompt.setObjectName(f"violation_prompt_{item.id}")
        self.prompt.setStyleSheet("color: #b00020; font-weight: bold;")
        self.prompt.setVisible(bool(self.violations))
        self.layout_.addWidget(self.prompt)
        ordered = sorted(item.choice_labels(), key=lambda pair: pair[0] in self.violations)
        for value, _label in ordered:
            button = QRadioButton(self)
            button.setObjectName(f"choice_{item.id}_{value}")
            if value in self.violations:
                button.setStyleSheet(VIOLATION_STYLE)
            self.group.addButton(button)
            self.buttons[value] = button
            self.layout_.addWidget(button)
        self.layout_.addStretch(1)
        self.group.buttonClicked.connect(lambda _b: self.sig_commit.emit())
        self.retranslate()

    def minimumSizeHint(self) -> QSize:
        # long choices stack rather than widen the page (1366×768 at 150 %)
        hint = super().minimumSizeHint()
        widest = max((b.sizeHint().width() for b in self.buttons.values()), default=0)
        return QSize(max(widest, self.prompt.minimumSizeHint().width()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        in_a_row = sum(b.sizeHint().width() + self.layout_.spacing() for b in self.buttons.values())
        if self.prompt.isVisible():
            in_a_row += self.prompt.sizeHint().width() + self.layout_.spacing()
        self.layout_.setDirection(
            QBoxLayout.Direction.LeftToRight
            if event.size().width() >= in_a_row
            else QBoxLayout.Direction.TopToBottom
        )

    def raw_value(self) -> object:
        for value, button in self.buttons.items():
            if button.isChecked():
                return value
        return None

    def set_value(self, value: AnswerValue) -> None:
        self.group.setExclusive(False)
        for known, button in self.buttons.items():
            button.setChecked(known == value)
        self.group.setExclusive(True)

    def focus_target(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked or next(iter(self.buttons.values()))  # violations come last

    def retranslate(self) -> None:
        language = current_language()
        self.prompt.setText(tr("Violation found?"))
        for value, label in self.item.choice_labels():
            button = self.buttons[value]
            words = zero_tolerance_label(value) if self.violations else None
            button.setText(words or label.get(language))
            # metrics of the primary family under-measure glyphs drawn by the CJK fallback
            button.setMinimumWidth(button.sizeHint().width() + button.fontMetrics().height())


class ChoiceCombo(ItemEditor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"combo_{item.id}")
        self.layout_.addWidget(self.combo)
        self.layout_.addStretch(1)
        self.retranslate()
        self.combo.activated.connect(lambda _i: self.sig_commit.emit())

    def raw_value(self) -> object:
        return self.combo.currentData()

    def set_value(self, value: AnswerValue) -> None:
        index = self.combo.findData(value) if isinstance(value, str) else 0
        self.combo.setCurrentIndex(max(index, 0))

    def focus_target(self) -> QWidget:
        return self.combo

    def retranslate(self) -> None:
        current = self.combo.currentData()
        self.combo.clear()
        self.combo.addItem(tr("(not answered)"), None)
        for value, label in self.item.choice_labels():
            self.combo.addItem(label.get(current_language()), value)
        self.set_value(current)


class MultiChoice(ItemEditor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.boxes: dict[str, QCheckBox] = {}
        for value, _label in item.choice_labels():
            box = QCheckBox(self)
            box.setObjectName(f"multi_{item.id}_{value}")
            box.toggled.connect(lambda _c: self.sig_commit.emit())
            self.boxes[value] = box
            self.layout_.addWidget(box)
        self.layout_.addStretch(1)
        self.retranslate()

    def raw_value(self) -> object:
        return [value for value, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: AnswerValue) -> None:
        chosen = value if isinstance(value, list) else []
        for known, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(known in chosen)
            box.blockSignals(False)

    def focus_target(self) -> QWidget:
        return next(iter(self.boxes.values()))

    def retranslate(self) -> None:
        for value, label in self.item.choice_labels():
            self.boxes[value].setText(label.get(current_language()))


class _FocusOut(QObject):
    def __init__(self, editor: ItemEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.editor.sig_commit.emit()
        return False


class NumberEditor(ItemEditor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"number_{item.id}")
        self.edit.setMaximumWidth(160)
        self.edit.setClearButtonEnabled(True)
        self.unit = QLabel(self)
        self.range = QLabel(self)
        self.range.setStyleSheet("color: #666;")
        for widget in (self.edit, self.unit, self.range):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        self.edit.textEdited.connect(lambda _t: self.sig_typing.emit())
        self.edit.returnPressed.connect(self.sig_commit.emit)
        self.edit.installEventFilter(_FocusOut(self))
        self.retranslate()

    def raw_value(self) -> object:
        return self.edit.text()

    def set_value(self, value: AnswerValue) -> None:
        self.edit.setText(format_number(value) if isinstance(value, int | float) else "")

    def focus_target(self) -> QWidget:
        return self.edit

    def retranslate(self) -> None:
        low = "" if self.item.min is None else format_number(self.item.min)
        high = "" if self.item.max is None else format_number(self.item.max)
        self.range.setText(tr("range {low} – {high}", low=low, high=high) if low or high else "")
        self.unit.setText(tr(self.item.unit) if self.item.unit else "")
        self.edit.setPlaceholderText(tr("number"))


class DateEditor(ItemEditor):
    """A typed date; unticking 'Not answered' waits for the date instead of saving today."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.unset = QCheckBox(self)
        self.unset.setObjectName(f"unset_{item.id}")
        self.date = DateField(None, self)
        self.date.setObjectName(f"date_{item.id}")
        self.date.attach(self.unset)
        self.layout_.addWidget(self.date, 1)
        self.unset.setChecked(True)
        self.date.set_typing_enabled(False)
        self.unset.toggled.connect(self._toggled)
        self.date.dateChanged.connect(lambda _d: self.sig_commit.emit())
        self.retranslate()

    def _toggled(self, unset: bool) -> None:
        self.date.set_typing_enabled(not unset)
        if unset or self.date.current() is not None:
            self.sig_commit.emit()
        else:
            self.date.edit.setFocus()  # nothing to save until a date is typed

    def raw_value(self) -> object:
        current = self.date.current()
        if self.unset.isChecked() or current is None:
            return None
        return current.isoformat()

    def set_value(self, value: AnswerValue) -> None:
        self.unset.blockSignals(True)
        parsed = date.fromisoformat(value) if isinstance(value, str) and value else None
        self.date.set_value(parsed)
        self.unset.setChecked(parsed is None)
        self.date.set_typing_enabled(parsed is not None)
        self.unset.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self.date.edit if self.date.edit.isEnabled() else self.unset

    def retranslate(self) -> None:
        self.unset.setText(tr("Not answered"))
        self.date.retranslate()


class TextEditor(ItemEditor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName(f"text_{item.id}")
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(64)
        self.layout_.addWidget(self.edit)
        self.edit.textChanged.connect(self.sig_typing.emit)
        self.edit.installEventFilter(_FocusOut(self))

    def raw_value(self) -> object:
        return self.edit.toPlainText()

    def set_value(self, value: AnswerValue) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(value if isinstance(value, str) else "")
        self.edit.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self.edit


def make_editor(item: Item, parent: QWidget | None = None) -> ItemEditor:
    if item.type in ("yes_no_na", "yes_partial_no"):
        return ChoiceButtons(item, parent)
    if item.type == "single_choice":
        if len(item.choices) <= RADIO_LIMIT:
            return ChoiceButtons(item, parent)
        return ChoiceCombo(item, parent)
    if item.type == "multi_choice":
        return MultiChoice(item, parent)
    if item.type == "number":
        return NumberEditor(item, parent)
    if item.type == "date":
        return DateEditor(item, parent)
    return TextEditor(item, parent)


__all__ = ["ItemEditor", "make_editor"]
