"""Working-hours charts: weekly hours against the legal and programme limits, workers by code."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ietp_desktop.reports.fonts import canvas_font
from ietp_desktop.reports.layout import INK, MUTED, RULE, Labels
from ietp_desktop.reports.model import HoursLimits, ReportWorker

SERIES = colors.HexColor("#1d4e89")
OVER = colors.HexColor("#b42318")
STANDARD = colors.HexColor("#8a94a0")
LEGAL = colors.HexColor("#d97706")
PROGRAMME = colors.HexColor("#b42318")


def _axis_top(values: Sequence[float], limits: HoursLimits) -> float:
    top = max([limits.programme_weekly, *values, 1.0])
    return float(math.ceil((top + 4) / 10.0) * 10)


def _text(
    x: float, y: float, text: str, size: float, *, anchor: str = "start", colour: colors.Color = INK
) -> String:
    return String(
        x, y, text, fontName=canvas_font(text), fontSize=size, fillColor=colour, textAnchor=anchor
    )


def _frame(
    d: Drawing,
    x0: float,
    y0: float,
    w: float,
    h: float,
    top: float,
    limits: HoursLimits,
    step: int,
    size: float,
) -> None:
    """Y grid with labels, and the three limit lines."""
    value = 0
    while value <= top:
        y = y0 + h * value / top
        d.add(Line(x0, y, x0 + w, y, strokeColor=RULE, strokeWidth=0.3))
        d.add(_text(x0 - 2, y - size / 3, str(value), size, anchor="end", colour=MUTED))
        value += step
    for limit, colour, dash in (
        (limits.standard_weekly, STANDARD, (1, 2)),
        (limits.legal_weekly_max, LEGAL, (4, 2)),
        (limits.programme_weekly, PROGRAMME, None),
    ):
        y = y0 + h * limit / top
        d.add(Line(x0, y, x0 + w, y, strokeColor=colour, strokeWidth=0.9, strokeDashArray=dash))


def legend(labels: Labels, limits: HoursLimits, width: float) -> Drawing:
    """The three limit lines, on as many rows as the labels need."""
    entries = (
        (labels.text("Standard week {h} h", h=f"{limits.standard_weekly:g}"), STANDARD, (1, 2)),
        (labels.text("Legal maximum {h} h", h=f"{limits.legal_weekly_max:g}"), LEGAL, (4, 2)),
        (labels.text("Programme limit {h} h", h=f"{limits.programme_weekly:g}"), PROGRAMME, None),
    )
    placed: list[tuple[float, int]] = []  # (x, row) per entry
    x, row = 0.0, 0
    for text, _colour, _dash in entries:
        span = 22 + stringWidth(text, canvas_font(text), 7.5) + 14
        if x > 0 and x + span > width:
            x, row = 0.0, row + 1
        placed.append((x, row))
        x += span
    rows = row + 1
    d = Drawing(width, 12 * rows + 2)
    for (text, colour, dash), (x, row) in zip(entries, placed, strict=True):
        y = 12 * (rows - 1 - row)
        d.add(
            Line(x, y + 5, x + 18, y + 5, strokeColor=colour, strokeWidth=1.2, strokeDashArray=dash)
        )
        d.add(_text(x + 22, y + 2, text, 7.5))
    return d


def summary_chart(
    labels: Labels,
    workers: Sequence[ReportWorker],
    limits: HoursLimits,
    width: float,
    height: float,
) -> Drawing:
    """One bar per worker: the highest weekly hours in the period; red when above the
    programme limit."""
    d = Drawing(width, height)
    x0, y0 = 26.0, 22.0
    w, h = width - x0 - 4, height - y0 - 14
    peaks = [max((wk.hours for wk in worker.weekly_hours), default=0.0) for worker in workers]
    top = _axis_top(peaks, limits)
    _frame(d, x0, y0, w, h, top, limits, 10, 7)
    d.add(_text(x0, height - 9, labels.text("Highest weekly hours per worker"), 8))
    slot = w / max(1, len(workers))
    bar = slot * 0.62
    for i, (worker, peak) in enumerate(zip(workers, peaks, strict=True)):
        cx = x0 + slot * (i + 0.5)
        colour = OVER if peak > limits.programme_weekly else SERIES
        d.add(Rect(cx - bar / 2, y0, bar, h * peak / top, fillColor=colour, strokeColor=None))
        label = _text(cx, y0 - 9, worker.code, 6 if len(workers) > 16 else 7, anchor="middle")
        d.add(label)
    return d


def worker_chart(
    labels: Labels, worker: ReportWorker, limits: HoursLimits, width: float, height: float
) -> Drawing:
    """Weekly hours of one worker as a line against the limits."""
    d = Drawing(width, height)
    x0, y0 = 20.0, 14.0
    w, h = width - x0 - 4, height - y0 - 14
    hours = [wk.hours for wk in worker.weekly_hours]
    top = _axis_top(hours, limits)
    _frame(d, x0, y0, w, h, top, limits, 20, 6)
    peak = max(hours, default=0.0)
    title = f"{worker.code} · " + labels.text("max {h} h", h=f"{peak:g}")
    d.add(_text(x0, height - 9, title, 7.5, colour=OVER if peak > limits.programme_weekly else INK))
    if not hours:
        d.add(_text(x0 + w / 2, y0 + h / 2, labels.text("No time records"), 7, anchor="middle"))
        return d
    step = w / max(1, len(hours) - 1) if len(hours) > 1 else 0.0
    points: list[float] = []
    for i, value in enumerate(hours):
        px = x0 + (step * i if len(hours) > 1 else w / 2)
        py = y0 + h * value / top
        points += [px, py]
        if value > limits.programme_weekly:
            d.add(Circle(px, py, 1.4, fillColor=OVER, strokeColor=None))
    d.add(PolyLine(points, strokeColor=SERIES, strokeWidth=1.1))
    weeks = worker.weekly_hours
    d.add(_text(x0, y0 - 9, weeks[0].week, 5.5, colour=MUTED))
    if len(weeks) > 1:
        d.add(_text(x0 + w, y0 - 9, weeks[-1].week, 5.5, anchor="end", colour=MUTED))
    return d
