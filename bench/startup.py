"""Start-up time, server memory, and what a phone downloads for the login page: `python -m bench.startup`."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

from .harness import AppServer, launch_chromium, print_result, rss_mb

RUNS = 3
DEVICE = 'Pixel 7'
QUIET_MS = 500  # the page load is over when no request has been open for this long


@dataclass
class Traffic:
    """Bytes on the wire per request (CDP Network.loadingFinished encodedDataLength: compressed body + headers)."""

    urls: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    finished: dict[str, int] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)
    ws_bytes: int = 0
    last_activity: float = field(default_factory=time.monotonic)

    def watch(self, context: BrowserContext, page: Page) -> None:
        """Listen to the page's own network traffic (not the service worker's)."""
        cdp = context.new_cdp_session(page)
        cdp.on('Network.requestWillBeSent', self._sent)
        cdp.on('Network.responseReceived', self._received)
        cdp.on('Network.loadingFinished', self._finished)
        cdp.on('Network.loadingFailed', self._failed)
        cdp.on('Network.webSocketFrameReceived', self._ws_frame)
        cdp.send('Network.enable')
        cdp.send('Network.setCacheDisabled', {'cacheDisabled': True})

    def wait_quiet(self, page: Page, timeout_s: float = 15.0) -> None:
        """Wait until no request is open and none has ended for QUIET_MS."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)
            if not self.pending and time.monotonic() - self.last_activity > QUIET_MS / 1000:
                return
        raise TimeoutError(f'requests still open: {[self.urls.get(r, r) for r in self.pending]}')

    @property
    def total_bytes(self) -> int:
        return sum(self.finished.values())

    def heaviest(self, n: int = 6) -> list[tuple[int, str]]:
        """The n biggest downloads as (bytes, url)."""
        return sorted(((size, self.urls.get(rid, rid)) for rid, size in self.finished.items()), reverse=True)[:n]

    def _sent(self, e: dict[str, Any]) -> None:
        self.urls[e['requestId']] = e['request']['url']
        self.pending.add(e['requestId'])
        self.last_activity = time.monotonic()

    def _received(self, e: dict[str, Any]) -> None:
        self.kinds[e['requestId']] = e.get('type', 'Other')

    def _finished(self, e: dict[str, Any]) -> None:
        self.finished[e['requestId']] = int(e['encodedDataLength'])
        self._done(e['requestId'])

    def _failed(self, e: dict[str, Any]) -> None:
        self._done(e['requestId'])

    def _done(self, request_id: str) -> None:
        self.pending.discard(request_id)
        self.last_activity = time.monotonic()

    def _ws_frame(self, e: dict[str, Any]) -> None:
        self.ws_bytes += len(e['response']['payloadData'].encode())


def main() -> None:
    """Measure RUNS start-ups on fresh data folders; keep the last server up for the memory and page figures."""
    figures: dict[str, Any] = {}
    startups = [measure_startup() for _ in range(RUNS - 1)]
    with AppServer(['demo']) as app:
        startups.append(app.startup_s)
        figures['startup_s'] = round(statistics.median(startups), 3)
        figures['startup_runs_s'] = [round(s, 3) for s in startups]
        figures['rss_mb'] = round(rss_mb(app.pid), 1)
        with sync_playwright() as p:
            figures.update(measure_login_page(p, app.base_url))
        figures['rss_mb_after_page'] = round(rss_mb(app.pid), 1)
    print_result(figures)


def measure_startup() -> float:
    """Seconds from Popen to the first 200 on /login, with a fresh data folder and the demo loaded."""
    with AppServer(['demo']) as app:
        return app.startup_s


def measure_login_page(p: Playwright, base_url: str) -> dict[str, Any]:
    """Load /login once on a fresh phone-sized context; the page's bytes, then the service worker's precache."""
    browser = launch_chromium(p)
    try:
        context = browser.new_context(**p.devices[DEVICE], locale='zh-CN')
        worker_bytes: list[int] = []
        context.on('requestfinished', lambda r: worker_bytes.append(_size(r)) if r.service_worker else None)
        page = context.new_page()
        traffic = Traffic()
        traffic.watch(context, page)
        page.goto(f'{base_url}/login')
        page.get_by_role('button', name='登录').wait_for()
        traffic.wait_quiet(page)
        page_bytes, page_requests = traffic.total_bytes, len(traffic.finished)
        page.evaluate('navigator.serviceWorker.ready.then(() => true)')
        page.wait_for_timeout(QUIET_MS)
    finally:
        browser.close()
    print('heaviest downloads of the login page:')
    for size, url in traffic.heaviest():
        print(f'  {size / 1024:7.1f} KiB  {url.removeprefix(base_url)}')
    return {
        'login_page_kb': round(page_bytes / 1024, 1),
        'requests': page_requests,
        'login_ws_kb': round(traffic.ws_bytes / 1024, 1),
        'sw_precache_kb': round(sum(worker_bytes) / 1024, 1),
        'sw_requests': len(worker_bytes),
        'device': DEVICE,
        'size_source': 'CDP Network.loadingFinished encodedDataLength (gzip as sent, + headers)',
    }


def _size(request: Any) -> int:
    sizes = request.sizes()
    return int(sizes['responseBodySize'] + sizes['responseHeadersSize'])


if __name__ == '__main__':
    main()
