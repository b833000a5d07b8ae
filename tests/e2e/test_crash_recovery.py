"""A server killed (SIGKILL) in the middle of a sign-in burst: every sign-in a visitor saw confirmed is there after
the restart, and retrying an unanswered one never makes a second visit."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

import db
from bench.signin_clients import KeptServer, Prepared, prepare, surname, visitor_form
from models import Staff, Visit

PHONES = 600  # more than can be sent before the kill: the burst is still going when it comes
AT_ONCE = 24
KILL_AFTER = 40  # confirmed sign-ins


@dataclass
class Outcome:
    n: int
    key: str
    ok: bool = False
    result_url: str = ''
    error: str = ''


@pytest.fixture
def prepared(tmp_path: Path) -> Prepared:
    return prepare(tmp_path, salespeople=8)


@pytest.fixture
def kept_server(prepared: Prepared) -> Iterator[KeptServer]:
    """The app on the prepared data folder (not the session's demo server): it is killed and started again."""
    app = KeptServer(prepared.data_dir)
    app.start()
    yield app
    app.stop()


def test_every_confirmed_signin_survives_a_sigkill_mid_burst(prepared: Prepared, kept_server: KeptServer) -> None:
    burst = Burst(kept_server.base_url, prepared.token(0))
    outcomes, in_flight = burst.run_and_kill(kept_server.pid)
    confirmed = [o for o in outcomes if o.ok]
    assert len(confirmed) >= KILL_AFTER
    assert in_flight > 0, 'the kill came between requests, not in the middle of any'

    kept_server.start()  # same data folder: SQLite recovers its write-ahead log
    with httpx.Client(base_url=kept_server.base_url, timeout=10) as http:
        for outcome in confirmed:
            page = http.get(outcome.result_url)
            assert page.status_code == 200, outcome
            assert f'{surname(outcome.n)}{"先生" if outcome.n % 2 else "女士"}，登记成功' in page.text
            assert consultant(prepared, outcome) in page.text
        unanswered = [o for o in outcomes if not o.ok]
        retried = [burst.post(http, o.n, o.key) for o in unanswered[:AT_ONCE]]  # the visitor taps 提交 again
    assert all(o.ok for o in retried), [o.error for o in retried if not o.ok]
    assert {o.key for o in confirmed + retried} <= stored_keys(prepared)
    assert duplicated_keys(prepared) == 0


def consultant(prepared: Prepared, outcome: Outcome) -> str:
    """The name the result page must show: the assigned consultant's, or nothing more for a waiting visitor."""
    with Session(db.make_engine(prepared.database_url)) as s:
        visit = s.exec(select(Visit).where(Visit.request_key == outcome.key)).one()
        assert f'/done/{visit.id}?' in outcome.result_url
        staff = s.get(Staff, visit.assigned_id) if visit.assigned_id else None
    return staff.name if staff else '登记成功'


def stored_keys(prepared: Prepared) -> set[str]:
    with Session(db.make_engine(prepared.database_url)) as s:
        return {k for k in s.exec(select(Visit.request_key)) if k}


def duplicated_keys(prepared: Prepared) -> int:
    with Session(db.make_engine(prepared.database_url)) as s:
        query = select(Visit.request_key).group_by(col(Visit.request_key)).having(func.count() > 1)
        return len(s.exec(query).all())


class Burst:
    """Phones posting the sign-in form AT_ONCE at a time, each from its own address, until the server dies."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url, self.token = base_url, token
        self.lock = threading.Lock()
        self.started = self.finished = self.ok = 0

    def run_and_kill(self, pid: int) -> tuple[list[Outcome], int]:
        """Post PHONES sign-ins; SIGKILL the server once KILL_AFTER are confirmed; how many were in flight then."""
        with httpx.Client(base_url=self.base_url, timeout=10) as http, ThreadPoolExecutor(AT_ONCE) as pool:
            futures = [pool.submit(self.post, http, n, uuid.uuid4().hex) for n in range(PHONES)]
            deadline = time.monotonic() + 15
            while self.ok < KILL_AFTER and time.monotonic() < deadline:
                time.sleep(0.005)
            with self.lock:
                in_flight = self.started - self.finished
                os.kill(pid, signal.SIGKILL)
            outcomes = [f.result() for f in futures]
        return outcomes, in_flight

    def post(self, http: httpx.Client, n: int, key: str) -> Outcome:
        form, headers = visitor_form(n, key, run=1)
        outcome = Outcome(n, key)
        with self.lock:
            self.started += 1
        try:
            answer = http.post(f'/v/{self.token}', data=form, headers=headers).json()
            outcome.ok, outcome.result_url = bool(answer.get('ok')), answer.get('result_url', '')
            outcome.error = '' if outcome.ok else str(answer)
        except (httpx.HTTPError, ValueError) as e:
            outcome.error = f'{type(e).__name__}: {e}'
        with self.lock:
            self.finished += 1
            self.ok += outcome.ok
        return outcome
