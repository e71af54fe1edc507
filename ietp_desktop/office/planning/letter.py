"""The laptop's bilingual preparation letter, produced at the office for a planned visit."""

from __future__ import annotations

import io
from datetime import date
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.reports.model import PreparationLetterData, ReportFactory
from ietp_desktop.reports.preparation_letter import build_preparation_letter
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_planning_models import OfficePlannedVisit


def preparation_letter_pdf(db: Database, visit_uuid: str, letter_date: date) -> bytes:
    """The letter for a visit planned on the board (or a visit the office received)."""
    with db.session() as session:
        plan = session.scalars(
            select(OfficePlannedVisit).where(OfficePlannedVisit.visit_uuid == visit_uuid)
        ).first()
        first_day: date | None
        if plan is not None:
            factory = session.get(Factory, plan.factory_id)
            first_day = plan.confirmed_date or plan.proposed_date
            man_days, name, email = plan.man_days, plan.specialist_name, plan.specialist_email
        else:
            visit = session.scalars(select(Visit).where(Visit.uuid == visit_uuid)).first()
            if visit is None:
                raise NotFound("there is no planned visit {id}", id=visit_uuid[:36])
            factory = visit.factory
            first_day = visit.confirmed_date or visit.planned_date or visit.visit_start
            man_days, name, email = visit.man_days, visit.specialist_name, visit.specialist_email
        if factory is None or first_day is None:
            raise NotFound("there is no planned visit {id}", id=visit_uuid[:36])
        data = PreparationLetterData(
            factory=ReportFactory(
                factory.ietp_id, factory.name_en, factory.name_zh, factory.address, factory.city
            ),
            letter_date=letter_date,
            confirmed_date=first_day,
            visit_days=max(1, int((man_days or Decimal(1)).to_integral_value(ROUND_CEILING))),
            specialist_name=name,
            specialist_email=email,
            contact_name=factory.contact_name,
            visit_uuid=visit_uuid,
        )
    stream = io.BytesIO()
    build_preparation_letter(data, stream)
    return stream.getvalue()
