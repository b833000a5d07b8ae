"""The group admin's view: every site's day side by side, and who is late with reports and minutes."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, func, select

from models import (
    Checklist,
    ChecklistStatus,
    Complaint,
    Customer,
    FollowUp,
    MinutesStatus,
    Role,
    Site,
    Staff,
    Visit,
    VisitStatus,
    WeeklyMinutes,
    utcnow,
)
from services.complaints import rules
from services.core import authz

from . import filing
from .period import local_date

MINUTES_DUE = timedelta(days=2)  # part 4 art. 4: 周例会纪要 within two days of the meeting


@dataclass
class SiteRow:
    site_id: int
    site: str
    visits: int = 0
    received: int = 0
    deals_month: int = 0
    followups_overdue: int = 0
    complaints_open: int = 0
    complaints_overdue: int = 0
    checklists_overdue: int = 0
    minutes_overdue: int = 0
    report: filing.SiteStatus | None = None


def group_today(session: Session, *, actor: Staff, now: datetime | None = None) -> list[SiteRow]:
    """One row per active site, each counted in a query per figure over every site (not a query per site)."""
    authz.require(actor, frozenset({Role.ADMIN}))
    now = now or utcnow()
    sites = list(session.exec(select(Site).where(col(Site.active).is_(True)).order_by(col(Site.id))))
    rows = {s.id or 0: SiteRow(s.id or 0, s.name) for s in sites}
    by_day: dict[date, list[int]] = defaultdict(list)
    for s in sites:
        by_day[local_date(s, now)].append(s.id or 0)
    for day, ids in by_day.items():
        _day_counts(session, day, ids, now, rows)
    _complaints(session, list(rows), now, rows)
    _minutes(session, list(rows), now, rows)
    for status in filing.group_status(session, actor=actor, now=now):
        if status.site_id in rows:
            rows[status.site_id].report = status
    return list(rows.values())


def _day_counts(session: Session, day: date, ids: list[int], now: datetime, rows: dict[int, SiteRow]) -> None:
    visits = (
        select(Visit.site_id, Visit.status, func.count())
        .where(col(Visit.site_id).in_(ids), Visit.day == day, Visit.status != VisitStatus.INVALID)
        .group_by(col(Visit.site_id), col(Visit.status))
    )
    for site_id, status, n in session.exec(visits):
        rows[site_id].visits += n
        rows[site_id].received += 0 if status == VisitStatus.WAITING else n
    month_start = day.replace(day=1)
    deals = select(Customer.site_id).where(  # counted here: with GROUP BY, SQLite reads every customer in site order
        col(Customer.site_id).in_(ids),
        Customer.outcome == 'deal',
        Customer.outcome_on >= month_start,  # type: ignore[operator]
    )
    for site_id, n in Counter(session.exec(deals)).items():
        rows[site_id].deals_month = n
    overdue = (
        select(FollowUp.site_id, func.count())
        .where(
            col(FollowUp.site_id).in_(ids),
            col(FollowUp.done_at).is_(None),
            col(FollowUp.cancelled).is_(False),
            FollowUp.due_on < day,
        )
        .group_by(col(FollowUp.site_id))
    )
    for site_id, n in session.exec(overdue):
        rows[site_id].followups_overdue = n
    late = (
        select(Checklist.site_id, func.count())
        .where(
            col(Checklist.site_id).in_(ids),
            Checklist.day == day,
            Checklist.status == ChecklistStatus.OPEN,
            Checklist.due_at < now,
        )
        .group_by(col(Checklist.site_id))
    )
    for site_id, n in session.exec(late):
        rows[site_id].checklists_overdue = n


def _complaints(session: Session, ids: list[int], now: datetime, rows: dict[int, SiteRow]) -> None:
    query = select(Complaint.site_id, Complaint.status, Complaint.acknowledge_due_at, Complaint.resolve_due_at).where(
        col(Complaint.site_id).in_(ids), col(Complaint.status).in_(rules.OPEN)
    )
    for site_id, status, ack, res in session.exec(query):
        rows[site_id].complaints_open += 1
        rows[site_id].complaints_overdue += rules.clock(
            status=status, acknowledge_due_at=ack, resolve_due_at=res, now=now
        ).overdue


def _minutes(session: Session, ids: list[int], now: datetime, rows: dict[int, SiteRow]) -> None:
    query = (
        select(WeeklyMinutes.site_id, func.count())
        .where(
            col(WeeklyMinutes.site_id).in_(ids),
            WeeklyMinutes.status != MinutesStatus.FILED,
            WeeklyMinutes.held_at < now - MINUTES_DUE,
        )
        .group_by(col(WeeklyMinutes.site_id))
    )
    for site_id, n in session.exec(query):
        rows[site_id].minutes_overdue = n
