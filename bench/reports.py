"""The manager's office on the group-sized database: today's dashboard, one site's monthly report, the group view.

`python -m bench.reports [--scale F --sites S --samples N --skip-postgres]` loads bench.customers' group database
(1 million customers and 5 million visits over 200 sites at --scale 1; --scale 0.1 loads a tenth of the customers
and visits over the same sites) into a temporary SQLite file and a temporary PostgreSQL database, then times the
app's own functions: the dashboard of a random site's manager (p50/p95 over the samples), one site's monthly report
for last month (figures, Excel and PDF: the median of three sites), and the admin's view of every site. Ends with one
JSON line {"sqlite": {...}, "postgresql": {...}}.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlmodel import select

import db
from bench import customers as group_db
from models import Role, Site, Staff, utcnow
from services import reports
from services.reports import dashboard, group

REPORT_SITES = 3


def main() -> None:
    parser = argparse.ArgumentParser(prog='python -m bench.reports')
    parser.add_argument('--scale', type=float, default=1.0, help='share of 1 M customers and 5 M visits to load')
    parser.add_argument('--sites', type=int, default=200)
    parser.add_argument('--samples', type=int, default=100, help='dashboard reads to time')
    parser.add_argument('--skip-postgres', action='store_true')
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        results['sqlite'] = run(f'sqlite:///{Path(folder) / "bench.db"}', args, sqlite=True)
    if not args.skip_postgres:
        with group_db.pg_database() as url:
            results['postgresql'] = run(url, args, sqlite=False)
    print(json.dumps(results, ensure_ascii=False))


def run(url: str, args: argparse.Namespace, *, sqlite: bool) -> dict[str, Any]:
    engine = db.init_engine(url)
    db.migrate(engine)
    n_customers, n_visits = int(1_000_000 * args.scale), int(5_000_000 * args.scale)
    started = time.perf_counter()
    group_db.load(engine, n_customers, n_visits, args.sites, sqlite=sqlite)
    loaded = time.perf_counter() - started
    figures = {'customers': n_customers, 'visits': n_visits, 'sites': args.sites, 'load_s': round(loaded, 1)}
    figures |= measure(args.samples)
    print(f'{"sqlite" if sqlite else "postgresql"}: {figures}', flush=True)
    engine.dispose()
    return figures


def measure(samples: int) -> dict[str, Any]:
    rng = random.Random(14)
    with db.session() as s:
        managers = list(s.exec(select(Staff).where(Staff.role == Role.MANAGER)))
        admin = Staff(name='集团', password_hash=group_db.NO_LOGIN, role=Role.ADMIN)
        s.add(admin)
        s.commit()
    times = []
    for _ in range(samples):
        manager = rng.choice(managers)
        with db.session() as s:
            t = time.perf_counter()
            dashboard.today(s, actor=manager)
            times.append((time.perf_counter() - t) * 1000)
    cuts = statistics.quantiles(times, n=20)
    out: dict[str, Any] = {
        'dashboard_p50_ms': round(statistics.median(times), 1),
        'dashboard_p95_ms': round(cuts[18], 1),
    }
    out |= _reports(rng.sample(managers, REPORT_SITES))
    t = time.perf_counter()
    with db.session() as s:
        rows = group.group_today(s, actor=admin)
    out['group_view_s'] = round(time.perf_counter() - t, 3)
    out['group_sites'] = len(rows)
    return out


def _reports(managers: list[Staff]) -> dict[str, Any]:
    """Last month's report of a few sites: the figures, then the Excel and the PDF (medians)."""
    data, files, sizes = [], [], []
    for manager in managers:
        with db.session() as s:
            site = s.get(Site, manager.site_id)
            assert site is not None
            t = time.perf_counter()
            built = reports.build(s, site, reports.report_month(site, utcnow()))
            data.append(time.perf_counter() - t)
        t = time.perf_counter()
        xlsx, pdf = reports.exports(built, None)
        files.append(time.perf_counter() - t)
        sizes.append((len(xlsx), len(pdf)))
    total = [a + b for a, b in zip(data, files, strict=True)]
    return {
        'report_s': round(statistics.median(total), 2),
        'report_data_s': round(statistics.median(data), 2),
        'report_files_s': round(statistics.median(files), 2),
        'report_visits': sum(row[1] for row in built.sections[0].tables[0].rows[1:3]),
        'xlsx_kb': round(statistics.median(x for x, _ in sizes) / 1024, 1),
        'pdf_kb': round(statistics.median(p for _, p in sizes) / 1024, 1),
    }


if __name__ == '__main__':
    main()
