"""`bench.signin --processes N`: the same burst on a group — N app processes on one PostgreSQL behind nginx (the
repo's deploy/ config), logins in Redis. Phones are spread over the processes, each kept on its own by nginx's route
cookie, and so is each visitor's sign-in: an alert is cross-process when the visitor's sign-in was handled by
another process than the one holding the salesperson's phone.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .group_harness import Group
from .signin_clients import Prepared, Submitted, log_in_all, prepare, surname


@dataclass
class Routing:
    """Which process each phone and each visitor is sent to, through nginx."""

    processes: int
    routes: list[str]  # nginx route cookie value per process
    staff_process: dict[int, int]  # staff id → the process holding their phone

    def visitor_process(self, n: int) -> int:
        return n % self.processes

    def visitor_headers(self, n: int) -> dict[str, str]:
        return {'Cookie': f'anchang_route={self.routes[self.visitor_process(n)]}'}


class Proxied:
    """What bench.signin's measure() needs of its server, for a group: the proxy's address, process 0's pid (its
    memory and CPU are reported), and every process's output (the exceptions counted)."""

    def __init__(self, group: Group) -> None:
        self.group, self.base_url, self.pid = group, group.base_url, group.apps[0].pid

    @property
    def output(self) -> str:
        return ''.join(app.output for app in self.group.apps)


async def run(args: argparse.Namespace, measure: Any) -> dict[str, Any]:
    """Start the group, prepare the site and its salespeople, log them in through nginx, then measure."""
    if not args.database_url:
        raise SystemExit('--processes needs --database-url (a group runs on PostgreSQL)')
    with Group(args.processes, database_url=args.database_url) as group:
        data_dir = Path(tempfile.mkdtemp(prefix='anchang-signin-group-'))
        prepared: Prepared = prepare(
            data_dir, args.clients, sites=args.sites, database_url=group.database_url, extra_env=group.env
        )
        started = time.perf_counter()
        cookies = await log_in_all(group.base_url, [name for _, name in prepared.staff])
        print(f'{len(cookies)} salespeople logged in through nginx in {time.perf_counter() - started:.0f} s')
        routes = [group.route_to(i) for i in range(args.processes)]
        routing = Routing(args.processes, routes, {})
        for i, (staff_id, name) in enumerate(prepared.staff):
            routing.staff_process[staff_id] = i % args.processes
            session = next(part for part in cookies[name].split('; ') if part.startswith('session='))
            cookies[name] = f'{session}; anchang_route={routes[i % args.processes]}'
        figures: dict[str, Any] = await measure(args, Proxied(group), prepared, cookies, routing=routing)
        return figures


def cross_process(
    prepared: Prepared, confirmed: list[Submitted], alerts: dict[str, tuple[int, float]], routing: Routing
) -> dict[str, Any]:
    """The alert latency of visitors assigned at once whose phone is on another process than their sign-in."""
    from sqlmodel import Session, col, select

    import db
    from models import Visit

    with Session(db.make_engine(prepared.database_url)) as s:
        visits = {v.request_key: v for v in s.exec(select(Visit).where(col(Visit.site_id).in_(prepared.site_ids)))}
    latencies = []
    for sent in confirmed:
        visit = visits.get(sent.key)
        staff_id, at = alerts.get(surname(sent.n), (None, 0.0))
        if visit is None or staff_id is None or visit.assigned_at != visit.arrived_at:
            continue
        if routing.staff_process.get(staff_id) != routing.visitor_process(sent.n):
            latencies.append((at - sent.sent) * 1000)
    latencies.sort()
    p95 = round(latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))], 1) if latencies else None
    return {'cross_process_alert_p95_ms': p95, 'cross_process_alerts_measured': len(latencies)}
