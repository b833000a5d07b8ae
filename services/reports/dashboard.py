"""Today at a glance (经理看板): the figures of a site's day as they stand, and every site side by side."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from models import (
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
    """In nine reads: on PostgreSQL each is a round trip to the server, and they make most of the board's time."""
    day = local_date(site, now)
    out = Today(site.id or 0, site.name, day.isoformat(), site.timezone)
    staff = session.execute(
        select_columns(col(Staff.id), col(Staff.name), col(RosterEntry.id))
        .outerjoin(
            RosterEntry,
            (col(RosterEntry.staff_id) == Staff.id) & (col(RosterEntry.site_id) == site.id) & (RosterEntry.day == day),
        )
        .where(col(Staff.site_id) == site.id)
    ).all()
    names = {staff_id: name for staff_id, name, _ in staff}
    on_shift = [name for _, name, shift in staff if shift is not None]
    _visits(session, site, day, names, on_shift, out)
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


def _visits(session: Session, site: Site, day: date, names: dict, on_shift: list[str], out: Today) -> None:
    """The day's visits with their customer's channel and their reception record's grade, in one read."""
    query = (
        select_columns(
            col(Visit.arrived_at),
            col(Visit.acknowledged_at),
            col(Visit.returning_customer),
            col(Visit.status),
            col(Visit.assigned_id),
            col(Customer.channel),
            col(ReceptionRecord.grade),
        )
        .join(Customer, col(Customer.id) == Visit.customer_id)
        .outerjoin(ReceptionRecord, col(ReceptionRecord.visit_id) == Visit.id)
        .where(col(Visit.site_id) == site.id, col(Visit.day) == day)
    )
    hours: dict[int, list[int]] = {h: [0, 0] for h in range(site.opens_at.hour, site.closes_at.hour + 1)}
    receptions: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    grades: Counter[str] = Counter()
    greets: list[tuple[float, str]] = []
    for arrived, acknowledged, returning, status, staff_id, channel, grade in session.execute(query):
        if grade:
            grades[grade] += 1
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
    for name in on_shift:
        receptions[name] += 0
    out.receptions = sorted(receptions.items(), key=lambda x: (-x[1], x[0]))
    out.channels = channels.most_common()
    if greets:
        out.greet_median_s = round(statistics.median(g for g, _ in greets))
        slowest = max(greets)
        out.greet_slowest = (round(slowest[0]), slowest[1])
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
    counts = checklists.day_counts(session, site, now)
    out.checklists_done, out.checklists_total, out.checklists_overdue = counts.done, counts.total, counts.overdue
