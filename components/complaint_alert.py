"""A complaint reaches the manager at once: a red bar on every page, a chime; overdue ones go up to the admin.

The bar lists the site's complaints not yet acknowledged (for the group admin: the escalated ones still open);
it redraws when a complaint of the site changes, and chimes when one appears that this phone had not shown.
"""

from __future__ import annotations

import asyncio
import logging
import os

from nicegui import background_tasks, run, ui

import db
from models import Role, Staff
from services import group
from services.complaints import deadlines as complaint_deadlines
from services.complaints import lists as complaint_lists
from services.complaints import rules
from services.complaints.lists import ComplaintRow
from services.core import events
from services.core.i18n import t

from .alert import CHIME, UNLOCK

# how often overdue complaints are looked for (ANCHANG_SWEEP_SECONDS: the group's browser test makes it 1 s)
SWEEP_SECONDS = float(os.environ.get('ANCHANG_SWEEP_SECONDS') or 60)
log = logging.getLogger(__name__)


def install_complaint_alert(me: Staff) -> None:
    """The bar at the top of a manager's (or the admin's) page; nothing for anyone else."""
    if me.role not in (Role.MANAGER, Role.ADMIN):
        return
    ui.add_head_html(UNLOCK)
    shown: set[int] = set()
    client = ui.context.client
    rows = _pending(me)
    shown.update(r.id for r in rows)

    @ui.refreshable
    def bar() -> None:
        for row in rows:
            bar_row(row, show_site=me.role == Role.ADMIN)

    async def changed(site_id: int) -> None:
        if me.role != Role.ADMIN and site_id != me.site_id:
            return
        fresh = await run.io_bound(_pending, me)
        if fresh is None or client.id not in client.instances:  # shutting down, or the page was closed meanwhile
            return
        rows[:] = fresh
        bar.refresh()
        if {r.id for r in fresh} - shown:
            client.run_javascript(CHIME)
        shown.update(r.id for r in fresh)

    with ui.column().classes('w-full gap-1').mark('complaint-alerts'):
        bar()
    events.complaint_changed.subscribe(changed)


def bar_row(row: ComplaintRow, *, show_site: bool) -> None:
    late = row.clock.overdue
    heading = t('投诉已逾期上报') if row.escalated else t('新投诉待受理')
    with (
        ui.link(target=f'/complaints/{row.id}').classes('block w-full no-underline'),
        ui.row()
        .classes('w-full items-center no-wrap gap-2 rounded p-3 text-white ' + ('bg-red-800' if late else 'bg-red-600'))
        .mark(f'complaint-alert-{row.id}'),
    ):
        ui.icon('report', size='28px')
        with ui.column().classes('gap-0 min-w-0 flex-1'):
            ui.label(heading).classes('text-sm opacity-90')
            parts = [row.customer, t(rules.CATEGORIES[row.category]), t(rules.SEVERITIES[row.severity])]
            ui.label(' · '.join(p for p in [row.site if show_site else '', *parts] if p)).classes(
                'text-base font-semibold truncate'
            )
        ui.icon('chevron_right', size='28px').classes('shrink-0')


async def sweep_forever() -> None:
    """Once a minute, for the life of the app: overdue complaints escalate to the group admin."""
    while True:
        try:
            await run.io_bound(_sweep)
        except Exception:  # a database hiccup must not end the loop
            log.exception('complaint escalation sweep failed')
        await asyncio.sleep(SWEEP_SECONDS)


def start_sweep() -> None:
    background_tasks.create(sweep_forever(), name='complaint escalation')


def _sweep() -> None:
    if not group.run_once('complaint_sweep'):  # another process of the group sweeps
        return
    with db.session() as s:
        complaint_deadlines.escalate_overdue(s)


def _pending(me: Staff) -> list[ComplaintRow]:
    with db.session() as s:
        return complaint_lists.pending(s, actor=me)
