"""Alerts through the outbox to stand-ins of the channels, with injected failures and a SIGKILL of the app.

    python -m bench.alerts [--alerts 2000] [--sites 20] [--staff 10] [--duration 300] [--fail-rate 0.05]

Default: the issue's case — 2,000 alerts for 200 staff across 20 sites offered over 5 minutes (20 a minute per
site), each to the site's group robot (WeCom on even sites, DingTalk on odd ones), a WeCom app message and a Web
Push; 5 % of the channel requests fail on purpose (HTTP 500, one in five a time-out); the app process is killed
with SIGKILL half-way and started again. Each alert is written by a bench-only route in its own transaction, as a
sign-in writes it; the bench notes the time its commit was answered and the time each stub accepted the delivery.
Prints the figures, then one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.alerts_report import report
from bench.harness import ROOT, child_env, free_port
from bench.signin_clients import PASSWORD, http_session, log_in
from tests.services.notify import stubs

ADMIN = 'benchadmin'
GATE = asyncio.Semaphore(16)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog='python -m bench.alerts', description=__doc__.split('\n\n')[0])
    parser.add_argument('--alerts', type=int, default=2000)
    parser.add_argument('--sites', type=int, default=20)
    parser.add_argument('--staff', type=int, default=10, help='salespeople per site')
    parser.add_argument('--duration', type=float, default=300.0, help='seconds over which the alerts are offered')
    parser.add_argument('--fail-rate', type=float, default=0.05)
    parser.add_argument('--no-kill', action='store_true', help='no SIGKILL and restart')
    parser.add_argument('--settle', type=float, default=300.0, help='seconds to wait for the last deliveries')
    args = parser.parse_args(argv)
    stub = stubs.start(fail_rate=args.fail_rate, timeout_s=6.0)
    data_dir = Path(tempfile.mkdtemp(prefix='anchang-alerts-'))
    try:
        people = prepare(data_dir, stub, args.sites, args.staff)
        result = asyncio.run(run(data_dir, stub, people, args))
    finally:
        stub.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(result))


def prepare(data_dir: Path, stub: stubs.Stub, sites: int, staff: int) -> list[tuple[int, int]]:
    """The schema, then the sites with their channels on the stub and their staff with a push subscription each."""
    env = child_env(data_dir, free_port())
    subprocess.run([sys.executable, str(ROOT / 'main.py'), '--no-serve'], cwd=data_dir, env=env, check=True)
    import config
    import db
    from models import ChannelKind, Role, Site, Staff
    from services import notify
    from services.core import security

    settings = config.load_settings(env, env_file=data_dir / '.env')
    db.init_engine(settings.database_url)
    password = security.hash_password(PASSWORD)
    people: list[tuple[int, int]] = []
    with db.session() as s:
        s.add(Staff(name='基准管理员', username=ADMIN, role=Role.ADMIN, password_hash=password))
        for n in range(sites):
            site = Site(name=f'基准项目{n:02d}', code=f'B{n:02d}')
            s.add(site)
            s.flush()
            manager = Staff(name=f'经理{n:02d}', role=Role.MANAGER, site_id=site.id, password_hash=password)
            s.add(manager)
            s.flush()
            robot = (
                (ChannelKind.WECOM_ROBOT, {'webhook': stub.wecom_robot_url(f'r{n}')})
                if n % 2 == 0
                else (
                    ChannelKind.DINGTALK_ROBOT,
                    {'webhook': stub.dingtalk_url(f'd{n}'), 'secret': stub.dingtalk_secret},
                )
            )
            app = {'corp_id': 'ww1', 'agent_id': '1000002', 'secret': stub.corp_secret, 'api_base': stub.base}
            for kind, values in (robot, (ChannelKind.WECOM_APP, app), (ChannelKind.WEB_PUSH, {})):
                notify.save_channel(s, actor=manager, site_id=site.id or 0, kind=kind, values=values)
            for m in range(staff):
                person = Staff(
                    name=f'顾问{n:02d}{m:02d}', phone=f'139{n:04d}{m:04d}', role=Role.SALESPERSON,
                    site_id=site.id, password_hash=password,
                )  # fmt: skip
                s.add(person)
                s.commit()
                sub = stub.new_subscription()
                notify.subscribe(s, actor=person, endpoint=sub['endpoint'], **sub['keys'])
                people.append((site.id or 0, person.id or 0))
    db.get_engine().dispose()
    return people


class App:
    """main.py in the data folder, started, killed and started again."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir, self.port = data_dir, free_port()
        self.base_url = f'http://127.0.0.1:{self.port}'
        self.process: subprocess.Popen[bytes] | None = None
        self.log = open(data_dir / 'app.log', 'ab')  # noqa: SIM115 - kept open across restarts

    async def start(self) -> float:
        started = time.time()
        env = child_env(self.data_dir, self.port, {'ANCHANG_BENCH_HOOKS': '1'})
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / 'main.py')], cwd=self.data_dir, env=env, stdout=self.log, stderr=self.log
        )
        async with http_session() as http:
            while time.time() - started < 60:
                try:
                    async with http.get(f'{self.base_url}/login') as r:
                        if r.status == 200:
                            return time.time()
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError('the app did not start')

    def kill(self) -> float:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return time.time()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


async def run(data_dir: Path, stub: stubs.Stub, people: list[tuple[int, int]], args: argparse.Namespace) -> dict:
    app = App(data_dir)
    await app.start()
    committed: dict[str, float] = {}
    outage: list[tuple[float, float]] = []
    try:
        async with http_session() as http:
            login = Login(app.base_url)
            await login.cookie(http)
            rng = random.Random(17)
            plan = [
                (f'a{i}', *people[(i % args.sites) * args.staff + rng.randrange(args.staff)])
                for i in range(args.alerts)
            ]
            start = time.time()
            killer = None if args.no_kill else asyncio.create_task(kill_once(app, start + args.duration / 2, outage))
            await asyncio.gather(
                *(offer(http, app, login, key, site, person, start + i * args.duration / args.alerts, committed)
                  for i, (key, site, person) in enumerate(plan))
            )  # fmt: skip
            if killer:
                await killer
            print(f'offered {len(plan)} alerts in {time.time() - start:.0f} s; waiting for the last deliveries')
            await settle(data_dir, stub, committed, args.settle)
    finally:
        app.stop()
    return report(data_dir, stub, committed, outage, restarts=len(outage), alerts=args.alerts)


async def offer(
    http: aiohttp.ClientSession, app: App, login: Login, key: str, site: int, person: int, at: float,
    committed: dict[str, float],
) -> None:  # fmt: skip
    """Write one alert at `at`; while the app is down, try again until its commit is answered."""
    await asyncio.sleep(max(0.0, at - time.time()))
    body = {'site_id': site, 'staff_id': person, 'key': key}
    pause = 0.2
    while True:
        async with GATE:  # as many writers at once as a sign-in burst's phones would be, not the whole backlog
            try:
                cookie = await login.cookie(http)
                async with http.post(
                    f'{app.base_url}/_bench/notify/alert', json=body, headers={'Cookie': cookie},
                    timeout=aiohttp.ClientTimeout(total=30), allow_redirects=False,
                ) as r:  # fmt: skip
                    if r.status == 200:
                        committed.setdefault(key, time.time())
                        return
                    if r.status in (302, 303, 307):  # the session did not survive the SIGKILL: log in again
                        login.lost(cookie)
            except (aiohttp.ClientError, TimeoutError):
                pass
        await asyncio.sleep(pause)
        pause = min(2.0, pause * 1.5)  # the app is down or restarting: do not flood it when it comes back


class Login:
    """The admin's session cookie; a new one when the app no longer knows it (its storage is written lazily)."""

    def __init__(self, base_url: str) -> None:
        self.base_url, self._cookie, self._lock = base_url, '', asyncio.Lock()

    async def cookie(self, http: aiohttp.ClientSession) -> str:
        async with self._lock:
            if not self._cookie:
                self._cookie = await log_in(http, self.base_url, ADMIN)
            return self._cookie

    def lost(self, cookie: str) -> None:
        if self._cookie == cookie:
            self._cookie = ''


async def kill_once(app: App, at: float, outage: list[tuple[float, float]]) -> None:
    await asyncio.sleep(max(0.0, at - time.time()))
    killed = app.kill()
    print(f'SIGKILL at {killed - at:+.1f} s after half-time; restarting')
    ready = await app.start()
    outage.append((killed, ready))
    print(f'back after {ready - killed:.1f} s')


async def settle(data_dir: Path, stub: stubs.Stub, committed: dict[str, float], limit_s: float) -> None:
    """Until the outbox has nothing left to send (every delivery sent or given up), or `limit_s`."""
    import sqlite3

    deadline = time.time() + limit_s
    query = "SELECT count(*) FROM notifydelivery WHERE status IN ('pending', 'sending')"
    while time.time() < deadline:
        with contextlib.closing(sqlite3.connect(data_dir / 'anchang.db', timeout=30)) as c:
            left = c.execute(query).fetchone()[0]
        if not left:
            return
        await asyncio.sleep(1.0)
    print(f'{left} deliveries still to send after {limit_s:.0f} s')


if __name__ == '__main__':
    main(sys.argv[1:])
