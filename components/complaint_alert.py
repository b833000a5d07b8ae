"""A complaint reaches the manager at once: a slim red bar on every page, a chime; overdue ones go up to the admin.

The bar lists the site's complaints not yet acknowledged (for the group admin: the escalated ones still open);
it redraws when a complaint of the site changes, and chimes when one appears that this phone had not shown.
"""

from __future__ import annotations

import asyncio
import logging
import os

from nicegui import background_tasks, run, ui

import db
from models import Role, Staff, utcnow
from services import group, wiring
from services.complaints import lists as complaint_lists
from services.complaints import rules
from services.complaints.lists import ComplaintRow
from services.core import events
from services.core.i18n import t

from .alert import CHIME, UNLOCK
from .background import alive, read_then

# how often overdue complaints are looked for (ANCHANG_SWEEP_SECONDS: the group's browser test makes it 1 s)
SWEEP_SECONDS = float(os.environ.get('ANCHANG_SWEEP_SECONDS') or 60)
log = logging.getLogger(__name__)


def install_complaint_alert(me: Staff, *, hide: int | None = None) -> None:
    """The bar at the top of a manager's (or the admin's) page; nothing for anyone else. `hide`: the complaint the
    page itself shows (the bar would only repeat it). Read off the event loop, at first and after each change."""
    if me.role not in (Role.MANAGER, Role.ADMIN):
        return
    ui.add_head_html(UNLOCK)
    shown: set[int] = set()
    rows: list[ComplaintRow] = []
    client = ui.context.client

    @ui.refreshable
    def bar() -> None:
        pending = [r for r in rows if r.id != hide]
        if pending:
            compact_bar(pending, show_site=me.role == Role.ADMIN)

    def first(fresh: list[ComplaintRow]) -> None:
        rows[:] = fresh
        shown.update(r.id for r in fresh)
        bar.refresh()

    async def changed(site_id: int) -> None:
        if me.role != Role.ADMIN and site_id != me.site_id:
            return
        fresh = await run.io_bound(_pending, me)
        if fresh is None or not alive(client):  # shutting down, or the page was closed meanwhile
            return
        rows[:] = fresh
        bar.refresh()
        if {r.id for r in fresh} - shown - {hide}:
            client.run_javascript(CHIME)
        shown.update(r.id for r in fresh)

    with ui.column().classes('w-full gap-1').mark('complaint-alerts'):
        bar()
    read_then(lambda: _pending(me), first, name='complaint alerts')
    events.complaint_changed.subscribe(changed)


def compact_bar(rows: list[ComplaintRow], *, show_site: bool) -> None:
    """One slim bar for all of them: the most urgent one's heading, a count, and one tap to the complaint (or the
    list when there are several)."""
    late = any(r.clock.overdue for r in rows)
    top = next((r for r in rows if r.escalated), rows[0])
    heading = t('投诉已逾期上报') if top.escalated else t('新投诉待受理')
    if len(rows) == 1:
        parts = [top.site if show_site else '', top.customer, t(rules.CATEGORIES[top.category])]
        detail, target = ' · '.join(p for p in parts if p), f'/complaints/{top.id}'
    else:
        detail, target = t('共 {n} 条，点按查看', n=len(rows)), '/complaints'
    with (
        ui.link(target=target).classes('block w-full no-underline').props(f'aria-label="{heading}"'),
        ui.row()
        .classes('w-full items-center no-wrap gap-2 rounded px-3 py-1 text-white ac-complaint-bar')
        .classes('bg-red-800' if late else 'bg-red-600')
        .mark(*[f'complaint-alert-{r.id}' for r in rows]),
    ):
        ui.icon('report', size='24px')
        ui.label(heading).classes('text-sm font-semibold shrink-0')
        ui.label(detail).classes('text-sm truncate flex-1 opacity-90')
        ui.badge(str(len(rows)), color='white', text_color='red-9').classes('text-sm').mark('complaint-count')
        ui.icon('chevron_right', size='24px').classes('shrink-0')


async def sweep_forever() -> None:
    """Once a minute, for the life of the app: overdue complaints escalate to the group admin; overdue checklists
    and reports due alert their people (services.wiring.sweep_deadlines). The first a minute after start: a page
    test, or a newcomer's first steps, are not raced by a sweep writing beside them; a deadline a minute late is
    still seen."""
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        try:
            await run.io_bound(_sweep)
        except Exception:  # a database hiccup must not end the loop
            log.exception('complaint escalation sweep failed')


def start_sweep() -> None:
    background_tasks.create(sweep_forever(), name='complaint escalation')


def _sweep() -> None:
    if not group.run_once('complaint_sweep'):  # another process of the group sweeps
        return
    with db.session() as s:  # overdue complaints escalate; overdue checklists and reports due are alerted too
        wiring.sweep_deadlines(s, now=utcnow())


def _pending(me: Staff) -> list[ComplaintRow]:
    with db.session() as s:
        return complaint_lists.pending(s, actor=me)
