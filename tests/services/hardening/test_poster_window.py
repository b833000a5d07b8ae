"""Finding 4: a photographed poster code works only in the site's opening hours; the TV's code any time."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import Session

from services.accounts import sites
from services.signin import display, qr
from tests.helpers.factories import make_site

SECRET = 'x' * 40
SHANGHAI = timedelta(hours=8)


def local(hour: int, minute: int = 0, day: int = 1) -> datetime:
    """That time in Shanghai on December `day`, 2026, as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC) - SHANGHAI


def works(token: str, at: datetime) -> bool:
    try:
        qr.verify_token(SECRET, token, now=at)
    except qr.ExpiredToken:
        return False
    return True


def test_a_poster_code_works_in_opening_hours_only(session: Session) -> None:
    site = make_site(session)  # opens 09:00, closes 18:00; 30 minutes either side by default
    poster = display.entrance_token(site, secret=SECRET, now=local(10))
    assert works(poster, local(8, 31)) and works(poster, local(12)) and works(poster, local(18, 29))
    assert not works(poster, local(8, 29)) and not works(poster, local(18, 31)) and not works(poster, local(21))
    assert not works(poster, local(12, day=2))  # and not the next day


def test_a_poster_printed_in_the_evening_is_for_the_next_opening(session: Session) -> None:
    site = make_site(session)
    poster = display.entrance_token(site, secret=SECRET, now=local(20))
    assert not works(poster, local(20, 30)) and not works(poster, local(23, 59))
    assert works(poster, local(9, day=2)) and not works(poster, local(19, day=2))


def test_the_window_follows_the_sites_hours_and_margin(session: Session) -> None:
    site = make_site(session)
    site.opens_at, site.closes_at = time(10, 0), time(21, 0)
    site.settings = {**site.settings, 'poster_margin_minutes': 0}
    assert sites.setting(site, 'poster_margin_minutes') == 0
    poster = display.entrance_token(site, secret=SECRET, now=local(11))
    assert works(poster, local(20, 59)) and not works(poster, local(9, 59)) and not works(poster, local(21, 1))


@pytest.mark.parametrize('hour', [3, 12, 22])
def test_the_tvs_rotating_code_works_at_any_hour_for_minutes_only(session: Session, hour: int) -> None:
    site = make_site(session)
    tv = display.tv_token(site, secret=SECRET, now=local(hour))
    assert works(tv, local(hour, 4)) and not works(tv, local(hour, 20))
