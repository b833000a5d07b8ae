"""Logging in, throttling, session validity and password changes."""

import time
from datetime import timedelta

import pytest
from sqlmodel import Session, select

import db
from components import session as web_session
from models import AuditLog, Role, Staff, utcnow
from services.accounts import auth
from services.accounts import staff as staff_service
from services.core.errors import DomainError, ValidationError
from tests.helpers.factories import PASSWORD, make_site, make_staff


def test_log_in_by_phone_in_any_common_format_or_by_username(session: Session) -> None:
    staff = make_staff(session, site=make_site(session), phone='13912345678', username='lina')
    for login in ('13912345678', '+86 139-1234-5678', ' 139 1234 5678 ', 'LiNa'):
        assert auth.authenticate(session, login=login, password=PASSWORD, client='c').id == staff.id


@pytest.mark.parametrize('password', ['wrong', '', PASSWORD.upper(), "' OR 1=1 --", 'x' * 10_000])
def test_wrong_passwords_are_refused_with_one_message(session: Session, password: str) -> None:
    make_staff(session, site=make_site(session), username='lina')
    with pytest.raises(DomainError, match='账号或密码错误'):
        auth.authenticate(session, login='lina', password=password, client='c')


def test_unknown_inactive_and_closed_site_accounts_cannot_log_in(session: Session) -> None:
    site = make_site(session)
    make_staff(session, site=site, username='gone', active=False)
    closed = make_site(session)
    make_staff(session, site=closed, username='closed')
    closed.active = False
    session.commit()
    for login in ('nobody', 'gone', 'closed', '<script>alert(1)</script>', '😀' * 100):
        with pytest.raises(DomainError, match='账号或密码错误'):
            auth.authenticate(session, login=login, password=PASSWORD, client=f'c-{login}')


def test_repeated_failures_delay_the_account_more_and_more(session: Session) -> None:
    make_staff(session, site=make_site(session), username='lina')
    now = utcnow()
    for _ in range(auth.FREE_FAILURES + 1):
        with pytest.raises(DomainError, match='账号或密码错误'):
            auth.authenticate(session, login='lina', password='nope', client='c', now=now)
    with pytest.raises(auth.TooManyAttempts, match='1 分钟'):
        auth.authenticate(session, login='lina', password=PASSWORD, client='other', now=now)
    later = now + auth.FIRST_DELAY + timedelta(seconds=1)
    assert auth.authenticate(session, login='lina', password=PASSWORD, client='other', now=later)


def test_success_forgets_earlier_failures(session: Session) -> None:
    make_staff(session, site=make_site(session), username='lina')
    for _ in range(auth.FREE_FAILURES):
        with pytest.raises(DomainError):
            auth.authenticate(session, login='lina', password='nope', client='c')
    auth.authenticate(session, login='lina', password=PASSWORD, client='c')
    with pytest.raises(DomainError, match='账号或密码错误'):
        auth.authenticate(session, login='lina', password='nope', client='c')
    assert auth.authenticate(session, login='lina', password=PASSWORD, client='c')


def test_sessions_expire_and_end_on_password_change(session: Session) -> None:
    staff = make_staff(session, site=make_site(session))
    started = utcnow().timestamp()

    def valid(**kw: object) -> bool:
        args = {'staff_id': staff.id, 'epoch': 0, 'logged_in_at': started, 'max_hours': 12.0} | kw
        return auth.session_staff(session, **args) is not None  # type: ignore[arg-type]

    assert valid()
    assert not valid(now=utcnow() + timedelta(hours=12, seconds=1))
    assert not valid(staff_id=None)
    auth.change_password(session, actor=staff, current=PASSWORD, new='a-new-pass-42')
    assert not valid()
    assert valid(epoch=1)


def test_change_password_checks_the_current_one_and_the_rules(session: Session) -> None:
    staff = make_staff(session, site=make_site(session), phone='13912345678')
    with pytest.raises(ValidationError, match='当前密码不正确'):
        auth.change_password(session, actor=staff, current='wrong', new='a-new-pass-42')
    for weak in ('short', '11111111', '13912345678', 'y' * 129):
        with pytest.raises(ValidationError):
            auth.change_password(session, actor=staff, current=PASSWORD, new=weak)
    auth.change_password(session, actor=staff, current=PASSWORD, new='a-new-pass-42')
    assert auth.authenticate(session, login='13912345678', password='a-new-pass-42', client='c')
    logged = session.exec(select(AuditLog).where(AuditLog.action == 'change_password')).one()
    assert logged.actor_id == staff.id and logged.after is None


def test_password_hash_is_argon2id_not_the_password(session: Session) -> None:
    staff = make_staff(session, site=make_site(session), role=Role.MANAGER)
    assert staff.password_hash.startswith('$argon2id$') and PASSWORD not in staff.password_hash


def test_a_checked_session_is_reused_but_ends_at_once_when_its_account_changes(session: Session) -> None:
    site = make_site(session)
    admin = make_staff(session, site=None, role=Role.ADMIN, username='root')
    lina = make_staff(session, site=site, username='lina')
    web_session.configure(session_hours=12)
    data = {'staff_id': lina.id, 'epoch': lina.session_epoch, 'logged_in_at': time.time()}
    assert (checked := web_session.staff_of(data)) is not None and checked.name == lina.name
    lina.name = '改名'  # straight in the database, no event: within CHECKED_FOR_S the check is not repeated
    session.commit()
    assert (checked := web_session.staff_of(data)) is not None and checked.name != '改名'
    with db.session() as s:  # deactivated through the service: out at once, not after CHECKED_FOR_S
        staff_service.set_active(s, actor=admin, staff_id=lina.id or 0, active=False)
    assert web_session.staff_of(data) is None
    with db.session() as s:
        staff_service.set_active(s, actor=admin, staff_id=lina.id or 0, active=True)
        again = s.get(Staff, lina.id)
        assert again is not None
        data = {'staff_id': lina.id, 'epoch': again.session_epoch, 'logged_in_at': time.time()}
    assert web_session.staff_of(data) is not None
    with db.session() as s:  # a new password ends the other sessions at once too
        changed = auth.change_password(s, actor=again, current=PASSWORD, new='a-new-secret-9')
    assert changed.session_epoch != data['epoch'] and web_session.staff_of(data) is None
