"""The visitor sign-in page on a phone over a slow mobile network: `python -m bench.visitor_page`.

Chromium at phone size (Pixel 7) with CDP network emulation — 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip —
applied to the page before it navigates. "Usable" is read from the page's own clock (performance.now(), from the
start of the navigation) on the first animation frame in which the surname input is laid out and enabled and the
document is parsed (its script has run, so 提交 sends the form). The repeat visit is the same tab opening the same
address again. For comparison, the staff login page (a NiceGUI page: usable once its websocket is connected).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any, Literal

from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, sync_playwright

from .harness import AppServer, child_env, launch_chromium, print_result

DEVICE = 'Pixel 7'
SLOW_NETWORK = {  # CDP Network.emulateNetworkConditions: ms, bytes per second
    'offline': False,
    'latency': 150,
    'downloadThroughput': 1.6e6 / 8,
    'uploadThroughput': 750e3 / 8,
}
QUIET_MS = 500
# Installed before any of the page's own scripts: notes the first frame in which the page is usable.
WATCH = """(() => {
  const usable = () => { %s };
  const frame = () => { if (usable()) window.__usable = performance.now(); else requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();"""
VISITOR_USABLE = """const input = document.getElementById('surname');
  return !!input && !input.disabled && input.getClientRects().length > 0 && document.readyState !== 'loading';"""
LOGIN_USABLE = """const input = document.querySelector('input[autocomplete="username"]');
  return !!input && !input.disabled && input.getClientRects().length > 0 && window.did_handshake === true;"""
FIRST_TARGET_S, REPEAT_TARGET_S = 2.5, 1.0
Visit = dict[str, Any]  # usable_s, onload_s, wall_s, kb, requests, service_worker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--runs', type=int, default=3, help='fresh phones per case; medians are reported (default 3)')
    runs = parser.parse_args(argv).runs
    with AppServer(['demo']) as app, sync_playwright() as p:
        device, login = p.devices[DEVICE], f'{app.base_url}/login'
        visitor = f'{app.base_url}/v/{entrance_token(app)}'
        browser = launch_chromium(p)
        try:
            cases = {
                'visitor': [visits(browser, device, visitor, VISITOR_USABLE) for _ in range(runs)],
                # every byte through the throttled page: the service worker's own fetches would escape the emulation
                'login': [visits(browser, device, login, LOGIN_USABLE, workers='block') for _ in range(runs)],
                'login_sw': [visits(browser, device, login, LOGIN_USABLE) for _ in range(runs)],
            }
        finally:
            browser.close()
    print_result(figures(cases))


def entrance_token(app: AppServer) -> str:
    """Today's entrance code of the demo site, made with the server's own secret (from its data folder)."""
    from sqlmodel import select

    import config
    import db
    from models import Site
    from services import demo
    from services.signin import display

    settings = config.load_settings(child_env(app.data_dir, app.port), env_file=app.data_dir / '.env')
    db.init_engine(settings.database_url)
    with db.session() as s:
        site = s.exec(select(Site).where(Site.code == demo.DEMO_SITE_CODE)).one()
    return display.tv_token(site, secret=settings.secret)  # valid now, at any hour


def visits(
    browser: Browser, device: dict[str, Any], url: str, usable: str, *, workers: Literal['allow', 'block'] = 'allow'
) -> list[Visit]:
    """A fresh phone opens `url`, waits a moment, then opens it again: first and repeat visit."""
    context = browser.new_context(**device, locale='zh-CN', service_workers=workers)
    context.add_init_script(WATCH % usable)
    try:
        page = context.new_page()
        network = Network(context, page)
        first = network.visit(page, url)
        page.wait_for_timeout(1500)  # a service worker, if the page registers one, installs and precaches
        return [first, network.visit(page, url)]
    finally:
        context.close()


class Network:
    """The slow network of one tab, and the bytes its requests took on the wire, until all is quiet."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.cdp: CDPSession = context.new_cdp_session(page)
        self.sizes: dict[str, int] = {}
        self.pending: set[str] = set()
        self.last = time.monotonic()
        self.cdp.on('Network.requestWillBeSent', lambda e: self._open(e['requestId']))
        self.cdp.on('Network.loadingFinished', lambda e: self._close(e['requestId'], int(e['encodedDataLength'])))
        self.cdp.on('Network.loadingFailed', lambda e: self._close(e['requestId'], 0))
        self.cdp.send('Network.enable')
        self.cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK)

    def visit(self, page: Page, url: str) -> Visit:
        """Navigate; when usable and when loaded (page clock), how many bytes and requests in all."""
        self.sizes, self.pending = {}, set()
        started = time.perf_counter()
        page.goto(url, wait_until='commit')
        usable_ms = page.wait_for_function('window.__usable', timeout=30_000).json_value()
        wall = time.perf_counter() - started
        page.wait_for_load_state('load')
        self._wait_quiet(page)
        onload_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        return {
            'usable_s': round(usable_ms / 1000, 3),
            'onload_s': round(onload_ms / 1000, 3),
            'wall_s': round(wall, 3),
            'kb': round(sum(self.sizes.values()) / 1024, 1),
            'requests': len(self.sizes),
            'service_worker': page.evaluate('!!navigator.serviceWorker && !!navigator.serviceWorker.controller'),
        }

    def _wait_quiet(self, page: Page, timeout_s: float = 20.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)
            if not self.pending and time.monotonic() - self.last > QUIET_MS / 1000:
                return

    def _open(self, request_id: str) -> None:
        self.pending.add(request_id)
        self.last = time.monotonic()

    def _close(self, request_id: str, size: int) -> None:
        if request_id in self.pending:
            self.sizes[request_id] = size
        self.pending.discard(request_id)
        self.last = time.monotonic()


def figures(cases: dict[str, list[list[Visit]]]) -> dict[str, Any]:
    """Each run's figures, then the medians: first and repeat visit of each case."""
    for case, runs in cases.items():
        for n, (opened, reopened) in enumerate(runs, 1):
            print(f'{case} run {n}: first {opened}\n{" " * len(case)}        repeat {reopened}')

    def median(case: str, visit: int, key: str) -> float:
        return round(statistics.median(run[visit][key] for run in cases[case]), 3)

    first, repeat = median('visitor', 0, 'usable_s'), median('visitor', 1, 'usable_s')
    return {
        'first_load_s': first,
        'repeat_load_s': repeat,
        'first_load_kb': median('visitor', 0, 'kb'),
        'repeat_load_kb': median('visitor', 1, 'kb'),
        'first_requests': median('visitor', 0, 'requests'),
        'first_ok': first <= FIRST_TARGET_S,
        'repeat_ok': repeat <= REPEAT_TARGET_S,
        'visitor_service_worker': any(run[1]['service_worker'] for run in cases['visitor']),
        'login_first_load_s': median('login', 0, 'usable_s'),
        'login_repeat_load_s': median('login', 1, 'usable_s'),
        'login_first_load_kb': median('login', 0, 'kb'),
        'login_repeat_load_kb': median('login', 1, 'kb'),
        'login_repeat_sw_load_s': median('login_sw', 1, 'usable_s'),
        'login_repeat_sw_load_kb': median('login_sw', 1, 'kb'),
        'runs': len(cases['visitor']),
        'device': DEVICE,
        'network': 'CDP on the page: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency',
        'usable': 'first frame with the form input shown and enabled, and the script run (login: websocket up)',
    }


if __name__ == '__main__':
    main()
