"""Weekly hours of one worker as bars, against the legal and programme limits (QPainter:
QtCharts is not in PySide6-Essentials)."""

from __future__ import annotations

import math
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ietp_desktop.i18n import tr

OK_COLOUR = QColor("#5b8db8")
OVER_LEGAL_COLOUR = QColor("#e0a100")
OVER_PROGRAMME_COLOUR = QColor("#c62828")
LEGAL_LINE = QColor("#2e7d32")
PROGRAMME_LINE = QColor("#c62828")
AXIS = QColor("#666666")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class WeeklyHoursChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.weeks: list[tuple[date, float]] = []
        self.legal = 40.0
        self.programme = 60.0
        self.title = ""
        self.setMinimumSize(280, 140)  # shrinks so the results table keeps its rows
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(640, 260)

    def set_data(
        self, title: str, weeks: list[tuple[date, float]], legal: float, programme: float
    ) -> None:
        self.title, self.weeks, self.legal, self.programme = title, weeks, legal, programme
        self.update()

    def bar_colour(self, hours: float) -> QColor:
        if hours > self.programme:
            return OVER_PROGRAMME_COLOUR
        if hours > self.legal:
            return OVER_LEGAL_COLOUR
        return OK_COLOUR

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        line = metrics.height()
        left, right = metrics.horizontalAdvance("100 h") + 10, 12
        top, bottom = line * 2 + 8, line + 10
        plot = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)

        painter.setPen(self.palette().text().color())
        painter.drawText(
            QRectF(left, 4, plot.width(), line), Qt.AlignmentFlag.AlignLeft, self.title
        )
        self._legend(painter, QPointF(left, 6 + line), line)
        if not self.weeks or plot.width() < 20 or plot.height() < 20:
            painter.setPen(AXIS)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, tr("No time records"))
            painter.end()
            return

        peak = max([h for _, h in self.weeks] + [self.programme, self.legal]) * 1.08
        step = 10 if peak <= 80 else 20
        top_value = float(math.ceil(peak / step) * step)

        def y(hours: float) -> float:
            return plot.bottom() - plot.height() * hours / top_value

        painter.setPen(QPen(QColor("#e6e6e6"), 1))
        for value in range(0, int(top_value) + 1, step):
            painter.drawLine(QPointF(plot.left(), y(value)), QPointF(plot.right(), y(value)))
        painter.setPen(AXIS)
        for value in range(0, int(top_value) + 1, step):
            painter.drawText(
                QRectF(0, y(value) - line / 2, left - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{value} h",
            )

        slot = plot.width() / len(self.weeks)
        gap = min(2.0, slot * 0.2)
        painter.setPen(Qt.PenStyle.NoPen)
        for index, (_, hours) in enumerate(self.weeks):
            x = plot.left() + index * slot
            painter.setBrush(self.bar_colour(hours))
            painter.drawRect(
                QRectF(x + gap / 2, y(hours), max(1.0, slot - gap), plot.bottom() - y(hours))
            )

        for limit, colour, label in (
            (self.legal, LEGAL_LINE, tr("Legal {hours} h", hours=_num(self.legal))),
            (self.programme, PROGRAMME_LINE, tr("Programme {hours} h", hours=_num(self.programme))),
        ):
            painter.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y(limit)), QPointF(plot.right(), y(limit)))
            width = metrics.horizontalAdvance(label) + 8
            box = QRectF(plot.right() - width, y(limit) - line - 2, width, line)
            painter.fillRect(box, QColor(255, 255, 255, 220))
            painter.setPen(colour)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)

        painter.setPen(AXIS)
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        last_x = -1000.0
        for index, (monday, _) in enumerate(self.weeks):
            if index and monday.day > 7:
                continue
            x = plot.left() + index * slot
            text = tr(_MONTHS[monday.month - 1])
            if monday.month == 1 or index == 0:
                text = f"{text} {monday.year}"
            if x - last_x < metrics.horizontalAdvance(text) + 6:
                continue
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
            painter.drawText(QPointF(x, plot.bottom() + line), text)
            last_x = x
        painter.end()

    def _legend(self, painter: QPainter, at: QPointF, line: float) -> None:
        x = at.x()
        for colour, text in (
            (OK_COLOUR, tr("Within the legal hours")),
            (OVER_LEGAL_COLOUR, tr("Above the legal hours")),
            (OVER_PROGRAMME_COLOUR, tr("Above the programme limit")),
        ):
            painter.fillRect(QRectF(x, at.y() + line * 0.2, line * 0.7, line * 0.7), colour)
            x += line
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(x, at.y() + line * 0.85), text)
            x += painter.fontMetrics().horizontalAdvance(text) + line


def _num(value: float) -> str:
    return f"{value:g}"
