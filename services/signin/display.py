"""Access without a staff login: the TV's display tokens and the entrance QR's sign-in tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models import DisplayToken, Site, Staff, utcnow
from services.accounts import sites
from services.core import audit, authz
from services.core.errors import NotFound
from services.core.validation import clean_text
from services.signin import qr

TV_CODE_MINUTES = 5


def create_display_token(session: Session, *, actor: Staff, label: str) -> str:
    """A new TV link for the manager's site; the token is shown once, only its hash is kept."""
    authz.require(actor, authz.MANAGERS)
    if actor.site_id is None:
        raise NotFound()
    token = secrets.token_urlsafe(24)
    row = DisplayToken(
        site_id=actor.site_id,
        token_hash=_hash(token),
        created_by_id=actor.id,
        label=clean_text(label, field='label', max_length=40) or '案场大屏',
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action='create_display_token',
        entity='display_token',
        entity_id=row.id,
        site_id=row.site_id,
        after={'label': row.label},
    )
    session.commit()
    return token


def list_display_tokens(session: Session, *, actor: Staff) -> list[DisplayToken]:
    authz.require(actor, authz.MANAGERS)
    query = select(DisplayToken).where(DisplayToken.site_id == actor.site_id, col(DisplayToken.revoked_at).is_(None))
    return list(session.exec(query.order_by(col(DisplayToken.id))))


def revoke_display_token(session: Session, *, actor: Staff, token_id: int) -> None:
    row = session.get(DisplayToken, token_id)
    if row is None or not authz.allowed(actor, authz.MANAGERS, site_id=row.site_id):
        raise NotFound()
    row.revoked_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action='revoke_display_token',
        entity='display_token',
        entity_id=row.id,
        site_id=row.site_id,
    )
    session.commit()


def site_for_display(session: Session, token: str) -> Site:
    """The site a TV token opens; NotFound for an unknown or revoked one."""
    row = session.exec(select(DisplayToken).where(DisplayToken.token_hash == _hash(token[:100]))).first()
    site = session.get(Site, row.site_id) if row and row.revoked_at is None else None
    if site is None or not site.active:
        raise NotFound('大屏链接无效或已停用')
    return site


def entrance_token(site: Site, *, secret: str, now: datetime | None = None) -> str:
    """The sign-in token the printed poster carries: valid during the site's opening hours of the day (widened by
    its `poster_margin_minutes`), or its own window of minutes from now. The TV's rotating code is the safer one."""
    now = now or utcnow()
    minutes = int(sites.setting(site, 'signin_window_minutes') or 0)
    if minutes:
        start = now
        return qr.make_token(
            secret, site_code=site.code, valid_from=start, valid_until=start + timedelta(minutes=minutes)
        )
    start, end = poster_window(site, now)
    return qr.make_token(secret, site_code=site.code, valid_from=start, valid_until=end)


def poster_window(site: Site, now: datetime) -> tuple[datetime, datetime]:
    """When a poster printed at `now` lets visitors sign in: the opening hours of today (or of tomorrow, once
    today's are over), as UTC [start, end)."""
    margin = timedelta(minutes=int(sites.setting(site, 'poster_margin_minutes') or 0))
    return qr.hours_window(now, site.timezone, site.opens_at, site.closes_at, margin)


def tv_token(site: Site, *, secret: str, now: datetime | None = None) -> str:
    """The rotating sign-in token the TV shows, renewed every few minutes."""
    return qr.rotating_token(secret, site.code, now or utcnow(), TV_CODE_MINUTES)


def site_for_signin(session: Session, token: str, *, secret: str, now: datetime | None = None) -> Site:
    """The site a scanned sign-in token belongs to; InvalidToken / ExpiredToken otherwise."""
    claims = qr.verify_token(secret, token, now=now or utcnow())
    return site_by_code(session, claims.site_code)


def site_by_code(session: Session, code: str) -> Site:
    """The active site a verified sign-in token names; InvalidToken if it is gone or closed."""
    site = session.exec(select(Site).where(Site.code == code)).first()
    if site is None or not site.active:
        raise qr.InvalidToken()
    return site


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
