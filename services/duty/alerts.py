"""A checklist past its due time and not handed in: the day's duty officer and the site's managers are alerted
through the notification outbox, once per checklist and day (the sweep looks every minute)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from db import begin_write, end_read
from models import Checklist, Site
from services import notify
from services.core.i18n import t
from services.duty import roster as duty_roster
from services.duty import templates as duty_templates
from services.duty.checklists import due_at, is_overdue
from services.rotation import roster

KIND = 'checklist_overdue'


def alert_overdue(session: Session, *, now: datetime) -> int:
    """Enqueue (and commit) the alerts of today's overdue checklists of every active site; how many were new."""
    due = _overdue(session, now)
    if not due:
        end_read(session)
        return 0
    begin_write(session)
    made = 0
    for site, day, template_id, name, at in due:
        officer = duty_roster.on_duty(session, site_id=site.id or 0, day=day)
        local = at.astimezone(ZoneInfo(site.timezone)).strftime('%H:%M')
        made += len(
            notify.enqueue_for(
                session,
                site_id=site.id or 0,
                staff_ids=[officer.id if officer else None, *notify.site_managers(session, site.id or 0)],
                kind=KIND,
                key=f'checklist:{site.id}:{day.isoformat()}:{template_id}',
                text=t('值班检查逾期：{name}应于 {time} 前完成，尚未提交', name=name, time=local),
                url='/duty',
                now=now,
            )
        )
    session.commit()
    return made


def _overdue(session: Session, now: datetime) -> list[tuple[Site, date, int, str, datetime]]:
    """(site, day, template, its name, due time) of each checklist of today past due: made and still open, or not
    even opened yet (a checklist is made when the duty page is first looked at). A site that never set its duty up
    (its templates only the unsaved defaults) is not alerted."""
    out = []
    for site in session.exec(select(Site).where(col(Site.active)).order_by(col(Site.id))):
        day = roster.local_day(site, now)
        made = {
            c.template_id: c
            for c in session.exec(select(Checklist).where(Checklist.site_id == site.id, Checklist.day == day))
        }
        for template in (x for x in duty_templates.active_templates(session, site.id or 0) if (x.id or 0) > 0):
            found = made.get(template.id or 0)
            at = found.due_at if found else due_at(site, day, template)
            if is_overdue(found, now) if found else now > at:
                out.append((site, day, template.id or 0, template.name, at))
    return out
