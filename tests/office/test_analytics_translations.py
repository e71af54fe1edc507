"""Every string of the analytics pages (page titles, table titles and columns, notes, labels)
has Chinese with the same placeholders."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

from ietp_desktop.i18n import catalogue
from ietp_desktop.office.analytics import pages
from ietp_desktop.office.analytics.labels import fixed_labels
from ietp_desktop.office.analytics.model import Period
from ietp_desktop.storage.db import open_url

from .analytics_world import add_history


def analytics_msgids(tmp_path: Path) -> set[str]:
    db = open_url(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    add_history(db)
    found: set[str] = set(fixed_labels())
    try:
        for name, spec in pages.PAGES.items():
            found.update((spec.title, spec.intro))
            for period in (Period(), Period(date(1990, 1, 1), date(1990, 1, 2))):
                with db.session() as session:
                    report = pages.build(name, session, period)
                found.update(report.notes)
                for table in report.tables:
                    found.update((table.title, *table.columns))
                    found.update(x for x in (table.note, table.unavailable) if x)
                    if table.chart is not None:
                        found.update(n for n, _ in table.chart.series)
    finally:
        db.dispose()
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_analytics_string_has_chinese(tmp_path: Path) -> None:
    msgids = analytics_msgids(tmp_path)
    zh = catalogue("zh")
    msgids = {m for m in msgids if not m.startswith("outcome:")}  # outcome labels, translated
    assert sorted(m for m in msgids if m not in zh) == []
    assert sorted(m for m in msgids if _fields(zh[m]) != _fields(m)) == []
