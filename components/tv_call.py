"""The TV calls the name: "请 李娜 接待 陈先生" shown large across the board's empty bottom quarter and, where the
TV's browser has a Chinese voice and someone has tapped (or pressed a remote key) once, spoken aloud. The button
that enables the voice sits at the top, between the site's name and the clock."""

from __future__ import annotations

import asyncio
import json
import time

from nicegui import background_tasks, run, ui

import db
from models import Staff
from services.core import events
from services.core.events import VisitorAlert
from services.core.i18n import t

SHOW_S = 20.0  # a call stays up this long (the greeting usually comes within it)
MAX_CALLS = 3


def install_tv_call(site_id: int) -> None:
    """On the TV page: subscribe to the site's visitor alerts and call each receiver by name."""
    ui.add_css(CALL_CSS)
    ui.add_body_html(CALL_JS)
    client, loop = ui.context.client, asyncio.get_running_loop()
    calls: list[tuple[float, str]] = []
    with ui.element('div').classes('ac-tv-call').mark('tv-call') as band:
        line = ui.label('').classes('ac-tv-call-text')
    band.set_visibility(False)
    ui.button(t('启用语音'), icon='volume_up').props('unelevated rounded').classes('ac-tv-voice').mark('tv-voice')

    def draw() -> None:
        now = time.monotonic()
        calls[:] = [c for c in calls if c[0] > now][-MAX_CALLS:]
        line.set_text('　'.join(text for _, text in calls))
        band.set_visibility(bool(calls))

    async def call(alert: VisitorAlert) -> None:
        name = await run.io_bound(_name, alert.staff_id)
        text = t('请 {name} 接待 {customer}', name=name, customer=alert.customer)
        calls.append((time.monotonic() + SHOW_S, text))
        draw()
        client.run_javascript(f'window.acTvCall && window.acTvCall({json.dumps(text)})')
        await asyncio.sleep(SHOW_S + 0.1)
        draw()

    def on_alert(alert: VisitorAlert) -> None:
        if alert.site_id == site_id and not alert.shadow:
            loop.call_soon_threadsafe(lambda: background_tasks.create(call(alert), name='tv call'))

    events.visitor_assigned.subscribe(on_alert)


def _name(staff_id: int) -> str:
    with db.session() as s:
        staff = s.get(Staff, staff_id)
        return staff.name if staff else ''


CALL_CSS = """
.ac-tv-call { position: fixed; left: 0; right: 0; bottom: 0; height: 25vh; z-index: 50; display: flex;
  align-items: center; justify-content: center; background: #fbbf24; color: #111827;
  box-shadow: 0 -12px 40px rgba(0,0,0,.45); animation: ac-tv-call-in .4s ease-out; }
.ac-tv-call-text { font-size: 112px; font-weight: 800; line-height: 1.1; letter-spacing: .06em; text-align: center;
  padding: 0 40px; }
@keyframes ac-tv-call-in { from { transform: translateY(100%); } to { transform: translateY(0); } }
.ac-tv-voice { position: fixed; left: 50%; top: 24px; transform: translateX(-50%); z-index: 40;
  font-size: 48px !important; background: rgba(255,255,255,.18) !important; color: #fff !important; padding: 8px 32px; }
.ac-tv-voice.ac-done { display: none; }
"""

# Browsers speak only after a user activation (a tap, a click or a remote's key press), and some Android TVs
# list a Chinese language with no voice installed: speak only when a zh-CN (or plain zh) voice is really there.
CALL_JS = """<script>(() => {
  let enabled = false;
  const voice = () => {
    const all = ('speechSynthesis' in window) ? speechSynthesis.getVoices() : [];
    return all.find(v => /^zh[-_]CN/i.test(v.lang)) || all.find(v => /^zh$|^cmn/i.test(v.lang)) || null;
  };
  const enable = () => {
    enabled = true;
    document.querySelectorAll('.ac-tv-voice').forEach(e => e.classList.add('ac-done'));
    if ('speechSynthesis' in window) speechSynthesis.speak(new SpeechSynthesisUtterance(''));  // unlocks speech
  };
  document.addEventListener('click', enable, {once: true});
  document.addEventListener('keydown', enable, {once: true});
  window.acTvCall = (text) => {
    const v = voice();
    if (!enabled || !v) return enabled ? 'no-voice' : 'not-enabled';
    for (let i = 0; i < 2; i++) {  // twice, as a receptionist would call
      const u = new SpeechSynthesisUtterance(text);
      u.voice = v; u.lang = v.lang; u.rate = 0.9;
      speechSynthesis.speak(u);
    }
    return 'spoken';
  };
})();</script>"""
