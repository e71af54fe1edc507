"""Evidence photos: add from files or by drag and drop (onto the page, an item row or a
finding), thumbnails with editable captions, one photo linked to several items."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.i18n import current_language, tr
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import AttachmentView, FindingView
from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.evidence.removal import DeletedPhoto, delete_photo, restore_photo
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.ui.checklist.item_row import dropped_files
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.geometry import fit_dialog
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.evidence.annotate_dialog import AnnotateDialog
from ietp_desktop.ui.evidence.photo_files import choose_photo_files
from ietp_desktop.ui.evidence.photo_viewer import PhotoViewer

THUMB = 160
UNDO_SECONDS = 20


class PhotoDropper(Protocol):
    def drop_photos(
        self, paths: list[Path], item_id: str | None, finding_id: int | None = None
    ) -> None: ...


class FindingDropList(QListWidget):
    """Findings of the visit; dropping photo files on one links them to it."""

    def __init__(self, dropper: PhotoDropper, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dropper = dropper
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setWordWrap(True)  # long finding titles wrap in the narrow column, not cut off
        self.setSpacing(2)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_files(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_files(event)
        entry = self.itemAt(event.position().toPoint())
        if paths and entry is not None:
            event.acceptProposedAction()
            self.dropper.drop_photos(paths, None, int(entry.data(Qt.ItemDataRole.UserRole)))


class LinkItemsDialog(QDialog):
    def __init__(self, choices: list[tuple[str, str]], linked: set[str], parent: QWidget):
        super().__init__(parent)
        self.setObjectName("link_items_dialog")
        self.setWindowTitle(tr("Link photo to items"))
        self.list = QListWidget(self)
        for item_id, question in choices:
            entry = QListWidgetItem(f"{item_id} · {question}")
            entry.setData(Qt.ItemDataRole.UserRole, item_id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = item_id in linked
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(entry)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        fit_dialog(self, 560, 480)

    def chosen(self) -> set[str]:
        return {
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        }


class EvidencePage(QWidget):
    def __init__(
        self, context: WorkspaceContext, dropper: PhotoDropper, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidence_page")
        self.context = context
        self.dropper = dropper
        self.setAcceptDrops(True)
        self.photos: tuple[AttachmentView, ...] = ()
        self.findings: tuple[FindingView, ...] = ()
        self._icons: dict[str, QIcon] = {}
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        self.grid = QListWidget()
        self.grid.setObjectName("photo_grid")
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(THUMB, THUMB))
        self.grid.setGridSize(QSize(THUMB + 30, THUMB + 50))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setWordWrap(True)
        self.grid.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.grid.itemChanged.connect(self._caption_changed)
        self.grid.currentItemChanged.connect(lambda *_: self._show_links())
        self.links = QLabel()
        self.links.setObjectName("photo_links")
        self.links.setWordWrap(True)
        self.add_button = QPushButton()
        self.add_button.setObjectName("photo_add")
        self.add_button.clicked.connect(self.choose_files)
        self.view_button = QPushButton()
        self.view_button.setObjectName("photo_view")
        self.view_button.clicked.connect(self.view_selected)
        self.grid.itemActivated.connect(lambda _entry: self.view_selected())
        self.annotate_button = QPushButton()
        self.annotate_button.setObjectName("photo_annotate")
        self.annotate_button.clicked.connect(self.annotate_selected)
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("photo_delete")
        self.delete_button.clicked.connect(self.delete_selected)
        delete_key = QShortcut(QKeySequence.StandardKey.Delete, self.grid, self.delete_selected)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)  # only on the photo grid
        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("photo_undo_bar")
        self.undo_bar.setStyleSheet("QFrame#photo_undo_bar { background: #fff4e5; }")
        self.undo_text = QLabel()
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("photo_undo")
        self.undo_button.clicked.connect(self.undo_delete)
        self.undo_key = QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_delete)
        self.undo_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_key.setEnabled(False)  # Ctrl+Z is the text fields' own until a delete
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(6, 2, 6, 2)
        undo_row.addWidget(self.undo_text, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
        self.deleted: DeletedPhoto | None = None
        self.undo_timer = QTimer(self)
        self.undo_timer.setSingleShot(True)
        self.undo_timer.setInterval(UNDO_SECONDS * 1000)
        self.undo_timer.timeout.connect(self._undo_expired)
        self.viewer: PhotoViewer | None = None
        self.annotator: AnnotateDialog | None = None
        self.link_button = QPushButton()
        self.link_button.setObjectName("photo_link_items")
        self.link_button.clicked.connect(self.link_items)
        self.finding_label = QLabel()
        self.finding_list = FindingDropList(dropper, self)
        self.finding_list.setObjectName("finding_drop_list")
        self.finding_list.setMaximumWidth(320)
        self.link_finding_button = QPushButton()
        self.link_finding_button.clicked.connect(self.link_selected_to_finding)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.view_button)
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.annotate_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        side = QVBoxLayout()
        side.addWidget(self.finding_label)
        side.addWidget(self.finding_list, 1)
        side.addWidget(self.link_finding_button)
        body = QHBoxLayout()
        body.addWidget(self.grid, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addLayout(body, 1)
        layout.addWidget(self.links)
        layout.addLayout(buttons)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.error)
        self.retranslate()

    def title(self) -> str:
        return tr("Evidence")

    # --- adding -------------------------------------------------------------------------

    def choose_files(self) -> None:
        files = choose_photo_files(self, self.context.db)
        if files:
            self.dropper.drop_photos(files, None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_files(event)
        if paths:
            event.acceptProposedAction()
            self.dropper.drop_photos(paths, None)

    # --- showing ------------------------------------------------------------------------

    def _icon(self, photo: AttachmentView) -> QIcon:
        if photo.sha256 not in self._icons:
            pixmap = QPixmap(photo.path)
            if not pixmap.isNull():
                pixmap = pixmap.scaled(
                    THUMB,
                    THUMB,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            self._icons[photo.sha256] = QIcon(pixmap)
        return self._icons[photo.sha256]

    def refresh(self, changes: Changes = Changes.ALL) -> None:
        if not changes & (
            Changes.ATTACHMENTS | Changes.FINDINGS | Changes.ANSWERS | Changes.VISIT_STATUS
        ):
            return
        with user_errors(self.error.setText) as outcome:
            detail = load_detail(self.context.db, self.context.visit_uuid)
        if outcome.failed:
            return
        self.form = definitions.form_definition(self.context.db, detail.form_sha256)
        self.photos, self.findings = detail.attachments, detail.findings
        current = self.grid.currentRow()
        self.grid.blockSignals(True)
        self.grid.clear()
        for photo in self.photos:
            entry = QListWidgetItem(self._icon(photo), photo.caption or photo.filename)
            entry.setData(Qt.ItemDataRole.UserRole, photo.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsEditable)
            entry.setToolTip(photo.filename)
            self.grid.addItem(entry)
        self.grid.blockSignals(False)
        if self.photos:
            self.grid.setCurrentRow(min(max(current, 0), len(self.photos) - 1))
        self.finding_list.clear()
        for finding in self.findings:
            entry = QListWidgetItem(f"{finding.code} · {finding.title}")
            entry.setData(Qt.ItemDataRole.UserRole, finding.id)
            self.finding_list.addItem(entry)
        self._show_links()

    def selected_photo(self) -> AttachmentView | None:
        row = self.grid.currentRow()
        return self.photos[row] if 0 <= row < len(self.photos) else None

    def _show_links(self) -> None:
        photo = self.selected_photo()
        if photo is None:
            self.links.setText(tr("No photo selected."))
            return
        codes = [f.code for f in self.findings if f.id in photo.finding_ids]
        self.links.setText(
            tr(
                "{file}: items {items}; findings {findings}",
                file=photo.filename,
                items=", ".join(photo.item_ids) or "–",
                findings=", ".join(codes) or "–",
            )
        )

    # --- viewing and deleting -----------------------------------------------------------

    def view_selected(self) -> None:
        photo = self.selected_photo()
        if photo is None:
            self.error.setText(tr("Select a photo first."))
            return
        self.viewer = PhotoViewer(self.photos, self.photos.index(photo), self)
        self.viewer.open()

    def annotate_selected(self) -> None:
        photo = self.selected_photo()
        if photo is None:
            self.error.setText(tr("Select a photo first."))
            return
        self.annotator = AnnotateDialog(
            self.context.db, self.context.visit_uuid, photo, self._annotated, self
        )
        self.annotator.open()

    def _annotated(self, copy: AttachmentView) -> None:
        self.context.events.sig_saved.emit(
            tr("Annotated copy saved: {file}", file=copy.caption or copy.filename)
        )
        self.context.events.announce(Changes.ATTACHMENTS)
        self.refresh()
        ids = [p.id for p in self.photos]
        if copy.id in ids:
            self.grid.setCurrentRow(ids.index(copy.id))

    def delete_selected(self) -> None:
        photo = self.selected_photo()
        if photo is None:
            self.error.setText(tr("Select a photo first."))
            return
        with user_errors(self.error.setText) as outcome:
            deleted = delete_photo(self.context.db, self.context.visit_uuid, photo.id)
        if outcome.failed:
            return
        self.deleted = deleted
        self.undo_text.setText(
            tr(
                "Photo {file} deleted. Undo within {seconds} s (Ctrl+Z).",
                file=photo.caption or photo.filename,
                seconds=UNDO_SECONDS,
            )
        )
        self.undo_bar.show()
        self.undo_key.setEnabled(True)
        self.undo_timer.start()
        self.context.events.sig_saved.emit(tr("Photo deleted"))
        self.context.events.announce(Changes.ATTACHMENTS)
        self.refresh()

    def undo_delete(self) -> None:
        if self.deleted is None:
            return
        with user_errors(self.error.setText) as outcome:
            restore_photo(self.context.db, self.deleted)
        if outcome.failed:
            return
        self._undo_expired()
        self.context.events.sig_saved.emit(tr("Photo restored"))
        self.context.events.announce(Changes.ATTACHMENTS)
        self.refresh()

    def _undo_expired(self) -> None:
        self.undo_timer.stop()
        self.deleted = None
        self.undo_key.setEnabled(False)
        self.undo_bar.hide()

    # --- editing ------------------------------------------------------------------------

    def _caption_changed(self, entry: QListWidgetItem) -> None:
        photo_id = int(entry.data(Qt.ItemDataRole.UserRole))
        with user_errors(self.error.setText) as outcome:
            attachments.set_caption(
                self.context.db, self.context.visit_uuid, photo_id, entry.text().strip()
            )
        if outcome.failed:
            return
        self.context.events.sig_saved.emit(tr("Caption saved"))

    def link_items(self) -> None:
        photo = self.selected_photo()
        if photo is None:
            self.error.setText(tr("Select a photo first."))
            return
        language = current_language()
        choices = [(i.id, i.question.get(language)) for i in self.form.items()]
        self.dialog = LinkItemsDialog(choices, set(photo.item_ids), self)
        self.dialog.accepted.connect(lambda: self.apply_links(photo, self.dialog.chosen()))
        self.dialog.open()

    def apply_links(self, photo: AttachmentView, wanted: set[str]) -> None:
        db, uuid = self.context.db, self.context.visit_uuid
        with user_errors(self.error.setText) as outcome:
            added = tuple(sorted(wanted - set(photo.item_ids)))
            if added:
                attachments.link_photo(db, uuid, photo.id, item_ids=added)
            keep_alive = bool(wanted) or bool(photo.finding_ids)
            for item_id in sorted(set(photo.item_ids) - wanted):
                if keep_alive:
                    attachments.unlink_photo(db, uuid, photo.id, item_id=item_id)
        if outcome.failed:
            return
        self.context.events.sig_saved.emit(tr("Photo links saved"))
        self.context.events.announce(Changes.ATTACHMENTS)
        self.refresh()

    def link_selected_to_finding(self) -> None:
        photo = self.selected_photo()
        entry = self.finding_list.currentItem()
        if photo is None or entry is None:
            self.error.setText(tr("Select a photo and a finding first."))
            return
        with user_errors(self.error.setText) as outcome:
            attachments.link_photo(
                self.context.db,
                self.context.visit_uuid,
                photo.id,
                finding_refs=(int(entry.data(Qt.ItemDataRole.UserRole)),),
            )
        if outcome.failed:
            return
        self.context.events.announce(Changes.ATTACHMENTS)
        self.refresh()

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.hint.setText(
            tr(
                "Drop photo files here, on a checklist item or on a finding. Double-click a "
                "caption to edit it."
            )
        )
        self.add_button.setText(tr("Add photos…"))
        self.view_button.setText(tr("View (Enter)"))
        self.delete_button.setText(tr("Delete (Del)"))
        self.annotate_button.setText(tr("Annotate…"))
        self.undo_button.setText(tr("Undo"))
        self.link_button.setText(tr("Link to items…"))
        self.finding_label.setText(tr("Findings (drop photos on one)"))
        self.link_finding_button.setText(tr("Link selected photo to finding"))
        self._show_links()
