"""Visitors' sign-ins wait here per site and are written in groups: one transaction a group, in the site's writer.

On an opening-day burst, one transaction per visitor would each take the site's lock, read its roster and commit in
turn, with a worker thread per waiting visitor — and the threads that staff phones need would wait behind them. Here
whatever arrived while the previous group was being written goes in the next one (group commit); each visitor is
answered only after the commit that holds their visit. The group is written by the site's writer
(services/rotation/writer.py), before the greetings, records and ends of the site's phones waiting there: the visitor
at the door and the alert come first; one group waits at a time, so the phones' taps go between two groups.
"""

from __future__ import annotations

import asyncio

from nicegui import background_tasks

import db
from services.core.errors import NotFound
from services.rotation import writer
from services.signin import display, qr
from services.signin import register as signin

MAX_GROUP = 50  # a bound on one transaction's length, far above what a burst brings in one commit's time
Waiting = tuple[signin.SignInRequest, asyncio.Future[signin.SignInResult]]
_waiting: dict[str, list[Waiting]] = {}  # site code → sign-ins its writer has not taken: a queue, not domain state
_writers: dict[str, asyncio.Task[None]] = {}
_site_ids: dict[str, int] = {}  # site code → id, learnt from the first group: its writer's key, and the site it locks


async def sign_in(site_code: str, request: signin.SignInRequest) -> signin.SignInResult:
    """This visitor's outcome once the group holding their visit is committed; raises DomainError if refused."""
    future: asyncio.Future[signin.SignInResult] = asyncio.get_running_loop().create_future()
    _waiting.setdefault(site_code, []).append((request, future))
    if site_code not in _writers:
        _writers[site_code] = background_tasks.create(_write(site_code), name=f'sign-ins of site {site_code}')
    return await future


async def _write(site_code: str) -> None:
    try:
        while waiting := _waiting.get(site_code):
            group, _waiting[site_code] = waiting[:MAX_GROUP], waiting[MAX_GROUP:]
            requests = [request for request, _ in group]
            try:
                site = _site_ids.get(site_code, site_code)
                outcomes = await writer.write(site, write_group, site_code, requests, first=True)
            except Exception as e:  # every visitor of the group hears of it (a restart, too); the queue goes on
                outcomes = [e] * len(group)
            for (_, future), outcome in zip(group, outcomes, strict=True):
                if future.done():  # the visitor's connection went away meanwhile
                    continue
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)
    finally:
        _writers.pop(site_code, None)


@writer.database_work
def write_group(site_code: str, requests: list[signin.SignInRequest]) -> list[signin.SignInResult | Exception]:
    """The group in one transaction; should that fail as a whole, each request again on its own (one request the
    database refuses must not cost the others their sign-in)."""
    try:
        return _write_group(site_code, requests)
    except Exception:
        if len(requests) == 1:
            raise
    outcomes: list[signin.SignInResult | Exception] = []
    for request in requests:
        try:
            outcomes += _write_group(site_code, [request])
        except Exception as e:  # this visitor's own outcome
            outcomes.append(e)
    return outcomes


def _write_group(site_code: str, requests: list[signin.SignInRequest]) -> list[signin.SignInResult | Exception]:
    site_id = _site_ids.get(site_code)
    if site_id is not None:  # sign_in_group checks that the site it locks is open and still has the code
        try:
            with db.session() as s:
                return list(signin.sign_in_group(s, site_id=site_id, requests=requests, code=site_code))
        except (qr.InvalidToken, NotFound):
            _site_ids.pop(site_code, None)  # closed, gone, or the code is another site's now: read it again
    with db.session() as s:
        site_id = _site_ids[site_code] = display.site_by_code(s, site_code).id or 0
        return list(signin.sign_in_group(s, site_id=site_id, requests=requests, code=site_code))
