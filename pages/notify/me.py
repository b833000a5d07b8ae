"""我的提醒: which channels reach me, and Web Push switched on for this phone (an installed app)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from nicegui import APIRouter, run, ui

import db
from components.frame import frame
from components.session import guard
from models import Staff
from services import notify
from services.core.errors import DomainError
from services.core.i18n import t

from .common import reach_line

router = APIRouter()
SUBSCRIBE_JS = """
(async () => {
  const supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  if (!supported) return 'unsupported';
  if (await Notification.requestPermission() !== 'granted') return 'denied';
  const key = '%s'.replace(/-/g, '+').replace(/_/g, '/');
  const raw = Uint8Array.from(atob(key + '='.repeat((4 - key.length %% 4) %% 4)), (c) => c.charCodeAt(0));
  try {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: raw});
    const answer = await fetch('/notify/subscribe', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                                     body: JSON.stringify(subscription.toJSON())});
    return answer.ok ? 'ok' : 'failed';
  } catch (e) {
    return 'failed';
  }
})()
"""
OUTCOMES = {
    'ok': ('本机已开启网页推送', 'positive'),
    'unsupported': ('这台手机的浏览器不支持网页推送：请使用企业微信或钉钉提醒', 'warning'),
    'denied': ('没有允许通知：请在手机设置里允许本应用发送通知', 'warning'),
    'failed': ('开启失败：这台手机可能连不上推送服务，请使用企业微信或钉钉提醒', 'negative'),
}


@router.page('/notify/me')
def my_alerts_page() -> None:
    me = guard()
    if me is None:
        return
    with frame('我的提醒', me, active='/me'):
        with db.session() as s:
            key = notify.push_key(s, site_id=me.site_id)
            mine = _my_reach(s, me)
        ui.label(reach_line(mine)).mark('my-reach')
        ui.label(t('手机锁屏时，提醒经企业微信 / 钉钉 / 网页推送送达；打开轮序页时另有横幅、铃声和振动。')).classes(
            'ac-muted text-sm'
        )
        if key is None:
            return

        async def enable() -> None:
            outcome = await ui.run_javascript(SUBSCRIBE_JS % key, timeout=30.0)
            message, kind = OUTCOMES.get(str(outcome), OUTCOMES['failed'])
            ui.notify(t(message), type=kind)  # type: ignore[arg-type]

        ui.button(t('在本机开启网页推送'), icon='notifications_active', on_click=enable).props(
            'unelevated color=teal-8'
        ).classes('w-full ac-big-btn').mark('push-enable')


def _my_reach(s: Any, me: Staff) -> dict[str, bool | None]:
    if me.site_id is None:
        return {}
    for person in notify.reach(s, actor=me, site_id=me.site_id, person_id=me.id):
        return person.channels
    return {}


@router.post('/notify/subscribe', include_in_schema=False)
async def subscribe(request: Request) -> JSONResponse:
    """This browser's PushSubscription (its toJSON()) for the signed-in staff member."""
    staff: Staff = request.state.staff
    try:
        body = await request.json()
        endpoint, keys = str(body['endpoint']), body['keys']
        await run.io_bound(_save, staff, endpoint, str(keys['p256dh']), str(keys['auth']))
    except (ValueError, KeyError, TypeError):
        return JSONResponse({'ok': False}, status_code=400)
    except DomainError as e:
        return JSONResponse({'ok': False, 'message': e.translated()}, status_code=400)
    return JSONResponse({'ok': True})


def _save(staff: Staff, endpoint: str, p256dh: str, auth: str) -> None:
    with db.session() as s:
        notify.subscribe(s, actor=staff, endpoint=endpoint, p256dh=p256dh, auth=auth)
