"""A site with channels on the stub, and alerts through the outbox."""

from __future__ import annotations

import itertools

from sqlalchemy import text
from sqlmodel import Session, select

import db
from models import ChannelKind, DeliveryStatus, NotifyChannel, NotifyDelivery, Role, Site, Staff
from services import notify
from services.notify.sender import LEASE_KEY
from tests.helpers.factories import make_site, make_staff
from tests.services.notify.stubs import Stub

_keys = itertools.count(1)


def manager_of(session: Session, site: Site) -> Staff:
    return make_staff(session, site=site, role=Role.MANAGER, name='王静', phone='13800000001')


def robot_site(session: Session, stub: Stub, kind: str = ChannelKind.WECOM_ROBOT) -> tuple[Site, Staff]:
    site = make_site(session, name='云庐')
    manager = manager_of(session, site)
    add_channel(session, stub, site, manager, kind)
    return site, manager


def add_channel(session: Session, stub: Stub, site: Site, manager: Staff, kind: str) -> NotifyChannel:
    values = {
        ChannelKind.WECOM_ROBOT: {'webhook': stub.wecom_robot_url(f'key-{site.id}')},
        ChannelKind.DINGTALK_ROBOT: {'webhook': stub.dingtalk_url(f'tok-{site.id}'), 'secret': stub.dingtalk_secret},
        ChannelKind.WECOM_APP: {
            'corp_id': 'ww1',
            'agent_id': '1000002',
            'secret': stub.corp_secret,
            'api_base': stub.base,
        },
        ChannelKind.WEB_PUSH: {},
    }[ChannelKind(kind)]
    return notify.save_channel(session, actor=manager, site_id=site.id or 0, kind=kind, values=values)


def alert_for(session: Session, person: Staff, text: str = '来访提醒：轮到您接待陈先生，请到前台') -> None:
    alert = notify.Alert(
        site_id=person.site_id or 0, staff_id=person.id or 0, kind='visitor_assigned', key=f'k{next(_keys)}', text=text
    )
    notify.enqueue(session, [alert])
    session.commit()


def statuses() -> list[str]:
    with db.session() as s:
        return [d.status for d in s.exec(select(NotifyDelivery).order_by(NotifyDelivery.id))]


def deliveries() -> list[NotifyDelivery]:
    with db.session() as s:
        return list(s.exec(select(NotifyDelivery).order_by(NotifyDelivery.id)))


SENT = DeliveryStatus.SENT


HOLDERS = """
SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :k AND granted AND pid <> pg_backend_pid()
AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def lease_holders() -> list[int]:
    """On PostgreSQL, the sessions of this test's database holding the sending lease."""
    engine = db.get_engine()
    if engine.dialect.name != 'postgresql':
        return []
    with engine.connect() as c:
        return list(c.execute(text(HOLDERS), {'k': LEASE_KEY}).scalars())


def end_lease_holders() -> None:
    holders = lease_holders()
    if holders:
        with db.get_engine().connect() as c:
            c.execute(text('SELECT pg_terminate_backend(pid) FROM unnest(CAST(:p AS int[])) AS pid'), {'p': holders})
