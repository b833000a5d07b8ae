"""Helpers for duty tests: distinct real photos, a site with a manager and a duty officer, a fixed clock."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from PIL import Image, ImageDraw
from sqlmodel import Session

from models import Role, Site, Staff
from services.duty import roster as duty_roster
from tests.helpers.factories import make_site, make_staff

# 2026-03-02 08:00 in Shanghai (a Monday): before the demo site's 09:00 opening
MORNING = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)


def jpeg(seed: int, size: tuple[int, int] = (800, 600)) -> bytes:
    """A real JPEG whose picture differs from every other seed's (blocks of random colour)."""
    rng = random.Random(seed)
    img = Image.new('RGB', size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle((x, y, x + rng.randrange(80, 400), y + rng.randrange(60, 300)), fill=colour)
    buffer = io.BytesIO()
    img.save(buffer, 'JPEG', quality=90)
    return buffer.getvalue()


@dataclass
class DutySite:
    site: Site
    manager: Staff
    officer: Staff
    other: Staff


def duty_site(session: Session, *, day: date = DAY, name: str = '云庐') -> DutySite:
    """A site whose duty officer on `day` is 李娜; 张伟 is a colleague, 王静 the manager."""
    site = make_site(session, name=name)
    manager = make_staff(session, site=site, role=Role.MANAGER, name='王静')
    officer = make_staff(session, site=site, name='李娜')
    other = make_staff(session, site=site, name='张伟')
    duty_roster.plan_week(session, actor=manager, plan={day: officer.id})
    return DutySite(site, manager, officer, other)


def photos_root(tmp_path: Path) -> Path:
    root = tmp_path / 'photos'
    root.mkdir(exist_ok=True)
    return root
