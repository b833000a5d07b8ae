"""Logging in (with throttling of repeated failures), session validity and password changes."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlmodel import Session, select

import db
from models import LoginThrottle, Site, Staff, utcnow
from services.core import audit, events, security
from services.core.errors import DomainError, ValidationError
from services.core.validation import MAINLAND_MOBILE, normalise_phone

FREE_FAILURES = 3  # an account's first wrong passwords cost nothing: typos happen
FIRST_DELAY = timedelta(seconds=30)  # then each further one doubles the wait before the next try...
MAX_DELAY = timedelta(minutes=15)  # ...up to this; never a hard lock
FAILURE_MEMORY = timedelta(hours=24)  # an account's failures are forgotten a day after the last one
MAX_FAILURES_PER_CLIENT = 20  # one address (often a whole sales centre's Wi-Fi) in FAILURE_WINDOW
FAILURE_WINDOW = timedelta(minutes=15)


class TooManyAttempts(DomainError):
    """Too many failed logins: wait a while before the next try."""

    def __init__(self, until: datetime, now: datetime) -> None:
        super().__init__(
            '尝试次数过多，请 {minutes} 分钟后再试', minutes=max(1, math.ceil((until - now).total_seconds() / 60))
        )


def authenticate(session: Session, *, login: str, password: str, client: str, now: datetime | None = None) -> Staff:
    """The active staff member with this phone or username and password.

    Throttled per account, whatever name it is logged in by (phone or username), with growing delays; and per
    address, which only holds back an account that has failures of its own — an address's count alone (the sales
    centre's one Wi-Fi) never locks out a correct password."""
    now = now or utcnow()
    login = _login_key(login)
    staff = find_by_login(session, login)
    account, address = (f'account:{staff.id}' if staff else f'login:{login}')[:80], f'client:{client}'[:80]
    _refuse_if_delayed(session, account, now)
    _refuse_if_address_over(session, address, account, now)
    ok = security.verify_password(staff.password_hash if staff else None, password) and _may_log_in(session, staff)
    db.begin_write(session)  # the counts change now (not while the password is checked: that takes 0.1 s)
    for row in [r for r in session.identity_map.values() if isinstance(r, LoginThrottle)]:
        session.expire(row)  # read the counts again as the writer: another login may have counted since
    if not ok:
        _count_account_failure(session, account, now)
        _count_address_failure(session, address, now)
        session.commit()
        raise DomainError('账号或密码错误')
    _forget_failures(session, account)
    session.commit()
    assert staff is not None
    return staff


def find_by_login(session: Session, login: str) -> Staff | None:
    """The account whose phone or username is `login`."""
    login = _login_key(login)
    column = Staff.phone if MAINLAND_MOBILE.fullmatch(login) else Staff.username
    return session.exec(select(Staff).where(column == login)).first()


def session_staff(
    session: Session,
    *,
    staff_id: int | None,
    epoch: int | None,
    logged_in_at: float | None,
    max_hours: float,
    now: datetime | None = None,
) -> Staff | None:
    """The staff member a browser session belongs to, if that session is still valid."""
    if staff_id is None or logged_in_at is None:
        return None
    now = now or utcnow()
    if now.timestamp() - logged_in_at > max_hours * 3600:
        return None
    staff = session.get(Staff, staff_id)
    if staff is None or staff.session_epoch != epoch or not _may_log_in(session, staff):
        return None
    return staff


def change_password(session: Session, *, actor: Staff, current: str, new: str) -> Staff:
    """Change the actor's own password; ends their other sessions."""
    staff = session.get(Staff, actor.id)
    if staff is None or not security.verify_password(staff.password_hash, current):
        raise ValidationError('current', '当前密码不正确')
    security.check_new_password(new, forbidden=(staff.phone, staff.username, current))
    staff.password_hash = security.hash_password(new)
    staff.must_change_password = False
    staff.session_epoch += 1
    audit.record(
        session, actor=staff, action='change_password', entity='staff', entity_id=staff.id, site_id=staff.site_id
    )
    session.commit()
    events.emit(events.staff_changed, staff.site_id)
    return staff


def _login_key(login: str) -> str:
    login = (login or '').strip()[:64]
    try:
        return normalise_phone(login)
    except ValidationError:
        return login.lower()


def _may_log_in(session: Session, staff: Staff | None) -> bool:
    if staff is None or not staff.active:
        return False
    site = session.get(Site, staff.site_id) if staff.site_id is not None else None
    return staff.site_id is None or (site is not None and site.active)


def _refuse_if_delayed(session: Session, key: str, now: datetime) -> None:
    row = session.get(LoginThrottle, key)
    if row and row.locked_until and row.locked_until > now:
        raise TooManyAttempts(row.locked_until, now)


def _refuse_if_address_over(session: Session, address: str, account: str, now: datetime) -> None:
    """An address past its limit may not try again an account that already failed (it may try a clean one)."""
    row = session.get(LoginThrottle, address)
    if row is None or row.first_failure_at is None or now - row.first_failure_at > FAILURE_WINDOW:
        return
    failed = session.get(LoginThrottle, account)
    if row.failures >= MAX_FAILURES_PER_CLIENT and failed is not None and failed.failures:
        raise TooManyAttempts(row.first_failure_at + FAILURE_WINDOW, now)


def _count_account_failure(session: Session, key: str, now: datetime) -> None:
    """One more failure of the account; past the free ones, the next try waits twice as long as the last."""
    row = session.get(LoginThrottle, key) or LoginThrottle(key=key)
    if row.first_failure_at is None or now - row.first_failure_at > FAILURE_MEMORY:
        row.failures, row.locked_until = 0, None
    row.failures += 1
    row.first_failure_at = now  # for an account: its latest failure, from which the memory runs
    if row.failures > FREE_FAILURES:
        row.locked_until = now + min(FIRST_DELAY * 2 ** (row.failures - FREE_FAILURES - 1), MAX_DELAY)
    session.add(row)


def _count_address_failure(session: Session, key: str, now: datetime) -> None:
    """One more failure from the address in its fixed window."""
    row = session.get(LoginThrottle, key) or LoginThrottle(key=key)
    if row.first_failure_at is None or now - row.first_failure_at > FAILURE_WINDOW:
        row.failures, row.first_failure_at = 0, now
    row.failures += 1
    session.add(row)


def _forget_failures(session: Session, key: str) -> None:
    row = session.get(LoginThrottle, key)
    if row is not None:
        session.delete(row)
