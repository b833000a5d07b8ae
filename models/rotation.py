"""The day's reception rotation (接待轮序): who is on the roster, in what order and state, and the turn ledger."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class StaffState(StrEnum):
    AVAILABLE = 'available'  # 空闲
    RECEIVING = 'receiving'  # 接待中
    TOURING = 'touring'  # 带看中 (out of the office)
    BREAK = 'break'  # 午餐轮休, by the rotation plan: keeps the turn
    MEETING = 'meeting'  # 会议: keeps the turn
    AWAY = 'away'  # personal business: forfeits the turn
    OFF = 'off'  # left the shift


class TurnKind(StrEnum):
    ASSIGNED = 'assigned'
    OWNER = 'owner'  # a returning customer went to their owner; no turn used
    SKIPPED_KEPT = 'skipped_kept'
    SKIPPED_FORFEITED = 'skipped_forfeited'
    MADE_UP = 'made_up'  # 补接
    RETURNED_INVALID = 'returned_invalid'
    MOVED = 'moved'  # by the manager
    UNDONE = 'undone'
    ON_BEHALF = 'on_behalf'  # 代接 that used no turn (the site's setting): the colleague keeps their place
    TAKEN_OVER = 'taken_over'  # the owner, free again, took over a customer a colleague received for them
    UNANSWERED = 'unanswered'  # 未响应: the alert was not answered in time, the visitor passed on
    HELD_OUT = 'held_out'  # passed over while held out (overdue follow-ups): one line per hold-out, with its count
    REJOINED = 'rejoined'  # back on shift after leaving it: to the back


class RosterEntry(SQLModel, table=True):
    __tablename__ = 'roster_entry'
    __table_args__ = (UniqueConstraint('site_id', 'day', 'staff_id', name='uq_roster_day_staff'),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    day: date = Field(index=True)
    staff_id: int = Field(foreign_key='staff.id')
    position: int = Field(default=0)
    state: str = Field(default=StaffState.AVAILABLE, max_length=12)
    state_since: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    checked_in_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kept_turns: int = Field(default=0)  # turns skipped for a reason that keeps them, still to be made up


class TurnEntry(SQLModel, table=True):
    __tablename__ = 'turn_entry'

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    day: date = Field(index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    staff_id: int = Field(foreign_key='staff.id')
    kind: str = Field(max_length=20)
    visit_id: int | None = Field(default=None, foreign_key='visit.id')
    reason: str = Field(default='', max_length=200)
    actor_id: int | None = Field(default=None, foreign_key='staff.id')
    position_before: int | None = None  # lets the manager undo an assignment exactly
    state_before: str | None = Field(default=None, max_length=12)
    skipped: int = Field(default=0)  # a kept place or a hold-out: how many visitors went past during it
    closed_by_id: int | None = Field(default=None)  # a kept place's make-up (or the forfeit that ended it)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LunchSlot(SQLModel, table=True):
    """The day's lunch plan (午餐轮休, manual part 3 art. 5): who lunches in which group, from when, how long."""

    __tablename__ = 'lunch_slot'
    __table_args__ = (UniqueConstraint('site_id', 'day', 'staff_id', name='uq_lunch_day_staff'),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    day: date = Field(index=True)
    staff_id: int = Field(foreign_key='staff.id')
    group: int = Field(default=1)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
