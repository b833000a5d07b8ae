"""晨会记录: yesterday's figures and the manual's five points, written by the manager or the day's duty officer."""

from __future__ import annotations

from contextlib import nullcontext

from nicegui import APIRouter, run, ui

import db
from components.actions import act
from components.drafts import clear_draft, draft_form
from components.frame import frame
from components.photo_capture import photo_grid
from components.session import guard
from models import Role, Staff
from services import reports
from services.core.i18n import t

router = APIRouter()


@router.page('/reports/morning')
async def morning_page() -> None:
    me = guard(frozenset({Role.MANAGER, Role.SALESPERSON}))
    if me is None:
        return
    with frame('晨会记录', me, active='/reports'):
        view = await run.io_bound(_today, me)
        if view is None:
            return
        notes = view.notes
        with ui.card().classes('w-full gap-1 p-3').mark('morning-figures'):
            ui.label(t('{day} 晨会 · 昨日数据', day=notes.day.isoformat())).classes('text-base font-semibold')
            with ui.grid(columns=2).classes('w-full gap-1'):
                for key, label in reports.morning.FIGURES:
                    ui.label(f'{t(label)}：{notes.figures.get(key, 0)}').classes('text-sm')
        fields = {}
        draft = f'morning-{notes.id}'  # the day's one set of notes: what is typed survives a reload until saved
        with draft_form(draft).classes('gap-3', remove='gap-2') if view.may_edit else nullcontext():
            for n, (key, label) in enumerate(reports.morning.POINTS, start=1):
                with ui.card().classes('w-full gap-1 p-3'):
                    ui.label(f'{n}. {t(label)}').classes('text-base font-semibold')
                    if view.may_edit:
                        fields[key] = ui.textarea(value=notes.points.get(key, '')).props('outlined autogrow')
                        fields[key].mark(f'point-{key}')
                    else:
                        ui.label(notes.points.get(key, '') or t('（未填写）')).classes('text-sm whitespace-pre-wrap')
                    if key == 'competitors':
                        photo_grid(view.survey_photos)
        if not view.may_edit:
            ui.label(t('记录人：{name}', name=view.kept_by)).classes('ac-muted text-sm')
            return

        async def save() -> None:
            points = {k: f.value or '' for k, f in fields.items()}
            if await act(lambda s, a: reports.morning.save(s, actor=a, points=points)):  # the day's one record
                clear_draft(draft)
                ui.notify(t('已保存'), type='positive')

        ui.button(t('保存晨会记录'), on_click=save).props('unelevated color=teal-8').classes('w-full ac-big-btn').mark(
            'save-morning'
        )


def _today(me: Staff) -> reports.morning.MorningView:
    with db.session() as s:
        return reports.morning.today(s, actor=me)
