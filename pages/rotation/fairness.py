"""公平性: the manager's view of today's rotation per person — what each got, what they kept, made up or lost."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

import db
from components.frame import frame
from components.session import guard
from models import Role, Staff
from services.core.i18n import t
from services.rotation import fairness
from services.rotation.fairness import Fairness, PersonDay

router = APIRouter()


@router.page('/rotation/fairness')
async def fairness_page() -> None:
    me = guard(frozenset({Role.MANAGER}))
    if me is None:
        return
    with frame('公平性', me, active='/rotation'):
        view = await run.io_bound(_read, me)
        if view is not None:
            fairness_section(view)


def fairness_section(view: Fairness) -> None:
    """The day's fairness: the spread among those available all day, then one card per person."""
    with ui.card().classes('w-full gap-1').mark('spread'):
        if view.spread is None:
            ui.label(t('全天在岗的置业顾问不足两人，暂无可比')).classes('ac-muted')
        else:
            ui.label(t('全天在岗者轮次接待数相差 {n} 组', n=view.spread)).classes('text-lg font-semibold')
            ok = view.spread <= 1
            ui.label(t('公平：相差不超过 1 组') if ok else t('请核查：相差超过 1 组')).classes(
                'text-green-800' if ok else 'text-red-700 font-semibold'
            )
    for person in view.people:
        person_card(person)


def person_card(p: PersonDay) -> None:
    with ui.card().classes('w-full gap-1').mark(f'fair-{p.staff_id}'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(p.name).classes('text-base font-semibold truncate')
            tags = [t('入职首月')] if p.trainee else []
            tags += [t('全天在岗')] if p.all_day else []
            ui.label(' · '.join(tags)).classes('ac-muted text-sm')
        line(
            t('接待 {n}', n=p.receptions),
            t('轮次 {n}', n=p.turns),
            t('老客户 {n}', n=p.owner),
            t('代接他人 {n}', n=p.on_behalf_given),
            t('被代接 {n}', n=p.on_behalf_received),
        )
        line(
            t('保留位置 {n}', n=p.kept),
            t('已补接 {n}', n=p.made_up),
            t('待补接 {n}', n=p.owed),
            t('保留后放弃 {n}', n=p.lost),
        )
        line(
            t('放弃轮次 {n}', n=p.forfeited),
            t('未响应 {n}', n=p.unanswered),
            t('暂停接待 {n} 次（跳过 {m} 组）', n=p.held_out, m=p.held_out_skipped),
            t('无效接待归还 {n}', n=p.invalid_returned),
        )
        if not p.balanced:
            ui.label(t('保留位置与补接对不上，请核查轮次记录')).classes('text-red-700 text-sm')


def line(*parts: str) -> None:
    ui.label(' · '.join(parts)).classes('text-sm')


def _read(me: Staff) -> Fairness | None:
    with db.session() as s:
        return fairness.day_fairness(s, actor=me)
