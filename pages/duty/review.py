"""The manager's review: a day's checklists with their photos side by side, sign-off, 整改, and the gallery."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from nicegui import APIRouter, ui

import db
from components.duty_widgets import overdue_banner, rectification_card, status_badge
from components.frame import frame
from components.photo_capture import photo_grid, photo_strip
from components.session import guard
from models import ItemResult, Role, Staff
from services.core import events as duty_events
from services.core.i18n import t
from services.duty import checklists, rectification
from services.duty import review as duty_review
from services.duty.checklists import ChecklistView

router = APIRouter()
SITE_MANAGER = frozenset({Role.MANAGER})
RESULT_MARKS: dict[str, str] = {ItemResult.OK: '✓', ItemResult.PROBLEM: '✗'}


@router.page('/duty/manage')
def manage_page(day: str | None = None) -> None:
    me = guard(SITE_MANAGER)
    if me is None:
        return
    with frame('值班审核', me, active='/duty'):
        with ui.row().classes('w-full no-wrap gap-2'):
            ui.button(t('值班表与模板'), icon='edit_calendar', on_click=lambda: ui.navigate.to('/duty/plan')).props(
                'outline color=teal-8'
            ).classes('flex-1').mark('plan')
            ui.button(t('照片库'), icon='photo_library', on_click=lambda: ui.navigate.to('/duty/gallery')).props(
                'outline color=teal-8'
            ).classes('flex-1').mark('gallery')
        chosen = _day(day)
        ui.input(t('日期'), value=chosen.isoformat() if chosen else '').props('outlined dense type=date').classes(
            'w-full'
        ).on(
            'change',
            lambda e: ui.navigate.to(f'/duty/manage?day={e.args}' if isinstance(e.args, str) else '/duty/manage'),
        )
        review = ui.refreshable(day_review)
        review(me, chosen)
        duty_events.duty_changed.subscribe(lambda site_id: review.refresh() if site_id == me.site_id else None)


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def day_review(me: Staff, day: date | None) -> None:
    with db.session() as s:
        view = checklists.duty_day(s, actor=me, day=day)
        tasks = rectification.open_tasks(s, actor=me)
    tz = ZoneInfo(view.site.timezone)
    officer = view.officer.name if view.officer else t('未安排')
    ui.label(t('{day} · 值班：{name}', day=view.day.isoformat(), name=officer)).classes('text-base font-semibold')
    for late in view.overdue:
        overdue_banner(late, tz)
    for entry in view.checklists:
        checklist_review(entry)
    if not view.checklists:
        ui.label(t('这一天没有检查表')).classes('ac-muted')
    ui.label(t('未完成的整改（{n}）', n=len(tasks))).classes('text-base font-semibold mt-2')
    for task in tasks:
        rectification_card(task, tz)


def checklist_review(view: ChecklistView) -> None:
    """One checklist: each item with its result, note and photos in a row; a tap on the card opens it to sign off."""
    found = view.checklist
    with ui.card().classes('w-full gap-2').mark(f'review-{found.kind}'):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(t(found.name)).classes('text-lg font-semibold')
            status_badge(view)
        for entry in view.items:
            mark = RESULT_MARKS.get(entry.item.result or '', '·')
            colour = 'text-red-700' if entry.item.result == ItemResult.PROBLEM else ''
            ui.label(f'{mark} {t(entry.item.title)}' + (f' — {entry.item.note}' if entry.item.note else '')).classes(
                f'text-sm {colour}'
            )
        photo_grid([(p, t(entry.item.title)) for entry in view.items for p in entry.photos])
        if found.review_comment:
            ui.label(t('经理评语：{comment}', comment=found.review_comment)).classes('text-sm rounded bg-teal-50 p-2')
        ui.button(t('打开审核'), on_click=lambda: ui.navigate.to(f'/duty/checklist/{found.id}')).props(
            'unelevated color=teal-8'
        ).classes('w-full ac-big-btn').mark(f'open-{found.kind}')


@router.page('/duty/gallery')
def gallery_page(day: str | None = None, item: str | None = None) -> None:
    me = guard(SITE_MANAGER)
    if me is None:
        return
    with frame('照片库', me, active='/duty'):
        end = _day(day) or date.today()
        with db.session() as s:
            titles = duty_review.item_titles(s, actor=me)
            photos = duty_review.gallery(s, actor=me, start=end - timedelta(days=6), end=end, item=item or None)
        ui.select(
            {'': t('全部项目'), **{x: t(x) for x in titles}},
            value=item or '',
            label=t('按项目'),
            on_change=lambda e: ui.navigate.to(f'/duty/gallery?day={end.isoformat()}&item={e.value or ""}'),
        ).props('outlined dense').classes('w-full').mark('gallery-item')
        ui.label(
            t(
                '{start} 至 {end}，共 {n} 张',
                start=(end - timedelta(days=6)).isoformat(),
                end=end.isoformat(),
                n=len(photos),
            )
        ).classes('ac-muted text-sm')
        for shown_day in sorted({p.day for p in photos}, reverse=True):
            ui.label(shown_day.isoformat()).classes('text-base font-semibold mt-2')
            for title in sorted({p.item for p in photos if p.day == shown_day}):
                ui.label(t(title)).classes('text-sm')
                photo_strip([p.photo for p in photos if p.day == shown_day and p.item == title], size=96)
