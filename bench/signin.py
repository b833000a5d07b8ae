"""Sign-in → alert latency and an opening-day burst, with N staff phones connected: `python -m bench.signin`.

Staff phones: protocol-level NiceGUI clients — python-socketio AsyncClient on the websocket of the page each holds
open, logged in through the /login page itself (driven over its websocket; --browser-login: Chromium fills it).
Visitors: the POST the public sign-in page's script sends, each from its own phone number and client address
(X-Forwarded-For, which uvicorn trusts from 127.0.0.1). The alert is timed from the visitor's POST to the moment the
assigned salesperson's phone receives the banner naming the visitor over its websocket.

Receptions: each alerted phone taps 我来接待 on its banner (over its websocket). A real reception lasts half an hour
or more, so on an opening day none ends during a one-minute burst: by default (--hold 0) the salesperson stays with
the visitor, and once everyone is busy the next visitors wait for a free salesperson (their page says so) — the
alert latency then covers the first N visitors, the ones the rotation can place at once. --hold S is a stress test of
the whole reception cycle instead: S seconds after the alert the phone taps 结束接待, grades the visitor C in the
record dialog and taps 保存并结束接待, over its own websocket as a salesperson's phone does, so every visitor is
alerted, greeted, recorded and ended. A watcher process still checks, read-only, ten times a second,
that nobody holds two open visits. Generator, watcher and server share the machine's cores: the CPU each used is
reported with the figures. --database-url runs it on PostgreSQL (a fresh database, dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import re
import shutil
import tempfile
import time
import uuid
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import aiohttp

from . import signin_group
from .harness import print_result, rss_mb
from .signin_clients import (
    KeptServer,
    Prepared,
    StaffPhone,
    Submitted,
    http_session,
    log_in_all,
    log_in_all_with_chromium,
    prepare,
    sign_in,
    surname,
)
from .signin_receptions import Receptions, watcher

CLK_TCK = os.sysconf('SC_CLK_TCK')
Alerts = dict[str, tuple[int, float]]  # visitor's surname → (staff id of the phone that showed it, perf_counter)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--clients', type=int, default=200, help='staff phones connected (default 200)')
    parser.add_argument('--rate', type=float, default=50.0, help='sign-ins per second offered (default 50)')
    parser.add_argument('--seconds', type=float, default=60.0, help='length of the burst (default 60)')
    parser.add_argument(
        '--page',
        default='/rotation',
        help='the page every staff phone holds open (default /rotation: 轮序, as on an opening day; / is 首页)',
    )
    parser.add_argument(
        '--sites',
        type=int,
        default=1,
        help='sites the phones and the sign-ins are spread over (default 1; e.g. 20 '
        "sites × 10 salespeople: a group's normal day)",
    )
    parser.add_argument(
        '--hold',
        type=float,
        default=0.0,
        help='seconds until each reception ends (default 0: not during the burst, as on a real day; visitors wait for '
        'a free salesperson); e.g. 1: every visitor alerted, greeted, recorded and ended — the whole cycle',
    )
    parser.add_argument('--browser-login', action='store_true', help='log in with Chromium (slow) instead')
    parser.add_argument(
        '--database-url',
        default='',
        help='a PostgreSQL server to run on, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres: the '
        'benchmark makes a fresh database there and drops it afterwards (default: SQLite in a fresh folder)',
    )
    parser.add_argument('--quick', action='store_true', help='a short try: 20 phones, 10 sign-ins/s for 5 s')
    parser.add_argument(
        '--processes',
        type=int,
        default=1,
        help='app processes of a group behind nginx (default 1: one process, no proxy); more needs --database-url',
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.clients, args.rate, args.seconds, args.hold = 20, 10.0, 5.0, 0.5
    if args.processes > 1:
        print_result(asyncio.run(signin_group.run(args, measure)))
        return
    print_result(asyncio.run(run(args)))


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Prepare the data, log everyone in, restart the server clean, then connect the phones and measure."""
    data_dir = Path(tempfile.mkdtemp(prefix='anchang-signin-'))
    database_url = fresh_database(args.database_url) if args.database_url else ''
    env = {'ANCHANG_DATABASE_URL': database_url} if database_url else {}
    server = KeptServer(data_dir, env=env)
    try:
        prepared = prepare(data_dir, args.clients, sites=args.sites, database_url=database_url)
        started = time.perf_counter()
        server.start()
        log_in_with = log_in_all_with_chromium if args.browser_login else log_in_all
        cookies = await log_in_with(server.base_url, [name for _, name in prepared.staff])
        server.stop()  # a fresh process for the phones: its memory holds nothing of the logins
        print(f'{len(cookies)} salespeople logged in in {time.perf_counter() - started:.0f} s')
        server.start()
        return await measure(args, server, prepared, cookies)
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
        if database_url:
            drop_database(args.database_url, database_url)


async def measure(
    args: argparse.Namespace,
    server: KeptServer | signin_group.Proxied,
    prepared: Prepared,
    cookies: dict[str, str],
    *,
    routing: signin_group.Routing | None = None,
) -> dict:
    """Connect every phone (memory before and after), run the burst, disconnect."""
    alerts: Alerts = {}
    twice: set[str] = set()

    def on_alert(name: str, staff_id: int, at: float) -> None:
        if name not in alerts:
            alerts[name] = (staff_id, at)
            receptions.alerted(name, staff_id)
        elif alerts[name][0] != staff_id:
            twice.add(name)

    phones = [StaffPhone(staff_id, cookies[name], on_alert) for staff_id, name in prepared.staff]
    async with (
        http_session() as phones_http,
        http_session(timeout=aiohttp.ClientTimeout(total=60)) as visitors_http,
    ):
        receptions = Receptions(phones, args.hold)
        rss_before = rss_mb(server.pid)
        await connect_all(phones, phones_http, server.base_url, args.page)
        await asyncio.sleep(2)
        rss_after = rss_mb(server.pid)
        print(f'{len(phones)} phones on {args.page}: server RSS {rss_before:.0f} → {rss_after:.0f} MiB')
        acks = asyncio.create_task(ack_loop(phones))
        try:
            figures = await burst(args, server, prepared, visitors_http, alerts, receptions, routing=routing)
        finally:
            acks.cancel()
            await receptions.stop()
            await asyncio.gather(*(phone.close() for phone in phones), return_exceptions=True)
    figures['mem_per_client_kb'] = round((rss_after - rss_before) * 1024 / max(1, len(phones)), 1)
    figures['server_rss_mb'] = round(rss_after, 1)
    figures['alerts_on_two_phones'] = len(twice)
    figures['server_errors'] = server_errors(server.output)
    return figures


def server_errors(output: str) -> dict[str, int]:
    """The exceptions the server logged, by their last line, counted."""
    lines = [line.strip() for line in output.splitlines()]
    last = [line[:120] for line in lines if re.match(r'^[\w.]+(Error|Exception)\b', line)]
    return dict(Counter(last).most_common(5))


async def connect_all(phones: list[StaffPhone], http: aiohttp.ClientSession, base_url: str, page: str) -> None:
    gate = asyncio.Semaphore(4)

    async def one(phone: StaffPhone) -> None:
        async with gate:
            await phone.open(http, base_url, page)

    await asyncio.gather(*(one(phone) for phone in phones))


async def ack_loop(phones: list[StaffPhone]) -> None:
    while True:
        await asyncio.sleep(3)
        await asyncio.gather(*(phone.ack() for phone in phones), return_exceptions=True)


async def burst(
    args: argparse.Namespace,
    server: KeptServer | signin_group.Proxied,
    prepared: Prepared,
    http: aiohttp.ClientSession,
    alerts: Alerts,
    receptions: Receptions,
    *,
    routing: signin_group.Routing | None = None,
) -> dict[str, Any]:
    """Offer `rate` sign-ins a second for `seconds` (open loop), wait for the last alerts, audit the database."""
    spawn = multiprocessing.get_context('spawn')
    stop, ready, results = spawn.Event(), spawn.Event(), spawn.Queue()
    watching = spawn.Process(target=watcher, args=(prepared.database_url, stop, results, ready), daemon=True)
    watching.start()
    while not ready.is_set() and watching.is_alive():  # its start (a Python importing the app) is not the burst's
        await asyncio.sleep(0.1)
    cpu = CpuMeter({'server': server.pid, 'generator': os.getpid(), 'watcher': watching.pid or 0})
    lag = LagMeter()

    async def visitor(n: int) -> Submitted:
        headers = routing.visitor_headers(n) if routing else None  # a group: this visitor's process, through nginx
        sent = await sign_in(http, server.base_url, prepared.token(n), n, headers=headers)
        return sent

    total, tasks = int(args.rate * args.seconds), []
    start = time.perf_counter()
    for n in range(total):
        delay = start + n / args.rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(visitor(n)))
    submitted: list[Submitted] = await asyncio.gather(*tasks)
    elapsed = max(s.answered for s in submitted) - start
    await wait_for_alerts(alerts, [s for s in submitted if s.ok], timeout=5.0)
    usage, lag_ms = cpu.percent(), lag.stop()
    stop.set()
    watched = results.get(timeout=60)
    watching.join(timeout=10)
    confirmed = [s for s in submitted if s.ok]
    answers = [(s.answered - s.sent) * 1000 for s in confirmed]
    return {
        'clients': len(prepared.staff),
        'signins': len(confirmed),
        'offered': total,
        'not_confirmed': total - len(confirmed),
        'signins_per_s': round(len(confirmed) / max(elapsed, 1e-9), 1),
        'offered_per_s': args.rate,
        'seconds': args.seconds,
        **audit(prepared, confirmed, alerts, held_two=watched['held_two']),
        'answer_p50_ms': percentile(answers, 50),
        'answer_p95_ms': percentile(answers, 95),
        'generator_loop_lag_p99_ms': lag_ms,
        **{f'cpu_{name}_pct': value for name, value in usage.items()},
        **receptions.figures(),
        'watcher_looks': watched['looks'],
        'errors': sorted({s.error[:100] for s in submitted if not s.ok})[:5],
        'staff_client': f'python-socketio AsyncClient on the websocket of NiceGUI page {args.page}',
        'login': 'Chromium' if args.browser_login else 'the /login page driven over its websocket',
        'receptions_ended_by': (
            f'the phones, through the app: 我来接待, then after {args.hold:g} s the record and the end'
            if args.hold
            else 'never (the phones tap 我来接待)'
        ),
        'database': 'postgresql' if args.database_url else 'sqlite',
        'page': args.page,
        'sites': len(prepared.site_ids),
        'processes': routing.processes if routing else 1,
        **(
            signin_group.cross_process(prepared, confirmed, alerts, routing)
            if routing
            else {'cross_process_alert_p95_ms': None}
        ),
    }


async def wait_for_alerts(alerts: Alerts, confirmed: list[Submitted], timeout: float) -> None:
    wanted = {surname(s.n) for s in confirmed}
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and not wanted <= alerts.keys():
        await asyncio.sleep(0.1)


def audit(prepared: Prepared, confirmed: list[Submitted], alerts: Alerts, *, held_two: int) -> dict[str, Any]:
    """From the database: lost, assigned twice, fair shares; and each confirmed visit's alert on the right phone."""
    from sqlalchemy import func
    from sqlmodel import Session, col, select

    import db
    from models import TurnEntry, TurnKind, Visit, VisitStatus

    with Session(db.make_engine(prepared.database_url)) as s:
        visits = list(s.exec(select(Visit).where(col(Visit.site_id).in_(prepared.site_ids))))
        assigning = col(TurnEntry.kind).in_([TurnKind.ASSIGNED, TurnKind.MADE_UP, TurnKind.OWNER])
        turns = s.exec(
            select(TurnEntry.visit_id, func.count(), func.max(TurnEntry.id))
            .where(assigning)
            .group_by(col(TurnEntry.visit_id))
        ).all()
    order = {visit_id: last or 0 for visit_id, _, last in turns if visit_id is not None}
    turns_twice = sum(1 for _, n, _ in turns if n > 1)
    by_key = {v.request_key: v for v in visits}
    counts = Counter(v.assigned_id for v in visits if v.assigned_id)
    shares = [counts.get(staff_id, 0) for staff_id, _ in prepared.staff]
    latencies, missing, wrong, waited = [], 0, 0, 0
    for sent in confirmed:
        visit = by_key.get(sent.key)
        if visit is None or visit.assigned_id is None or visit.assigned_at != visit.arrived_at:
            waited += visit is not None
            continue
        staff_id, at = alerts.get(surname(sent.n), (None, 0.0))
        if staff_id is None:
            missing += 1
        elif staff_id != visit.assigned_id:
            wrong += 1
        else:
            latencies.append((at - sent.sent) * 1000)
    return {
        'alert_p50_ms': percentile(latencies, 50),
        'alert_p95_ms': percentile(latencies, 95),
        'alert_p99_ms': percentile(latencies, 99),
        'alert_max_ms': percentile(latencies, 100),
        'alerts_measured': len(latencies),
        'alerts_missing': missing,
        'alerts_on_wrong_phone': wrong,
        'lost': sum(1 for sent in confirmed if sent.key not in by_key),
        'double_assigned': held_two + turns_twice + len(visits) - len(by_key),
        'timestamps_out_of_order': out_of_order(visits, order),
        'count_spread': max(shares) - min(shares) if shares else 0,
        'receptions_min_max': [min(shares, default=0), max(shares, default=0)],
        'waited_for_a_free_salesperson': waited,
        'still_waiting': sum(1 for v in visits if v.status == VisitStatus.WAITING),
    }


def out_of_order(visits: list[Any], order: dict[int, int]) -> int:
    """Visits stamped as assigned before their receiver's previous visit was stamped as ended, taken in the order
    of the turn ledger (written under the write lock): not two at once — the watcher checks that — but
    clocks read before the lock was granted."""
    by_staff: dict[int, list[Any]] = {}
    for visit in visits:
        if visit.assigned_id is not None and visit.assigned_at is not None:
            by_staff.setdefault(visit.assigned_id, []).append(visit)
    clashes = 0
    for held in by_staff.values():
        held.sort(key=lambda v: order.get(v.id, 0))
        for before, after in pairwise(held):
            clashes += before.ended_at is not None and after.assigned_at < before.ended_at
    return clashes


def fresh_database(server_url: str) -> str:
    """A new, empty database on the PostgreSQL server of `server_url`; its URL."""
    from sqlalchemy import create_engine, text

    import db

    name = f'anchang_bench_{uuid.uuid4().hex[:10]}'
    admin = create_engine(db.make_engine(server_url).url, isolation_level='AUTOCOMMIT')
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE {name}'))
    admin.dispose()
    return admin.url.set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, database_url: str) -> None:
    from sqlalchemy import create_engine, text

    import db

    name = db.make_engine(database_url).url.database
    admin = create_engine(db.make_engine(server_url).url, isolation_level='AUTOCOMMIT')
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)'))
    admin.dispose()


class LagMeter:
    """How late the generator's own event loop wakes up (p99, ms): a busy generator delays what it measures."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.05)
            self.lags.append((time.perf_counter() - before - 0.05) * 1000)

    def stop(self) -> float | None:
        self.task.cancel()
        return percentile(self.lags, 99)


class CpuMeter:
    """CPU used by some processes from now until percent(): 100 = one core busy the whole time."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids, self.start = pids, time.perf_counter()
        self.ticks = {name: cpu_ticks(pid) for name, pid in pids.items()}

    def percent(self) -> dict[str, float]:
        wall = time.perf_counter() - self.start
        return {
            name: round((cpu_ticks(pid) - self.ticks[name]) / CLK_TCK / wall * 100, 1)
            for name, pid in self.pids.items()
        }


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (nearest rank), rounded to 0.1; None for no values (JSON null, not NaN)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 1)


if __name__ == '__main__':
    main()
