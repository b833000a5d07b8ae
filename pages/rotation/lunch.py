"""午餐轮休安排: the manager sets today's lunch groups and times; lunch inside one's slot keeps the turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from nicegui import APIRouter, run, ui

import db
from components import actions
from components.frame import frame
from components.session import guard
from models import Role, Staff
from services.accounts import staff as staff_service
from services.core.i18n import t
from services.rotation import lunch
from services.rotation.lunch import LunchGroup, PlanGroup

router = APIRouter()
DEFAULT_GROUPS = ((time(11, 30), 45), (time(12, 15), 45))


@dataclass
class GroupForm:
    starts: str
    minutes: int
    staff_ids: list[int] = field(default_factory=list)


@router.page('/rotation/lunch')
async def lunch_page() -> None:
    me = guard(frozenset({Role.MANAGER}))
    if me is None:
        return
    with frame('午餐轮休安排', me, active='/rotation'):
        ui.label(t('午餐时间轮班接待：在本组时段内午餐保留轮次，超出时段或超时视为个人外出，放弃轮次。')).classes(
            'ac-muted text-sm'
        )
        read = await run.io_bound(_read, me)
        if read is None:
            return
        current, people = read
        forms = [GroupForm(f'{g.starts:%H:%M}', _minutes(g), [i for i, _ in g.people]) for g in current] or [
            GroupForm(f'{s:%H:%M}', m) for s, m in DEFAULT_GROUPS
        ]
        editor = ui.refreshable(groups_editor)
        editor(forms, people)

        def add_group() -> None:
            forms.append(GroupForm('13:00', 45))
            editor.refresh()

        with ui.row().classes('w-full no-wrap gap-2'):
            ui.button(t('添加一组'), icon='add', on_click=add_group).props('outline color=teal-8').classes(
                'flex-1'
            ).mark('add-group')
            ui.button(t('保存'), on_click=lambda: save(forms)).props('unelevated color=teal-8').classes('flex-1').mark(
                'save-lunch'
            )


def groups_editor(forms: list[GroupForm], people: dict[int, str]) -> None:
    for number, form in enumerate(forms, start=1):
        with ui.card().classes('w-full gap-2').mark(f'lunch-group-{number}'):
            ui.label(t('第 {n} 组', n=number)).classes('font-semibold')
            with ui.row().classes('w-full no-wrap gap-2'):
                ui.input(t('开始时间'), value=form.starts).bind_value(form, 'starts').props(
                    'outlined dense mask="##:##"'
                ).classes('flex-1').mark(f'starts-{number}')
                ui.number(t('时长（分钟）'), value=form.minutes, min=15, max=120, step=5).bind_value(
                    form, 'minutes'
                ).props('outlined dense').classes('flex-1').mark(f'minutes-{number}')
            ui.select(people, multiple=True, value=form.staff_ids, label=t('本组人员')).bind_value(
                form, 'staff_ids'
            ).props('outlined use-chips').classes('w-full').mark(f'people-{number}')


async def save(forms: list[GroupForm]) -> None:
    try:
        groups = [LunchGroup(_time(f.starts), int(f.minutes or 0), list(f.staff_ids)) for f in forms if f.staff_ids]
    except ValueError:
        ui.notify(t('请按 时:分 填写开始时间'), type='negative')
        return
    if await actions.act(lambda s, actor: lunch.set_plan(s, actor=actor, groups=groups)):
        ui.notify(t('午餐安排已保存'), type='positive')


def _time(text: str) -> time:
    hours, minutes = text.split(':')
    return time(int(hours), int(minutes))


def _minutes(group: PlanGroup) -> int:
    return (group.ends.hour * 60 + group.ends.minute) - (group.starts.hour * 60 + group.starts.minute)


def _read(me: Staff) -> tuple[list[PlanGroup], dict[int, str]] | None:
    with db.session() as s:
        salespeople = staff_service.list_staff(s, actor=me, active_only=True)
        people = {p.id or 0: p.name for p in salespeople if p.role == Role.SALESPERSON}
        return lunch.plan(s, actor=me), people
