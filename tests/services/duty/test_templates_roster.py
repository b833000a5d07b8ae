"""Templates with the manual's defaults, edited by the manager; the duty roster planned a week at a time."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from models import AuditLog, Role
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.duty import checklists
from services.duty import roster as duty_roster
from services.duty import templates as duty_templates
from services.duty.templates import ItemForm
from tests.helpers.duty import DAY, MORNING, duty_site
from tests.helpers.factories import make_site, make_staff


def test_a_new_site_gets_the_manuals_three_checklists(session: Session) -> None:
    people = duty_site(session)
    templates = duty_templates.list_templates(session, actor=people.officer)
    assert [t.template.name for t in templates] == ['开场检查', '值班巡检', '闭场检查']
    opening, patrol, closing = templates
    assert [i.title for i in opening.items][:2] == ['擦洗门窗', '清洁地面']
    assert any(i.photo_required for i in opening.items)
    assert '报夹报纸保留连续 5 天' in [i.title for i in patrol.items]
    assert (opening.template.due_offset_minutes, closing.template.due_offset_minutes) == (-15, 10)


def test_due_times_follow_opening_and_closing_in_the_sites_zone(session: Session) -> None:
    people = duty_site(session)
    day = checklists.duty_day(session, actor=people.officer, day=DAY, now=MORNING)
    due = {c.checklist.name: c.checklist.due_at for c in day.checklists}
    assert due['开场检查'] == MORNING + timedelta(minutes=45)  # 09:00 − 15 min, Shanghai
    assert due['闭场检查'] == MORNING + timedelta(hours=10, minutes=10)  # 18:00 + 10 min


def test_the_manager_edits_items_and_a_new_day_uses_them(session: Session) -> None:
    people = duty_site(session)
    opening = duty_templates.list_templates(session, actor=people.manager)[0]
    added = duty_templates.add_item(
        session,
        actor=people.manager,
        template_id=opening.template.id or 0,
        form=ItemForm('检查门口地毯', photo_required=True, camera_only=False),
    )
    duty_templates.move_item(session, actor=people.manager, item_id=added.id or 0, up=True)
    duty_templates.remove_item(session, actor=people.manager, item_id=opening.items[0].id or 0)
    titles = [i.title for i in duty_templates.list_templates(session, actor=people.manager)[0].items]
    assert titles[0] == '清洁地面' and titles[-2] == '检查门口地毯'
    day = checklists.duty_day(session, actor=people.officer, day=DAY, now=MORNING)
    first = day.checklists[0].items
    assert [i.item.title for i in first] == titles
    assert next(i.item for i in first if i.item.title == '检查门口地毯').camera_only is False
    assert session.exec(AuditLog.__table__.select()).all()  # type: ignore[attr-defined]


def test_a_salesperson_cannot_edit_templates_and_titles_are_checked(session: Session) -> None:
    people = duty_site(session)
    opening = duty_templates.list_templates(session, actor=people.manager)[0]
    with pytest.raises(PermissionDenied):
        duty_templates.add_item(session, actor=people.officer, template_id=opening.template.id or 0, form=ItemForm('x'))
    with pytest.raises(ValidationError):
        duty_templates.add_item(
            session, actor=people.manager, template_id=opening.template.id or 0, form=ItemForm('  ')
        )
    with pytest.raises(ValidationError):
        duty_templates.update_template(
            session,
            actor=people.manager,
            template_id=opening.template.id or 0,
            name='开场',
            anchor='opens',
            due_offset_minutes=9999,
            active=True,
        )


def test_another_sites_manager_cannot_touch_these_templates(session: Session) -> None:
    people = duty_site(session)
    opening = duty_templates.list_templates(session, actor=people.manager)[0]
    stranger = make_staff(session, site=make_site(session, name='别处'), role=Role.MANAGER)
    with pytest.raises(NotFound):
        duty_templates.remove_item(session, actor=stranger, item_id=opening.items[0].id or 0)


def test_the_manager_plans_a_week_and_everyone_sees_it(session: Session) -> None:
    people = duty_site(session)
    start = duty_roster.week_start(DAY)
    plan = {start + timedelta(days=n): (people.officer.id if n % 2 else people.other.id) for n in range(7)}
    duty_roster.plan_week(session, actor=people.manager, plan=plan)
    week = duty_roster.week(session, actor=people.other, start=start)
    assert [p.name if p else None for _, p in week] == ['张伟', '李娜'] * 3 + ['张伟']
    duty_roster.plan_week(session, actor=people.manager, plan={start: None})
    assert duty_roster.on_duty(session, site_id=people.site.id or 0, day=start) is None


def test_only_the_manager_plans_and_only_the_sites_staff(session: Session) -> None:
    people = duty_site(session)
    with pytest.raises(PermissionDenied):
        duty_roster.plan_week(session, actor=people.officer, plan={DAY: people.officer.id})
    stranger = make_staff(session, site=make_site(session, name='别处'))
    with pytest.raises(ValidationError):
        duty_roster.plan_week(session, actor=people.manager, plan={DAY: stranger.id})
    assert duty_roster.on_duty(session, site_id=people.site.id or 0, day=DAY).id == people.officer.id  # type: ignore[union-attr]
