"""The visit workspace: sections and extra pages on the left, the chosen page on the right.

Not a dialog: the main window shows it beside the lists and the specialist jumps back and
forth all day. Every change is committed when it is made (autosave)."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.domain.checklist import (
    Form,
    is_blank,
    is_noncompliant,
    visible_items,
)
from ietp_desktop.i18n import current_language, tr
from ietp_desktop.services import settings
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import AnswerView, VisitDetail
from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.visits import answers as answer_service
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.services.visits.answers import SavedAnswer
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.ui.checklist.item_row import ItemRow
from ietp_desktop.ui.checklist.section_page import SectionPage, item_photos
from ietp_desktop.ui.common import read_only
from ietp_desktop.ui.common.changes import Changes
from ietp_desktop.ui.common.context import WorkspaceContext
from ietp_desktop.ui.common.operations import Task, run_op
from ietp_desktop.ui.common.user_errors import user_errors
from ietp_desktop.ui.evidence.evidence_page import EvidencePage
from ietp_desktop.ui.hours.records_page import RecordsPage
from ietp_desktop.ui.meetings.closing_page import ClosingPage
from ietp_desktop.ui.meetings.meetings_page import MeetingsPage
from ietp_desktop.ui.meetings.qa_page import QaPage
from ietp_desktop.ui.outcome.finding_dialog import RaiseFindingDialog
from ietp_desktop.ui.outcome.findings_page import FindingsPage
from ietp_desktop.ui.outcome.outcome_page import OutcomePage
from ietp_desktop.ui.reporting.report_page import ReportPage
from ietp_desktop.ui.visits.details_page import DetailsPage
from ietp_desktop.ui.workspace.page_stack import PageStack
from ietp_desktop.ui.workspace.pages import HoldsTyping, WorkspacePage
from ietp_desktop.ui.workspace.progress import RequiredProgress
from ietp_desktop.ui.workspace.review_banner import ReviewBanner

log = logging.getLogger(__name__)

STATE_COLOURS = {"done": "#2e7d32", "left": "#e0a100", "findings": "#c62828", "page": "#90a4ae"}


def _dot(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 12, 12)
    painter.end()
    return QIcon(pixmap)


LOCK_REASONS = {
    "completed": "This visit is completed and read-only. Reopen it to change anything.",
    "refused": "The factory refused this visit; it is read-only.",
    "signed": "This visit is signed (revision {revision}) and read-only. To change it, open a "
    "new revision with the reason for the change; the signed revision is kept.",
    "exported": "This visit was sent to the office (revision {revision}) and is read-only. To "
    "change it, open a new revision with the reason for the change; the office is sent the "
    "new revision.",
    "received": "The office has received this visit (revision {revision}); it is read-only. To "
    "change it, open a new revision with the reason for the change.",
    "withdrawn": "Withdrawn by the office: {reason}. Everything typed is kept; the visit is "
    "read-only and is not sent.",
}


class VisitWorkspace(QWidget):
    sig_back = Signal()
    sig_reopen = Signal()  # the visit became editable again: open it afresh

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.db = context.db
        self.uuid = context.visit_uuid
        self.detail: VisitDetail = load_detail(self.db, self.uuid)
        self.form: Form = definitions.form_definition(self.db, self.detail.form_sha256)
        self.answers: dict[str, AnswerView] = dict(self.detail.answers)
        self.values = {k: a.value for k, a in self.answers.items()}
        self.current_item: str | None = None
        self._stored_position: tuple[str, str] = ("", "")

        self.header = QLabel(self)
        self.header.setObjectName("workspace_header")
        self.header.setStyleSheet("font-size: 12pt; font-weight: bold; padding: 2px 4px;")
        self.nav = QListWidget(self)
        self.nav.setObjectName("workspace_nav")
        self.nav.setIconSize(QSize(14, 14))
        self.nav.setMinimumWidth(170)
        self.stack = PageStack(self)
        self.section_pages: list[SectionPage] = []
        for section in self.form.sections:
            page = SectionPage(section, self, lambda: self.answers, self._noncompliant, self.stack)
            page.show_facts(self.detail.derived)
            self.section_pages.append(page)
            self.stack.add_page(page)
        self.details_page = DetailsPage(context, self)
        self.meetings_page = MeetingsPage(context, self)
        self.evidence_page = EvidencePage(context, self, self)
        self.qa_page = QaPage(context, self)
        self.findings_page = FindingsPage(context, self)
        self.outcome_page = OutcomePage(context, self)
        self.records_page = RecordsPage(context, self)
        self.report_page = ReportPage(context, self)
        self.closing_page = ClosingPage(context, self, self)
        self.extra_pages: list[WorkspacePage] = [
            self.details_page,
            self.meetings_page,
            self.evidence_page,
            self.qa_page,
            self.findings_page,
            self.outcome_page,
            self.records_page,
            self.report_page,
            self.closing_page,
        ]
        self.typing_pages: list[HoldsTyping] = [self.qa_page, self.outcome_page]
        for extra in self.extra_pages:
            self.stack.add_page(_widget(extra))
        self.dirty: set[int] = set()

        splitter = QSplitter(self)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.nav)
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 900])
        self.banner = QFrame(self)
        self.banner.setObjectName("read_only_banner")
        self.banner.setStyleSheet(
            "QFrame#read_only_banner { background: #fff4e5; border: 1px solid #e0a100; }"
        )
        self.banner_text = QLabel(self.banner)
        self.banner_text.setObjectName("read_only_text")
        self.banner_text.setWordWrap(True)
        self.unlock_button = QPushButton(self.banner)
        self.unlock_button.setObjectName("read_only_unlock")
        self.unlock_button.clicked.connect(self.unlock)
        # a drawn icon, not the 🔒 emoji: laptops without an emoji font showed an empty box
        lock_icon = QLabel(self.banner)
        lock_icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(16, 16)
        )
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(8, 4, 8, 4)
        banner_row.addWidget(lock_icon)
        banner_row.addWidget(self.banner_text, 1)
        banner_row.addWidget(self.unlock_button)
        self.banner.setVisible(False)
        self.locked = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        head = QHBoxLayout()
        head.addWidget(self.header, 1)
        self.progress = RequiredProgress(self)
        head.addWidget(self.progress)
        layout.addLayout(head)
        layout.addWidget(self.banner)
        self.review_banner = ReviewBanner(self)
        layout.addWidget(self.review_banner)
        layout.addWidget(splitter, 1)

        for _ in range(self.stack.count()):
            self.nav.addItem(QListWidgetItem())
        self.nav.currentRowChanged.connect(self._show_page)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(150)
        self.refresh_timer.timeout.connect(lambda: self.refresh(Changes.NONE))
        self._pending = Changes.NONE  # announced, not yet shown: refreshed together
        context.events.sig_changed.connect(self._changed)
        context.events.sig_language_changed.connect(self.retranslate)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self._apply_visibility()
        self.review_banner.load(self.db, self.uuid)
        self.retranslate()
        self._update_lock()

    # --- read-only ----------------------------------------------------------------------

    def _status(self) -> str:
        return self.detail.summary.status

    def _update_lock(self) -> None:
        """Completed, refused, signed, sent and received visits open read-only, saying why
        and how to change them; editors cannot move, so nothing unsaved is ever shown."""
        locked = self._status() in LOCK_REASONS
        if self.locked and not locked:
            self.sig_reopen.emit()
            return
        self.locked = locked
        self.banner.setVisible(locked)
        if not locked:
            return
        self._show_banner()
        for index in range(self.stack.count()):
            self._lock_page(self.stack.widget(index))

    def _show_banner(self) -> None:
        status = self._status()
        if status not in LOCK_REASONS:
            return
        text = tr(
            LOCK_REASONS[status],
            revision=self.detail.summary.revision,
            reason=self.detail.summary.withdrawn_reason or tr("no reason given"),
        )
        withdrawal = self.detail.withdrawal
        if withdrawal is not None and status != "withdrawn":
            # signed or sent before the office withdrew it: the status stays, the office decides
            text += "\n" + tr(
                "The office withdrew this visit on {date}: {reason}. The office decides what "
                "happens to it.",
                date=withdrawal.withdrawn_at.astimezone().date().isoformat(),
                reason=withdrawal.reason or tr("no reason given"),
            )
        self.banner_text.setText(text)
        self.unlock_button.setVisible(status not in ("refused", "withdrawn"))
        self.unlock_button.setText(
            tr("Reopen visit") if status == "completed" else tr("Open a new revision…")
        )

    def _lock_page(self, page: QWidget | None) -> None:
        if page is None or not self.locked or page is self.report_page:
            return
        if isinstance(page, SectionPage) and page.widget() is None:
            return  # locked when it is built
        read_only.lock(page)

    def unlock(self) -> None:
        if self._status() == "completed":
            self._reopen()
        else:
            self.ask_revision_reason()

    def _reopen(self) -> None:
        with user_errors(self.context.events.sig_error.emit) as outcome:
            lifecycle.reopen_visit(self.db, self.uuid)
        if outcome.failed:
            return
        self.context.events.sig_saved.emit(tr("Visit reopened"))
        self.sig_reopen.emit()

    def ask_revision_reason(self) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setObjectName("revision_reason_dialog")
        dialog.setWindowTitle(tr("Open a new revision"))
        dialog.setLabelText(
            tr("What changes, and why? The signed revision is kept beside the new one.")
        )
        dialog.setOkButtonText(tr("Open revision"))
        dialog.setCancelButtonText(tr("Cancel"))
        dialog.textValueSelected.connect(self.open_revision)
        dialog.open()
        self.revision_dialog = dialog
        return dialog

    def open_revision(self, reason: str) -> bool:
        with user_errors(self.context.events.sig_error.emit) as outcome:
            revision = lifecycle.open_new_revision(self.db, self.uuid, reason)
        if outcome.failed:
            return False
        self.context.events.sig_saved.emit(tr("Revision {revision} opened", revision=revision))
        self.sig_reopen.emit()
        return True

    # --- answers (RowController) --------------------------------------------------------

    def _noncompliant(self, item_id: str) -> bool:
        value = self.values.get(item_id)
        return not is_blank(value) and is_noncompliant(self.form.item(item_id), self.values)

    def save_answer(self, item_id: str, raw: object) -> SavedAnswer | str:
        with user_errors(self.context.events.sig_error.emit) as outcome:
            saved = answer_service.record_answer(self.db, self.uuid, item_id, raw)
        if outcome.failed:
            return outcome.message
        previous = self.answers.get(item_id)
        self.answers[item_id] = AnswerView(
            item_id, saved.value, saved.note, previous.updated_at if previous else datetime.now()
        )
        self.values[item_id] = saved.value
        self._saved()
        self._apply_visibility()
        return saved

    def save_note(self, item_id: str, note: str) -> None:
        with user_errors(self.context.events.sig_error.emit) as outcome:
            answer_service.set_note(self.db, self.uuid, item_id, note)
        if outcome.failed:
            return
        self._saved()

    def _saved(self) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        self.context.events.sig_saved.emit(tr("Saved {time}", time=stamp))

    def raise_finding(self, item_id: str) -> None:
        self.flush()
        item = self.form.item(item_id)
        title = self.form.section_of(item_id).title
        dialog = RaiseFindingDialog(
            self.context,
            item,
            self.values.get(item_id),
            self.answers.get(item_id),
            self,
            section_title=(title.en, title.zh),
        )
        self.finding_dialog = dialog
        dialog.open()

    def drop_photos(
        self, paths: list[Path], item_id: str | None, finding_id: int | None = None
    ) -> None:
        item_ids = (item_id,) if item_id else ()
        finding_refs: tuple[str | int, ...] = (finding_id,) if finding_id else ()

        def work(task: Task) -> int:
            for index, path in enumerate(paths):
                attachments.add_photo(
                    self.db, self.uuid, path, item_ids=item_ids, finding_refs=finding_refs
                )
                task((index + 1) / len(paths))
            return len(paths)

        def done(count: int) -> None:
            self.context.events.sig_saved.emit(tr("{count} photo(s) added", count=count))

        run_op(
            self,
            tr("Adding photos…"),
            work,
            done,
            self.context.events.sig_error.emit,
            changes=Changes.ATTACHMENTS,
            announce_to=self.context.events,
        )

    def show_source(self, source: str) -> None:
        """Open the page that holds a derived item's fact (attendees, CAP, hours & wages)."""
        pages: dict[str, QWidget] = {
            "attendees.senior_manager": self.meetings_page,
            "cap.due_date": self.outcome_page,
            "rules.minimum_wage": self.records_page,
        }
        self.go_to_page(self.stack.indexOf(pages[source]))

    # --- state of sections --------------------------------------------------------------

    def _apply_visibility(self) -> None:
        visible = {item.id for item in visible_items(self.form, self.values)}
        for page in self.section_pages:
            page.apply_visibility(visible)
        self._update_nav(visible)

    def section_state(self, index: int, visible: set[str] | None = None) -> tuple[str, str]:
        """(colour key, text) for a section: all answered / N required left / has findings."""
        if visible is None:
            visible = {item.id for item in visible_items(self.form, self.values)}
        section = self.form.sections[index]
        left = sum(
            1
            for item in section.items
            if item.id in visible and item.required and is_blank(self.values.get(item.id))
        )
        ids = {item.id for item in section.items}
        findings = sum(1 for f in self.detail.findings if ids & set(f.item_ids))
        parts = []
        if left:
            parts.append(tr("{count} required left", count=left))
        else:
            parts.append(tr("all answered"))
        if findings:
            parts.append(tr("{count} finding(s)", count=findings))
        key = "findings" if findings else ("left" if left else "done")
        return key, " · ".join(parts)

    def _update_nav(self, visible: set[str] | None = None) -> None:
        self.progress.show_counts(self.form, self.values)
        for index, page in enumerate(self.section_pages):
            key, state = self.section_state(index, visible)
            entry = self.nav.item(index)
            entry.setText(f"{page.title()}\n    {state}")
            entry.setIcon(_dot(STATE_COLOURS[key]))
            entry.setData(Qt.ItemDataRole.UserRole, key)
        for offset, extra in enumerate(self.extra_pages):
            entry = self.nav.item(len(self.section_pages) + offset)
            entry.setText(extra.title())
            entry.setIcon(_dot(STATE_COLOURS["page"]))

    # --- navigation ---------------------------------------------------------------------

    def _show_page(self, index: int) -> None:
        if index < 0:
            return
        previous = self.stack.currentWidget()
        if isinstance(previous, SectionPage):
            previous.flush()
        page = self.stack.widget(index)
        if isinstance(page, SectionPage):
            page.ensure_built()
        else:
            self.dirty.discard(index)
            self.extra_pages[index - len(self.section_pages)].refresh()
        self._lock_page(page)
        self.stack.setCurrentIndex(index)
        if isinstance(page, SectionPage):
            self._remember(page.section.id, self.current_item_in(page))
        else:
            self._remember(f"page:{type(page).__name__}", "")

    def current_item_in(self, page: SectionPage) -> str:
        if self.current_item and self.current_item in page.rows:
            return self.current_item
        return ""

    def _remember(self, section_id: str, item_id: str) -> None:
        if (section_id, item_id) == self._stored_position:
            return
        self._stored_position = (section_id, item_id)
        with user_errors(self.context.events.sig_error.emit):
            settings.write(
                self.db,
                (settings.LAST_VISIT, self.uuid),
                (settings.LAST_SECTION, section_id),
                (settings.LAST_ITEM, item_id),
            )

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        widget = new
        while widget is not None and not isinstance(widget, ItemRow):
            widget = widget.parentWidget()
        if isinstance(widget, ItemRow) and self.isAncestorOf(widget):
            self._set_current(widget.item.id)

    def _set_current(self, item_id: str) -> None:
        if item_id == self.current_item:
            return
        old = self._row(self.current_item) if self.current_item else None
        if old is not None:
            old.set_current(False)
        self.current_item = item_id
        row = self._row(item_id)
        if row is not None:
            row.set_current(True)
        self._remember(self.form.section_of(item_id).id, item_id)

    def _row(self, item_id: str) -> ItemRow | None:
        for page in self.section_pages:
            if item_id in page.rows:
                return page.rows[item_id]
        return None

    def current_section_index(self) -> int:
        return self.stack.currentIndex()

    def go_to_page(self, index: int) -> None:
        self.nav.setCurrentRow(max(0, min(index, self.stack.count() - 1)))

    def go_to_section(self, section_id: str) -> bool:
        for index, page in enumerate(self.section_pages):
            if page.section.id == section_id:
                self.go_to_page(index)
                return True
        for offset, extra in enumerate(self.extra_pages):
            if section_id == f"page:{type(extra).__name__}":
                self.go_to_page(len(self.section_pages) + offset)
                return True
        return False

    def go_to_item(self, item_id: str) -> bool:
        try:
            section = self.form.section_of(item_id)
        except KeyError:
            return False
        self.go_to_section(section.id)
        row = self._row(item_id)
        page = self.stack.currentWidget()
        if row is None or not isinstance(page, SectionPage) or not row.isVisibleTo(page):
            return False
        page.ensureWidgetVisible(row, 0, 40)
        row.focus_target().setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._set_current(item_id)
        return True

    def step_item(self, delta: int) -> None:
        ordered = [item.id for item in visible_items(self.form, self.values)]
        if not ordered:
            return
        page = self.stack.currentWidget()
        if (
            isinstance(page, SectionPage)
            and self.current_item in page.rows
            and (self.current_item in ordered)
        ):
            index = ordered.index(self.current_item) + delta
        else:
            rows = page.visible_rows() if isinstance(page, SectionPage) else []
            index = ordered.index(rows[0].item.id) if rows else 0
        self.go_to_item(ordered[max(0, min(index, len(ordered) - 1))])

    def step_section(self, delta: int) -> None:
        self.go_to_page(self.stack.currentIndex() + delta)
        page = self.stack.currentWidget()
        if isinstance(page, SectionPage):
            rows = page.visible_rows()
            if rows:
                self.go_to_item(rows[0].item.id)

    def raise_finding_for_current(self) -> None:
        if self.current_item and isinstance(self.stack.currentWidget(), SectionPage):
            self.raise_finding(self.current_item)
        else:
            self.context.events.sig_error.emit(tr("Choose an item first, then raise a finding."))

    # --- refresh ------------------------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        self._pending |= changes
        self.refresh_timer.start()

    def refresh(self, changes: Changes = Changes.ALL) -> None:
        """Reload the header and states; the page on screen refreshes what `changes` touch
        (the others refresh whole when shown)."""
        self.refresh_timer.stop()
        changes, self._pending = changes | self._pending, Changes.NONE
        with user_errors(self.context.events.sig_error.emit) as outcome:
            self.detail = load_detail(self.db, self.uuid)
        if outcome.failed:
            return
        self._update_header()
        self.review_banner.load(self.db, self.uuid)
        self._update_nav()
        photos = item_photos(self.detail.attachments)
        for section_page in self.section_pages:
            section_page.mark_photos(photos)
            section_page.show_facts(self.detail.derived)
        current = self.stack.currentIndex()
        for index, extra in enumerate(self.extra_pages, start=len(self.section_pages)):
            if index == current:
                extra.refresh(changes)
            else:
                self.dirty.add(index)
        self._update_lock()

    def flush(self) -> None:
        for page in self.section_pages:
            page.flush()
        for typing_page in self.typing_pages:
            typing_page.flush()

    def _update_header(self) -> None:
        summary = self.detail.summary
        name = summary.factory_name_zh if current_language() == "zh" else summary.factory_name_en
        self.header.setText(
            tr(
                "{factory} · {ietp} · visit {visit} · {status}",
                factory=name or summary.factory_name_en,
                ietp=summary.factory_ietp_id,
                visit=summary.short_id,
                status=tr(summary.status_label),
            )
        )

    def retranslate(self) -> None:
        self._update_header()
        self.review_banner.retranslate()
        if self.locked:
            self._show_banner()
        for page in self.section_pages:
            page.retranslate()
        for extra in self.extra_pages:
            extra.retranslate()
        self._update_nav()


def _widget(page: WorkspacePage) -> QWidget:
    """The page as the stack holds it (every workspace page is a QWidget)."""
    if not isinstance(page, QWidget):
        raise TypeError(f"{type(page).__name__} is not a QWidget")
    return page
