"""The demo's test receiver: it answers as a WeCom group robot does and shows what it got, so a newcomer sees the
site's deliveries without a WeCom account. A stand-in for a real group, kept in this process's memory only."""

from __future__ import annotations

import json
from collections import deque
from datetime import UTC, datetime

from fastapi import Request
from fastapi.responses import JSONResponse
from nicegui import APIRouter, ui

from components.frame import frame
from components.session import guard
from services.core import authz
from services.core.i18n import t

from .common import TZ

router = APIRouter()
RECEIVED: deque[tuple[datetime, str, list[str]]] = deque(maxlen=200)  # (when, text, mentioned mobiles)


@router.post('/_notify/receiver/wecom-robot/send', include_in_schema=False)
async def wecom_robot(request: Request) -> JSONResponse:
    """The WeCom group robot's webhook: JSON text with mentioned_mobile_list; answered with errcode 0."""
    try:
        body = json.loads(await request.body())
        text = body['text']
        RECEIVED.appendleft(
            (datetime.now(UTC), str(text['content'])[:2048], list(text.get('mentioned_mobile_list', [])))
        )
    except (ValueError, KeyError, TypeError):
        return JSONResponse({'errcode': 40008, 'errmsg': 'invalid message type'})
    return JSONResponse({'errcode': 0, 'errmsg': 'ok'})


@router.page('/notify/receiver')
def receiver_page() -> None:
    me = guard(authz.MANAGERS)
    if me is None:
        return
    with frame('测试接收群', me, active='/notify'):
        ui.label(t('演示项目的群机器人发到这里（代替企业微信群）')).classes('ac-muted text-sm')

        @ui.refreshable
        def view() -> None:
            if not RECEIVED:
                ui.label(t('还没有收到消息')).classes('ac-muted')
            for at, text, mobiles in list(RECEIVED):
                with ui.card().classes('w-full gap-1').mark('received'):
                    ui.label(f'{at.astimezone(TZ):%H:%M:%S}').classes('ac-muted text-sm')
                    ui.label(text).style('white-space: pre-line')
                    if mobiles:
                        masked = ', '.join(f'{m[:3]}****{m[-4:]}' for m in mobiles)
                        ui.label(t('@ 提到：{who}', who=masked)).classes('text-sm text-teal-8')

        view()
        seen = [len(RECEIVED), RECEIVED[0][0] if RECEIVED else None]

        def refresh() -> None:  # only when something came: no redraw under a finger
            now = [len(RECEIVED), RECEIVED[0][0] if RECEIVED else None]
            if now != seen:
                seen[:] = now
                view.refresh()

        ui.timer(3.0, refresh)
