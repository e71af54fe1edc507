"""A page's figures kept in the database with the state of the data they came from, so the
slow pages (findings and training across a national history) are computed once per change of
the data instead of once per view.

The state is what those figures read: the received visits (how many, the last change of any of
them: a re-imported visit brings its findings and CAP lines again) and the factories (their
region, city, headcount and seal date), plus, for training, the topics file and, for hours,
the rule set the limits come from. (Programme health is not kept: it depends on today's date
and on fee payments.) Any change gives a
new state and the figures are computed again; nothing is ever shown from an older state.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ietp_desktop.office.analytics.model import Chart, Period, Report, Table
from ietp_desktop.office.analytics.topics import topics_path
from ietp_desktop.services.catalogue.definitions import latest_rule_set_sha
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_analytics_models import OfficeAnalyticsResult
from ietp_desktop.storage.types import utcnow


def data_version(session: Session, page: str) -> str:
    visits = session.execute(
        select(func.count(Visit.id), func.max(Visit.updated_at), func.max(Visit.received_at)).where(
            Visit.received_at.is_not(None)
        )
    ).one()
    factories = session.execute(select(func.count(Factory.id), func.max(Factory.updated_at))).one()
    parts = [str(v) for v in (*visits, *factories)]
    if page == "training":
        try:
            parts.append(str(topics_path().stat().st_mtime_ns))
        except OSError:
            parts.append("no topics")
    if page == "hours":  # the limits come from the latest rule set
        parts.append(str(latest_rule_set_sha(session))[:16])
    return "|".join(parts)[:200]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$decimal" in value:
            return Decimal(value["$decimal"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


def dumps(report: Report) -> str:
    tables = []
    for t in report.tables:
        chart = None
        if t.chart is not None:
            chart = {
                "kind": t.chart.kind,
                "categories": list(t.chart.categories),
                "series": [[name, list(values)] for name, values in t.chart.series],
                "label_kind": t.chart.label_kind,
                "totals": t.chart.totals,
            }
        tables.append(
            {
                "key": t.key, "title": t.title, "columns": list(t.columns),
                "rows": _encode(t.rows), "kinds": list(t.kinds), "note": t.note,
                "chart": chart, "unavailable": t.unavailable, "params": _encode(t.params),
            }
        )  # fmt: skip
    return json.dumps(
        {
            "page": report.page,
            "period": _encode([report.period.start, report.period.end]),
            "tables": tables,
            "notes": list(report.notes),
            "params": _encode(report.params),
        },
        ensure_ascii=False,
    )


def loads(text: str) -> Report:
    data = json.loads(text)
    tables = []
    for t in data["tables"]:
        chart = None
        if t["chart"] is not None:
            c = t["chart"]
            chart = Chart(
                c["kind"],
                tuple(c["categories"]),
                tuple((name, tuple(values)) for name, values in c["series"]),
                label_kind=c["label_kind"],
                totals=c["totals"],
            )
        tables.append(
            Table(
                t["key"], t["title"], tuple(t["columns"]), _decode(t["rows"]),
                kinds=tuple(t["kinds"]), note=t["note"], chart=chart,
                unavailable=t["unavailable"], params=dict(_decode(t["params"])),
            )
        )  # fmt: skip
    start, end = _decode(data["period"])
    return Report(
        data["page"],
        Period(start, end),
        tuple(tables),
        tuple(data["notes"]),
        dict(_decode(data["params"])),
    )


def kept(
    session: Session,
    page: str,
    period: Period,
    grain: str,
    build: Callable[[], Report],
) -> Report:
    """The page's figures for this state of the data: kept ones, else built and kept."""
    key = f"{page}|{period.start}|{period.end}|{grain}"
    version = data_version(session, page)
    stored = session.get(OfficeAnalyticsResult, key)
    if stored is not None and stored.data_version == version:
        return loads(stored.content)
    report = build()
    try:
        with session.begin_nested():  # another worker may be storing the same figures
            if stored is None:
                session.add(
                    OfficeAnalyticsResult(key=key, data_version=version, content=dumps(report))
                )
            else:
                stored.data_version = version
                stored.content = dumps(report)
                stored.built_at = utcnow()
    except IntegrityError:
        pass
    return report
