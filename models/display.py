"""Display tokens: the office TV opens its board with one, without a staff login."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class DisplayToken(SQLModel, table=True):
    __tablename__ = 'display_token'

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)  # sha256 of the token: a leaked table opens no TV
    label: str = Field(default='', max_length=40)
    created_by_id: int | None = Field(default=None, foreign_key='staff.id')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
