"""违纪记录 on the duty page: the day's records with their photos, and the form to add one."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nicegui import ui

from components.duty_actions import act, add_photo
from components.frame import page_dialog
from components.photo_capture import capture_button, photo_strip
from models import Staff
from services.core.i18n import t
from services.duty import discipline
from services.duty import roster as duty_roster
from services.duty.discipline import DisciplineView


def discipline_section(me: Staff, records: list[DisciplineView], tz: ZoneInfo, *, may_record: bool) -> None:
    ui.label(t('违纪记录（{n}）', n=len(records))).classes('text-base font-semibold mt-2')
    if may_record:
        ui.button(t('记录违纪'), icon='report', on_click=record_dialog).props('outline color=red-8').classes(
            'w-full ac-big-btn'
        ).mark('discipline-new')
    for view in records:
        record_card(me, view, tz)


def record_card(me: Staff, view: DisciplineView, tz: ZoneInfo) -> None:
    entry = view.record
    with ui.card().classes('w-full gap-1').mark(f'discipline-{entry.id}'):
        ui.label(f'{view.person} · {t(entry.rule)}').classes('text-base font-semibold')
        ui.label(t('{at} · 记录人 {name}', at=f'{entry.at.astimezone(tz):%H:%M}', name=view.recorded_by)).classes(
            'ac-muted text-sm'
        )
        if entry.note:
            ui.label(entry.note).classes('text-sm')
        photo_strip(view.photos)
        if entry.recorded_by_id == me.id:

            async def photo(data: bytes) -> None:
                await add_photo(lambda s, actor: discipline.subject(s, actor=actor, record_id=entry.id or 0), data)

            capture_button(camera_only=True, on_photo=photo, mark=f'discipline-photo-{entry.id}', label='拍照')


async def record_dialog() -> None:
    people = await act(lambda s, actor: {p.id: p.name for p in duty_roster.eligible(s, actor=actor)})
    if people is None:
        return
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('记录违纪')).classes('text-lg font-semibold')
        person = ui.select(people, label=t('违纪人员')).props('outlined').mark('discipline-person')
        rule = (
            ui.select({r: t(r) for r in discipline.RULES}, label=t('违反的规定'))
            .props('outlined')
            .mark('discipline-rule')
        )
        note = ui.input(t('情况说明')).props('outlined maxlength=500')

        async def save() -> None:
            if person.value is None or rule.value is None:
                ui.notify(t('请选择人员和规定'), type='warning')
                return
            done = await act(
                lambda s, actor: discipline.record(
                    s, actor=actor, staff_id=person.value, rule=rule.value, note=note.value or ''
                )
            )
            if done is not None:
                dialog.close()
                ui.notify(t('已记录，可在下方补拍照片'), type='positive')

        with ui.row().classes('w-full justify-end'):
            ui.button(t('取消'), on_click=dialog.close).props('flat')
            ui.button(t('保存'), on_click=save).props('unelevated color=teal-8').mark('discipline-save')
    dialog.open()
