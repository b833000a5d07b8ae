"""The alert a salesperson cannot miss: a full-width banner, a sound and a vibration, until acknowledged."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

import db
from models import Staff
from services.core import events
from services.core.errors import DomainError
from services.core.events import VisitorAlert
from services.core.i18n import t
from services.rotation import reception, writer

from .background import read_then

_phones: dict[int, list[Callable[[VisitorAlert], None]]] = {}  # staff id → the callbacks of their open pages
_greeted: dict[str, list[Callable[[int | None], object]]] = {}  # client id → what its page redraws after 我来接待
_assigned: dict[str, list[Callable[[VisitorAlert], object]]] = {}  # client id → what its page notes of a new alert

# A short two-tone chime made in the browser (no audio file to download); vibration where allowed.
CHIME = """
(() => {
  try {
    const ctx = window.__acAudio || (window.__acAudio = new (window.AudioContext || window.webkitAudioContext)());
    ctx.resume();
    [[880, 0], [1175, 0.18], [880, 0.36], [1175, 0.54]].forEach(([f, at]) => {
      const o = ctx.createOscillator(), g = ctx.createGain();
      o.frequency.value = f; o.connect(g); g.connect(ctx.destination);
      g.gain.setValueAtTime(0.25, ctx.currentTime + at);
      g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + at + 0.16);
      o.start(ctx.currentTime + at); o.stop(ctx.currentTime + at + 0.17);
    });
  } catch (e) {}
  if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
})();
"""
# Browsers allow sound only after a tap on the page: unlock the audio context on the first one.
UNLOCK = """<script>document.addEventListener('pointerdown', () => { try {
  const ctx = window.__acAudio || (window.__acAudio = new (window.AudioContext || window.webkitAudioContext)());
  ctx.resume(); } catch (e) {} }, {once: true});</script>"""


def install_visitor_alert(me: Staff) -> None:
    """Show this phone's pending visitor alerts now, and every new one the moment it is assigned."""
    ui.add_head_html(UNLOCK)
    client = ui.context.client
    shown: dict[int, ui.element] = {}  # visit id → its banner on this phone

    def show(alert: VisitorAlert) -> None:
        if alert.visit_id not in shown:
            with area:
                shown[alert.visit_id] = banner(me, alert, on_done=lambda ok: hide(alert.visit_id, greeted=ok))

    def hide(visit_id: int, *, greeted: bool) -> None:
        if (element := shown.pop(visit_id, None)) is not None:
            element.delete()
        for redraw in _greeted.get(client.id, []):
            redraw(visit_id if greeted else None)

    def on_alert(alert: VisitorAlert) -> None:
        for note in _assigned.get(client.id, []):
            note(alert)
        show(alert)  # drawn from the alert itself: no database read on the event loop while a crowd signs in
        client.run_javascript(CHIME)

    # a bottom sheet: 我来接待 falls in the lower third, under the thumb of the hand that holds the phone
    area = ui.element('div').classes('ac-alerts fixed bottom-0 left-0 right-0 z-[5000] flex flex-col gap-1')

    def show_all(pending: list[VisitorAlert]) -> None:
        for alert in pending:
            show(alert)

    read_then(lambda: _pending(me), show_all, name='visitor alerts')
    phones = _phones.setdefault(me.id or 0, [])
    phones.append(on_alert)
    client.on_delete(lambda: phones.remove(on_alert))


def on_greeted(redraw: Callable[[int | None], object]) -> None:
    """After this phone's 我来接待: `redraw(visit id)` (the page's part that shows the visit, which the board does
    not); `redraw(None)` when it was refused (the visit went to someone else meanwhile)."""
    client = ui.context.client
    _greeted.setdefault(client.id, []).append(redraw)
    client.on_delete(lambda: _greeted.pop(client.id, None))


def on_assigned(note: Callable[[VisitorAlert], object]) -> None:
    """`note(alert)` for each alert this phone gets from now on, before its banner shows (the page's part that shows
    my visits knows of the visit without reading it)."""
    client = ui.context.client
    _assigned.setdefault(client.id, []).append(note)
    client.on_delete(lambda: _assigned.pop(client.id, None))


def install_dispatcher() -> None:
    """Once per app: the one subscriber to visitor alerts, which wakes only the assigned salesperson's phones.

    Not one subscription per phone: with 200 phones that would be 200 callbacks for every visitor.
    """
    _phones.clear()  # a new app has no phones yet
    events.visitor_assigned.subscribe(_dispatch)


def _dispatch(alert: VisitorAlert) -> None:
    for notify in list(_phones.get(alert.staff_id, ())):
        notify(alert)


def banner(me: Staff, alert: VisitorAlert, *, on_done: Callable[[bool], object]) -> ui.column:
    with (
        ui.column()
        .classes('w-full bg-orange-600 text-white p-4 pb-6 gap-2 shadow-xl rounded-t-2xl')
        .mark(f'alert-{alert.visit_id}') as box
    ):
        ui.label(t('跟随师傅接待') if alert.shadow else t('请接待客户')).classes('text-base opacity-90')
        ui.label(t('{name}（{n} 人）', name=alert.customer, n=alert.party_size)).classes('text-3xl font-bold')
        detail = [t('老客户') if alert.returning else t('新客户')]
        if alert.on_behalf_of:
            detail.append(t('代 {name} 接待', name=alert.on_behalf_of))
        ui.label(' · '.join(detail)).classes('text-base')
        if alert.typed_as:
            ui.label(t('登记姓名为「{typed}」，与客户资料不符，请当面核实', typed=alert.typed_as)).classes(
                'text-base font-bold bg-white text-orange-10 rounded px-2'
            ).mark(f'mismatch-{alert.visit_id}')
        ui.button(t('我来接待'), on_click=lambda: acknowledge(me, alert, on_done)).props(
            'unelevated color=white text-color=orange-10 size=lg'
        ).classes('w-full ac-big-btn font-bold')
    return box


async def acknowledge(me: Staff, alert: VisitorAlert, on_done: Callable[[bool], object]) -> None:
    try:
        await writer.write(me.site_id, _acknowledge, me, alert.visit_id)
    except DomainError as e:
        ui.notify(e.translated(), type='negative')
        on_done(False)
        return
    on_done(True)


def _pending(me: Staff) -> list[VisitorAlert]:
    with db.session() as s:
        return reception.pending_alerts(s, actor=me)


@writer.database_work
def _acknowledge(me: Staff, visit_id: int) -> None:
    with db.session() as s:
        reception.acknowledge(s, actor=me, visit_id=visit_id)
