"""The demo site's duty: a week's roster, yesterday signed off, today's opening done, a patrol under way."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw
from sqlmodel import Session, col, select

import config
from models import Checklist, ChecklistStatus, Role, Staff, utcnow
from services.duty import checklists, discipline
from services.duty import review as duty_review
from services.duty import roster as duty_roster
from services.duty.checklists import ChecklistView
from services.duty.roster import site_of
from services.photos import store as photo_store
from services.rotation import roster

PATROL_PROBLEM = '展示架宣传资料齐全'


def demo_duty(session: Session, *, site_id: int, now: datetime | None = None, root: Path | None = None) -> None:
    """Plan this week (李娜 on duty today), sign yesterday off, do today's opening with photos, start the patrol."""
    now, root = now or utcnow(), root or config.load_settings().photos_dir
    people = list(session.exec(select(Staff).where(Staff.site_id == site_id).order_by(col(Staff.id))))
    manager = next(p for p in people if p.role == Role.MANAGER)
    sales = [p for p in people if p.role == Role.SALESPERSON][:5]
    today = roster.local_day(site_of(session, manager), now)
    start = duty_roster.week_start(today)
    plan = {
        start + timedelta(days=n): sales[((start + timedelta(days=n)) - today).days % len(sales)].id for n in range(7)
    }
    plan[today - timedelta(days=1)] = sales[1].id
    duty_roster.plan_week(session, actor=manager, plan=plan)
    yesterday = checklists.duty_day(session, actor=sales[1], day=today - timedelta(days=1), now=now)
    for n, view in enumerate(yesterday.checklists):
        _do(session, sales[1], view, root, view.checklist.due_at - timedelta(minutes=20), seed=100 + 10 * n)
        duty_review.review(session, actor=manager, checklist_id=view.checklist.id or 0, sign_off=True, comment='')
    _today(session, sales[0], sales[2], root, now)


def _today(session: Session, officer: Staff, colleague: Staff, root: Path, now: datetime) -> None:
    day = checklists.duty_day(session, actor=officer, now=now)
    opening = next(v for v in day.checklists if v.checklist.kind == 'opening')
    _do(session, officer, opening, root, min(now, opening.checklist.due_at) - timedelta(minutes=10), seed=1)
    patrol = next(v for v in day.checklists if v.checklist.kind == 'patrol')
    for entry in patrol.items[:5]:
        checklists.answer(session, actor=officer, item_id=entry.item.id or 0, result='ok', now=now)
    problem = next(i for i in patrol.items if i.item.title == PATROL_PROBLEM)
    checklists.answer(
        session, actor=officer, item_id=problem.item.id or 0, result='problem', note='三号展架楼书缺货', now=now
    )
    _photo(
        session, officer, checklists.item_subject(session, actor=officer, item_id=problem.item.id or 0), root, 50, now
    )
    breach = discipline.record(
        session, actor=officer, staff_id=colleague.id or 0, rule='接待时使用手机', note='接待客户时看手机', now=now
    )
    _photo(session, officer, discipline.subject(session, actor=officer, record_id=breach.id or 0), root, 60, now)


def _do(session: Session, officer: Staff, view: ChecklistView, root: Path, at: datetime, *, seed: int) -> None:
    """Every item OK, a photo where one is required, then submitted."""
    for n, entry in enumerate(view.items):
        checklists.answer(session, actor=officer, item_id=entry.item.id or 0, result='ok', now=at)
        if entry.item.photo_required:
            subject = checklists.item_subject(session, actor=officer, item_id=entry.item.id or 0)
            _photo(session, officer, subject, root, seed + n, at)
    checklists.submit(session, actor=officer, checklist_id=view.checklist.id or 0, now=at)
    found = session.get(Checklist, view.checklist.id)
    assert found is not None and found.status == ChecklistStatus.SUBMITTED


def _photo(session: Session, actor: Staff, subject: photo_store.Subject, root: Path, seed: int, at: datetime) -> None:
    photo_store.add_photo(session, actor=actor, data=scene(seed), subject=subject, root=root, now=at)


def scene(seed: int, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A JPEG that looks like a room photo: a wall, a floor, furniture-like blocks; each seed its own."""
    rng = random.Random(seed)  # noqa: S311 - demo pictures, not secrets
    img = Image.new('RGB', size, (rng.randrange(180, 240), rng.randrange(180, 230), rng.randrange(160, 220)))
    draw = ImageDraw.Draw(img)
    horizon = rng.randrange(size[1] // 2, size[1] * 3 // 4)
    draw.rectangle((0, horizon, size[0], size[1]), fill=(rng.randrange(90, 160), rng.randrange(70, 130), 60))
    for _ in range(8):
        x, w = rng.randrange(size[0]), rng.randrange(120, 480)
        top = rng.randrange(size[1] // 5, horizon)
        colour = (rng.randrange(40, 220), rng.randrange(40, 220), rng.randrange(40, 220))
        draw.rectangle((x, top, x + w, horizon + rng.randrange(0, 120)), fill=colour)
    buffer = io.BytesIO()
    img.save(buffer, 'JPEG', quality=88)
    return buffer.getvalue()
