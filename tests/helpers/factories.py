"""Small factories for tests: a site, a staff member of any role, with a known password."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlmodel import Session

from models import Role, Site, Staff, utcnow
from services.core import security
from services.rotation import roster

PASSWORD = 'correct-horse-9'
_HASH = security.hash_password(PASSWORD)  # hashed once: argon2 is deliberately slow
_numbers = itertools.count(1)


def make_site(session: Session, *, name: str = '测试项目', code: str | None = None) -> Site:
    site = Site(name=name, code=code or f'T{next(_numbers)}')
    session.add(site)
    session.commit()
    return site


def make_staff(
    session: Session,
    *,
    site: Site | None,
    role: Role = Role.SALESPERSON,
    name: str = '测试员工',
    phone: str | None = None,
    username: str | None = None,
    days_employed: int = 365,
    mentor: Staff | None = None,
    active: bool = True,
    must_change_password: bool = False,
) -> Staff:
    n = next(_numbers)
    staff = Staff(
        site_id=site.id if site else None,
        role=role,
        name=name,
        active=active,
        phone=phone if phone is not None else (None if role == Role.ADMIN else f'139{n:08d}'),
        username=username if username is not None else f'user{n}',
        password_hash=_HASH,
        joined_on=date.today() - timedelta(days=days_employed),
        mentor_id=mentor.id if mentor else None,
        must_change_password=must_change_password,
    )
    session.add(staff)
    session.commit()
    return staff


def site_today() -> date:
    """Today at a site made by make_site (China time): not the machine's date, which is a day behind from 16:00 UTC."""
    return roster.local_day(Site(name='x', code='x'), utcnow())
