"""Today at a glance (经理看板): the figures of a site's day as they stand, and every site side by side."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from models import (
    Checklist,
    ChecklistStatus,
    Customer,
    FollowUp,
    MonthlyReport,
    ReceptionRecord,
    RosterEntry,
    Site,
    Staff,
    Tour,
    Visit,
    VisitStatus,
    utcnow,
)
from services.complaints import lists as complaint_lists
from services.core import authz
from services.core.errors import NotFound
from services.duty import checklists
from services.duty import templates as duty_templates

from . import filing
from .period import local_date, local_hour
from .tables import NONE_GIVEN


@dataclass(frozen=True)
class Touring:
    name: str
    since: datetime
    customer: str


@dataclass
class Today:
    site_id: int
    site: str
    day: str
    zone: str = 'Asia/Shanghai'
    hours: list[tuple[int, int, int]] = field(default_factory=list)  # hour, new, returning
    new: int = 0
    returning: int = 0
    invalid: int = 0
    waiting: int = 0
    receptions: list[tuple[str, int]] = field(default_factory=list)
    greet_median_s: int | None = None
    greet_slowest: tuple[int, str] | None = None  # seconds, who
    channels: list[tuple[str, int]] = field(default_factory=list)
    touring: list[Touring] = field(default_factory=list)
    grades: dict[str, int] = field(default_factory=dict)
    followups_due: int = 0
    followups_overdue: int = 0
    checklists_done: int = 0
    checklists_total: int = 0
    checklists_overdue: int = 0
    complaints_open: int = 0
    complaints_overdue: int = 0
    report_month: str = ''  # last month's report, due by the 5th
    report_filed: int = 0  # its version filed, 0: not yet
    report_late: bool = False


def today(session: Session, *, actor: Staff, site_id: int | None = None, now: datetime | None = None) -> Today:
    """The manager's site today (the admin names the site)."""
    authz.require(actor, authz.MANAGERS)
    site = session.get(Site, authz.scope_site(actor, site_id) or 0)
    if site is None:
        raise NotFound()
    return site_today(session, site, now or utcnow())


def site_today(session: Session, site: Site, now: datetime) -> Today:
    day = local_date(site, now)
    out = Today(site.id or 0, site.name, day.isoformat(), site.timezone)
    names = {s.id: s.name for s in session.exec(select(Staff).where(Staff.site_id == site.id))}
    _visits(session, site, day, now, names, out)
    _touring(session, site, names, out)
    _tasks(session, site, day, now, out)
    out.complaints_open, out.complaints_overdue = complaint_lists.counts(session, site_id=site.id or 0, now=now)
    out.report_month = filing.report_month(site, now)
    report = session.exec(
        select(MonthlyReport).where(MonthlyReport.site_id == site.id, MonthlyReport.month == out.report_month)
    ).first()
    out.report_filed = report.filed_version if report else 0
    out.report_late = filing.is_late(site, report, now)
    return out


def _visits(session: Session, site: Site, day: date, now: datetime, names: dict, out: Today) -> None:
    query = (
        select_columns(
            col(Visit.arrived_at),
            col(Visit.acknowledged_at),
            col(Visit.returning_customer),
            col(Visit.status),
            col(Visit.assigned_id),
            col(Customer.channel),
        )
        .join(Customer, col(Customer.id) == Visit.customer_id)
        .where(col(Visit.site_id) == site.id, col(Visit.day) == day)
    )
    hours: dict[int, list[int]] = {h: [0, 0] for h in range(site.opens_at.hour, site.closes_at.hour + 1)}
    receptions: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    greets: list[tuple[float, str]] = []
    for arrived, acknowledged, returning, status, staff_id, channel in session.execute(query):
        if status == VisitStatus.INVALID:
            out.invalid += 1
            continue
        hours.setdefault(local_hour(site, arrived), [0, 0])[1 if returning else 0] += 1
        channels[channel or NONE_GIVEN] += 1
        out.waiting += status == VisitStatus.WAITING
        if staff_id:
            receptions[names.get(staff_id, NONE_GIVEN)] += 1
        if acknowledged:
            greets.append(((acknowledged - arrived).total_seconds(), names.get(staff_id, NONE_GIVEN)))
    out.hours = [(h, n, r) for h, (n, r) in sorted(hours.items())]
    out.new, out.returning = sum(h[1] for h in out.hours), sum(h[2] for h in out.hours)
    on_shift = session.exec(
        select(RosterEntry.staff_id).where(RosterEntry.site_id == site.id, RosterEntry.day == day)
    ).all()
    for staff_id in on_shift:
        receptions[names.get(staff_id, NONE_GIVEN)] += 0
    out.receptions = sorted(receptions.items(), key=lambda x: (-x[1], x[0]))
    out.channels = channels.most_common()
    if greets:
        out.greet_median_s = round(statistics.median(g for g, _ in greets))
        slowest = max(greets)
        out.greet_slowest = (round(slowest[0]), slowest[1])
    records = select(ReceptionRecord.grade).join(Visit, col(Visit.id) == ReceptionRecord.visit_id)
    grades = Counter(session.exec(records.where(Visit.site_id == site.id, Visit.day == day)))
    out.grades = {g: grades[g] for g in 'ABCD'}


def _touring(session: Session, site: Site, names: dict, out: Today) -> None:
    query = (
        select(Tour.staff_id, Tour.started_at, Customer.surname, Customer.title)
        .join(Customer, col(Customer.id) == Tour.customer_id)
        .where(Tour.site_id == site.id, col(Tour.ended_at).is_(None))
        .order_by(col(Tour.started_at))
    )
    out.touring = [Touring(names.get(s, NONE_GIVEN), at, f'{n}{t}') for s, at, n, t in session.exec(query)]


def _tasks(session: Session, site: Site, day: date, now: datetime, out: Today) -> None:
    open_followups = select(col(FollowUp.due_on)).where(
        FollowUp.site_id == site.id,
        col(FollowUp.done_at).is_(None),
        col(FollowUp.cancelled).is_(False),
        FollowUp.due_on <= day,
    )
    for due in session.exec(open_followups):
        out.followups_due += due == day
        out.followups_overdue += due < day
    query = select(Checklist.status).where(Checklist.site_id == site.id, Checklist.day == day)
    out.checklists_done = sum(status != ChecklistStatus.OPEN for status in session.exec(query))
    out.checklists_total = len(duty_templates.active_templates(session, site.id or 0))
    out.checklists_overdue = checklists.overdue_count(session, site_id=site.id or 0, now=now)
