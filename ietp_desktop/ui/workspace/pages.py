"""Pages other engineers write, loaded only when their module is present.

Each is a QWidget subclass constructed as `Page(context, parent)` with `title() -> str`
(translated) and `refresh() -> None`.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtWidgets import QWidget

from ietp_desktop.ui.common.context import WorkspaceContext

log = logging.getLogger(__name__)

OPTIONAL_PAGES: list[tuple[str, str]] = [
    ("ietp_desktop.ui.outcome.findings_page", "FindingsPage"),
    ("ietp_desktop.ui.outcome.outcome_page", "OutcomePage"),
    ("ietp_desktop.ui.hours.records_page", "RecordsPage"),
    ("ietp_desktop.ui.reporting.report_page", "ReportPage"),
]


def load_optional_pages(context: WorkspaceContext, parent: QWidget) -> list[QWidget]:
    pages: list[QWidget] = []
    for module_name, class_name in OPTIONAL_PAGES:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:  # includes ModuleNotFoundError: the page is not written yet
            log.info("optional page %s not available: %s", module_name, exc)
            continue
        page_class = getattr(module, class_name, None)
        if page_class is None:
            log.warning("%s has no %s; page hidden", module_name, class_name)
            continue
        pages.append(page_class(context, parent))
    return pages
