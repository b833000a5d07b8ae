"""值班: today's duty officer and checklists, overdue warnings, my 整改, discipline records; the photo route."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import HTTPException
from fastapi.responses import FileResponse
from nicegui import APIRouter, app, run, ui

import config
import db
from components.duty_widgets import checklist_card, overdue_banner, rectification_card
from components.frame import frame
from components.session import guard, staff_of
from models import Role, Staff
from pages.duty.discipline_form import discipline_section
from services.core import events as duty_events
from services.core.errors import DomainError
from services.core.i18n import t
from services.duty import checklists, discipline, rectification
from services.photos import store as photo_store

router = APIRouter()
ON_SITE = frozenset({Role.SALESPERSON, Role.MANAGER})


@router.page('/duty')
def duty_page() -> None:
    me = guard(ON_SITE)
    if me is None:
        return
    with frame('值班', me, active='/duty'):
        if me.role == Role.MANAGER:
            ui.button(t('审核与值班管理'), icon='fact_check', on_click=lambda: ui.navigate.to('/duty/manage')).props(
                'outline color=teal-8'
            ).classes('w-full ac-big-btn').mark('manage')
        today = ui.refreshable(day_view)  # this phone's own
        today(me)
        duty_events.duty_changed.subscribe(lambda site_id: today.refresh() if site_id == me.site_id else None)
        ui.timer(60, today.refresh, immediate=False)  # a checklist turns overdue with the clock alone


def day_view(me: Staff) -> None:
    with db.session() as s:
        day = checklists.duty_day(s, actor=me)
        tasks = rectification.open_tasks(s, actor=me, mine=True)
        records = discipline.of_day(s, actor=me, day=day.day)
    tz = ZoneInfo(day.site.timezone)
    mine = day.officer is not None and day.officer.id == me.id
    officer_card(day, mine)
    for late in day.overdue:
        overdue_banner(late, tz)
    for view in day.checklists:
        checklist_card(view, tz)
    if tasks:
        ui.label(t('我的整改（{n}）', n=len(tasks))).classes('text-base font-semibold mt-2')
        for task in tasks:
            rectification_card(task, tz)
    if mine or me.role == Role.MANAGER or records:
        discipline_section(me, records, tz, may_record=mine or me.role == Role.MANAGER)


def officer_card(day: checklists.DutyDay, mine: bool) -> None:
    with ui.card().classes('w-full gap-1' + (' bg-teal-50 border-l-4 border-teal-600' if mine else '')).mark('officer'):
        if day.officer is None:
            ui.label(t('今天没有安排值班人员')).classes('text-base')
            return
        title = t('今天您值班') if mine else t('今日值班：{name}', name=day.officer.name)
        ui.label(title).classes('text-lg font-semibold')
        if mine:
            ui.label(t('请提前 30 分钟到岗，闭场后 10 分钟离开')).classes('ac-muted text-sm')


@router.get('/duty/photo/{photo_id}')
async def photo_route(photo_id: int, thumb: int = 0) -> FileResponse:
    """A proof photo, only for logged-in staff of its site (never a public folder)."""
    staff = await run.io_bound(staff_of, dict(app.storage.user))
    if staff is None:
        raise HTTPException(status_code=404)
    try:
        path = await run.io_bound(_photo_path, staff, photo_id, bool(thumb))
    except DomainError:
        raise HTTPException(status_code=404) from None
    assert path is not None
    return FileResponse(path, media_type='image/jpeg', headers={'Cache-Control': 'private, max-age=86400'})


def _photo_path(staff: Staff, photo_id: int, thumb: bool) -> Path:
    with db.session() as s:
        return photo_store.photo_file(s, actor=staff, photo_id=photo_id, root=config.current().photos_dir, thumb=thumb)
