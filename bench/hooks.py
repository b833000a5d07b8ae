"""Routes only the sign-in benchmark mounts (ANCHANG_BENCH_HOOKS=1): a staff phone ends its reception over HTTP.

The phone's own path is 结束接待 on /rotation, the record dialog, then 保存并结束接待, whose handler runs
`reception.save_and_finish` in a worker thread. This route runs that same handler body for the logged-in salesperson
(grade C, the rest as prefilled), so the benchmark's phones free themselves through the app process, as phones do,
without driving a dialog. Never mounted unless the environment asks for it.
"""

from __future__ import annotations

import os

from fastapi import Request
from fastapi.responses import JSONResponse
from nicegui import APIRouter, run
from sqlalchemy.exc import OperationalError

import db
from models import Staff
from services.core.errors import DomainError
from services.customers import records
from services.rotation import reception

ENABLED_BY = 'ANCHANG_BENCH_HOOKS'
router = APIRouter()


def enabled() -> bool:
    """Whether this process was started by a benchmark that asks for these routes."""
    return os.environ.get(ENABLED_BY) == '1'


@router.post('/_bench/finish/{visit_id}', include_in_schema=False)
async def finish_reception(visit_id: int, request: Request) -> JSONResponse:
    """What 保存并结束接待 does for the phone's salesperson; 409 with the reason when it is refused."""
    staff: Staff = request.state.staff  # the auth middleware has checked the session
    try:
        await run.io_bound(_finish, staff, visit_id)
    except DomainError as e:
        return JSONResponse({'ok': False, 'message': e.translated()}, status_code=409)
    except OperationalError as e:  # the database stayed busy: the phone may try again
        return JSONResponse({'ok': False, 'message': str(e.orig)[:100]}, status_code=503)
    return JSONResponse({'ok': True})


def _finish(staff: Staff, visit_id: int) -> None:
    with db.session() as s:
        form = records.prefill(s, actor=staff, visit_id=visit_id)
        form.grade = 'C'
        reception.save_and_finish(s, actor=staff, visit_id=visit_id, form=form)
