"""bench.alerts' figures: what the stubs accepted against what the app committed, read back from its database."""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.services.notify import stubs

ROBOTS = ('wecom_robot', 'dingtalk_robot')


def report(
    data_dir: Path, stub: stubs.Stub, committed: dict[str, float], outage: list[tuple[float, float]], **extra: Any
) -> dict[str, Any]:
    deliveries = _deliveries(data_dir)  # delivery id → (alert key, channel kind, attempts)
    accepted: dict[str, list[float]] = defaultdict(list)
    with stub.lock:
        received = list(stub.received)
        faulted = set(stub.faulted)
        robot_requests = list(stub.robot_requests)
    for r in received:
        for d in r.deliveries:
            accepted[d].append(r.at)
    by_alert: dict[str, list[str]] = defaultdict(list)
    for d, (key, _, _) in deliveries.items():
        by_alert[key].append(d)
    lost_alerts = [k for k in committed if len(by_alert.get(k, [])) < 3 or any(not accepted[d] for d in by_alert[k])]
    lost_deliveries = sum(1 for k in committed for d in by_alert.get(k, []) if not accepted[d])
    lost_deliveries += sum(3 - len(by_alert.get(k, [])) for k in committed if len(by_alert.get(k, [])) < 3)
    duplicates = sum(1 for d in deliveries if len(accepted[d]) > 1)
    duplicated = sorted({deliveries[d][1] for d in deliveries if len(accepted[d]) > 1})
    robot: list[float] = []
    robot_clean: list[float] = []
    direct: list[float] = []
    direct_clean: list[float] = []
    everything: list[float] = []
    for d, (key, kind, _) in deliveries.items():
        if key not in committed or not accepted[d]:
            continue
        ms = max(0.0, (min(accepted[d]) - committed[key]) * 1000)
        everything.append(ms)
        clean = d not in faulted and not any(a - 1 <= committed[key] <= b + 1 for a, b in outage)
        (robot if kind in ROBOTS else direct).append(ms)
        if clean:
            (robot_clean if kind in ROBOTS else direct_clean).append(ms)
    result = {
        'alerts': extra.pop('alerts'),
        'committed': len(committed),
        'delivered': len(committed) - len(lost_alerts),
        'lost': len(lost_alerts),
        'lost_deliveries': lost_deliveries,
        'duplicates': duplicates,
        'duplicated_channels': duplicated,
        'robot_p50_ms': _pct(robot, 50),
        'robot_p95_ms': _pct(robot_clean, 95),
        'robot_p95_all_ms': _pct(robot, 95),
        'robot_p99_ms': _pct(robot, 99),
        'direct_p50_ms': _pct(direct_clean, 50),
        'direct_p95_ms': _pct(direct_clean, 95),
        'direct_p99_ms': _pct(direct_clean, 99),
        'direct_p95_all_ms': _pct(direct, 95),
        'deliver_p99_ms': _pct(everything, 99),
        'max_per_robot_per_min': _max_per_minute(robot_requests),
        'robot_messages': sum(1 for r in received if r.channel in ROBOTS),
        'robot_deliveries': len(robot),
        'retries': sum(max(0, a - 1) for _, _, a in deliveries.values()),
        'injected_faults': len(faulted),
        'outage_s': round(sum(b - a for a, b in outage), 1),
        **extra,
    }
    _print(result)
    return result


def _deliveries(data_dir: Path) -> dict[str, tuple[str, str, int]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(f'sqlite:///{data_dir / "anchang.db"}')
    query = text(
        'SELECT d.id, a.key, c.kind, d.attempts FROM notifydelivery d '
        'JOIN notifyalert a ON a.id = d.alert_id JOIN notifychannel c ON c.id = d.channel_id'
    )
    with engine.connect() as c:
        rows = {str(i): (key, kind, attempts) for i, key, kind, attempts in c.execute(query)}
    engine.dispose()
    return rows


def _pct(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method='inclusive')[p - 1], 1)


def _max_per_minute(requests: list[tuple[str, float]]) -> int:
    """The most requests any one robot got within any 60 seconds (every request, whatever its answer)."""
    best = 0
    by_robot: dict[str, list[float]] = defaultdict(list)
    for robot, at in requests:
        by_robot[robot].append(at)
    for times in by_robot.values():
        times.sort()
        start = 0
        for end, t in enumerate(times):
            while t - times[start] >= 60:
                start += 1
            best = max(best, end - start + 1)
    return best


def _print(r: dict[str, Any]) -> None:
    print(f'alerts {r["alerts"]}, committed {r["committed"]}, delivered on every channel {r["delivered"]}')
    print(f'lost {r["lost"]} (deliveries {r["lost_deliveries"]}), duplicates {r["duplicates"]}')
    print(f'robots   p50 {r["robot_p50_ms"]} ms, p95 {r["robot_p95_ms"]} ms without faults', end=' ')
    print(f'({r["robot_p95_all_ms"]} all), p99 {r["robot_p99_ms"]} ms')
    print(f'personal p50 {r["direct_p50_ms"]} ms, p95 {r["direct_p95_ms"]} ms without faults', end=' ')
    print(f'({r["direct_p95_all_ms"]} all), p99 {r["direct_p99_ms"]} ms')
    print(f'every delivery p99 {r["deliver_p99_ms"]} ms; {r["robot_messages"]} robot messages', end=' ')
    print(f'for {r["robot_deliveries"]} robot deliveries')
    print(f'max per robot per minute {r["max_per_robot_per_min"]}; retries {r["retries"]};', end=' ')
    print(f'injected faults {r["injected_faults"]}; restarts {r["restarts"]}, outage {r["outage_s"]} s')
