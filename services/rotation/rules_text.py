"""轮序规则 in plain words, generated from the site's current settings and today's lunch plan (never hand-kept),
and the manager's changes to the rotation's settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from models import Site, Staff, utcnow
from services.accounts import sites
from services.core import authz
from services.core.errors import NotFound, ValidationError
from services.core.i18n import t
from services.customers.contacts import ON_SITE
from services.rotation import lunch, roster

SETTINGS: dict[str, tuple[type, int, int]] = {  # the rotation's settings a manager changes here: type, bounds
    'on_behalf_uses_turn': (bool, 0, 1),
    'greet_reminder_s': (int, 5, 600),
    'greet_timeout_s': (int, 10, 1800),
}


@dataclass(frozen=True)
class Rule:
    title: str
    text: str


def inputs(session: Session, *, actor: Staff, now: datetime | None = None) -> tuple[Site, list[lunch.PlanGroup]]:
    """What the actor's site's rules are made of: its settings and today's lunch plan (read off the event loop)."""
    authz.require(actor, ON_SITE)
    site = session.get(Site, actor.site_id) if actor.site_id else None
    if site is None:
        raise NotFound()
    return site, lunch.site_plan(session, site=site, day=roster.local_day(site, now or utcnow()))


def rules_of(site: Site, plan: list[lunch.PlanGroup]) -> list[Rule]:
    """The rules in the reader's language (call it where the reader's language is known: on the page)."""

    def get(key: str) -> Any:
        return sites.setting(site, key)

    return [
        Rule(t('轮序'), t('新客户按当天排定的顺序，由第一位空闲的置业顾问接待；接待后排到末位。')),
        Rule(
            t('老客户'),
            t(
                '保护期内的老客户由归属人接待，不占轮次；归属人不空闲（接待中、带看中、午餐、会议、外出或未上岗）时，'
                '由下一位空闲同事代接，归属不变，归属人手机上收到通知，空闲后可接手。一人同时只接待一组客户。'
            ),
        ),
        Rule(
            t('代接'),
            t('代接占用代接同事的轮次：代接后排到末位。')
            if get('on_behalf_uses_turn')
            else t('代接不占轮次：代接的同事保留原来的位置。'),
        ),
        Rule(
            t('客户保护期'),
            t(
                '保护期 {n} 天，自归属人本人最后一次联系（到访、来电、带看、追访）起算，他人代接也为归属人续期；'
                '同事的联系不续期。过期后客户进入公共客户池，下一次接待的置业顾问成为新的归属人。',
                n=get('protection_days'),
            ),
        ),
        Rule(
            t('保留位置与补接'),
            t('轮到时正在接待、带看、开会或按午餐安排午餐的，保留位置，空闲后补接下一组；每次离开只记一条保留记录。'),
        ),
        Rule(
            t('放弃轮次'), t('轮到时外出办事，或在午餐安排时段之外午餐、午餐超时的，视为个人外出，放弃轮次，排到末位。')
        ),
        Rule(t('午餐轮休'), _lunch_text(plan)),
        Rule(
            t('来访提醒'),
            t(
                '来访提醒 {r} 秒内未点“我来接待”会再次提醒；{s} 秒仍未响应，客户转给下一位空闲同事，'
                '未响应者排到末位并记“未响应”，同时通知销售经理。迎客用时从客户登记起算。',
                r=get('greet_reminder_s'),
                s=get('greet_timeout_s'),
            ),
        ),
        Rule(t('新员工'), t('入职首月的新员工不单独接待、不成为客户归属人，跟随带教师傅接待，客户归带教师傅。')),
        Rule(
            t('追访逾期'),
            t('有逾期追访的置业顾问暂停接待，直至完成追访；暂停期间每次被跳过都记入轮次记录。')
            if get('hold_out_overdue_followups')
            else t('追访逾期不影响接待。'),
        ),
        Rule(t('无效接待'), t('送快递、问路等无效接待须填写原因，轮次归还，销售经理可见。')),
        Rule(
            t('经理调整'),
            t(
                '销售经理可调整顺序、移到末位、按同样的规则指派等待中的客户、'
                '撤销 2 分钟内的最近一次分配，均记入轮次记录。'
            ),
        ),
    ]


def _lunch_text(plan: list[lunch.PlanGroup]) -> str:
    if not plan:
        return t('今天尚未安排午餐轮休：午餐时保留位置。')
    groups = '；'.join(
        t(
            '第 {n} 组 {a}–{b} {names}',
            n=g.number,
            a=f'{g.starts:%H:%M}',
            b=f'{g.ends:%H:%M}',
            names='、'.join(n for _, n in g.people),
        )
        for g in plan
    )
    return t('今天的午餐轮休：{groups}。本组时段内午餐保留位置。', groups=groups)


def set_rule(session: Session, *, actor: Staff, key: str, value: Any) -> Site:
    """The manager changes one of the rotation's settings (audited; every page told)."""
    authz.require(actor, authz.MANAGERS)
    site = session.get(Site, actor.site_id) if actor.site_id else None
    if site is None or key not in SETTINGS:
        raise NotFound()
    kind, low, high = SETTINGS[key]
    if kind is bool:
        value = bool(value)
    elif not isinstance(value, int | float) or not low <= int(value) <= high:
        raise ValidationError(key, '请填写 {a}–{b} 之间的数字', a=low, b=high)
    else:
        value = int(value)
    if key == 'greet_reminder_s' and value >= int(sites.setting(site, 'greet_timeout_s')):
        raise ValidationError(key, '提醒须早于转给下一位的时间')
    if key == 'greet_timeout_s' and value <= int(sites.setting(site, 'greet_reminder_s')):
        raise ValidationError(key, '提醒须早于转给下一位的时间')
    return sites.change_setting(session, actor=actor, site=site, key=key, value=value, action='rotation_setting')
