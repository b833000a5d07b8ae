"""The duty officer's phone: doing a checklist with camera photos; bad uploads; 整改; the manager signs off."""

import asyncio
from collections.abc import Callable, Iterator

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

import db
from models import Checklist, ChecklistItem, ChecklistStatus, Photo, Rectification
from services.core import events as duty_events
from services.duty import checklists
from services.duty.checklists import ChecklistView
from services.rotation import roster
from tests.helpers.duty import DutySite, duty_site, jpeg
from tests.helpers.login import log_in


@pytest.fixture(autouse=True)
def _clear_duty_subscribers() -> Iterator[None]:
    yield
    duty_events.duty_changed.callbacks.clear()


def seed() -> tuple[DutySite, ChecklistView]:
    """Today's duty officer 李娜 (login officer) and today's opening checklist."""
    with db.session() as s:
        from models import Site, utcnow

        site = duty_site(s, day=roster.local_day(Site(name='x', code='x'), utcnow()))
        s.get(type(site.officer), site.officer.id).username = 'officer'  # type: ignore[union-attr]
        s.get(type(site.manager), site.manager.id).username = 'boss'  # type: ignore[union-attr]
        s.get(type(site.other), site.other.id).username = 'colleague'  # type: ignore[union-attr]
        s.commit()
        return site, checklists.duty_day(s, actor=site.officer).checklists[0]


async def open_checklist(user: User, login: str, greeting: str, view: ChecklistView) -> None:
    await log_in(user, login)
    await user.should_see(greeting, retries=30)
    await user.open(f'/duty/checklist/{view.checklist.id}')
    await user.should_see('已查 0/', retries=30)


async def upload(user: User, item_id: int, data: bytes, name: str = 'photo.jpg') -> None:
    element = user.find(marker=f'photo-{item_id}').elements.pop()
    assert isinstance(element, ui.upload)
    await element.handle_uploads([ui.upload.SmallFileUpload(name, 'image/jpeg', data)])


async def until(condition: Callable[[], bool], seconds: float = 5) -> None:
    """Uploads are handled in the background: wait for what they store."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError('condition not met in time')


def photos_of(item_id: int) -> list[Photo]:
    with db.session() as s:
        return list(s.exec(select(Photo).where(Photo.checklist_item_id == item_id)))


def status(view: ChecklistView) -> str:
    with db.session() as s:
        found = s.get(Checklist, view.checklist.id)
        assert found is not None
        return found.status


async def test_the_duty_officer_does_the_opening_checklist_with_photos(user: User) -> None:
    _, view = seed()
    await open_checklist(user, 'officer', '李娜，您好', view)
    for n, entry in enumerate(view.items):
        user.find(marker=f'ok-{entry.item.id}').click()
        await user.should_see(f'已查 {n + 1}/{len(view.items)}', retries=30)
        if entry.item.photo_required:
            await upload(user, entry.item.id or 0, jpeg(n))
            await until(lambda i=entry.item.id or 0: len(photos_of(i)) == 1)
    await user.should_not_see(marker='missing-photos', retries=30)
    user.find(marker='submit').click()
    await user.should_see('已提交，等待经理审核', retries=30)
    assert status(view) == ChecklistStatus.SUBMITTED


async def test_progress_survives_a_closed_tab(user: User) -> None:
    _, view = seed()
    await open_checklist(user, 'officer', '李娜，您好', view)
    user.find(marker=f'ok-{view.items[0].item.id}').click()
    await user.should_see('已查 1/', retries=30)
    await user.open('/duty')
    await user.open(f'/duty/checklist/{view.checklist.id}')
    await user.should_see('已查 1/', retries=30)


async def test_a_missing_required_photo_blocks_submitting(user: User) -> None:
    _, view = seed()
    await open_checklist(user, 'officer', '李娜，您好', view)
    for n, entry in enumerate(view.items):
        user.find(marker=f'ok-{entry.item.id}').click()
        await user.should_see(f'已查 {n + 1}/', retries=30)
    await user.should_see('还缺', retries=30)
    user.find(marker='submit').click()
    await user.should_see('以下项目须拍照', retries=30)
    assert status(view) == ChecklistStatus.OPEN


@pytest.mark.parametrize(
    ('data', 'message'),
    [
        (b'just some text, not a picture', '不是有效的图片文件'),
        (b'', '照片为空'),
        (b'\xff\xd8\xff' + bytes(16 * 2**20), '照片太大'),
    ],
)
async def test_bad_uploads_get_a_clear_message_and_store_nothing(user: User, data: bytes, message: str) -> None:
    _, view = seed()
    item = next(i.item for i in view.items if i.item.photo_required)
    await open_checklist(user, 'officer', '李娜，您好', view)
    await upload(user, item.id or 0, data, name='fake.jpg')
    await user.should_see(message, retries=30)
    assert photos_of(item.id or 0) == []


async def test_a_problem_becomes_a_rectification(user: User) -> None:
    people, view = seed()
    item = view.items[1].item
    await open_checklist(user, 'officer', '李娜，您好', view)
    user.find(marker=f'problem-{item.id}').click()
    user.find(marker='problem-note').type('地面有水渍')
    user.find(marker='problem-save').click()
    await user.should_see('已转整改', retries=30)
    with db.session() as s:
        task = s.exec(select(Rectification)).one()
    assert (task.checklist_item_id, task.description, task.owner_id) == (item.id, '地面有水渍', people.officer.id)
    await user.open('/duty')
    await user.should_see('我的整改（1）', retries=30)


async def test_a_second_submit_from_another_tab_is_refused(user: User, create_user: Callable[[], User]) -> None:
    _, view = seed()
    other_tab = create_user()
    await open_checklist(user, 'officer', '李娜，您好', view)
    await open_checklist(other_tab, 'officer', '李娜，您好', view)
    for n, entry in enumerate(view.items):
        user.find(marker=f'ok-{entry.item.id}').click()
        await user.should_see(f'已查 {n + 1}/', retries=30)
        if entry.item.photo_required:
            await upload(user, entry.item.id or 0, jpeg(n))
            await until(lambda i=entry.item.id or 0: len(photos_of(i)) == 1)
    user.find(marker='submit').click()
    await user.should_see('已提交，等待经理审核', retries=30)
    other_tab.find(marker='submit').click()
    await other_tab.should_see('该检查表已提交', retries=100)


async def test_the_manager_signs_off_a_submitted_checklist(user: User) -> None:
    people, view = seed()
    with db.session() as s:
        for entry in view.items:
            checklists.answer(s, actor=people.officer, item_id=entry.item.id or 0, result='ok')
        s.get(Checklist, view.checklist.id).status = ChecklistStatus.SUBMITTED  # type: ignore[union-attr]
        s.commit()
    await log_in(user, 'boss')
    await user.should_see('王静，您好', retries=30)
    await user.open('/duty/manage')
    await user.should_see('开场检查', retries=30)
    user.find(marker='open-opening').click()
    await user.should_see('已查', retries=30)
    user.find(marker='review-comment').type('很整洁')
    user.find(marker='sign-off').click()
    await user.should_see('经理评语：很整洁', retries=30)
    assert status(view) == ChecklistStatus.SIGNED_OFF


async def test_a_salesperson_cannot_open_the_managers_review(user: User) -> None:
    seed()
    await log_in(user, 'colleague')
    await user.should_see('张伟，您好', retries=30)
    for path in ('/duty/manage', '/duty/plan', '/duty/gallery'):
        await user.open(path)
        await user.should_see('您的角色无权打开此页面')


async def test_a_colleague_not_on_duty_sees_the_checklist_without_buttons(user: User) -> None:
    _, view = seed()
    await open_checklist(user, 'colleague', '张伟，您好', view)
    await user.should_see('未检查')
    await user.should_not_see(marker=f'ok-{view.items[0].item.id}')


async def test_a_photo_on_a_photo_item_checks_it_and_the_missing_message_names_the_item(user: User) -> None:
    _, view = seed()
    needing = [e.item for e in view.items if e.item.photo_required]
    await open_checklist(user, 'officer', '李娜，您好', view)
    await user.should_see(f'还缺 {len(needing)} 项必拍照片：{needing[0].position + 1}. {needing[0].title}')
    await upload(user, needing[0].id or 0, jpeg(1))
    await user.should_see('已查 1/', retries=50)  # the photo was the proof: no 正常 tap needed
    with db.session() as s:
        assert s.get(ChecklistItem, needing[0].id).result == 'ok'  # type: ignore[union-attr]
