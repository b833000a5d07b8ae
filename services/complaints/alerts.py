"""A complaint's alerts through the notification outbox: a new one to the site's managers, an overdue one to them
and up to the group admin (written in the transaction that takes it in or escalates it)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import Complaint, Customer
from services import notify
from services.complaints import rules
from services.core.i18n import t

NEW, OVERDUE = 'complaint_new', 'complaint_overdue'


def alert_managers(session: Session, complaint: Complaint, what: str, now: datetime) -> None:
    """`what`: 'new' (taken in), 'acknowledge' or 'resolve' (that deadline passed: escalated)."""
    people = notify.site_managers(session, complaint.site_id)
    if what != 'new':
        people += notify.group_admins(session)
    notify.enqueue_for(
        session,
        site_id=complaint.site_id,
        staff_ids=people,
        kind=NEW if what == 'new' else OVERDUE,
        key=f'complaint:{complaint.id}:{what}',
        text=_text(session, complaint, what),
        url=f'/complaints/{complaint.id}',
        now=now,
    )


def _text(session: Session, complaint: Complaint, what: str) -> str:
    """Short, no phone number: the customer as 刘女士, the category and severity."""
    customer = session.get(Customer, complaint.customer_id)
    who = f'{customer.surname}{customer.title}' if customer else ''
    about = t(rules.CATEGORIES.get(complaint.category, complaint.category))
    severity = t(rules.SEVERITIES.get(complaint.severity, complaint.severity))
    if what == 'new':
        return t('新投诉：{who}（{about}，{severity}），请及时受理', who=who, about=about, severity=severity)
    if what == 'acknowledge':
        return t('投诉逾期未受理，已上报集团：{who}（{about}，{severity}）', who=who, about=about, severity=severity)
    return t('投诉逾期未解决，已上报集团：{who}（{about}，{severity}）', who=who, about=about, severity=severity)
