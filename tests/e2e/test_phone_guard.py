"""The phone guard: every page for every role at 360 × 740 on the demo, as a thumb and an eye see it.

Fails on a tappable element under 44 × 44 px, a page wider than the phone, an error in the browser's console, or a
Latin word in the zh-CN interface that is not data (Quasar's own English, a code value, a forgotten label).
Set ANCHANG_E2E_SHOTS=<dir> to keep a screenshot of each page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from .conftest import NARROW_PHONE, log_in, shot

PAGES: dict[str, list[str]] = {  # '*': the first such link on the list page before it
    'manager': [
        '/', '/rotation', '/rotation/manage', '/customers', '/customers/*', '/followups', '/analysis', '/calls',
        '/routes', '/duty', '/duty/checklist/*', '/duty/plan', '/duty/manage', '/duty/gallery', '/entrance',
        '/complaints', '/complaints/new', '/complaints/*', '/staff', '/me',
    ],
    'lina': [
        '/home', '/rotation', '/customers', '/customers/*', '/followups', '/calls', '/duty', '/duty/checklist/*',
        '/complaints/new', '/me',
    ],
    'demoadmin': ['/', '/complaints', '/staff', '/sites', '/me'],
}  # fmt: skip
LISTED_ON = {'/duty/checklist/': '/duty'}  # where a page's links are, when not on the path above it
MIN_PX = 44
# Latin that is right in the Chinese interface: what people call things (TV, QR code, PNG, PDF) and units. Data (a
# username, a site code, a link) is marked data-data on its element and not read.
ALLOWED_LATIN = {'TV', 'QR', 'PNG', 'PDF', 'Excel', 'VIP', 'MB', 'KB', 'Language'}  # 语言 / Language: on purpose
CHECK = """(minimum) => {
  const seen = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return null;
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.visibility === 'hidden' || style.display === 'none' || style.opacity === '0') return null;
    }
    return r;
  };
  const describe = (el) => (el.getAttribute('aria-label') || el.innerText || el.className || el.tagName)
    .toString().trim().replace(/\\s+/g, ' ').slice(0, 40);
  const TAPPABLE = 'a[href], button, [role=button], .q-btn, .q-chip--clickable, .q-item--clickable, ' +
    '.q-checkbox, .q-radio, .q-toggle, .q-field__control, .q-tab';
  const small = [];
  for (const el of document.querySelectorAll(TAPPABLE)) {
    const r = seen(el);
    if (!r) continue;
    const outer = el.parentElement && el.parentElement.closest(TAPPABLE);
    if (outer && seen(outer)) {  // a button inside a card-wide link: the bigger one is what the thumb hits
      const o = outer.getBoundingClientRect();
      if (o.width >= minimum && o.height >= minimum) continue;
    }
    if (r.width < minimum - 0.5 || r.height < minimum - 0.5)
      small.push(`${describe(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  const width = document.documentElement.clientWidth;
  const overflow = document.documentElement.scrollWidth > width + 1 ? [document.documentElement.scrollWidth] : [];
  const latin = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, .q-icon, .material-icons, [data-data]') || !seen(el)) continue;
    for (const word of node.textContent.match(/[A-Za-z]{2,}/g) || []) latin.push(word);
  }
  return { small, overflow, latin };
}"""


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Iterator[tuple[Page, list[str]]]:
    """A 360 × 740 phone and the errors its console shows."""
    page = new_context(**NARROW_PHONE).new_page()
    errors: list[str] = []
    page.on('console', lambda m: _console(m, errors))
    page.on('pageerror', lambda e: errors.append(str(e)))
    yield page, errors


@pytest.mark.parametrize('role', list(PAGES))
def test_every_page_fits_a_thumb_and_speaks_chinese(role: str, phone: tuple[Page, list[str]]) -> None:
    page, errors = phone
    log_in(page, role)
    expect(page.locator('footer')).to_be_visible()
    found: list[str] = []
    for wanted in PAGES[role]:
        path = resolve(page, wanted)
        if path is None:
            found.append(f'{wanted}: no such page in the demo to open')
            continue
        errors.clear()
        page.goto(path)
        wait_until_live(page)
        page.wait_for_timeout(400)  # the parts read off the event loop arrive just after the page
        result: dict[str, Any] = page.evaluate(CHECK, MIN_PX)
        shot(page, f'guard-{role}{path.replace("/", "_")}')
        found += [f'{path}: {problem}' for problem in problems(result, errors)]
    assert not found, '\n'.join(found)


def resolve(page: Page, wanted: str) -> str | None:
    """A path to open: as written, or for '/x/*' the first /x/<id> linked from /x."""
    if not wanted.endswith('*'):
        return wanted
    base = wanted[:-1]
    page.goto(LISTED_ON.get(base, base.rstrip('/')))
    wait_until_live(page)
    hrefs = page.eval_on_selector_all('a[href]', 'links => links.map(a => a.getAttribute("href"))')
    return next((h for h in hrefs if h and re.fullmatch(re.escape(base) + r'\d+', h)), None)


def wait_until_live(page: Page) -> None:
    """Until the page's socket is up (NiceGUI's handshake done): what the page draws after that is drawn too. Not
    'networkidle', which Playwright itself discourages: it timed out on /duty, page drawn, in one run in eight."""
    page.wait_for_function('window.did_handshake === true')


def problems(result: dict[str, Any], errors: list[str]) -> list[str]:
    found = [f'under {MIN_PX} px: {s}' for s in result['small']]
    found += [f'wider than the phone: {w} px' for w in result['overflow']]
    found += [f'console: {e}' for e in errors]
    latin = sorted(set(result['latin']) - ALLOWED_LATIN)
    return found + ([f'Latin in the Chinese interface: {", ".join(latin)}'] if latin else [])


def _console(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == 'error':
        errors.append(message.text)


def test_the_guard_sees_what_it_is_for(browser: Browser) -> None:
    """A page with each fault once: the check must name every one (a guard that cannot fail guards nothing)."""
    context = browser.new_context(**NARROW_PHONE)
    page, errors = context.new_page(), list[str]()
    page.on('console', lambda m: _console(m, errors))
    page.set_content(
        '<meta name="viewport" content="width=device-width">'
        '<body style="margin:0"><button style="width:30px;height:30px">x</button>'
        '<a href="/a" style="display:block;width:200px;height:60px">打开</a>'
        '<div style="width:500px">保存 SUBMIT</div><span data-data>lina</span>'
        '<i class="q-icon material-icons">home</i><script>console.error("boom")</script></body>'
    )
    result = page.evaluate(CHECK, MIN_PX)
    found = problems(result, errors)
    assert any('under 44 px: x 30×30' in f for f in found), found
    assert any('wider than the phone: 500' in f for f in found), found
    assert any('console: boom' in f for f in found), found
    assert 'Latin in the Chinese interface: SUBMIT' in found, found  # not the data (lina) nor the icon's name
    assert len(found) == 4, found
    context.close()
