"""First run: a first site and an admin with a one-time password."""

from __future__ import annotations

from sqlmodel import Session, select

from models import Role, Staff
from services.accounts.sites import SiteForm, create_site
from services.core import security

ADMIN_USERNAME = 'admin'


def first_run(session: Session) -> str | None:
    """On an empty database: a first site and the admin; returns the admin's one-time password, else None."""
    if session.exec(select(Staff).limit(1)).first() is not None:
        return None
    create_site(session, actor=None, form=SiteForm(name='我的项目', code='SITE1'))
    password = security.random_password(14)
    session.add(
        Staff(
            name='集团管理员',
            username=ADMIN_USERNAME,
            role=Role.ADMIN,
            site_id=None,
            password_hash=security.hash_password(password),
            must_change_password=True,
        )
    )
    session.commit()
    return password
