"""Sites (项目): the group admin adds and edits them."""

from __future__ import annotations

from datetime import time

from nicegui import APIRouter, run, ui

import db
from components.frame import clear_errors, dialog_buttons, field_error, frame, page_dialog
from components.session import current_staff, guard
from models import Role, Site, Staff
from services.accounts import sites
from services.core import events
from services.core.errors import DomainError, ValidationError
from services.core.i18n import t

router = APIRouter()
ADMIN = frozenset({Role.ADMIN})


@router.page('/sites')
def sites_page() -> None:
    me = guard(ADMIN)
    if me is None:
        return
    with frame('项目', me, active='/sites'):
        ui.button(t('新建项目'), icon='add_business', on_click=lambda: site_dialog(None)).props(
            'unelevated color=teal-8'
        ).classes('w-full ac-big-btn')
        listing = ui.refreshable(site_list)  # this phone's own: a refresh redraws only here
        listing(me)
        events.site_changed.subscribe(listing.refresh)


def site_list(me: Staff) -> None:
    with db.session() as s:
        all_sites = sites.list_sites(s, actor=me)
    for site in all_sites:
        with ui.card().classes('w-full gap-1').mark(f'site-{site.code}'):
            with ui.row().classes('w-full items-center justify-between no-wrap'):
                ui.label(site.name).classes('text-base font-semibold truncate')
                ui.badge(site.code, color='teal-8').props('data-data')
            ui.label(
                ' · '.join(x for x in (site.address, f'{site.opens_at:%H:%M}–{site.closes_at:%H:%M}') if x)
            ).classes('ac-muted text-sm')
            with ui.row().classes('gap-1'):
                ui.button(t('编辑'), on_click=lambda site=site: site_dialog(site)).props('flat dense color=teal-8')
                ui.link(t('员工'), f'/staff?site={site.id}').classes('self-center text-teal-800 px-2')


def site_dialog(site: Site | None) -> None:
    with page_dialog() as dialog, ui.card().classes('w-full max-w-md gap-2'):
        ui.label(t('编辑项目') if site else t('新建项目')).classes('text-lg font-semibold')
        name = ui.input(t('项目名称'), value=site.name if site else '').props('outlined maxlength=60')
        code = ui.input(t('项目编号'), value=site.code if site else '').props('outlined maxlength=20')
        address = ui.input(t('地址'), value=site.address if site else '').props('outlined maxlength=200')
        with ui.row().classes('w-full no-wrap gap-2'):
            opens = (
                ui.input(t('开场时间'), value=f'{site.opens_at:%H:%M}' if site else '09:00')
                .props('outlined type=time')
                .classes('flex-1')
            )
            closes = (
                ui.input(t('闭场时间'), value=f'{site.closes_at:%H:%M}' if site else '18:00')
                .props('outlined type=time')
                .classes('flex-1')
            )
        fields = {'name': name, 'code': code, 'address': address, 'opens_at': opens, 'closes_at': closes}
        save_button = dialog_buttons(dialog, t('保存'))

    async def save() -> None:
        clear_errors(*fields.values())
        try:
            form = sites.SiteForm(
                name=name.value or '',
                code=code.value or '',
                address=address.value or '',
                opens_at=time.fromisoformat(opens.value),
                closes_at=time.fromisoformat(closes.value),
            )
        except (TypeError, ValueError):
            field_error(closes, t('时间格式不正确'))
            return
        me = current_staff()
        save_button.disable()
        try:
            await run.io_bound(_save, me, site.id if site else None, form)
        except DomainError as e:
            target = fields.get(e.field) if isinstance(e, ValidationError) else None
            field_error(target, e.translated()) if target else ui.notify(e.translated(), type='negative')
            return
        finally:
            save_button.enable()
        dialog.close()
        ui.notify(t('已保存'), type='positive')

    save_button.on_click(save)
    dialog.open()


def _save(actor: Staff | None, site_id: int | None, form: sites.SiteForm) -> None:
    if actor is None:
        raise DomainError('登录已过期，请重新登录')
    with db.session() as s:
        if site_id is None:
            sites.create_site(s, actor=actor, form=form)
        else:
            sites.update_site(s, actor=actor, site_id=site_id, form=form)
