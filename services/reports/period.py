"""Days, weeks and months as a site counts them (its own time zone), and their bounds in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models import Site
from services.core.errors import ValidationError


@dataclass(frozen=True)
class Period:
    first: date  # the first local day
    last: date  # the last local day, included
    start: datetime  # UTC, the first day's midnight
    end: datetime  # UTC, the midnight after the last day

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def period(site: Site, first: date, last: date) -> Period:
    zone = ZoneInfo(site.timezone)
    start = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return Period(first, last, start, end)


def month_of(site: Site, month: str) -> Period:
    """A month given as YYYY-MM."""
    first = parse_month(month)
    following = (first + timedelta(days=32)).replace(day=1)
    return period(site, first, following - timedelta(days=1))


def week_of(site: Site, day: date) -> Period:
    """The Monday-to-Sunday week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return period(site, monday, monday + timedelta(days=6))


def parse_month(month: str) -> date:
    try:
        first = datetime.strptime(month, '%Y-%m').date()
    except ValueError as e:
        raise ValidationError('month', '月份格式应为 YYYY-MM') from e
    return first


def previous_month(month: str) -> str:
    return (parse_month(month) - timedelta(days=1)).strftime('%Y-%m')


def month_weeks(p: Period) -> list[tuple[str, date, date]]:
    """The month cut into its calendar weeks (the first and last may be short): label, first, last."""
    weeks, day, n = [], p.first, 1
    while day <= p.last:
        end = min(day + timedelta(days=6 - day.weekday()), p.last)
        weeks.append(
            ('第{n}周 {first}-{last}'.format_map({'n': n, 'first': f'{day:%m.%d}', 'last': f'{end:%m.%d}'}), day, end)
        )
        day, n = end + timedelta(days=1), n + 1
    return weeks


def local_hour(site: Site, at: datetime) -> int:
    return at.astimezone(ZoneInfo(site.timezone)).hour


def local_date(site: Site, at: datetime) -> date:
    return at.astimezone(ZoneInfo(site.timezone)).date()
