"""The demo site 滨江·云庐: its accounts, then its morning, duty and complaints through the real services."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlmodel import Session, select

from models import Role, Site, Staff
from services.accounts.sites import SiteForm, create_site
from services.core import security
from services.demo.complaints import demo_complaints
from services.demo.duty import demo_duty
from services.demo.morning import demo_morning
from services.reports import demo as report_demo

DEMO_SITE_CODE = 'DEMO'
DEMO_HISTORY_DAYS = 91  # three months behind today: the dashboard, the minutes and the reports show something
DEMO_PASSWORD = 'anchang-demo'  # noqa: S105 - the demo only: printed with the demo accounts, never used elsewhere
DEMO_MANAGER = ('王静', '13800000001', 'manager')
DEMO_ADMIN = ('集团演示管理员', 'demoadmin')
DEMO_SALES = [  # name, phone, username, days since joining
    ('李娜', '13800000011', 'lina', 800),
    ('张伟', '13800000012', 'zhangwei', 620),
    ('刘洋', '13800000013', 'liuyang', 410),
    ('陈晨', '13800000014', 'chenchen', 300),
    ('杨帆', '13800000015', 'yangfan', 150),
    ('赵雪', '13800000016', 'zhaoxue', 9),  # first month: shadows 李娜
]


def load_demo(session: Session, *, history_days: int = DEMO_HISTORY_DAYS) -> Site:
    """The demo site 滨江·云庐 with a manager and six salespeople (one in their first month); idempotent."""
    site = session.exec(select(Site).where(Site.code == DEMO_SITE_CODE)).first()
    if site is not None:
        return site
    site = create_site(
        session,
        actor=None,
        form=SiteForm(
            name='滨江·云庐售楼处',
            code=DEMO_SITE_CODE,
            address='杭州市滨江区江南大道 1288 号',
            opens_at=time(9, 0),
            closes_at=time(18, 0),
        ),
    )
    password_hash = security.hash_password(DEMO_PASSWORD)
    session.add(Staff(name=DEMO_ADMIN[0], username=DEMO_ADMIN[1], role=Role.ADMIN, password_hash=password_hash))
    name, phone, username = DEMO_MANAGER
    session.add(
        Staff(
            name=name,
            phone=phone,
            username=username,
            role=Role.MANAGER,
            site_id=site.id,
            password_hash=password_hash,
            joined_on=date.today() - timedelta(days=1500),
        )
    )
    mentor: Staff | None = None
    for name, phone, username, days in DEMO_SALES:
        person = Staff(
            name=name,
            phone=phone,
            username=username,
            role=Role.SALESPERSON,
            site_id=site.id,
            password_hash=password_hash,
            joined_on=date.today() - timedelta(days=days),
            mentor_id=mentor.id if mentor and days < 31 else None,
        )
        session.add(person)
        session.flush()
        mentor = mentor or person
    session.commit()
    demo_morning(session, site_id=site.id or 0)
    demo_duty(session, site_id=site.id or 0)
    demo_complaints(session, site_id=site.id or 0)
    if history_days:
        report_demo.demo_history(session, site_id=site.id or 0, days=history_days)
    return site
