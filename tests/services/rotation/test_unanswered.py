"""An alert nobody answers: a reminder at 20 s, passed on at 60 s, the first to the back with 未响应."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session, select

import db
from components import greet_sweep
from models import Customer, Site, StaffState, TurnKind, Visit, utcnow
from services.accounts import sites
from services.core import events
from services.core.events import Unanswered, VisitorAlert
from services.rotation import reception, unanswered, writer
from tests.helpers.rotation import arrive, finish, ledger_kinds, manager_of, set_state, staffed_site, visit


def test_a_reminder_at_the_sites_time_once(session: Session) -> None:
    site, (a, _b) = staffed_site(session, ['甲', '乙'])
    sent: list[VisitorAlert] = []
    events.visitor_assigned.subscribe(sent.append)
    result = arrive(site)
    at = visit(result.visit_id).assigned_at
    assert at is not None
    with db.session() as s:
        assert unanswered.remind(s, site_id=site.id or 0, now=at + timedelta(seconds=19)) == []
        (again,) = unanswered.remind(s, site_id=site.id or 0, now=at + timedelta(seconds=21))
        assert unanswered.remind(s, site_id=site.id or 0, now=at + timedelta(seconds=40)) == []
    assert again.reminder and again.staff_id == a.id and sent[-1] == again


def test_a_reminder_is_sent_when_a_sign_in_commits_while_the_sweep_reads(session: Session) -> None:
    """The sweep reads which sites have alerts, and meanwhile another visitor's sign-in commits: the reminder is still
    written (read in one transaction and written in it, SQLite refused the write at once: database is locked)."""
    site, _people = staffed_site(session, ['甲', '乙'])
    at = visit(arrive(site).visit_id).assigned_at
    assert at is not None
    with db.session() as s:
        assert unanswered.sites_with_alerts(s) == [site.id]
        s.exec(select(Visit)).all()  # what the sweep read is in the session
        arrive(site)  # another connection commits
        alerts = unanswered.remind(s, site_id=site.id or 0, now=at + timedelta(seconds=21))
    assert len(alerts) == 2 and all(a.reminder for a in alerts)  # the first visitor's and the one who came meanwhile


async def test_the_sweep_reminds_through_the_sites_writer(session: Session) -> None:
    site, _people = staffed_site(session, ['甲'])
    first = visit(arrive(site).visit_id)
    written: list[object] = []
    real = writer.write

    async def spy(site_id: int, work: Callable[..., object], *args: object, first: bool = False) -> object:
        written.append(site_id)
        return await real(site_id, work, *args, first=first)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(writer, 'write', spy)
        m.setattr(greet_sweep, 'utcnow', lambda: (first.assigned_at or utcnow()) + timedelta(seconds=21))
        await greet_sweep.sweep_once()
    assert written == [site.id] and visit(first.id or 0).reminded_at is not None


def test_an_unanswered_alert_passes_on_and_the_first_goes_to_the_back(session: Session) -> None:
    site, (a, b, c) = staffed_site(session, ['甲', '乙', '丙'])
    told: list[Unanswered] = []
    events.visitor_unanswered.subscribe(told.append)
    result = arrive(site)
    first = visit(result.visit_id)
    assert first.assigned_at is not None
    with db.session() as s:
        assert unanswered.pass_unanswered(s, site_id=site.id or 0, now=first.assigned_at + timedelta(seconds=59)) == []
        unanswered.pass_unanswered(s, site_id=site.id or 0, now=first.assigned_at + timedelta(seconds=61))
    moved = visit(result.visit_id)
    assert moved.assigned_id == b.id and moved.arrived_at == first.arrived_at  # time-to-greet from the sign-in
    assert (a.id, TurnKind.UNANSWERED) in ledger_kinds(site)
    assert [(t.missed, t.now_with) for t in told] == [('甲', '乙')]
    with db.session() as s:
        assert s.get(Customer, moved.customer_id).owner_id == b.id  # type: ignore[union-attr]
    assert arrive(site).consultant == '丙' and c
    finish(b, result.visit_id)
    assert arrive(site).consultant == '甲'  # 甲's turn went with the missed alert: up again only after 丙


def test_the_sites_time_is_a_setting(session: Session) -> None:
    site, (_a, b) = staffed_site(session, ['甲', '乙'])
    manager = manager_of(session, site)
    with db.session() as s:
        sites.change_setting(
            s, actor=manager, site=s.get(Site, site.id), key='greet_timeout_s', value=90, action='rules'
        )
    result = arrive(site)
    at = visit(result.visit_id).assigned_at
    assert at is not None
    with db.session() as s:
        assert unanswered.pass_unanswered(s, site_id=site.id or 0, now=at + timedelta(seconds=61)) == []
        unanswered.sweep(s, now=at + timedelta(seconds=91))
    assert visit(result.visit_id).assigned_id == b.id


def test_with_nobody_else_free_the_alert_stays(session: Session) -> None:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    set_state(b, StaffState.MEETING)
    result = arrive(site)
    with db.session() as s:
        assert unanswered.pass_unanswered(s, site_id=site.id or 0, now=utcnow() + timedelta(minutes=5)) == []
    assert visit(result.visit_id).assigned_id == a.id


def test_an_owner_who_does_not_answer_passes_their_customer_to_a_代接(session: Session) -> None:
    site, (a, b) = staffed_site(session, ['甲', '乙'])
    first = arrive(site, phone='13912340000')
    finish(a, first.visit_id)
    again = arrive(site, phone='13912340000')
    assert visit(again.visit_id).by_owner
    with db.session() as s:
        unanswered.pass_unanswered(s, site_id=site.id or 0, now=utcnow() + timedelta(seconds=61))
    moved = visit(again.visit_id)
    assert moved.assigned_id == b.id and moved.on_behalf_of_id == a.id
    with db.session() as s:
        reception.acknowledge(s, actor=b, visit_id=again.visit_id)
    assert visit(again.visit_id).acknowledged_at is not None
