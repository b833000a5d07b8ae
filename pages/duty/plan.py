"""The manager plans the duty roster a week at a time and edits the checklist templates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from nicegui import APIRouter, ui
from sqlmodel import Session

import db
from components.duty_actions import act
from components.frame import frame, page_dialog
from components.session import guard
from models import Anchor, Role, Staff, TemplateItem
from services.core.i18n import t
from services.duty import roster as duty_roster
from services.duty import templates as duty_templates
from services.duty.templates import ItemForm, TemplateView

router = APIRouter()
SITE_MANAGER = frozenset({Role.MANAGER})
WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日']


@router.page('/duty/plan')
def plan_page(week: str | None = None) -> None:
    me = guard(SITE_MANAGER)
    if me is None:
        return
    with frame('值班表与模板', me, active='/duty'):
        try:
            start = duty_roster.week_start(date.fromisoformat(week) if week else date.today())
        except ValueError:
            start = duty_roster.week_start(date.today())
        roster_week(me, start)
        ui.label(t('检查模板')).classes('text-base font-semibold mt-4')
        templates = ui.refreshable(template_list)
        templates(me, templates.refresh)


def roster_week(me: Staff, start: date) -> None:
    with db.session() as s:
        days = duty_roster.week(s, actor=me, start=start)
        people = {p.id: p.name for p in duty_roster.eligible(s, actor=me)}
    with ui.row().classes('w-full items-center justify-between no-wrap'):
        ui.button(
            icon='chevron_left', on_click=lambda: ui.navigate.to(f'/duty/plan?week={start - timedelta(days=7)}')
        ).props('flat round')
        ui.label(t('值班表 {start} 起', start=start.isoformat())).classes('text-base font-semibold')
        ui.button(
            icon='chevron_right', on_click=lambda: ui.navigate.to(f'/duty/plan?week={start + timedelta(days=7)}')
        ).props('flat round').mark('next-week')
    choices: dict[date, ui.select] = {}
    with ui.card().classes('w-full gap-1').mark('roster'):
        for day, person in days:
            with ui.row().classes('w-full items-center no-wrap gap-2'):
                ui.label(f'{t(WEEKDAYS[day.weekday()])} {day:%m-%d}').classes('w-24 shrink-0')
                choices[day] = (
                    ui.select({None: t('未安排'), **people}, value=person.id if person else None)
                    .props('outlined dense')
                    .classes('flex-1')
                    .mark(f'duty-{day.isoformat()}')
                )

    async def save() -> None:
        plan = {day: select.value for day, select in choices.items()}
        if await act(lambda s, actor: duty_roster.plan_week(s, actor=actor, plan=plan)):
            ui.notify(t('值班表已保存'), type='positive')

    ui.button(t('保存值班表'), icon='save', on_click=save).props('unelevated color=teal-8').classes(
        'w-full ac-big-btn'
    ).mark('save-roster')


def template_list(me: Staff, refresh: Callable[[], object]) -> None:
    with db.session() as s:
        views = duty_templates.list_templates(s, actor=me)
    for view in views:
        template_card(view, refresh)


def template_card(view: TemplateView, refresh: Callable[[], object]) -> None:
    template = view.template
    anchor = t('开场') if template.anchor == Anchor.OPENS else t('闭场')
    offset = template.due_offset_minutes
    when = (
        t('{anchor}前 {n} 分钟', anchor=anchor, n=-offset)
        if offset < 0
        else t('{anchor}后 {n} 分钟', anchor=anchor, n=offset)
    )
    with (
        ui.expansion(f'{t(template.name)} · {when}')
        .classes('w-full bg-white rounded')
        .mark(f'template-{template.kind}')
    ):
        for n, item in enumerate(view.items):
            with ui.row().classes('w-full items-center no-wrap gap-1 py-1 border-b border-gray-100'):
                ui.label(t(item.title)).classes('flex-1 text-sm')
                if item.photo_required:
                    ui.icon('photo_camera', size='18px').classes('text-amber-700')
                if n:
                    ui.button(
                        icon='arrow_upward',
                        on_click=lambda i=item: change(
                            lambda s, a: duty_templates.move_item(s, actor=a, item_id=i.id or 0, up=True), refresh
                        ),
                    ).props('flat dense round')
                ui.button(icon='edit', on_click=lambda i=item: item_dialog(template.id or 0, i, refresh)).props(
                    'flat dense round'
                )
        ui.button(t('添加项目'), icon='add', on_click=lambda: item_dialog(template.id or 0, None, refresh)).props(
            'flat color=teal-8'
        ).mark(f'add-item-{template.kind}')
        due_editor(view, refresh)


def due_editor(view: TemplateView, refresh: Callable[[], object]) -> None:
    template = view.template
    with ui.row().classes('w-full no-wrap gap-2 items-center'):
        anchor = ui.select({Anchor.OPENS: t('开场'), Anchor.CLOSES: t('闭场')}, value=template.anchor).props(
            'outlined dense'
        )
        minutes = ui.number(t('分钟（负数为之前）'), value=template.due_offset_minutes, step=5).props('outlined dense')
        ui.button(
            t('保存'),
            on_click=lambda: change(
                lambda s, a: duty_templates.update_template(
                    s,
                    actor=a,
                    template_id=template.id or 0,
                    name=template.name,
                    anchor=anchor.value,
                    due_offset_minutes=int(minutes.value or 0),
                    active=True,
                ),
                refresh,
            ),
        ).props('flat color=teal-8')


def item_dialog(template_id: int, item: TemplateItem | None, refresh: Callable[[], object]) -> None:
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('编辑项目') if item else t('添加项目')).classes('text-lg font-semibold')
        title = (
            ui.input(t('项目名称'), value=item.title if item else '').props('outlined maxlength=60').mark('item-title')
        )
        hint = ui.input(t('说明（选填）'), value=item.hint if item else '').props('outlined maxlength=200')
        photo = ui.switch(t('须拍照'), value=item.photo_required if item else False).mark('item-photo')
        camera = ui.switch(t('只能现场拍照（不可选相册）'), value=item.camera_only if item else True)

        async def save() -> None:
            form = ItemForm(title.value or '', hint.value or '', bool(photo.value), bool(camera.value))
            if item is None:
                done = await change(
                    lambda s, a: duty_templates.add_item(s, actor=a, template_id=template_id, form=form), refresh
                )
            else:
                done = await change(
                    lambda s, a: duty_templates.update_item(s, actor=a, item_id=item.id or 0, form=form), refresh
                )
            if done:
                dialog.close()

        async def remove() -> None:
            if item and await change(
                lambda s, a: duty_templates.remove_item(s, actor=a, item_id=item.id or 0), refresh
            ):
                dialog.close()

        with ui.row().classes('w-full justify-end'):
            if item:
                ui.button(t('删除'), on_click=remove).props('flat color=red-8')
            ui.button(t('取消'), on_click=dialog.close).props('flat')
            ui.button(t('保存'), on_click=save).props('unelevated color=teal-8').mark('item-save')
    dialog.open()


async def change(action: Callable[[Session, Staff], object], refresh: Callable[[], object]) -> bool:
    """Run a template change; True (and the list redrawn) when it was accepted."""
    done = await act(lambda s, actor: (action(s, actor), True)[1])
    if done:
        refresh()
    return bool(done)
