"""Doing a checklist: saved item by item, blocked without its photos, submitted once; overdue; review; 整改; 违纪."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

import db
from models import ChecklistStatus, Rectification, Site
from services.core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from services.duty import checklists, discipline, rectification
from services.duty import review as duty_review
from services.duty.checklists import ChecklistView
from services.photos import store as photo_store
from tests.helpers.duty import DAY, MORNING, DutySite, duty_site, jpeg, photos_root
from tests.helpers.factories import make_site, make_staff


def opening(session: Session, people: DutySite) -> ChecklistView:
    return checklists.duty_day(session, actor=people.officer, day=DAY, now=MORNING).checklists[0]


def answer_all(session: Session, people: DutySite, view: ChecklistView, root: Path, *, photos: bool = True) -> None:
    for n, entry in enumerate(view.items):
        checklists.answer(session, actor=people.officer, item_id=entry.item.id or 0, result='ok', now=MORNING)
        if photos and entry.item.photo_required:
            subject = checklists.item_subject(session, actor=people.officer, item_id=entry.item.id or 0)
            photo_store.add_photo(session, actor=people.officer, data=jpeg(n), subject=subject, root=root, now=MORNING)


def test_each_answer_is_saved_at_once(session: Session) -> None:
    people = duty_site(session)
    first = opening(session, people).items[0].item
    checklists.answer(session, actor=people.officer, item_id=first.id or 0, result='ok', note='干净', now=MORNING)
    again = checklists.checklist(session, actor=people.officer, checklist_id=first.checklist_id)  # a new look
    assert (again.items[0].item.result, again.items[0].item.note, again.answered) == ('ok', '干净', 1)


def test_a_missing_required_photo_blocks_submitting(session: Session, tmp_path: Path) -> None:
    people = duty_site(session)
    view = opening(session, people)
    answer_all(session, people, view, photos_root(tmp_path), photos=False)
    with pytest.raises(DomainError, match='须拍照'):
        checklists.submit(session, actor=people.officer, checklist_id=view.checklist.id or 0, now=MORNING)


def test_unanswered_items_block_submitting(session: Session) -> None:
    people = duty_site(session)
    with pytest.raises(DomainError, match='未检查'):
        checklists.submit(session, actor=people.officer, checklist_id=opening(session, people).checklist.id or 0)


def test_complete_checklist_is_submitted_once(session: Session, tmp_path: Path) -> None:
    people = duty_site(session)
    view = opening(session, people)
    answer_all(session, people, view, photos_root(tmp_path))
    done = checklists.submit(session, actor=people.officer, checklist_id=view.checklist.id or 0, now=MORNING)
    assert done.status == ChecklistStatus.SUBMITTED
    with pytest.raises(DomainError, match='已提交'):
        checklists.submit(session, actor=people.officer, checklist_id=view.checklist.id or 0, now=MORNING)
    with pytest.raises(DomainError, match='已提交'):
        checklists.answer(session, actor=people.officer, item_id=view.items[0].item.id or 0, result='problem', note='x')


def test_a_colleague_not_on_duty_cannot_answer(session: Session) -> None:
    people = duty_site(session)
    item = opening(session, people).items[0].item
    with pytest.raises(PermissionDenied):
        checklists.answer(session, actor=people.other, item_id=item.id or 0, result='ok')
    checklists.answer(session, actor=people.manager, item_id=item.id or 0, result='ok')  # the manager may


def test_overdue_follows_the_clock(session: Session) -> None:
    people = duty_site(session)
    before = MORNING + timedelta(minutes=44)
    after = MORNING + timedelta(minutes=46)
    site_id = people.site.id or 0
    assert checklists.overdue_count(session, site_id=site_id, now=before) == 0  # nothing made yet, nothing due
    assert checklists.overdue_count(session, site_id=site_id, now=after) == 1  # counted before anyone looked
    day = checklists.duty_day(session, actor=people.manager, day=DAY, now=after)
    assert [c.checklist.name for c in day.overdue] == ['开场检查']
    assert checklists.overdue_count(session, site_id=site_id, now=MORNING + timedelta(hours=11)) == 3


def test_a_problem_opens_a_rectification_closed_only_with_a_photo(session: Session, tmp_path: Path) -> None:
    people = duty_site(session)
    item = opening(session, people).items[1].item
    due = MORNING + timedelta(hours=3)
    checklists.answer(
        session,
        actor=people.officer,
        item_id=item.id or 0,
        result='problem',
        note='地面有水渍',
        owner_id=people.other.id,
        due=due,
        now=MORNING,
    )
    [task] = rectification.open_tasks(session, actor=people.manager, now=MORNING)
    assert (task.task.title, task.task.description, task.owner, task.task.due_at) == (
        '清洁地面',
        '地面有水渍',
        '张伟',
        due,
    )
    assert rectification.open_tasks(session, actor=people.manager, now=due + timedelta(minutes=1))[0].overdue
    with pytest.raises(DomainError, match='拍照'):
        rectification.close(session, actor=people.other, task_id=task.task.id or 0)
    with pytest.raises(DomainError, match='负责人'):
        rectification.subject(session, actor=people.officer, task_id=task.task.id or 0)
    subject = rectification.subject(session, actor=people.other, task_id=task.task.id or 0)
    photo_store.add_photo(session, actor=people.other, data=jpeg(7), subject=subject, root=photos_root(tmp_path))
    rectification.close(session, actor=people.other, task_id=task.task.id or 0, note='已拖干')
    assert rectification.open_tasks(session, actor=people.manager) == []


def test_a_problem_needs_a_note_and_setting_it_back_to_ok_drops_the_task(session: Session) -> None:
    people = duty_site(session)
    item = opening(session, people).items[0].item
    with pytest.raises(ValidationError):
        checklists.answer(session, actor=people.officer, item_id=item.id or 0, result='problem', note=' ')
    checklists.answer(session, actor=people.officer, item_id=item.id or 0, result='problem', note='玻璃有手印')
    checklists.answer(session, actor=people.officer, item_id=item.id or 0, result='ok')
    assert session.exec(Rectification.__table__.select()).all() == []  # type: ignore[attr-defined]


def test_the_manager_signs_off_a_submitted_checklist(session: Session, tmp_path: Path) -> None:
    people = duty_site(session)
    view = opening(session, people)
    checklist_id = view.checklist.id or 0
    with pytest.raises(DomainError, match='已提交'):
        duty_review.review(session, actor=people.manager, checklist_id=checklist_id, sign_off=True)
    answer_all(session, people, view, photos_root(tmp_path))
    checklists.submit(session, actor=people.officer, checklist_id=checklist_id, now=MORNING)
    with pytest.raises(PermissionDenied):
        duty_review.review(session, actor=people.officer, checklist_id=checklist_id, sign_off=True)
    duty_review.review(session, actor=people.manager, checklist_id=checklist_id, sign_off=True, comment='很好')
    signed = checklists.checklist(session, actor=people.manager, checklist_id=checklist_id)
    assert (signed.checklist.status, signed.checklist.review_comment) == (ChecklistStatus.SIGNED_OFF, '很好')
    gallery = duty_review.gallery(session, actor=people.manager, start=DAY, end=DAY)
    assert len(gallery) == sum(1 for i in view.items if i.item.photo_required)
    assert duty_review.gallery(session, actor=people.manager, start=DAY, end=DAY, item='清洁地面')[0].item == '清洁地面'


def test_another_sites_staff_see_nothing(session: Session) -> None:
    people = duty_site(session)
    view = opening(session, people)
    stranger = make_staff(session, site=make_site(session, name='别处'))
    with pytest.raises(NotFound):
        checklists.checklist(session, actor=stranger, checklist_id=view.checklist.id or 0)
    with pytest.raises(NotFound):
        checklists.answer(session, actor=stranger, item_id=view.items[0].item.id or 0, result='ok')


def test_discipline_is_recorded_by_the_duty_officer_with_a_photo(session: Session, tmp_path: Path) -> None:
    people = duty_site(session)
    at = MORNING + timedelta(hours=3)
    with pytest.raises(PermissionDenied):
        discipline.record(session, actor=people.other, staff_id=people.officer.id or 0, rule='大声喧哗', now=at)
    entry = discipline.record(
        session, actor=people.officer, staff_id=people.other.id or 0, rule='接待时使用手机', note='看手机', now=at
    )
    subject = discipline.subject(session, actor=people.officer, record_id=entry.id or 0)
    photo_store.add_photo(session, actor=people.officer, data=jpeg(3), subject=subject, root=photos_root(tmp_path))
    [seen] = discipline.of_day(session, actor=people.manager, day=DAY)
    assert (seen.person, seen.recorded_by, seen.record.rule, len(seen.photos)) == ('张伟', '李娜', '接待时使用手机', 1)
    assert [v.person for v in discipline.of_day(session, actor=people.other, day=DAY)] == ['张伟']


def test_the_first_look_at_a_day_makes_it_even_after_another_write(session: Session) -> None:
    """duty_day reads, then makes the day's checklists: begun as a reader while another phone wrote, it still may
    write (on SQLite a stale reader's write fails at once, 'database is locked')."""
    people = duty_site(session)
    session.exec(select(Site)).all()  # this session's transaction begins as a reader
    with db.session() as other:
        make_staff(other, site=people.site, name='新人')  # another phone writes and commits meanwhile
    day = checklists.duty_day(session, actor=people.officer, day=DAY, now=MORNING)
    assert [c.checklist.kind for c in day.checklists] == ['opening', 'patrol', 'closing']
