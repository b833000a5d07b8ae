"""Installable app: manifest and icons, service worker, and the offline page."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Callable
from urllib.parse import urljoin

from playwright.sync_api import BrowserContext, Page, expect

from bench.harness import AppServer

from .conftest import log_in_home

WAIT_FOR_WORKER = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return registration.active.scriptURL;
}"""


def test_manifest_is_linked_and_complete(page: Page, server: AppServer) -> None:
    page.goto('/login')
    href = page.locator('link[rel=manifest]').get_attribute('href')
    assert href
    response = page.request.get(urljoin(server.base_url, href))
    assert response.status == 200
    assert 'manifest+json' in response.headers['content-type'] or 'json' in response.headers['content-type']
    manifest = json.loads(response.text())
    assert manifest['name'] and manifest['short_name']
    assert manifest['start_url'] == '/'
    assert manifest['display'] == 'standalone'
    sizes = {icon['sizes'] for icon in manifest['icons']}
    assert {'192x192', '512x512'} <= sizes
    assert any('maskable' in icon.get('purpose', '') for icon in manifest['icons'])


def test_the_installed_app_opens_on_the_rotation_for_a_salesperson_and_home_for_the_manager(
    new_context: Callable[..., BrowserContext], server: AppServer
) -> None:
    for login, name, landing in (('lina', '李娜', r'/rotation$'), ('manager', '王静', r'/$')):
        page = new_context().new_page()
        log_in_home(page, login, name)
        start = page.request.get(f'{server.base_url}/manifest.webmanifest').json()['start_url']
        page.goto(start)  # what the home-screen icon opens
        expect(page).to_have_url(re.compile(landing))
        expect(page.get_by_text(f'{name}，您好')).to_be_visible()


def test_every_manifest_icon_is_a_png_of_its_declared_size(page: Page, server: AppServer) -> None:
    manifest = page.request.get(f'{server.base_url}/manifest.webmanifest').json()
    for icon in manifest['icons']:
        response = page.request.get(urljoin(server.base_url, icon['src']))
        assert response.status == 200, icon['src']
        assert response.headers['content-type'] == 'image/png', icon['src']
        assert png_size(response.body()) == icon['sizes'], icon['src']


def test_service_worker_registers_and_controls_the_page_after_reload(page: Page) -> None:
    page.goto('/login')
    assert page.evaluate(WAIT_FOR_WORKER).endswith('/sw.js')
    page.reload()
    expect(page.get_by_role('button', name='登录', exact=True)).to_be_visible()
    controller = page.evaluate('navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL')
    assert controller and controller.endswith('/sw.js')


def test_service_worker_keeps_nicegui_static_files(page: Page) -> None:
    page.goto('/login')
    page.evaluate(WAIT_FOR_WORKER)
    page.reload()  # now controlled: the worker sees the page's static requests
    expect(page.get_by_role('button', name='登录', exact=True)).to_be_visible()
    cached = page.evaluate("""async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    }""")
    assert '/offline.html' in cached
    assert any(url.startswith('/_nicegui/') and url.endswith('/static/vue.esm-browser.prod.js') for url in cached)


def test_offline_navigation_shows_the_offline_page(page: Page) -> None:
    page.goto('/login')
    page.evaluate(WAIT_FOR_WORKER)
    page.context.set_offline(True)
    for path in ('/', '/login'):
        page.goto(path)
        expect(page.get_by_text('网络已断开').first).to_be_visible()
    page.context.set_offline(False)


def png_size(data: bytes) -> str:
    """A PNG's width and height as the manifest writes them ('192x192')."""
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    width, height = struct.unpack('>II', data[16:24])
    return f'{width}x{height}'
