"""提醒记录: every alert of the site with its channels, receipts and failures, newest first, live."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

import db
from components.frame import frame
from components.session import guard
from models import Staff
from services import notify
from services.core import authz
from services.core.i18n import t

from .common import TZ, receipt, site_of

router = APIRouter()
REFRESH_S = 3.0


@router.page('/notify')
def log_page(site: int | None = None) -> None:
    me = guard(authz.MANAGERS)
    if me is None:
        return
    site_id = site_of(me, site)
    with frame('提醒记录', me, active='/notify'):
        with ui.row().classes('w-full justify-between items-center'):
            ui.label(t('每条提醒经过的渠道与送达回执')).classes('ac-muted text-sm')
            target = '/notify/channels' + (f'?site={site_id}' if site else '')
            ui.button(t('渠道设置'), icon='settings', on_click=lambda: ui.navigate.to(target)).props(
                'flat color=teal-8'
            ).mark('notify-settings')
        if site_id is None:
            ui.label(t('请从项目列表选择一个项目')).classes('ac-muted')
            return
        records_view(me, site_id)


def records_view(me: Staff, site_id: int) -> None:
    shown: list[tuple[int | None, tuple[str, ...]]] = []

    @ui.refreshable
    def view(records: list[notify.Record]) -> None:
        if not records:
            ui.label(t('还没有提醒')).classes('ac-muted').mark('notify-empty')
        for record in records:
            with ui.card().classes('w-full gap-1').mark('notify-record'):
                at = record.alert.created_at.astimezone(TZ)
                ui.label(f'{at:%m-%d %H:%M:%S} · {record.person}').classes('font-semibold')
                ui.label(record.alert.text)
                if not record.deliveries:
                    ui.label(t('仅本页提醒（未设置渠道）')).classes('ac-muted text-sm')
                for kind, delivery in record.deliveries:
                    receipt(kind, delivery)

    async def refresh() -> None:
        records = await run.io_bound(_read, me, site_id)
        if records is None:
            return
        state = [(r.alert.id, tuple(f'{d.status}{d.attempts}' for _, d in r.deliveries)) for r in records]
        if state != shown:
            shown[:] = state
            view.refresh(records)

    view(_read(me, site_id) or [])
    ui.timer(REFRESH_S, refresh)


def _read(me: Staff, site_id: int) -> list[notify.Record] | None:
    with db.session() as s:
        return notify.log(s, actor=me, site_id=site_id)
