"""Anchang (案场): composes settings, storage, static files and pages, then serves."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from nicegui import app, ui

import config
import db
from bench import hooks as bench_hooks
from components import alert, complaint_alert, greet_sweep, live_board, owner_notice, session
from components.pwa import add_pwa_head, mount_pwa_routes
from config import Settings, load_settings
from pages import ROUTERS
from pages.signin import fast_lane
from services import demo, wiring
from services.accounts import setup
from services.core import i18n

ASSETS = Path(__file__).parent / 'assets'


def prepare(settings: Settings) -> None:
    """Open the database, bring its schema up to date, and on an empty one make the first site and admin."""
    db.init_engine(settings.database_url)
    db.migrate()
    with db.session() as s:
        password = setup.first_run(s)
    if password:
        print(
            f'\n案场 Anchang — first run. Log in as "{setup.ADMIN_USERNAME}" with the one-time password:\n\n'
            f'    {password}\n\nIt is shown only now; you will be asked to change it.\n',
            flush=True,
        )


def load_demo() -> None:
    with db.session() as s:
        site = demo.load_demo(s)
    print(
        f'\nDemo site "{site.name}" is ready. Password for every demo account: {demo.DEMO_PASSWORD}\n'
        f'  admin: {demo.DEMO_ADMIN[1]}   manager: {demo.DEMO_MANAGER[2]} ({demo.DEMO_MANAGER[1]})\n'
        f'  salespeople: {", ".join(u for _, _, u, _ in demo.DEMO_SALES)}\n',
        flush=True,
    )


def compose(settings: Settings) -> None:
    """Static files, the auth middleware, the shared head and every page."""
    config.set_current(settings)
    wiring.connect()  # the areas' hooks into each other
    i18n.configure(default=settings.language, resolver=session.language)
    session.configure(session_hours=settings.session_hours)
    alert.install_dispatcher()
    owner_notice.install_dispatcher()  # 代接 told to the owner, unanswered alerts to the manager
    live_board.install()
    app.on_startup(complaint_alert.start_sweep)  # overdue complaints escalate to the group admin
    app.on_startup(greet_sweep.start)  # alerts nobody answers: reminded, then passed on
    mount_pwa_routes(ASSETS)
    add_pwa_head()
    ui.add_css((ASSETS / 'app.css').read_text(encoding='utf-8'), shared=True)
    app.add_middleware(session.AuthMiddleware)
    fast_lane.install(app)
    lifespan = app.router.lifespan_context
    for router in ROUTERS + ([bench_hooks.router] if bench_hooks.enabled() else []):
        app.include_router(router)
    # include_router wraps the app's lifespan once per call; our routers have none, and main.py runs again for
    # every page test, which would nest the wrappers until Python's recursion limit.
    app.router.lifespan_context = lifespan


GC_THRESHOLDS = (1000, 20, 100)
"""Python's are (700, 10, 10). A full collection walks every object of the process — with 200 phones connected,
each with its page's elements, that stopped the event loop for 150–400 ms, several times a minute under a burst of
sign-ins, and a visitor's alert waited behind it (bench.signin: alert p95 265 ms; 112 ms with these). Full
collections now come ten times more rarely, young ones a little less often; cyclic garbage waits longer, no more."""


def tune_gc() -> None:
    """Fewer full collections, and none of them walks what the app built at start (it lives as long as the app)."""
    gc.set_threshold(*GC_THRESHOLDS)
    gc.collect()
    gc.freeze()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog='main.py', description='案场 Anchang')
    parser.add_argument(
        'command',
        nargs='?',
        choices=['serve', 'demo'],
        default='serve',
        help='serve (default) the app, or load the demo site and then serve',
    )
    parser.add_argument('--no-serve', action='store_true', help='prepare (and load the demo), then exit')
    args = parser.parse_args(argv)
    settings = load_settings()
    prepare(settings)
    if args.command == 'demo':
        load_demo()
    if args.no_serve:
        return
    compose(settings)
    if not os.environ.get('NICEGUI_USER_SIMULATION'):  # page tests run main.py again and again in one process
        tune_gc()
    ui.run(
        host=settings.host,
        port=settings.port,
        title='案场',
        language='zh-CN',
        storage_secret=settings.secret,
        favicon=ASSETS / 'pwa' / 'icons' / 'favicon.png',
        reload=False,
        show=False,
        reconnect_timeout=15,
        show_welcome_message=not os.environ.get('ANCHANG_QUIET'),
    )


if __name__ in {'__main__', '__mp_main__'}:
    main([] if os.environ.get('NICEGUI_USER_SIMULATION') else sys.argv[1:])
