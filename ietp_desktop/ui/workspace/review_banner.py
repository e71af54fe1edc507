"""The office's comments on a visit it returned: shown above the visit until the specialist
has answered with a new revision."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ietp_desktop.i18n import tr
from ietp_desktop.services.visits.review_returns import ReturnedReview, review_returns
from ietp_desktop.storage.db import Database


class ReviewBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_banner")
        self.setStyleSheet(
            "QFrame#review_banner { background: #fdecea; border: 1px solid #b3261e; }"
        )
        self.title = QLabel(self)
        self.title.setObjectName("review_title")
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        self.comment = QLabel(self)
        self.comment.setObjectName("review_comment")
        self.comment.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.comment)
        self.latest: ReturnedReview | None = None
        self.setVisible(False)

    def load(self, db: Database, uuid: str) -> None:
        returns = review_returns(db, uuid)
        self.latest = returns[0] if returns and not returns[0].answered else None
        self.retranslate()

    def retranslate(self) -> None:
        latest = self.latest
        self.setVisible(latest is not None)
        if latest is None:
            return
        self.title.setText(
            "↩ "
            + tr(
                "The office returned revision {revision} on {day} ({reviewer}). Answer with a "
                "new revision:",
                revision=latest.revision,
                day=latest.returned_at.strftime("%Y-%m-%d"),
                reviewer=latest.reviewer or latest.office,
            )
        )
        self.comment.setText(latest.comment)
