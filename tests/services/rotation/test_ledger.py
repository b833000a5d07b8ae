"""The ledger balances: one line per kept place with its count, closed by its make-up; hold-outs have lines too;
the fairness figures add up."""

import pytest
from sqlmodel import Session, select

import db
from models import Site, StaffState, TurnEntry, TurnKind
from services.accounts import sites
from services.rotation import fairness, roster
from tests.helpers.rotation import arrive, finish, manager_of, set_state, staffed_site


def lines_of(site: Site, staff_id: int | None) -> list[TurnEntry]:
    with db.session() as s:
        query = select(TurnEntry).where(TurnEntry.site_id == site.id, TurnEntry.staff_id == staff_id)
        return list(s.exec(query.order_by(TurnEntry.id)))  # type: ignore[arg-type]


def test_a_kept_place_is_one_line_for_the_absence_closed_by_its_make_up(session: Session) -> None:
    site, (a, b, c, d) = staffed_site(session, ['甲', '乙', '丙', '丁'])
    set_state(a, StaffState.MEETING)
    for person in (b, c, d):
        result = arrive(site)
        assert result.consultant == person.name
        finish(person, result.visit_id)
    (kept,) = lines_of(site, a.id)
    assert (kept.kind, kept.skipped, kept.closed_at) == (TurnKind.SKIPPED_KEPT, 3, None)  # 保留位置，期间跳过 3 组
    set_state(a, StaffState.AVAILABLE)
    assert arrive(site).consultant == '甲'
    kept, made_up = lines_of(site, a.id)
    assert made_up.kind == TurnKind.MADE_UP and kept.closed_by_id == made_up.id
    with db.session() as s:
        (row,) = [
            p for p in fairness.site_fairness(s, site=s.get(Site, site.id), day=kept.day).people if p.name == '甲'
        ]  # type: ignore[arg-type]
    assert (row.kept, row.made_up, row.owed, row.balanced) == (1, 1, 0, True)


def test_a_kept_place_still_open_at_the_end_of_the_day_shows_as_owed(session: Session) -> None:
    site, (a, _b) = staffed_site(session, ['甲', '乙'])
    set_state(a, StaffState.BREAK)
    arrive(site)
    with db.session() as s:
        people = fairness.site_fairness(s, site=s.get(Site, site.id), day=lines_of(site, a.id)[0].day).people  # type: ignore[arg-type]
    assert [(p.name, p.owed, p.balanced) for p in people if p.name == '甲'] == [('甲', 1, True)]


def test_a_forfeit_ends_a_kept_place(session: Session) -> None:
    site, (a, b, _c) = staffed_site(session, ['甲', '乙', '丙'])
    set_state(a, StaffState.MEETING)
    finish(b, arrive(site).visit_id)
    set_state(a, StaffState.AWAY)
    arrive(site)
    kept, forfeit = lines_of(site, a.id)
    assert forfeit.kind == TurnKind.SKIPPED_FORFEITED and kept.closed_by_id == forfeit.id


def test_a_hold_out_has_a_ledger_line_with_its_count(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    site, (a, _b, _c) = staffed_site(session, ['甲', '乙', '丙'])
    manager = manager_of(session, site)
    with db.session() as s:
        sites.change_setting(
            s, actor=manager, site=s.get(Site, site.id), key='hold_out_overdue_followups', value=True, action='t'
        )
    monkeypatch.setattr(roster, '_hold_out_checks', [lambda s, site, ids, now: {a.id} & ids])
    assert [arrive(site).consultant for _ in range(2)] == ['乙', '丙']
    (held,) = lines_of(site, a.id)
    assert (held.kind, held.skipped) == (TurnKind.HELD_OUT, 2)


def test_the_spread_among_those_available_all_day(session: Session) -> None:
    site, people = staffed_site(session, ['甲', '乙', '丙'])
    for _ in range(7):
        result = arrive(site)
        finish(next(p for p in people if p.name == result.consultant), result.visit_id)
    with db.session() as s:
        view = fairness.site_fairness(s, site=s.get(Site, site.id), day=lines_of(site, people[0].id)[0].day)  # type: ignore[arg-type]
    assert sorted(p.turns for p in view.people) == [2, 2, 3] and view.spread == 1
    assert all(p.all_day for p in view.people)
