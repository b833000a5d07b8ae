"""A duty photo from a phone on the slow network, choosing it to the item showing done: `python -m bench.photo_upload`.

Playwright at phone size with SPEC §9's slow network (1.6 Mbit/s down, 750 kbit/s up, 150 ms), a generated
4000 × 3000 camera JPEG of about 4 MB on the duty officer's first photo item. The phone shrinks it before it goes up
(components/photo_capture.js); the target is ≤ 3 s and ≤ 400 KB sent. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect, sync_playwright

import config
import db
from models import Role, Staff, utcnow
from services.accounts.sites import SiteForm, create_site
from services.core import security
from services.duty import checklists
from services.duty import roster as duty_roster
from services.rotation import roster

from .harness import AppServer, launch_chromium, print_result
from .photos import phone_jpeg

PASSWORD = 'bench-photo-9'  # noqa: S105 - a throwaway account on a throwaway database
SLOW = {'offline': False, 'latency': 150, 'downloadThroughput': 1_600_000 / 8, 'uploadThroughput': 750_000 / 8}
PHONE: dict[str, Any] = {
    'viewport': {'width': 360, 'height': 740},
    'device_scale_factor': 3,
    'is_mobile': True,
    'has_touch': True,
    'locale': 'zh-CN',
}
TARGET_S, TARGET_KB = 3.0, 400


def main(argv: list[str] | None = None) -> None:
    """Start a fresh app, plan today's duty, upload one camera photo over the slow network, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--quality', type=int, default=92, help='JPEG quality of the generated photo (92: ~4 MB)')
    quality = parser.parse_args(argv).quality
    folder = Path(tempfile.mkdtemp(prefix='anchang-photo-'))
    photo = folder / 'IMG_0001.jpg'
    photo.write_bytes(phone_jpeg(1, quality=quality))
    with AppServer(args=[]) as app:
        title = plan_duty(app.data_dir)
        figures = upload(app.base_url, photo, title)
        figures['stored_kb'] = round(stored_bytes(app.data_dir) / 1024, 1)
    figures |= {
        'photo_mb': round(photo.stat().st_size / 1e6, 2),
        'target_s': TARGET_S,
        'target_kb': TARGET_KB,
        'met': figures['upload_s'] <= TARGET_S and figures['sent_kb'] <= TARGET_KB,
    }
    print_result(figures)


def plan_duty(data_dir: Path) -> str:
    """A site whose duty officer today is duty1; the title of the first checklist item that needs a photo."""
    settings = config.load_settings({'ANCHANG_DATA_DIR': str(data_dir)}, env_file=data_dir / '.env')
    db.init_engine(settings.database_url)
    with db.session() as s:
        site = create_site(s, actor=None, form=SiteForm(name='江畔·云境', code='PHOTO'))
        password_hash = security.hash_password(PASSWORD)
        officer = Staff(name='周敏', username='duty1', role=Role.SALESPERSON, password_hash=password_hash)
        manager = Staff(name='孙经理', username='duty1m', role=Role.MANAGER, password_hash=password_hash)
        for person in (officer, manager):
            person.site_id = site.id
            person.joined_on = date.today() - timedelta(days=400)
            s.add(person)
        s.commit()
        duty_roster.plan_week(s, actor=manager, plan={roster.local_day(site, utcnow()): officer.id})
        items = checklists.duty_day(s, actor=officer).checklists[0].items
    db.get_engine().dispose()
    return next(i.item.title for i in items if i.item.photo_required)


# What the page's uploads send (the file parts of each form): Playwright does not see the bodies of multipart XHRs.
SPY = """(() => {
  window.__uploads = [];
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    if (body instanceof FormData) {
      let bytes = 0;
      for (const value of body.values()) if (value instanceof Blob) bytes += value.size;
      window.__uploads.push({ bytes });
    }
    return send.call(this, body);
  };
})();"""


def upload(base_url: str, photo: Path, title: str) -> dict[str, Any]:
    """Log in, open the checklist, then time choosing the photo until its item shows the photo and 正常."""
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(base_url=base_url, **PHONE)
        context.set_default_timeout(60_000)
        context.add_init_script(SPY)
        page = context.new_page()
        open_checklist(page)
        cdp = context.new_cdp_session(page)
        cdp.send('Network.enable')
        cdp.send('Network.emulateNetworkConditions', SLOW)
        card = page.locator('.q-card').filter(has=page.get_by_text(re.compile(rf'^\d+\. {re.escape(title)}$')))
        start = time.perf_counter()
        chosen_at = page.evaluate('performance.now()')
        card.locator('input[type=file]').set_input_files(photo)
        expect(card.locator('.q-img')).to_have_count(1, timeout=60_000)
        expect(card).to_have_class(re.compile('border-green-600'), timeout=60_000)  # the item is done
        seconds = time.perf_counter() - start
        uploads = page.evaluate('window.__uploads')
        marks = page.evaluate(MARKS)
        browser.close()
    return {
        'upload_s': round(seconds, 2),
        'sent_kb': round(sum(u['bytes'] for u in uploads) / 1024, 1),
        **phases(marks, chosen_at, seconds),
    }


# photo_capture.js marks ac-photo-chosen, -shrunk, -sent and -uploaded (ms since the page's start)
MARKS = """Object.fromEntries(performance.getEntriesByType('mark')
  .filter((m) => m.name.startsWith('ac-photo-')).map((m) => [m.name.slice(9), m.startTime]))"""


def phases(marks: dict[str, float], chosen_at: float, seconds: float) -> dict[str, float]:
    """Where the time went: the file reaching the page, shrinking it, sending it, and the server storing it until the
    item shows it done (what is left of the total)."""
    if not {'chosen', 'shrunk', 'sent', 'uploaded'} <= marks.keys():
        return {}
    return {
        'pick_s': round((marks['chosen'] - chosen_at) / 1000, 2),
        'shrink_s': round((marks['shrunk'] - marks['chosen']) / 1000, 2),
        'send_s': round((marks['uploaded'] - marks['sent']) / 1000, 2),
        'done_s': round(seconds - (marks['uploaded'] - chosen_at) / 1000, 2),
    }


def open_checklist(page: Page) -> None:
    page.goto('/login?next=/duty')
    page.get_by_label('手机号或用户名').fill('duty1')
    page.get_by_label('密码', exact=True).fill(PASSWORD)
    page.get_by_role('button', name='登录', exact=True).click()
    expect(page.get_by_text('今天您值班')).to_be_visible()
    page.get_by_text('开场检查', exact=True).click()
    expect(page.get_by_text(re.compile(r'已查 0/\d+'))).to_be_visible()


def stored_bytes(data_dir: Path) -> int:
    """The stored proof image (not its thumbnail): the biggest JPEG the app wrote."""
    return max((f.stat().st_size for f in data_dir.rglob('*.jpg')), default=0)


if __name__ == '__main__':
    main()
