"""Duty widgets: a checklist's summary card, the overdue banner, a 整改 card closed with a photo."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nicegui import ui

import db
from models import ChecklistStatus, Staff
from services.core.i18n import t
from services.duty import checklists, rectification
from services.duty.checklists import ChecklistView
from services.duty.rectification import RectificationView

from .duty_actions import act, add_photo
from .frame import page_dialog
from .photo_capture import capture_button, photo_strip

STATUS_LABELS = {
    ChecklistStatus.OPEN: '进行中',
    ChecklistStatus.SUBMITTED: '已提交',
    ChecklistStatus.SIGNED_OFF: '已签收',
}
STATUS_COLORS = {
    ChecklistStatus.OPEN: 'orange-8',
    ChecklistStatus.SUBMITTED: 'blue-7',
    ChecklistStatus.SIGNED_OFF: 'green-7',
}


def status_badge(view: ChecklistView) -> None:
    if view.overdue:
        ui.badge(t('已逾期'), color='red-7').classes('text-sm px-2 py-1')
        return
    status = ChecklistStatus(view.checklist.status)
    ui.badge(t(STATUS_LABELS[status]), color=STATUS_COLORS[status]).classes('text-sm px-2 py-1')


def checklist_card(view: ChecklistView, tz: ZoneInfo) -> None:
    """One checklist of the day: name, due time, progress; a tap opens it."""
    found = view.checklist
    border = ' border-l-4 border-red-600' if view.overdue else ''
    with (
        ui.link(target=f'/duty/checklist/{found.id}').classes('no-underline text-inherit w-full'),
        ui.card().classes('w-full gap-1' + border).mark(f'checklist-{found.kind}'),
    ):
        with ui.row().classes('w-full items-center justify-between no-wrap'):
            ui.label(t(found.name)).classes('text-lg font-semibold truncate')
            status_badge(view)
        details = [
            t('{at} 前完成', at=f'{found.due_at.astimezone(tz):%H:%M}'),
            t('已查 {done}/{total}', done=view.answered, total=len(view.items)),
            t('照片 {n}', n=view.photo_count),
        ]
        if view.problems:
            details.append(t('问题 {n}', n=view.problems))
        ui.label(' · '.join(details)).classes('ac-muted text-sm')
        ui.linear_progress(view.answered / max(1, len(view.items)), show_value=False, color='teal-7').classes('mt-1')


def overdue_banner(view: ChecklistView, tz: ZoneInfo) -> None:
    at = f'{view.checklist.due_at.astimezone(tz):%H:%M}'
    ui.label(t('{name} 已逾期（应于 {at} 前完成）', name=t(view.checklist.name), at=at)).classes(
        'w-full rounded bg-red-100 text-red-900 font-semibold p-3'
    ).mark('overdue')


def rectification_card(view: RectificationView, tz: ZoneInfo) -> None:
    """An open 整改: what, who, by when; photos of the result, then 完成整改."""
    task = view.task
    with (
        ui.card()
        .classes('w-full gap-2 border-l-4 ' + ('border-red-600' if view.overdue else 'border-amber-500'))
        .mark(f'rectification-{task.id}')
    ):
        ui.label(t('整改：{title}', title=t(task.title))).classes('text-base font-semibold')
        if task.description:
            ui.label(task.description).classes('text-sm')
        due = f'{task.due_at.astimezone(tz):%m-%d %H:%M}'
        ui.label(
            t('负责人 {name} · {at} 前', name=view.owner, at=due) + (' · ' + t('已逾期') if view.overdue else '')
        ).classes('ac-muted text-sm')
        photo_strip(view.photos)

        async def photo(data: bytes) -> None:
            await add_photo(lambda s, actor: rectification.subject(s, actor=actor, task_id=task.id or 0), data)

        with ui.row().classes('w-full no-wrap gap-2 items-stretch'):
            capture_button(camera_only=True, on_photo=photo, mark=f'rectify-photo-{task.id}', label='拍照')
            ui.button(t('完成整改'), on_click=lambda: close_dialog(task.id or 0)).props(
                'unelevated color=teal-8'
            ).classes('ac-big-btn shrink-0').mark(f'rectify-close-{task.id}')


def close_dialog(task_id: int) -> None:
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('完成整改')).classes('text-lg font-semibold')
        note = ui.input(t('说明（选填）')).props('outlined maxlength=500')

        async def confirm() -> None:
            done = await act(
                lambda s, actor: rectification.close(s, actor=actor, task_id=task_id, note=note.value or '')
            )
            if done is not None:
                dialog.close()
                ui.notify(t('整改已完成'), type='positive')

        with ui.row().classes('w-full justify-end'):
            ui.button(t('取消'), on_click=dialog.close).props('flat')
            ui.button(t('确定'), on_click=confirm).props('unelevated color=teal-8').mark('confirm-rectify')
    dialog.open()


def duty_home_card(me: Staff) -> None:
    """On the home page of today's duty officer: a big way into today's checklists, red when one is overdue."""
    if me.site_id is None:
        return
    with db.session() as s:
        day = checklists.duty_day(s, actor=me)
    if day.officer is None or day.officer.id != me.id:
        return
    late = bool(day.overdue)
    with (
        ui.link(target='/duty').classes('no-underline w-full'),
        ui.card().classes('w-full gap-1 text-white ' + ('bg-red-700' if late else 'bg-teal-700')).mark('duty-home'),
    ):
        ui.label(t('今天您值班')).classes('text-lg font-semibold')
        nxt = next((c for c in day.checklists if c.checklist.status == ChecklistStatus.OPEN), None)
        if nxt is not None:
            tz = ZoneInfo(day.site.timezone)
            ui.label(
                t(
                    '下一项：{name} · {at} 前完成',
                    name=t(nxt.checklist.name),
                    at=f'{nxt.checklist.due_at.astimezone(tz):%H:%M}',
                )
            )
