"""The rules of a complaint, as plain data and functions: its steps, who takes them, its deadlines.

new → acknowledged → handling → resolved → followed up (回访) → closed; reopened with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from models import ComplaintStatus as S
from models import Role, Severity

CATEGORIES = {  # part 2 art. 3 of the manual, and SPEC section 6
    'product': '产品质量',
    'attitude': '服务态度',
    'contract': '合同',
    'payment': '付款',
    'delivery': '交付',
    'property': '物业管理',
    'other': '其他',
}
CHANNELS = ['来访', '来电', '微信', '网络', '信函', '其他']
SEVERITIES: dict[str, str] = {Severity.NORMAL: '一般', Severity.SERIOUS: '严重', Severity.URGENT: '紧急'}
STATUSES: dict[str, str] = {
    S.NEW: '待受理',
    S.ACKNOWLEDGED: '已受理',
    S.HANDLING: '处理中',
    S.RESOLVED: '已解决',
    S.FOLLOWED_UP: '已回访',
    S.CLOSED: '已结案',
}
OPEN = frozenset({S.NEW, S.ACKNOWLEDGED, S.HANDLING})  # the customer is still waiting for an answer
# Minutes to acknowledge and to resolve, counted from intake, per severity: the site may set its own.
DEFAULT_DEADLINES: dict[str, list[int]] = {
    Severity.URGENT: [15, 24 * 60],
    Severity.SERIOUS: [30, 48 * 60],
    Severity.NORMAL: [60, 72 * 60],
}
MAX_DEADLINE_MINUTES = 30 * 24 * 60


@dataclass(frozen=True)
class Step:
    action: str
    label: str  # the button
    sources: frozenset[S]
    target: S
    managers_only: bool = True  # else also whoever took the complaint in
    text_required: bool = True  # what was said or done; the reason to reopen
    prompt: str = '处理说明'


STEPS = {
    'acknowledge': Step('acknowledge', '受理', frozenset({S.NEW}), S.ACKNOWLEDGED, text_required=False),
    'handle': Step('handle', '开始处理', frozenset({S.ACKNOWLEDGED}), S.HANDLING, text_required=False),
    'resolve': Step('resolve', '已解决', frozenset({S.HANDLING}), S.RESOLVED, prompt='处理结果（对客户的答复）'),
    'follow_up': Step(
        'follow_up', '回访', frozenset({S.RESOLVED}), S.FOLLOWED_UP, managers_only=False, prompt='客户原话'
    ),
    'close': Step('close', '结案', frozenset({S.FOLLOWED_UP}), S.CLOSED, text_required=False),
    'reopen': Step('reopen', '重新处理', frozenset({S.RESOLVED, S.FOLLOWED_UP, S.CLOSED}), S.HANDLING, prompt='原因'),
}


def may_take(step: Step, *, role: str, is_taker: bool) -> bool:
    """Managers take every step; whoever took the complaint in also makes the follow-up call (回访)."""
    return role in (Role.MANAGER, Role.ADMIN) or (not step.managers_only and is_taker)


def next_steps(status: str, *, role: str, is_taker: bool) -> list[Step]:
    """The steps this person may take on a complaint in this status, in the order of the buttons."""
    return [s for s in STEPS.values() if status in s.sources and may_take(s, role=role, is_taker=is_taker)]


def deadlines(settings: dict[str, Any], severity: str) -> tuple[timedelta, timedelta]:
    """Time to acknowledge and time to resolve for this severity, by the site's settings or the defaults."""
    table = {**DEFAULT_DEADLINES, **(settings.get('complaint_deadlines') or {})}
    acknowledge, resolve = table.get(severity, DEFAULT_DEADLINES[Severity.NORMAL])
    return timedelta(minutes=int(acknowledge)), timedelta(minutes=int(resolve))


def check_deadlines(table: dict[str, list[int]]) -> dict[str, list[int]]:
    """A site's deadline table, whole minutes, acknowledging before resolving; ValueError names what is wrong."""
    clean: dict[str, list[int]] = {}
    for severity in SEVERITIES:
        acknowledge, resolve = (int(v) for v in table[severity])
        if not 1 <= acknowledge < resolve <= MAX_DEADLINE_MINUTES:
            raise ValueError(severity)
        clean[severity] = [acknowledge, resolve]
    return clean


@dataclass(frozen=True)
class Clock:
    """Where a complaint stands against its deadlines at one moment."""

    due_at: datetime | None  # the next deadline: to acknowledge, then to resolve; None when answered
    overdue: bool
    what: str  # 'acknowledge' / 'resolve' / ''


def clock(*, status: str, acknowledge_due_at: datetime, resolve_due_at: datetime, now: datetime) -> Clock:
    if status == S.NEW and now > acknowledge_due_at:
        return Clock(acknowledge_due_at, True, 'acknowledge')
    if status in OPEN and now > resolve_due_at:
        return Clock(resolve_due_at, True, 'resolve')
    if status == S.NEW:
        return Clock(acknowledge_due_at, False, 'acknowledge')
    if status in OPEN:
        return Clock(resolve_due_at, False, 'resolve')
    return Clock(None, False, '')


def countdown(due_at: datetime, now: datetime) -> tuple[bool, int, int]:
    """(overdue, hours, minutes) between now and the deadline, rounded to the minute."""
    minutes = round(abs((due_at - now).total_seconds()) / 60)
    return now > due_at, minutes // 60, minutes % 60
