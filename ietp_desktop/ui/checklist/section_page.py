"""A checklist section: its items as rows in a scroll area, built the first time it is shown."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from ietp_desktop.domain.checklist import Section
from ietp_desktop.i18n import current_language
from ietp_desktop.services.dto import AnswerView, AttachmentView, DerivedFact
from ietp_desktop.ui.checklist.item_row import ItemRow, RowController


def item_photos(photos: Iterable[AttachmentView]) -> dict[str, list[AttachmentView]]:
    """The photos linked to each item."""
    by_item: dict[str, list[AttachmentView]] = {}
    for photo in photos:
        for item_id in photo.item_ids:
            by_item.setdefault(item_id, []).append(photo)
    return by_item


class SectionPage(QScrollArea):
    def __init__(
        self,
        section: Section,
        controller: RowController,
        answers: Callable[[], Mapping[str, AnswerView]],
        noncompliant: Callable[[str], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.section = section
        self.controller = controller
        self.answers = answers
        self.noncompliant = noncompliant
        self.setObjectName(f"section_{section.id}")
        self.setWidgetResizable(True)
        self.rows: dict[str, ItemRow] = {}
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold; padding: 4px;")
        self.visible_ids: set[str] | None = None
        self.photos: dict[str, list[AttachmentView]] = {}
        self.facts: Mapping[str, DerivedFact] = {}

    @property
    def built(self) -> bool:
        return bool(self.rows) or not self.section.items

    def ensure_built(self) -> None:
        if self.widget() is not None:
            return
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.heading)
        stored = self.answers()
        for item in self.section.items:
            row = ItemRow(item, self.controller, body)
            answer = stored.get(item.id)
            row.load(
                answer.value if answer else None,
                answer.note if answer else "",
                self.noncompliant(item.id),
            )
            self.rows[item.id] = row
            layout.addWidget(row)
        layout.addStretch(1)
        self.setWidget(body)
        self.mark_photos(self.photos)
        self.show_facts(self.facts)
        self.retranslate()
        if self.visible_ids is not None:
            self.apply_visibility(self.visible_ids)

    def apply_visibility(self, visible_ids: set[str]) -> None:
        self.visible_ids = visible_ids
        for item_id, row in self.rows.items():
            row.setVisible(item_id in visible_ids)

    def mark_photos(self, photos: dict[str, list[AttachmentView]]) -> None:
        """Show on each item how many photos are linked to it."""
        self.photos = photos
        for item_id, row in self.rows.items():
            row.set_photos(photos.get(item_id, []))

    def show_facts(self, facts: Mapping[str, DerivedFact]) -> None:
        """Show on each derived item what its source holds now."""
        self.facts = facts
        for item_id, row in self.rows.items():
            if row.item.derived:
                row.show_fact(facts.get(item_id))

    def visible_rows(self) -> list[ItemRow]:
        ids = self.visible_ids
        return [row for item_id, row in self.rows.items() if ids is None or item_id in ids]

    def flush(self) -> None:
        for row in self.rows.values():
            row.flush()

    def title(self) -> str:
        return self.section.title.get(current_language())

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        for row in self.rows.values():
            row.retranslate()
