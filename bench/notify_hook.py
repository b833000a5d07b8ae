"""A route only bench.alerts mounts (ANCHANG_BENCH_HOOKS=1): one visitor alert written to the outbox in its own
transaction, as a sign-in writes it, answered after the commit. Never mounted unless the environment asks."""

from __future__ import annotations

import os

from fastapi import Request
from fastapi.responses import JSONResponse
from nicegui import APIRouter, run

import db
from models import Role, Staff
from services import notify
from services.core.events import VisitorAlert

ENABLED_BY = 'ANCHANG_BENCH_HOOKS'
router = APIRouter()


def enabled() -> bool:
    """Whether this process was started by a benchmark that asks for this route (never mounted otherwise)."""
    return os.environ.get(ENABLED_BY) == '1'


@router.post('/_bench/notify/alert', include_in_schema=False)
async def bench_alert(request: Request) -> JSONResponse:
    """{"site_id", "staff_id", "key"}: the alert is committed when this answers; the same key again adds nothing."""
    staff: Staff = request.state.staff
    if staff.role != Role.ADMIN:
        return JSONResponse({'ok': False}, status_code=403)
    body = await request.json()
    new = await run.io_bound(_enqueue, int(body['site_id']), int(body['staff_id']), str(body['key']))
    return JSONResponse({'ok': True, 'new': bool(new)})


def _enqueue(site_id: int, staff_id: int, key: str) -> bool:
    alert = VisitorAlert(
        site_id=site_id, visit_id=0, staff_id=staff_id, customer='陈先生', party_size=2, returning=False,
        by_owner=False, on_behalf_of=None,
    )  # fmt: skip
    entry = notify.outbox.visitor_alert(alert)
    with db.session(write_lock=True) as s:
        rows = notify.enqueue(s, [notify.Alert(**(entry.__dict__ | {'key': key, 'visit_id': None}))])
        s.commit()
    return bool(rows)
