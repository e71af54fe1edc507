"""One factory on one screen: certificate status and its history, received visits, open CAP
lines, invoices and escalations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.office.escalations import certificate, queue
from ietp_desktop.office.fees import invoices, settings
from ietp_desktop.storage.models import CorrectiveAction, Factory, Finding, Visit
from ietp_desktop.storage.office_money_models import OfficeEscalation


@dataclass(frozen=True)
class VisitLine:
    uuid: str
    revision: int
    visit_start: date | None
    specialist: str
    outcome: str | None
    received_at: datetime | None


@dataclass(frozen=True)
class CapLine:
    visit_uuid: str
    code: str
    title: str
    classification: str
    action: str
    responsible: str
    due_date: date | None
    status: str
    overdue: bool


@dataclass(frozen=True)
class FactoryOverview:
    ietp_id: str
    name_en: str
    name_zh: str
    city: str
    certificate_status: str
    history: list[certificate.StatusStep]
    visits: list[VisitLine]
    cap_lines: list[CapLine]
    invoices: list[invoices.InvoiceRow]
    escalations: list[queue.EscalationRow]

    @property
    def owed_usd(self) -> Decimal:
        """What the factory has been invoiced and not paid yet."""
        return sum(
            (i.outstanding_usd for i in self.invoices if i.status != "draft"), Decimal("0.00")
        )


def load(session: Session, ietp_id: str, today: date) -> FactoryOverview:
    factory = session.scalars(select(Factory).where(Factory.ietp_id == ietp_id)).first()
    if factory is None:
        raise NotFound("no factory {id}", id=ietp_id[:40])
    visits = session.scalars(
        select(Visit)
        .where(Visit.factory_id == factory.id, Visit.received_at.is_not(None))
        .order_by(Visit.visit_start.desc(), Visit.id.desc())
    ).all()
    cap_rows = session.execute(
        select(CorrectiveAction, Finding, Visit)
        .join(Finding, Finding.id == CorrectiveAction.finding_id)
        .join(Visit, Visit.id == CorrectiveAction.visit_id)
        .where(
            Visit.factory_id == factory.id,
            Visit.received_at.is_not(None),
            CorrectiveAction.status != "closed",
        )
        .order_by(CorrectiveAction.due_date, Finding.code)
    ).all()
    invoice_rows = invoices.list_invoices(
        session, invoices.InvoiceFilter(factory_id=factory.id), today
    )
    pa_days = settings.read_days(session, settings.PA_ARRANGE_DAYS)
    escalations = session.execute(
        select(OfficeEscalation, Visit)
        .join(Visit, Visit.id == OfficeEscalation.visit_id)
        .where(OfficeEscalation.factory_id == factory.id)
        .order_by(OfficeEscalation.opened_on.desc(), OfficeEscalation.id.desc())
    ).all()
    findings = queue.findings_of(session, (v.id for _, v in escalations))
    escalation_rows = [
        queue.row_of(e, v, factory, today, pa_days, findings) for e, v in escalations
    ]
    return FactoryOverview(
        ietp_id=factory.ietp_id,
        name_en=factory.name_en,
        name_zh=factory.name_zh,
        city=factory.city,
        certificate_status=factory.certificate_status,
        history=certificate.history(session, factory.id),
        visits=[
            VisitLine(
                v.uuid,
                v.revision,
                v.visit_start,
                v.specialist_name,
                v.outcome_final or v.outcome_recommended,
                v.received_at,
            )
            for v in visits
        ],
        cap_lines=[
            CapLine(
                visit_uuid=v.uuid,
                code=f.code,
                title=f.title,
                classification=f.classification,
                action=a.corrective_action,
                responsible=a.responsible,
                due_date=a.due_date,
                status=a.status,
                overdue=a.due_date is not None and a.due_date < today,
            )
            for a, f, v in cap_rows
        ],
        invoices=invoice_rows,
        escalations=escalation_rows,
    )
