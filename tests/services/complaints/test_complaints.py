"""Complaints: intake, the state machine, deadlines and escalation on a controlled clock, reassignment, bad input."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

import db
from models import AuditLog, Complaint, ComplaintStatus, ContactLog, Customer, Photo, Role, Site, Staff
from services.complaints import deadlines as complaint_deadlines
from services.complaints import handling as complaints
from services.complaints import intake as complaint_intake
from services.complaints import lists as complaint_lists
from services.complaints import rules
from services.core import events
from services.core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from services.photos import store as photo_store
from tests.helpers.duty import jpeg, photos_root
from tests.helpers.factories import make_site, make_staff

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


class People:
    def __init__(self, session: Session) -> None:
        self.site = make_site(session, name='云庐')
        self.manager = make_staff(session, site=self.site, role=Role.MANAGER, name='王静')
        self.other_manager = make_staff(session, site=self.site, role=Role.MANAGER, name='赵敏')
        self.taker = make_staff(session, site=self.site, name='李娜')
        self.accused = make_staff(session, site=self.site, name='张伟')
        self.colleague = make_staff(session, site=self.site, name='陈晨')
        self.admin = make_staff(session, site=None, role=Role.ADMIN, name='集团')
        elsewhere = make_site(session, name='别处')
        self.stranger = make_staff(session, site=elsewhere, role=Role.MANAGER, name='外人')


def form(**kw: object) -> complaint_intake.ComplaintForm:
    values: dict = dict(
        channel='来访',
        category='attitude',
        severity='normal',
        what_happened='置业顾问态度冷淡，不回答问题',
        wants='换一位顾问',
        surname='刘',
        title='女士',
        phone='13800001234',
    )
    values.update(kw)
    return complaint_intake.ComplaintForm(**values)


def filed(p: People, now: datetime = T0, **kw: object) -> Complaint:
    with db.session() as s:
        return complaint_intake.file(s, actor=p.taker, form=form(**kw), now=now)


def step(actor: Staff, complaint: Complaint, action: str, now: datetime = T0, **kw: object) -> Complaint:
    with db.session() as s:
        return complaints.take_step(s, actor=actor, complaint_id=complaint.id or 0, action=action, now=now, **kw)


def test_a_complaint_goes_all_the_way_to_closed_with_who_when_and_what(session: Session) -> None:
    p = People(session)
    c = filed(p)
    assert c.status == ComplaintStatus.NEW
    assert c.acknowledge_due_at == T0 + timedelta(minutes=60) and c.resolve_due_at == T0 + timedelta(days=3)
    step(p.manager, c, 'acknowledge', T0 + timedelta(minutes=5))
    step(p.manager, c, 'handle', T0 + timedelta(minutes=6), text='约客户明天来访')
    step(p.manager, c, 'resolve', T0 + timedelta(hours=20), text='致歉，换顾问陈晨跟进')
    step(p.taker, c, 'follow_up', T0 + timedelta(days=2), text='挺满意', satisfaction=4)  # the taker calls back
    done = step(p.manager, c, 'close', T0 + timedelta(days=2, hours=1))
    assert done.status == ComplaintStatus.CLOSED and done.satisfaction == 4 and done.handler_id == p.manager.id
    with db.session() as s:
        view = complaint_lists.detail(s, actor=p.manager, complaint_id=c.id or 0)
        timeline = list(s.exec(select(ContactLog).where(ContactLog.customer_id == c.customer_id)))
    assert [x.action for x in view.steps] == ['file', 'acknowledge', 'handle', 'resolve', 'follow_up', 'close']
    assert [x.who for x in view.steps] == ['李娜', '王静', '王静', '王静', '李娜', '王静']
    assert view.steps[4].satisfaction == 4 and view.steps[3].text == '致歉，换顾问陈晨跟进'
    assert len(timeline) == 6 and all(x.kind == 'complaint' for x in timeline)
    assert view.next_steps[0].action == 'reopen'


@pytest.mark.parametrize(
    ('done', 'action'),
    [
        ([], 'handle'),
        ([], 'resolve'),
        ([], 'close'),
        ([], 'reopen'),
        (['acknowledge'], 'acknowledge'),
        (['acknowledge', 'handle'], 'follow_up'),
        (['acknowledge', 'handle'], 'close'),
    ],
)
def test_no_illegal_transition(session: Session, done: list[str], action: str) -> None:
    p = People(session)
    c = filed(p)
    for name in done:
        step(p.manager, c, name, text='好')
    with pytest.raises(complaints.Stale):
        step(p.manager, c, action, text='好', satisfaction=3)


def test_every_status_has_exactly_the_steps_of_the_manual() -> None:
    managers = {s: [x.action for x in rules.next_steps(s, role=Role.MANAGER, is_taker=False)] for s in ComplaintStatus}
    assert managers == {
        'new': ['acknowledge'],
        'acknowledged': ['handle'],
        'handling': ['resolve'],
        'resolved': ['follow_up', 'reopen'],
        'followed_up': ['close', 'reopen'],
        'closed': ['reopen'],
    }
    taker = {s: [x.action for x in rules.next_steps(s, role=Role.SALESPERSON, is_taker=True)] for s in ComplaintStatus}
    assert taker['resolved'] == ['follow_up'] and sum(map(len, taker.values())) == 1
    assert all(not rules.next_steps(s, role=Role.SALESPERSON, is_taker=False) for s in ComplaintStatus)


def test_a_salesperson_cannot_take_a_managers_step_nor_see_someone_elses_complaint(session: Session) -> None:
    p = People(session)
    c = filed(p)
    with pytest.raises(PermissionDenied):
        step(p.taker, c, 'acknowledge')
    with pytest.raises(NotFound):  # the salesperson complained about does not see it
        step(p.accused, c, 'acknowledge')
    with pytest.raises(NotFound), db.session() as s:
        complaint_lists.detail(s, actor=p.accused, complaint_id=c.id or 0)
    with pytest.raises(NotFound):  # another site's manager
        step(p.stranger, c, 'acknowledge')
    with pytest.raises(PermissionDenied), db.session() as s:
        complaint_lists.open_complaints(s, actor=p.taker)


def test_reopen_needs_a_reason_and_gives_a_new_time_to_resolve(session: Session) -> None:
    p = People(session)
    c = filed(p, severity='urgent')
    for name, text in (('acknowledge', ''), ('handle', ''), ('resolve', '已退定金')):
        step(p.manager, c, name, text=text)
    with pytest.raises(ValidationError) as missing:
        step(p.manager, c, 'reopen', text='  ')
    assert missing.value.field == 'text'
    later = T0 + timedelta(days=2)
    again = step(p.manager, c, 'reopen', later, text='客户回访时仍不满意')
    assert again.status == ComplaintStatus.HANDLING and again.resolved_at is None
    assert again.resolve_due_at == later + timedelta(hours=24)


def test_follow_up_needs_a_satisfaction_from_one_to_five(session: Session) -> None:
    p = People(session)
    c = filed(p)
    for name in ('acknowledge', 'handle', 'resolve'):
        step(p.manager, c, name, text='好')
    for bad in (None, 0, 6, '5'):
        with pytest.raises(ValidationError):
            step(p.manager, c, 'follow_up', text='还行', satisfaction=bad)
    assert step(p.manager, c, 'follow_up', text='还行', satisfaction=1).satisfaction == 1


def test_two_managers_acting_at_once_take_the_step_once(session: Session) -> None:
    p = People(session)
    c = filed(p)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def act(manager: Staff) -> None:
        barrier.wait()
        try:
            step(manager, c, 'acknowledge', version=c.version)
            outcomes.append('ok')
        except complaints.Stale:
            outcomes.append('stale')

    threads = [threading.Thread(target=act, args=(m,)) for m in (p.manager, p.other_manager)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ['ok', 'stale']
    with db.session() as s:
        view = complaint_lists.detail(s, actor=p.manager, complaint_id=c.id or 0)
    assert [x.action for x in view.steps] == ['file', 'acknowledge']


def test_an_old_screen_is_told_the_complaint_moved_on(session: Session) -> None:
    p = People(session)
    c = filed(p)
    step(p.manager, c, 'acknowledge')
    with pytest.raises(complaints.Stale) as stale:
        step(p.other_manager, c, 'handle', version=c.version)  # read before the acknowledgement
    assert '已受理' in stale.value.translated()


def test_deadlines_follow_the_severity_and_the_sites_settings(session: Session) -> None:
    p = People(session)
    with db.session() as s:
        table = {'urgent': [10, 600], 'serious': [20, 1200], 'normal': [30, 2400]}
        complaint_deadlines.set_deadlines(s, actor=p.manager, table=table)
        for bad in ({'urgent': [600, 10], 'serious': [20, 1200], 'normal': [30, 2400]}, {'urgent': [1, 2]}, {}):
            with pytest.raises(ValidationError):
                complaint_deadlines.set_deadlines(s, actor=p.manager, table=bad)
        with pytest.raises(PermissionDenied):
            complaint_deadlines.set_deadlines(s, actor=p.taker, table=table)
    c = filed(p, severity='urgent')
    assert (c.acknowledge_due_at - T0, c.resolve_due_at - T0) == (timedelta(minutes=10), timedelta(hours=10))


def test_overdue_complaints_escalate_to_the_admin_once_per_deadline(session: Session) -> None:
    p = People(session)
    c = filed(p, severity='urgent')  # 15 minutes to acknowledge, 24 hours to resolve
    changed: list[int] = []
    events.complaint_changed.subscribe(changed.append)

    def sweep(at: datetime) -> set[int]:
        with db.session() as s:
            return complaint_deadlines.escalate_overdue(s, now=at)

    assert sweep(T0 + timedelta(minutes=14)) == set()
    with db.session() as s:
        assert complaint_lists.pending(s, actor=p.admin) == []
    assert sweep(T0 + timedelta(minutes=16)) == {p.site.id}
    assert sweep(T0 + timedelta(minutes=30)) == set()  # once
    assert changed == [p.site.id]
    with db.session() as s:
        [row] = complaint_lists.pending(s, actor=p.admin)
        assert row.escalated and row.clock.overdue and row.clock.what == 'acknowledge' and row.site == '云庐'
        assert complaint_lists.counts(s, site_id=p.site.id or 0, now=T0 + timedelta(minutes=16)) == (1, 1)
    step(p.manager, c, 'acknowledge', T0 + timedelta(minutes=40))
    with db.session() as s:
        assert complaint_lists.counts(s, site_id=p.site.id or 0, now=T0 + timedelta(minutes=41)) == (1, 0)
    assert sweep(T0 + timedelta(hours=25)) == {p.site.id}  # now late to resolve
    with db.session() as s:
        view = complaint_lists.detail(s, actor=p.admin, complaint_id=c.id or 0, now=T0 + timedelta(hours=25))
    assert [x.action for x in view.steps].count('escalate') == 2 and view.steps[1].who is None
    assert view.row.clock.what == 'resolve' and view.row.clock.overdue


def test_the_open_list_puts_the_nearest_deadline_first(session: Session) -> None:
    p = People(session)
    normal = filed(p, severity='normal', phone='13800000001')
    urgent = filed(p, severity='urgent', phone='13800000002')
    step(p.manager, filed(p, phone='13800000003'), 'acknowledge')
    with db.session() as s:
        rows = complaint_lists.open_complaints(s, actor=p.manager, now=T0)
        mine = complaint_lists.taken_by_me(s, actor=p.taker, now=T0)
        months = complaint_lists.by_month(s, actor=p.manager, now=T0)
    assert [r.id for r in rows][:2] == [urgent.id, normal.id]
    assert len(mine) == 3 and months == [('2026-11', {'attitude': 3})]


def test_a_complaint_about_a_salesperson_lets_the_manager_reassign_the_customer(session: Session) -> None:
    p = People(session)
    with db.session() as s:
        customer = Customer(site_id=p.site.id or 0, surname='刘', title='女士', phone='13800001234')
        customer.owner_id = p.accused.id
        s.add(customer)
        s.commit()
        customer_id = customer.id
    c = filed(p, customer_id=customer_id, against_staff_id=p.accused.id)
    with db.session() as s:
        assert complaint_lists.detail(s, actor=p.manager, complaint_id=c.id or 0).can_reassign
    with pytest.raises(PermissionDenied), db.session() as s:
        complaints.reassign_customer(
            s, actor=p.taker, complaint_id=c.id or 0, new_owner_id=p.colleague.id or 0, reason='x'
        )
    with pytest.raises(ValidationError), db.session() as s:
        complaints.reassign_customer(
            s, actor=p.manager, complaint_id=c.id or 0, new_owner_id=p.accused.id or 0, reason='x'
        )
    with db.session() as s:
        complaints.reassign_customer(
            s, actor=p.manager, complaint_id=c.id or 0, new_owner_id=p.colleague.id or 0, reason='客户要求换顾问'
        )
    with db.session() as s:
        assert s.get(Customer, customer_id).owner_id == p.colleague.id  # type: ignore[union-attr]
        log = s.exec(select(AuditLog).where(AuditLog.action == 'transfer_customer')).one()
        assert log.after and '投诉' in log.after['reason'] and log.actor_id == p.manager.id
        steps = complaint_lists.detail(s, actor=p.manager, complaint_id=c.id or 0).steps
    assert steps[-1].action == 'reassign' and '陈晨' in steps[-1].text


def test_intake_finds_the_customer_by_phone_or_makes_one_in_the_shared_pool(session: Session) -> None:
    p = People(session)
    first = filed(p, phone='+86 138-0000-1234')
    second = filed(p, phone='13800001234', surname='', title='')  # known number: name not needed
    with db.session() as s:
        customer = s.get(Customer, first.customer_id)
    assert first.customer_id == second.customer_id and customer is not None
    assert (customer.surname, customer.owner_id, customer.phone) == ('刘', None, '13800001234')


@pytest.mark.parametrize(
    ('change', 'field'),
    [
        ({'what_happened': '   '}, 'what_happened'),
        ({'what_happened': '字' * 10_000}, 'what_happened'),
        ({'wants': 'x' * 1001}, 'wants'),
        ({'category': 'weather'}, 'category'),
        ({'severity': 'apocalyptic'}, 'severity'),
        ({'channel': '<script>'}, 'channel'),
        ({'phone': '12345'}, 'phone'),
        ({'surname': ''}, 'surname'),
        ({'title': '博士'}, 'title'),
    ],
)
def test_bad_intake_is_refused_with_the_field_and_stores_nothing(session: Session, change: dict, field: str) -> None:
    p = People(session)
    with pytest.raises(ValidationError) as refused:
        filed(p, **change)
    assert refused.value.field == field
    with db.session() as s:
        assert s.exec(select(Complaint)).all() == [] and s.exec(select(Customer)).all() == []


def test_html_and_emoji_are_kept_as_text_and_a_double_submit_files_once(session: Session) -> None:
    p = People(session)
    text = '<img src=x onerror=alert(1)> 😡 楼上漏水'
    c = filed(p, what_happened=text, request_key='form-1')
    again = filed(p, what_happened='second tap', request_key='form-1')
    assert again.id == c.id and c.what_happened == text
    with db.session() as s:
        assert len(s.exec(select(Complaint)).all()) == 1


def test_another_sites_staff_and_customers_cannot_be_named(session: Session) -> None:
    p = People(session)
    with pytest.raises(ValidationError):
        filed(p, against_staff_id=p.stranger.id)
    with db.session() as s:
        theirs = Customer(site_id=p.stranger.site_id or 0, surname='外', title='先生', phone='13900000000')
        s.add(theirs)
        s.commit()
    with pytest.raises(NotFound):
        filed(p, customer_id=theirs.id)
    with pytest.raises(DomainError), db.session() as s:
        complaint_intake.file(s, actor=p.admin, form=form())  # the admin has no site to take it in for


def test_photos_taken_on_the_form_join_the_complaint_and_only_its_readers_see_them(
    session: Session, tmp_path: Path
) -> None:
    p = People(session)
    root = photos_root(tmp_path)
    with db.session() as s:
        photo = photo_store.add_photo(
            s, actor=p.taker, data=jpeg(1), subject=photo_store.Subject('投诉', complaint=True), root=root
        )
    with pytest.raises(NotFound), db.session() as s:  # not yet sent: only its taker
        photo_store.photo_file(s, actor=p.accused, photo_id=photo.id or 0, root=root)
    c = filed(p, photo_ids=[photo.id, 999_999])
    with db.session() as s:
        assert s.get(Photo, photo.id).complaint_id == c.id  # type: ignore[union-attr]
        assert photo_store.photo_file(s, actor=p.manager, photo_id=photo.id or 0, root=root).is_file()
        assert [x.id for x in complaint_lists.detail(s, actor=p.taker, complaint_id=c.id or 0).photos] == [photo.id]
    with pytest.raises(NotFound), db.session() as s:
        photo_store.photo_file(s, actor=p.accused, photo_id=photo.id or 0, root=root)


def test_notes_from_the_manager_or_the_taker_only(session: Session) -> None:
    p = People(session)
    c = filed(p)
    with db.session() as s:
        complaints.add_note(s, actor=p.taker, complaint_id=c.id or 0, text='客户又来电催问')
    with pytest.raises(ValidationError), db.session() as s:
        complaints.add_note(s, actor=p.manager, complaint_id=c.id or 0, text='')
    with pytest.raises(NotFound), db.session() as s:
        complaints.add_note(s, actor=p.colleague, complaint_id=c.id or 0, text='x')
    with db.session() as s:
        assert s.get(Site, p.site.id) is not None
        assert [x.action for x in complaint_lists.detail(s, actor=p.manager, complaint_id=c.id or 0).steps] == [
            'file',
            'note',
        ]


def test_a_complaint_made_in_person_links_the_visit_of_the_day(session: Session) -> None:
    from tests.helpers.rotation import arrive, staffed_site

    site, (person,) = staffed_site(session, ['李娜'])
    result = arrive(site, phone='13800005555')
    with db.session() as s:
        now = datetime.now(UTC)
        base = form(phone='13800005555', surname='', title='')
        c = complaint_intake.file(s, actor=person, form=base, now=now)
        call = complaint_intake.file(s, actor=person, form=form(phone='13800005555', channel='来电'), now=now)
    assert c.visit_id == result.visit_id and call.visit_id is None
