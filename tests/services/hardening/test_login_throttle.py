"""Finding 5: one account is one counter whatever name logs it in; growing delays, not a hard lock; and an
address's failures alone never lock out a correct password."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from models import LoginThrottle, Staff, utcnow
from services.accounts import auth
from services.core.errors import DomainError
from tests.helpers.factories import PASSWORD, make_site, make_staff

NAMES = ['lina', '13912345678', 'LINA', '+86 139 1234 5678']


def fail(session: Session, login: str, client: str = 'c', **kw: object) -> None:
    with pytest.raises(DomainError):
        auth.authenticate(session, login=login, password='nope', client=client, **kw)  # type: ignore[arg-type]


def test_every_name_of_an_account_counts_against_one_counter(session: Session) -> None:
    make_staff(session, site=make_site(session), username='lina', phone='13912345678')
    for n in range(auth.FREE_FAILURES + 1):
        fail(session, NAMES[n % len(NAMES)], client=f'c{n}')
    for login in NAMES:  # the phone, the username, any spelling: all held back
        with pytest.raises(auth.TooManyAttempts):
            auth.authenticate(session, login=login, password=PASSWORD, client='fresh')


def test_the_delay_grows_with_each_failure_and_is_capped(session: Session) -> None:
    make_staff(session, site=make_site(session), username='lina')
    now, waits = utcnow(), []
    for _ in range(auth.FREE_FAILURES + 8):
        fail(session, 'lina', now=now)
        row = session.get(LoginThrottle, f'account:{session.exec(select(Staff)).one().id}')
        assert row is not None
        waits.append((row.locked_until - now) if row.locked_until else timedelta(0))
        now = now + waits[-1] + timedelta(seconds=1)  # each try after the wait is over
    growing = waits[auth.FREE_FAILURES :]
    assert waits[: auth.FREE_FAILURES] == [timedelta(0)] * auth.FREE_FAILURES
    assert growing[0] == auth.FIRST_DELAY and growing[1] == 2 * auth.FIRST_DELAY and max(growing) == auth.MAX_DELAY
    assert auth.authenticate(session, login='lina', password=PASSWORD, client='c', now=now)  # never a hard lock


def test_an_address_full_of_failures_does_not_lock_out_a_correct_password(session: Session) -> None:
    site = make_site(session)
    make_staff(session, site=site, username='lina')
    make_staff(session, site=site, username='zhang', phone='13900000002')
    for n in range(auth.MAX_FAILURES_PER_CLIENT * 2):
        fail(session, f'guess{n}', client='wifi')
    assert auth.authenticate(session, login='lina', password=PASSWORD, client='wifi')
    assert auth.authenticate(session, login='13900000002', password=PASSWORD, client='wifi')


def test_an_address_over_its_limit_gets_one_guess_per_account(session: Session) -> None:
    make_staff(session, site=make_site(session), username='lina')
    for n in range(auth.MAX_FAILURES_PER_CLIENT):
        fail(session, f'guess{n}', client='attacker')
    fail(session, 'lina', client='attacker')  # allowed: lina had no failures yet
    with pytest.raises(auth.TooManyAttempts):
        auth.authenticate(session, login='lina', password=PASSWORD, client='attacker')
    assert auth.authenticate(session, login='lina', password=PASSWORD, client='her-phone')
