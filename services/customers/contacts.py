"""What every customer-facing part shares: the site's lists, finding a customer, the contact log, grades."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import ContactKind, ContactLog, Customer, Role, Site, Staff
from services.core import authz
from services.core.errors import NotFound, ValidationError
from services.customers import ownership

ON_SITE = frozenset({Role.SALESPERSON, Role.MANAGER})
GRADES = ('A', 'B', 'C', 'D')
DEFAULTS: dict[str, Any] = {
    'grade_definitions': {  # the site's own meaning of each intent grade
        'A': '意向强烈，一周内可成交',
        'B': '有意向，需再比较',
        'C': '意向一般，观望中',
        'D': '暂无意向',
    },
    'no_deal_reasons': ['价格/总价超预算', '户型不合适', '区位/交通', '买了竞品', '资金/贷款问题', '暂不购房', '其他'],
    'objections': ['价格高', '户型', '楼层/朝向', '交通', '配套', '交房时间', '物业费', '开发商品牌'],
    'cares': ['学区', '交通', '户型', '价格', '环境', '配套', '品牌', '物业'],
    'follow_up_methods': ['电话', '微信', '邀约到访', '短信'],
}


def setting(site: Site, key: str) -> Any:
    """A site's list or definition for customer records, or its default."""
    return site.settings.get(key, DEFAULTS[key])


def site_of(session: Session, actor: Staff) -> Site:
    authz.require(actor, ON_SITE)
    site = session.get(Site, actor.site_id) if actor.site_id else None
    if site is None:
        raise NotFound()
    return site


def customer_of(session: Session, actor: Staff, customer_id: int) -> Customer:
    """A customer of the actor's site (salespeople and managers)."""
    authz.require(actor, ON_SITE)
    customer = session.get(Customer, customer_id)
    if customer is None or customer.site_id != actor.site_id:
        raise NotFound()
    return customer


def local_today(site: Site, now: datetime) -> date:
    return now.astimezone(ZoneInfo(site.timezone)).date()


def log(
    session: Session,
    customer: Customer,
    *,
    kind: ContactKind,
    at: datetime,
    staff_id: int | None,
    summary: str = '',
    grade: str | None = None,
) -> None:
    """One line on the customer's timeline; a contact (not a grade or outcome change) renews protection."""
    session.add(
        ContactLog(
            site_id=customer.site_id,
            customer_id=customer.id or 0,
            at=at,
            kind=kind,
            staff_id=staff_id,
            summary=summary[:500],
            grade=grade,
        )
    )
    if kind in (ContactKind.CALL, ContactKind.TOUR, ContactKind.FOLLOW_UP, ContactKind.RECORD):
        site = session.get(Site, customer.site_id)
        assert site is not None
        ownership.record_contact(customer, site, at, staff_id=staff_id)


def set_grade(session: Session, customer: Customer, grade: str, *, staff_id: int | None, at: datetime) -> None:
    """Change the intent grade, leaving a line on the timeline when it moves."""
    if grade not in GRADES:
        raise ValidationError('grade', '请选择意向等级 A/B/C/D')
    if customer.grade != grade:
        summary = f'{customer.grade or "-"} → {grade}'
        log(session, customer, kind=ContactKind.GRADE, at=at, staff_id=staff_id, summary=summary, grade=grade)
        customer.grade = grade


def check_version(customer: Customer, version: int | None) -> None:
    """Optimistic check: refuse an edit made on an older copy of the customer."""
    if version is not None and version != customer.version:
        raise ValidationError('version', '该客户资料已被他人修改，请刷新后再试')
    customer.version += 1
