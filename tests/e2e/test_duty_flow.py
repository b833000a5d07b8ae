"""The duty officer does the opening checklist on a phone with real photo files; the manager reviews and signs off.

Runs on a server of its own without the demo; the test makes a site, its duty officer and manager directly in the
server's database, with today's duty planned.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageOps, ImageStat
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect
from sqlmodel import col, select

import config
import db
from bench.harness import AppServer
from bench.photos import phone_jpeg
from models import Photo, Role, Staff, utcnow
from services.accounts.sites import SiteForm, create_site
from services.core import security
from services.duty import checklists
from services.duty import roster as duty_roster
from services.rotation import roster

from .conftest import PHONE, TIMEOUT_MS, log_in, shot

PASSWORD = 'duty-e2e-9'


@pytest.fixture(scope='module')
def clean() -> Iterator[AppServer]:
    with AppServer(args=[]) as app:
        yield app


@pytest.fixture(scope='module')
def site(clean: AppServer) -> Iterator[dict[str, str]]:
    """A site whose duty officer today is 周敏 (duty1), with 孙经理 (duty1m) as manager."""
    settings = config.load_settings({'ANCHANG_DATA_DIR': str(clean.data_dir)}, env_file=clean.data_dir / '.env')
    db.init_engine(settings.database_url)
    password_hash = security.hash_password(PASSWORD)
    with db.session() as s:
        created = create_site(s, actor=None, form=SiteForm(name='江畔·云境', code='DUTY1'))
        officer = Staff(name='周敏', username='duty1', role=Role.SALESPERSON)
        manager = Staff(name='孙经理', username='duty1m', role=Role.MANAGER)
        for person in (officer, manager):
            person.site_id, person.password_hash = created.id, password_hash
            person.joined_on = date.today() - timedelta(days=400)
            s.add(person)
        s.commit()
        today = roster.local_day(created, utcnow())
        duty_roster.plan_week(s, actor=manager, plan={today: officer.id})
        titles = [
            i.item.title for i in checklists.duty_day(s, actor=officer).checklists[0].items if i.item.photo_required
        ]
    yield {'photo_items': ','.join(titles), 'photos_dir': str(settings.photos_dir)}
    db.get_engine().dispose()


@pytest.fixture
def phones(browser: Browser, clean: AppServer, playwright: Playwright) -> Iterator[Callable[[], Page]]:
    """Phone-sized pages on our own server (the conftest's `new_context` is tied to the demo server)."""
    contexts: list[BrowserContext] = []
    agent = playwright.devices['Pixel 7']['user_agent']

    def make() -> Page:
        context = browser.new_context(base_url=clean.base_url, user_agent=agent, **PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def photo_file(folder: Path, n: int) -> Path:
    """A real phone-like JPEG on disk for the file input."""
    img = Image.new('RGB', (1200, 900), (200 - 20 * n, 180, 150 + 20 * n))
    ImageDraw.Draw(img).rectangle((100 + 80 * n, 100, 600 + 60 * n, 700), fill=(40 * n, 90, 160))
    buffer = io.BytesIO()
    img.save(buffer, 'JPEG', quality=90)
    path = folder / f'photo{n}.jpg'
    path.write_bytes(buffer.getvalue())
    return path


def camera_photo_is_shrunk_upright(phone: Page, card: Locator, folder: Path, photos_dir: Path) -> None:
    """A 4000 × 3000 camera JPEG tagged "turn 90°" goes up shrunk on the phone, and stored upright."""
    camera = folder / 'IMG_0001.jpg'
    camera.write_bytes(phone_jpeg(3, orientation=6))
    with phone.expect_response(lambda r: r.request.method == 'POST' and '/upload' in r.url) as sent:
        card.locator('input[type=file]').set_input_files(camera)
    assert sent.value.request.sizes()['requestBodySize'] < 200_000  # of about 4 MB
    expect(card.locator('.q-img')).to_have_count(2, timeout=15_000)
    with db.session() as s:
        photo = s.exec(select(Photo).order_by(col(Photo.id).desc())).first()
    assert photo is not None and (photo.width, photo.height) == (1200, 1600)
    upright = ImageOps.exif_transpose(Image.open(camera)).convert('L').resize((60, 80)).crop((0, 0, 60, 60))
    stored = Image.open(photos_dir / photo.path).convert('L').resize((60, 80)).crop((0, 0, 60, 60))  # above the stamp
    turned = upright.rotate(180)

    def apart(a: Image.Image, b: Image.Image) -> float:
        return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]

    assert apart(upright, stored) < 12 < apart(turned, stored)


def item_card(page: Page, title: str):  # type: ignore[no-untyped-def]
    return page.locator('.q-card').filter(has=page.get_by_text(re.compile(rf'^\d+\. {re.escape(title)}$')))


def test_opening_checklist_with_photos_then_sign_off(
    site: dict[str, str], phones: Callable[[], Page], tmp_path: Path
) -> None:
    phone = phones()
    phone.goto('/login?next=/duty')
    log_in(phone, 'duty1', PASSWORD)
    expect(phone.get_by_text('今天您值班')).to_be_visible()
    phone.get_by_text('开场检查', exact=True).click()
    expect(phone.get_by_text('已查 0/5')).to_be_visible()
    photo_items = site['photo_items'].split(',')
    titles = ['擦洗门窗', '清洁地面', '整理茶几、办公桌', '清洗茶杯、烟灰缸', '清洁楼盘模型、整理图纸资料']
    for n, title in enumerate(titles):
        card = item_card(phone, title)
        card.get_by_role('button', name='正常').click()
        expect(phone.get_by_text(f'已查 {n + 1}/5')).to_be_visible()
        if title in photo_items:
            card.locator('input[type=file]').set_input_files(photo_file(tmp_path, n))
            expect(card.locator('.q-img')).to_have_count(1, timeout=15_000)
    camera_photo_is_shrunk_upright(phone, item_card(phone, photo_items[0]), tmp_path, Path(site['photos_dir']))
    expect(phone.get_by_text('还缺')).to_have_count(0)
    shot(phone, 'duty-officer-checklist')
    phone.get_by_role('button', name='提交检查表').click()
    expect(phone.get_by_text('已提交', exact=True).first).to_be_visible()

    desk = phones()
    desk.goto('/login?next=/duty/manage')
    log_in(desk, 'duty1m', PASSWORD)
    expect(desk.get_by_text('开场检查', exact=True)).to_be_visible()
    expect(desk.locator('.q-img')).to_have_count(len(photo_items) + 1)  # the camera's photo too
    shot(desk, 'duty-manager-review')
    desk.get_by_role('button', name='打开审核').first.click()
    desk.get_by_label('评语').fill('很整洁，辛苦了')
    desk.get_by_role('button', name='签收').click()
    expect(desk.get_by_text('经理评语：很整洁，辛苦了')).to_be_visible()
    expect(desk.get_by_text('已签收').first).to_be_visible()
    shot(desk, 'duty-manager-signed')
