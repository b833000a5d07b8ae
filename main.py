"""Anchang (案场): composes settings, storage, static files and pages, then serves."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nicegui import app, helpers, run, ui

import config
import db
from bench import notify_hook as notify_bench
from components import alert, complaint_alert, frame, greet_sweep, live_board, owner_notice, session
from components.pwa import add_pwa_head, mount_pwa_routes
from config import Settings, SettingsError, load_settings
from pages import ROUTERS
from pages.group import health_router
from pages.signin import fast_lane
from services import backup, demo, group, notify, privacy, reports, wiring
from services.accounts import setup
from services.core import i18n
from services.core.errors import NotFound, ValidationError

ASSETS = Path(__file__).parent / 'assets'


def prepare(settings: Settings) -> None:
    """Open the database, bring its schema up to date, and on an empty one make the first site and admin."""
    engine = db.init_engine(settings.database_url)
    with group.one_at_a_time(engine, 'prepare'):  # the processes of a group start together
        db.migrate()
        with db.session() as s:
            password = setup.first_run(s)
    if password:
        print(
            f'\n案场 Anchang — first run. Log in as "{setup.ADMIN_USERNAME}" with the one-time password:\n\n'
            f'    {password}\n\nIt is shown only now; you will be asked to change it.\n',
            flush=True,
        )


def load_demo(settings: Settings) -> None:
    with db.session() as s:
        site = demo.load_demo(s)
        notify.install_demo_receiver(s, site, f'http://127.0.0.1:{settings.port}')  # deliveries seen without WeCom
    print(
        f'\nDemo site "{site.name}" is ready. Password for every demo account: {demo.DEMO_PASSWORD}\n'
        f'  admin: {demo.DEMO_ADMIN[1]}   manager: {demo.DEMO_MANAGER[2]} ({demo.DEMO_MANAGER[1]})\n'
        f'  salespeople: {", ".join(u for _, _, u, _ in demo.DEMO_SALES)}\n',
        flush=True,
    )


def backup_command(settings: Settings, command: str, folder: str | None) -> int:
    """`backup --out DIR` while the app runs, or `restore DIR` into an empty data folder and database."""
    if not folder:
        print('backup needs --out DIR' if command == 'backup' else 'restore needs the backup folder', file=sys.stderr)
        return 2
    engine = db.init_engine(settings.database_url)
    try:
        if command == 'backup':
            made = backup.backup(engine, data_dir=settings.data_dir, out=Path(folder))
            print(f'backup of {len(made.files)} files written to {folder}')
        else:
            backup.restore(engine, source=Path(folder), data_dir=settings.data_dir)
            db.init_engine(settings.database_url)
            db.migrate()  # a backup of an older version is brought up to this one
            print(f'restored {folder} into {settings.data_dir}')
    except backup.BackupError as e:
        print(f'{command} failed: {e}', file=sys.stderr)
        return 1
    return 0


def write_report(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """`main.py report --site CODE --month YYYY-MM --out DIR`: the filed report (or the draft) as Excel and PDF."""
    if not args.site or not args.month:
        parser.error('report needs --site CODE and --month YYYY-MM')
    out = Path(args.out or '.')
    out.mkdir(parents=True, exist_ok=True)
    try:
        with db.session() as s:
            stem, xlsx, pdf = reports.export_site(s, site_code=args.site, month=args.month)
    except (NotFound, ValidationError) as e:
        parser.error(f'no report: {e}')
    for suffix, data in (('.xlsx', xlsx), ('.pdf', pdf)):
        (out / (stem + suffix)).write_bytes(data)
        print(out / (stem + suffix), flush=True)


def compose(settings: Settings) -> None:
    """Static files, the auth middleware, the shared head and every page."""
    config.set_current(settings)
    wiring.connect()  # the areas' hooks into each other
    i18n.configure(default=settings.language, resolver=session.language)
    session.configure(session_hours=settings.session_hours)
    alert.install_dispatcher()
    owner_notice.install_dispatcher()  # 代接 told to the owner, unanswered alerts to the manager
    live_board.install()
    group.join(db.get_engine(), processes=settings.processes)  # PostgreSQL: events to and from the other processes
    app.on_startup(group.start)
    app.on_shutdown(group.leave)
    frame.install()  # the header's site names, forgotten when a site changes
    app.on_startup(complaint_alert.start_sweep)  # overdue complaints escalate to the group admin
    app.on_startup(privacy.start_retention_job)  # customers past their site's retention are anonymised (PIPL)
    app.on_startup(notify.start_sender)  # the outbox's sender: alerts reach locked phones through the site's channels
    app.on_shutdown(notify.stop_sender)
    app.on_startup(greet_sweep.start)  # alerts nobody answers: reminded, then passed on
    mount_pwa_routes(ASSETS)
    add_pwa_head()
    ui.add_css((ASSETS / 'app.css').read_text(encoding='utf-8'), shared=True)
    app.add_middleware(session.AuthMiddleware)
    fast_lane.install(app)
    lifespan = app.router.lifespan_context
    app.include_router(health_router)
    for router in ROUTERS + ([notify_bench.router] if notify_bench.enabled() else []):
        app.include_router(router)
    # include_router wraps the app's lifespan once per call; our routers have none, and main.py runs again for
    # every page test, which would nest the wrappers until Python's recursion limit.
    app.router.lifespan_context = lifespan


GC_THRESHOLDS = (1000, 20, 100)
"""Python's are (700, 10, 10). A full collection walks every object of the process — with 200 phones connected,
each with its page's elements, that stopped the event loop for 150–400 ms, several times a minute under a burst of
sign-ins, and a visitor's alert waited behind it (bench.signin: alert p95 265 ms; 112 ms with these). Full
collections now come ten times more rarely, young ones a little less often; cyclic garbage waits longer, no more."""


SWITCH_INTERVAL_S = float(os.environ.get('ANCHANG_SWITCH_INTERVAL', '0.001'))
"""How long a thread may keep the GIL while another waits for it; Python's is 5 ms. The database work runs in
worker threads and gives the GIL up at every statement: with the event loop busy fanning out to phones, each
statement then waited up to 5 ms to get it back, a sign-in's dozen statements up to 60 ms, all inside the site's
write lock (bench.signin --page /rotation, profiled: the sign-in writer's thread was half of all samples)."""


IO_THREADS = 4
"""Threads for the pages' database work (NiceGUI's run.io_bound; NiceGUI's default is the cores plus four). The work
is Python, so more threads run no more of it at once: they only share the GIL more ways, and a thread holding a
site's write lock (a greeting, an end) then waited for the GIL while every other writer waited for it. With 20
threads, 500 phones on 25 sites: alert p50 / p95 2,996 / 4,426 ms; with 4, four runs: 101–1,137 / 198–1,818 ms
(bench.signin, 2-core machine, whose runs differ that much). Whatever takes a site's lock — sign-ins, greetings,
records, ends — has threads of its own (services/rotation/writer.py): here only reads."""


def remember_handler_signatures() -> None:
    """NiceGUI asks inspect.signature whether a change handler takes arguments each time it makes an element's
    classes, style and props — three times per element, for the same three bound methods every time (NiceGUI 3.18's
    observables.py). The answer depends on the function alone: remembered per function, for bound methods (a
    lambda is asked as before). Redrawing my day on 200 phones as an opening day's visitors are assigned, that was 8 %
    of the server's work (bench.signin --sites 20, py-spy)."""
    original = helpers.expects_arguments
    if getattr(original, 'remembered', False):  # main.py runs again for every page test
        return
    known: dict[object, bool] = {}

    def expects_arguments(func: Callable) -> bool:
        function = getattr(func, '__func__', None)
        if function is None:
            return original(func)
        if function not in known:
            known[function] = original(func)
        return known[function]

    expects_arguments.remembered = True  # type: ignore[attr-defined]
    helpers.expects_arguments = expects_arguments


def tune_runtime() -> None:
    """Fewer full collections, and none of them walks what the app built at start (it lives as long as the app);
    threads take turns with the event loop at a finer grain; enough of them for a burst's database work."""
    remember_handler_signatures()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    run.thread_pool.shutdown(wait=False)  # unused yet: the app has not started
    run.thread_pool = ThreadPoolExecutor(max_workers=IO_THREADS, thread_name_prefix='anchang io')
    gc.set_threshold(*GC_THRESHOLDS)
    gc.collect()
    gc.freeze()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog='main.py', description='案场 Anchang')
    parser.add_argument(
        'command',
        nargs='?',
        choices=['serve', 'demo', 'report', 'backup', 'restore'],
        default='serve',
        help='serve (default), load the demo and serve, write a monthly report, back up (--out DIR) or restore DIR',
    )
    parser.add_argument('source', nargs='?', help='restore: the backup folder to restore from')
    parser.add_argument('--out', help='backup: the folder to write to (new or empty); report: the folder (default .)')
    parser.add_argument('--no-serve', action='store_true', help='prepare (and load the demo), then exit')
    parser.add_argument('--site', help='report: the site code')
    parser.add_argument('--month', help='report: the month, YYYY-MM')
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as e:
        raise SystemExit(f'案场 Anchang cannot start: {e}') from None
    if args.command in ('backup', 'restore'):
        sys.exit(backup_command(settings, args.command, args.out if args.command == 'backup' else args.source))
    prepare(settings)
    if args.command == 'report':
        write_report(parser, args)
        return
    if args.command == 'demo':
        load_demo(settings)
    if args.no_serve:
        return
    compose(settings)
    if not os.environ.get('NICEGUI_USER_SIMULATION'):  # page tests run main.py again and again in one process
        tune_runtime()
    ui.run(
        host=settings.host,
        port=settings.port,
        title='案场',
        language='zh-CN',
        storage_secret=settings.secret,
        session_middleware_kwargs=session.cookie_options(
            session_hours=settings.session_hours, public_url=settings.public_url
        ),
        favicon=ASSETS / 'pwa' / 'icons' / 'favicon.png',
        reload=False,
        show=False,
        reconnect_timeout=15,
        show_welcome_message=not os.environ.get('ANCHANG_QUIET'),
    )


if __name__ in {'__main__', '__mp_main__'}:
    main([] if os.environ.get('NICEGUI_USER_SIMULATION') else sys.argv[1:])
