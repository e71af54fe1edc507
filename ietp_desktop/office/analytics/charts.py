"""Charts drawn on the server as inline SVG: horizontal bars, stacked bars and lines.

No script and no style attributes (the console's CSP forbids inline styles): only SVG
presentation attributes. Every bar carries its value as text and every series a legend entry
with a distinct fill pattern, so a chart stays readable printed in black and white; labels are
whatever the caller passes (already in the reader's language) and are escaped here.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from ietp_desktop.office.analytics.model import Chart

COLOURS = ("#1f5f8b", "#d9822b", "#5a9e4b", "#8e44ad", "#b03a2e", "#7f8c8d")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
FONT = "'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif"
WIDTH = 760
ROW = 26
MAX_BARS = 40


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="#222">{escape(text)}</text>'
    )


def text_width(text: str, size: int = 12) -> float:
    """Rough rendered width: CJK characters are about square, Latin ones about 0.6 em."""
    return sum(size * (1.0 if ord(ch) >= 0x2E80 else 0.6) for ch in text)


def _value(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}".rstrip("0")


LEGEND_ROW = 20


def _legend(names: list[str], y: float, line: bool = False) -> tuple[list[str], float]:
    """Legend entries, wrapped onto more rows when they do not fit; (parts, height used)."""
    parts: list[str] = []
    x = 10.0
    for index, name in enumerate(names):
        needed = 44 + text_width(name)
        if x > 10 and x + needed > WIDTH:
            x, y = 10.0, y + LEGEND_ROW
        colour = COLOURS[index % len(COLOURS)]
        if line:
            dash = DASHES[index % len(DASHES)]
            parts.append(
                f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 22:.1f}" y2="{y - 4:.1f}" '
                f'stroke="{colour}" stroke-width="3"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
        else:
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="14" height="12" fill="{colour}" '
                f'stroke="#000" stroke-width="0.6"/>'
            )
        parts.append(_text(x + 28, y, name))
        x += needed
    return parts, y


def _svg(height: float, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f"font-family={quoteattr(FONT)} aria-label={quoteattr(title)}>"
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def bars(
    chart: Chart, label: Callable[[str], str], title: str, series_name: Callable[[str], str]
) -> Markup:
    """Horizontal bars a row per category: one series, several stacked (kind "stacked",
    the total at the end) or several side by side (kind "grouped", each with its value)."""
    categories = [label(c) for c in chart.categories][:MAX_BARS]
    series = [(series_name(n), values[:MAX_BARS]) for n, values in chart.series]
    grouped = chart.kind == "grouped" and len(series) > 1
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    peaks = [max(values[i] for _, values in series) for i in range(len(categories))]
    top = max(peaks if grouped else totals, default=0.0) or 1.0
    label_width = min(320.0, 20 + max((text_width(c) for c in categories), default=30))
    plot = WIDTH - label_width - 70
    legend = len(series) > 1
    row = (ROW - 8) * len(series) + 8 if grouped else ROW
    body: list[str] = []
    y0 = 10.0
    if legend:
        parts, last = _legend([n for n, _ in series], 18)
        body += parts
        y0 = last + 12
    height = y0 + row * len(categories) + 20
    for i, category in enumerate(categories):
        y = y0 + i * row
        body.append(_text(label_width - 8, y + row / 2 + 4, category, "end"))
        x = label_width
        for s, (_, values) in enumerate(series):
            width = plot * values[i] / top
            bar_y = y + 3 + (s * (ROW - 8) if grouped else 0)
            if width > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{bar_y:.1f}" width="{width:.1f}" height="{ROW - 8}" '
                    f'fill="{COLOURS[s % len(COLOURS)]}" stroke="#000" stroke-width="0.6"/>'
                )
            if grouped:
                body.append(_text(x + width + 6, bar_y + ROW - 12, _value(values[i]), size=11))
            else:
                x += width
        if not grouped and chart.totals:
            body.append(_text(x + 6, y + 15, _value(totals[i])))
    body.append(
        f'<line x1="{label_width:.1f}" y1="{y0:.1f}" x2="{label_width:.1f}" '
        f'y2="{y0 + row * len(categories):.1f}" stroke="#444"/>'
    )
    return _svg(height, title, body)


def lines(
    chart: Chart, label: Callable[[str], str], title: str, series_name: Callable[[str], str]
) -> Markup:
    """One line per series over the categories (months, quarters) on the x axis."""
    categories = [label(c) for c in chart.categories]
    series = [(series_name(n), values) for n, values in chart.series]
    top = max((v for _, values in series for v in values), default=0.0) or 1.0
    body, last = _legend([n for n, _ in series], 18, line=True)
    left, right, top_pad, bottom = 50.0, 20.0, last + 22, 50.0
    height = top_pad + 210.0 + bottom
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    count = max(len(categories), 1)
    step = plot_w / max(count - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (i * step if count > 1 else plot_w / 2)
        return x, top_pad + plot_h * (1 - v / top)

    for fraction in (0.0, 0.5, 1.0):
        y = top_pad + plot_h * (1 - fraction)
        body.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{WIDTH - right:.1f}" y2="{y:.1f}" '
            f'stroke="#ccc"/>'
        )
        body.append(_text(left - 6, y + 4, _value(round(top * fraction, 2)), "end", 11))
    every = max(1, count // 12)
    for i, category in enumerate(categories):
        if i % every == 0:
            x, _ = xy(i, 0)
            body.append(_text(x, height - bottom + 18, category, "middle", 11))
    for s, (_, values) in enumerate(series):
        colour, dash = COLOURS[s % len(COLOURS)], DASHES[s % len(DASHES)]
        points = [xy(i, v) for i, v in enumerate(values)]
        body.append(
            '<polyline fill="none" stroke-width="2.5" '
            f'stroke="{colour}"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + ' points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            + '"/>'
        )
        for (x, y), v in zip(points, values, strict=True):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
            if count <= 24:
                body.append(_text(x, y - 7, _value(v), "middle", 10))
    return _svg(height, title, body)


def render(
    chart: Chart, label: Callable[[str], str], title: str, series_name: Callable[[str], str]
) -> Markup:
    if not chart.categories:
        return Markup("")
    if chart.kind == "line":
        return lines(chart, label, title, series_name)
    return bars(chart, label, title, series_name)
