"""GET /healthz: the proxy (or an operator) asks whether this process can serve; 503 when it cannot."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

import db
from services import group

router = APIRouter()


@router.get('/healthz', include_in_schema=False)
def healthz() -> JSONResponse:  # sync: FastAPI runs it in a worker thread, off the event loop
    report = group.health(db.get_engine())
    return JSONResponse(report, status_code=200 if report['ok'] else 503, headers={'Cache-Control': 'no-store'})
