"""The alert ladder's hook: visitor alerts nobody has answered yet, handed to whoever registered for them.

The rotation's rules (issue 12) decide what happens — a reminder at 20 s, passing the visitor on after the
site's answer time; this module only finds the unanswered alerts and offers a reminder's outbox entry."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

import db
from models import NotifyAlert, Visit, VisitStatus, utcnow
from services.core.i18n import t

from .outbox import VISITOR_ASSIGNED, Alert

SWEEP_S = 5.0
LOOK_BACK = timedelta(hours=1)
Handler = Callable[[Session, list[NotifyAlert], datetime], None]
_handlers: list[Handler] = []


def on_unanswered(handler: Handler) -> None:
    """Register `handler(session, alerts, now)`: called every few seconds with the visitor alerts still
    unanswered (the visit assigned and not yet greeted); it may enqueue reminders, pass visitors on, commit."""
    if handler not in _handlers:
        _handlers.append(handler)


def clear_handlers() -> None:
    _handlers.clear()


def unanswered(session: Session, *, now: datetime, older_than: timedelta) -> list[NotifyAlert]:
    """Visitor alerts at least `older_than` old whose visit still waits for 我来接待."""
    query = (
        select(NotifyAlert)
        .join(Visit, col(Visit.id) == NotifyAlert.visit_id)
        .where(NotifyAlert.kind == VISITOR_ASSIGNED, Visit.status == VisitStatus.ASSIGNED)
        .where(Visit.assigned_id == NotifyAlert.staff_id)
        .where(NotifyAlert.created_at <= now - older_than, NotifyAlert.created_at > now - LOOK_BACK)
        .order_by(col(NotifyAlert.created_at))
    )
    return list(session.exec(query))


def reminder(alert: NotifyAlert) -> Alert:
    """The outbox entry reminding the person of `alert` (its key makes it one reminder per alert)."""
    return Alert(
        site_id=alert.site_id,
        staff_id=alert.staff_id,
        kind='reminder',
        key=f'{alert.key}:reminder',
        text=t('再次提醒：{alert}', alert=alert.text),
        url=alert.url,
        visit_id=alert.visit_id,
    )


def sweep(now: datetime | None = None) -> None:
    """One pass: the registered handlers see what is unanswered (none registered: nothing is read)."""
    if not _handlers:
        return
    now = now or utcnow()
    with db.session() as s:
        alerts = unanswered(s, now=now, older_than=timedelta(0))
        for handler in list(_handlers):
            handler(s, alerts, now)


async def sweep_forever() -> None:
    while True:
        await asyncio.sleep(SWEEP_S)
        try:
            await asyncio.to_thread(sweep)
        except Exception:  # a handler's failure must not stop the sweep
            logging.exception('notify: unanswered sweep failed')
