"""来电登记: log an answered call in a few taps; the week's calls below."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nicegui import APIRouter, ui

import db
from components.actions import act
from components.frame import frame
from components.session import guard
from services.accounts import sites
from services.core.i18n import t
from services.customers import calls, contacts

router = APIRouter()


@router.page('/calls')
def calls_page() -> None:
    me = guard(contacts.ON_SITE)
    if me is None:
        return
    with frame('来电登记', me, active='/calls'):
        with db.session() as s:
            site = contacts.site_of(s, me)
            rows = calls.recent(s, actor=me)
        with ui.card().classes('w-full gap-2'):
            phone = ui.input(t('来电号码')).props('outlined type=tel maxlength=20').mark('call-phone')
            with ui.row().classes('w-full no-wrap gap-2'):
                surname = ui.input(t('姓氏')).props('outlined maxlength=20').classes('flex-1').mark('call-surname')
                title = ui.toggle({'先生': t('先生'), '女士': t('女士')}).props('unelevated toggle-color=teal-8')
            channel = ui.select(['', *sites.setting(site, 'channels')], value='', label=t('了解渠道（哪个广告）'))
            channel.props('outlined')
            asked = ui.input(t('咨询内容')).props('outlined maxlength=500').mark('call-asked')

            async def save() -> None:
                form = calls.CallForm(
                    phone=phone.value or '',
                    surname=surname.value or '',
                    title=title.value or '',
                    channel=channel.value or '',
                    asked=asked.value or '',
                )
                if await act(lambda s, a: calls.log_call(s, actor=a, form=form)):
                    ui.navigate.reload()

            ui.button(t('保存来电'), on_click=save).props('unelevated color=teal-8').classes('w-full ac-big-btn').mark(
                'call-save'
            )
        for row in rows:
            at = row.at.astimezone(ZoneInfo(site.timezone))
            with ui.card().classes('w-full gap-0'):
                ui.label(f'{row.caller} · {at:%m-%d %H:%M} · {row.answered_by}').classes('font-semibold')
                ui.label(' · '.join(p for p in (row.channel, row.asked) if p)).classes('ac-muted text-sm')
                if row.customer_id:
                    ui.link(t('已到访，查看客户'), f'/customers/{row.customer_id}').classes('text-sm')
