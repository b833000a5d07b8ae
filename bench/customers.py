"""A group-sized customer database (1 million customers, 5 million visits, 200 sites) and how fast the pages read it.

`python -m bench.customers [--customers N --visits M --sites S]` loads a temporary SQLite file (the app's schema
through its migrations, executemany in big transactions) and a temporary PostgreSQL database (COPY), then times the
app's own service functions: phone look-up, name-prefix search, a customer's timeline, "my follow-ups" and the daily
analysis. Prints a table per backend and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, SQLModel, select

import db
from models import Role, Site, Staff
from services.customers import analysis, followups, timeline
from services.customers import search as customers
from services.rotation import roster

PG_URL = os.environ.get('ANCHANG_BENCH_PG_URL', 'postgresql+psycopg://postgres@127.0.0.1:5432/postgres')
SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈'
STAFF_PER_SITE, DAYS, SAMPLES = 10, 365, 200
NO_LOGIN = '!'
BIG_TABLES = ('customer', 'visit', 'contact_log', 'follow_up', 'reception_record')
NOW = datetime.now(UTC)


def main() -> None:
    parser = argparse.ArgumentParser(prog='python -m bench.customers')
    parser.add_argument('--customers', type=int, default=1_000_000)
    parser.add_argument('--visits', type=int, default=5_000_000)
    parser.add_argument('--sites', type=int, default=200)
    parser.add_argument('--skip-postgres', action='store_true')
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        results['sqlite'] = run(f'sqlite:///{Path(folder) / "bench.db"}', args, sqlite=True)
    if not args.skip_postgres:
        with pg_database() as url:
            results['postgresql'] = run(url, args, sqlite=False)
    print(json.dumps(results, ensure_ascii=False))


def run(url: str, args: argparse.Namespace, *, sqlite: bool) -> dict[str, Any]:
    engine = db.init_engine(url)
    db.migrate(engine)
    started = time.perf_counter()
    load(engine, args.customers, args.visits, args.sites, sqlite=sqlite)
    loaded = time.perf_counter() - started
    figures = measure(args.sites)
    out = {
        'customers': args.customers,
        'visits': args.visits,
        'sites': args.sites,
        'load_s': round(loaded, 1),
        **figures,
    }
    print(f'{"sqlite" if sqlite else "postgresql"}: {out}', flush=True)
    engine.dispose()
    return out


def pg_database() -> Any:
    """A PostgreSQL database of the bench's own, dropped at the end."""
    from contextlib import contextmanager

    @contextmanager
    def made() -> Iterator[str]:
        name = f'anchang_bench_{uuid.uuid4().hex[:8]}'
        admin = create_engine(PG_URL, isolation_level='AUTOCOMMIT')
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE {name}'))
        try:
            yield admin.url.set(database=name).render_as_string(hide_password=False)
        finally:
            db.get_engine().dispose()
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)'))
            admin.dispose()

    return made()


# ---- loading ---------------------------------------------------------------------------------------------------


def load(engine: Engine, n_customers: int, n_visits: int, n_sites: int, *, sqlite: bool) -> None:
    """Sites and staff through the ORM; the big tables in bulk, their secondary indexes built afterwards."""
    staff = sites_and_staff(n_sites)
    indexes = [ix for t in BIG_TABLES for ix in SQLModel.metadata.tables[t].indexes]
    with engine.begin() as c:
        for ix in indexes:
            ix.drop(c)
    rng = random.Random(4)
    writer = SqliteWriter(engine) if sqlite else CopyWriter(engine)
    writer.write('customer', CUSTOMER_COLUMNS, customer_rows(rng, n_customers, n_sites, staff))
    writer.write('visit', VISIT_COLUMNS, visit_rows(rng, n_visits, n_customers, n_sites, staff))
    writer.write('contact_log', LOG_COLUMNS, log_rows(rng, n_customers, n_sites, staff))
    writer.write('follow_up', FOLLOW_COLUMNS, follow_rows(rng, n_customers, n_sites, staff))
    writer.close()
    with engine.begin() as c:
        for ix in indexes:
            ix.create(c)
        c.execute(text('ANALYZE'))
    if not sqlite:  # as autovacuum leaves a table some time after its inserts: index-only scans need the visibility map
        with engine.connect().execution_options(isolation_level='AUTOCOMMIT') as c:
            c.execute(text('VACUUM ANALYZE'))


def sites_and_staff(n_sites: int) -> dict[int, list[int]]:
    """Sites with a manager and ten salespeople each; returns site id → salespeople ids."""
    found: dict[int, list[int]] = {}
    with db.session() as s:
        for n in range(n_sites):
            site = Site(name=f'项目{n}', code=f'B{n}')
            s.add(site)
            s.flush()
            people = [
                Staff(site_id=site.id, name=f'顾问{n}-{k}', password_hash=NO_LOGIN) for k in range(STAFF_PER_SITE)
            ]
            s.add_all([*people, Staff(site_id=site.id, name=f'经理{n}', password_hash=NO_LOGIN, role=Role.MANAGER)])
            s.flush()
            found[site.id or 0] = [p.id or 0 for p in people]
        s.commit()
    return found


CUSTOMER_COLUMNS = ('id', 'site_id', 'surname', 'title', 'phone', 'channel', 'interests', 'owner_id',
                    'last_contact_at', 'protected_until', 'created_at', 'grade', 'version', 'outcome', 'deal_unit',
                    'lost_reason', 'follow_up')  # fmt: skip
VISIT_COLUMNS = ('site_id', 'day', 'customer_id', 'arrived_at', 'party_size', 'first_visit', 'returning_customer',
                 'source', 'status', 'assigned_id', 'by_owner', 'made_owner', 'ended_at')  # fmt: skip
LOG_COLUMNS = ('site_id', 'customer_id', 'at', 'kind', 'staff_id', 'summary', 'grade')
FOLLOW_COLUMNS = ('site_id', 'customer_id', 'staff_id', 'due_on', 'method', 'created_at', 'result', 'cancelled')


def site_of(customer_id: int, n_customers: int, n_sites: int) -> int:
    return (customer_id - 1) * n_sites // n_customers + 1


def customer_rows(rng: random.Random, n: int, n_sites: int, staff: dict[int, list[int]]) -> Iterator[tuple]:
    for cid in range(1, n + 1):
        site = site_of(cid, n, n_sites)
        last = NOW - timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(600))
        phone, who = f'1{30 + cid % 70}{cid:08d}', rng.choice(('先生', '女士'))
        yield (cid, site, rng.choice(SURNAMES), who, phone, '网络', '{}', rng.choice(staff[site]), last,
               last + timedelta(days=30), last, rng.choice('ABCD'), 0, '', '', '', True)  # fmt: skip


def visit_rows(
    rng: random.Random, n: int, n_customers: int, n_sites: int, staff: dict[int, list[int]]
) -> Iterator[tuple]:
    for k in range(n):
        cid = rng.randrange(1, n_customers + 1) if k >= n_customers else k + 1
        site = site_of(cid, n_customers, n_sites)
        at = NOW - timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(600))
        day = at.date()
        yield (site, day, cid, at, 2, k < n_customers, k >= n_customers, 'qr', 'ended', rng.choice(staff[site]),
               False, k < n_customers, at + timedelta(minutes=40))  # fmt: skip


def log_rows(rng: random.Random, n_customers: int, n_sites: int, staff: dict[int, list[int]]) -> Iterator[tuple]:
    for cid in range(1, n_customers + 1):
        site = site_of(cid, n_customers, n_sites)
        at = NOW - timedelta(days=rng.randrange(DAYS))
        yield (site, cid, at, 'follow_up', rng.choice(staff[site]), '电话：约周末再来', rng.choice('ABCD'))


def follow_rows(rng: random.Random, n_customers: int, n_sites: int, staff: dict[int, list[int]]) -> Iterator[tuple]:
    for cid in range(1, n_customers + 1, 5):
        site = site_of(cid, n_customers, n_sites)
        due = date.today() + timedelta(days=rng.randrange(-10, 20))
        yield (site, cid, rng.choice(staff[site]), due, '电话', NOW, '', False)


class SqliteWriter:
    """executemany in transactions of 200 000 rows; timestamps in the text form SQLAlchemy writes."""

    def __init__(self, engine: Engine) -> None:
        self.raw = engine.raw_connection()

    def write(self, table: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> None:
        sql = f'INSERT INTO {table} ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'  # noqa: S608
        cursor = self.raw.cursor()
        batch: list[tuple] = []
        for row in rows:
            batch.append(tuple(_sqlite_value(v) for v in row))
            if len(batch) >= 200_000:
                self._flush(cursor, sql, batch)
        self._flush(cursor, sql, batch)

    def _flush(self, cursor: Any, sql: str, batch: list[tuple]) -> None:
        cursor.execute('BEGIN')
        cursor.executemany(sql, batch)
        cursor.execute('COMMIT')
        batch.clear()

    def close(self) -> None:
        self.raw.close()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime('%Y-%m-%d %H:%M:%S.%f')
    return value.isoformat() if isinstance(value, date) else value


class CopyWriter:
    """PostgreSQL COPY through psycopg."""

    def __init__(self, engine: Engine) -> None:
        self.raw: Any = engine.raw_connection().driver_connection  # the psycopg connection itself

    def write(self, table: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> None:
        with self.raw.cursor() as cursor, cursor.copy(f'COPY {table} ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        self.raw.commit()
        if table == 'customer':
            with self.raw.cursor() as cursor:
                cursor.execute("SELECT setval('customer_id_seq', (SELECT max(id) FROM customer))")
            self.raw.commit()

    def close(self) -> None:
        self.raw.close()


# ---- measuring -------------------------------------------------------------------------------------------------


def measure(n_sites: int) -> dict[str, float]:
    """p50/p95 in ms of each read, on random sites, salespeople and customers, through the app's services."""
    rng = random.Random(9)
    with db.session() as s:
        people = list(s.exec(select(Staff).where(Staff.role == Role.SALESPERSON)))
        managers = {m.site_id: m for m in s.exec(select(Staff).where(Staff.role == Role.MANAGER))}
        samples = [_customer_sample(s, rng, n_sites) for _ in range(SAMPLES)]
    figures: dict[str, float] = {}
    by_site = {p.site_id: p for p in people}
    cases: dict[str, Callable[[Session, int], object]] = {
        'phone_lookup': lambda s, i: customers.search(s, actor=by_site[samples[i][1]], query=samples[i][2]),
        'name_prefix': lambda s, i: customers.search(s, actor=by_site[samples[i][1]], query=samples[i][3]),
        'timeline': lambda s, i: timeline.customer_file(s, actor=by_site[samples[i][1]], customer_id=samples[i][0]),
        'followups': lambda s, i: followups.mine(s, actor=people[i % len(people)]),
        'daily_analysis': lambda s, i: analysis.daily(s, actor=managers[samples[i][1]], day=samples[i][4]),
    }
    for name, case in cases.items():
        p50, p95 = timed(case)
        figures[f'{name}_p50_ms'], figures[f'{name}_p95_ms'] = p50, p95
    return figures


def _customer_sample(s: Session, rng: random.Random, n_sites: int) -> tuple[int, int, str, str, date]:
    from models import Customer

    site_id = rng.randrange(1, n_sites + 1)
    customer = s.exec(select(Customer).where(Customer.site_id == site_id).offset(rng.randrange(100)).limit(1)).one()
    site = s.get(Site, site_id)
    assert site is not None
    return customer.id or 0, site_id, customer.phone, customer.surname, roster.local_day(site, NOW)


def timed(case: Callable[[Session, int], object]) -> tuple[float, float]:
    times = []
    for i in range(SAMPLES):
        with db.reading() as s:  # as the pages read
            started = time.perf_counter()
            case(s, i)
            times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=20)
    return round(statistics.median(times), 2), round(cuts[18], 2)


if __name__ == '__main__':
    main()
