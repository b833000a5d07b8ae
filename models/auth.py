"""Failed-login bookkeeping, kept in the database so it holds across restarts and processes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .base import UTCDateTime


class LoginThrottle(SQLModel, table=True):
    __tablename__ = 'login_throttle'

    key: str = Field(primary_key=True, max_length=80)
    failures: int = Field(default=0)
    first_failure_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RateCounter(SQLModel, table=True):
    """Requests counted per key (a client, a phone number) in a fixed window, for rate limits."""

    __tablename__ = 'rate_counter'

    key: str = Field(primary_key=True, max_length=120)
    window_start: datetime = Field(sa_type=UTCDateTime)
    count: int = Field(default=0)
