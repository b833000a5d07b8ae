"""Reports due: the monthly report (a draft from the 1st, due by the 5th, late after) and the weekly minutes (due
within two days of the meeting) alert the site's managers through the notification outbox, once each: when due,
and again when late (the sweep looks every minute)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from db import begin_write, end_read
from models import MinutesStatus, MonthlyReport, Site, WeeklyMinutes
from services import notify
from services.core.i18n import t

from .filing import DUE_DAY, due_on, report_month
from .minutes import DUE as MINUTES_DUE
from .period import local_date

KIND = 'report_due'
MINUTES_WARN = timedelta(days=1)  # the minutes' "due" alert: a day before their deadline
LOOK_BACK = timedelta(days=14)  # older minutes are the group's business (its late list), not a phone's


def alert_due(session: Session, *, now: datetime) -> int:
    """Enqueue (and commit) the alerts of reports due or late at every active site; how many were new."""
    due = [*_monthly(session, now), *_minutes(session, now)]
    if not due:
        end_read(session)
        return 0
    begin_write(session)
    made = 0
    for site_id, key, text, url in due:
        managers = notify.site_managers(session, site_id)
        made += len(
            notify.enqueue_for(
                session, site_id=site_id, staff_ids=managers, kind=KIND, key=key, text=text, url=url, now=now
            )
        )
    session.commit()
    return made


def _monthly(session: Session, now: datetime) -> list[tuple[int, str, str, str]]:
    sites = list(session.exec(select(Site).where(col(Site.active)).order_by(col(Site.id))))
    months = {s.id: report_month(s, now) for s in sites}
    filed = {
        (r.site_id, r.month)
        for r in session.exec(select(MonthlyReport).where(col(MonthlyReport.month).in_(set(months.values()))))
        if r.filed_version
    }
    out = []
    for site in sites:
        month = months[site.id]
        if (site.id, month) in filed:
            continue
        if local_date(site, now).day > DUE_DAY:
            key, text = 'late', t('月度销售分析报告（{month}）已逾期未上报，请尽快上报', month=month)
        else:
            deadline = due_on(month).strftime('%m-%d')
            key, text = 'due', t('月度销售分析报告（{month}）请于 {date} 前上报', month=month, date=deadline)
        out.append((site.id or 0, f'report:{site.id}:{month}:{key}', text, '/reports/monthly'))
    return out


def _minutes(session: Session, now: datetime) -> list[tuple[int, str, str, str]]:
    query = select(WeeklyMinutes).where(
        WeeklyMinutes.status != MinutesStatus.FILED,
        col(WeeklyMinutes.held_at) > now - LOOK_BACK,
        col(WeeklyMinutes.held_at) <= now - MINUTES_DUE + MINUTES_WARN,
    )
    out = []
    for m in session.exec(query):
        week = m.week_start.isoformat()
        if now > m.held_at + MINUTES_DUE:
            key, text = 'late', t('周例会纪要（{week} 这周）已逾期未上报，请尽快会签上报', week=week)
        else:
            key, text = 'due', t('周例会纪要（{week} 这周）明天到期，请尽快会签上报', week=week)
        out.append((m.site_id, f'minutes:{m.id}:{key}', text, f'/reports/minutes/{m.id}'))
    return out
