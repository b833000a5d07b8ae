"""轮序规则: the site's rotation rules as they stand, generated from its settings; the manager changes them here."""

from __future__ import annotations

from typing import Any

from nicegui import APIRouter, run, ui

import db
from components import actions
from components.frame import frame
from components.session import guard
from models import Role, Site, Staff
from services.accounts import sites
from services.core import events
from services.core.i18n import t
from services.rotation import rules_text
from services.rotation.lunch import PlanGroup
from services.rotation.rules_text import Rule

router = APIRouter()


@router.page('/rotation/rules')
async def rules_page() -> None:
    me = guard(frozenset({Role.SALESPERSON, Role.MANAGER}))
    if me is None:
        return
    with frame('轮序规则', me, active='/rotation'):
        read = await run.io_bound(_read, me)
        if read is None:
            return
        shown = ui.refreshable(rules_list)
        shown(rules_text.rules_of(*read))  # worded here, in the reader's language
        if me.role == Role.MANAGER:
            settings_card(read[0])

        async def changed(site_id: int) -> None:
            if site_id == me.site_id and (fresh := await run.io_bound(_read, me)) is not None:
                shown.refresh(rules_text.rules_of(*fresh))

        events.site_changed.subscribe(changed)


def rules_list(rules: list[Rule]) -> None:
    with ui.column().classes('w-full gap-2').mark('rules'):
        for number, rule in enumerate(rules, start=1):
            with ui.card().classes('w-full gap-1'):
                ui.label(f'{number}. {rule.title}').classes('font-semibold')
                ui.label(rule.text).classes('text-sm')


def settings_card(site: Site) -> None:
    """The manager's switches for the rotation's settings; the rules above follow at once."""
    with ui.card().classes('w-full gap-2').mark('rotation-settings'):
        ui.label(t('设置')).classes('text-base font-semibold')
        ui.switch(
            t('代接占用代接同事的轮次'),
            value=bool(sites.setting(site, 'on_behalf_uses_turn')),
            on_change=lambda e: change('on_behalf_uses_turn', e.value),
        ).mark('on-behalf-uses-turn')
        for key, label in (('greet_reminder_s', '再次提醒（秒）'), ('greet_timeout_s', '转给下一位（秒）')):
            ui.number(t(label), value=sites.setting(site, key), step=5).props('outlined dense').classes('w-full').on(
                'blur', lambda e, key=key: change(key, e.sender.value)
            ).mark(key)


async def change(key: str, value: Any) -> None:
    if await actions.act(lambda s, actor: rules_text.set_rule(s, actor=actor, key=key, value=value)):
        ui.notify(t('已保存'), type='positive')


def _read(me: Staff) -> tuple[Site, list[PlanGroup]] | None:
    with db.session() as s:
        return rules_text.inputs(s, actor=me)
