"""A canvas that knows the page count when it draws each page's footer ("Page 3 of 12")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from ietp_desktop.reports.fonts import LATIN, register_fonts

FooterPainter = Callable[[Canvas, int, int], None]


def numbered_canvas(paint: FooterPainter) -> type[Canvas]:
    """A Canvas class whose pages are held back until save(), then `paint(canvas, page, total)`
    is called on each before it is written."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # The default initial font is Helvetica, which would be referenced (not embedded)
            # on every page.
            register_fonts()
            kwargs["initialFontName"] = kwargs.get("initialFontName") or LATIN
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                paint(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas
