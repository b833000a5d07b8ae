"""Managing staff: managers run their site's salespeople; the admin runs sites and managers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import Role, Site, Staff
from services.core import audit, authz, events, security
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.core.validation import clean_text, clean_username, normalise_phone

FIRST_MONTH_DAYS = 30


@dataclass
class StaffForm:
    """What a manager types to add or edit a staff member."""

    name: str
    phone: str
    role: str = Role.SALESPERSON
    site_id: int | None = None
    username: str = ''
    joined_on: date | None = None
    mentor_id: int | None = None


def list_staff(session: Session, *, actor: Staff, site_id: int | None = None, active_only: bool = False) -> list[Staff]:
    """The staff the actor may see: their site's, or for the admin one site's (or all)."""
    authz.require(actor, authz.MANAGERS)
    query = select(Staff).order_by(col(Staff.active).desc(), col(Staff.role), col(Staff.id))
    scope = authz.scope_site(actor, site_id)
    if scope is not None:
        query = query.where(Staff.site_id == scope)
    if active_only:
        query = query.where(Staff.active)
    return list(session.exec(query))


def get_staff(session: Session, *, actor: Staff, staff_id: int) -> Staff:
    """One staff member of the actor's site."""
    staff = session.get(Staff, staff_id)
    if staff is None or not authz.allowed(actor, authz.MANAGERS, site_id=staff.site_id) or staff.role == Role.ADMIN:
        raise NotFound()
    return staff


def create_staff(session: Session, *, actor: Staff, form: StaffForm) -> tuple[Staff, str]:
    """Add a staff member; returns them and a one-time password they must change at first login."""
    staff = Staff(name='', password_hash='', must_change_password=True)
    _apply(session, actor, staff, form)
    password = security.random_password()
    staff.password_hash = security.hash_password(password)
    _save(session, actor, staff, action='create_staff', before=None)
    return staff, password


def update_staff(session: Session, *, actor: Staff, staff_id: int, form: StaffForm) -> Staff:
    """Change a staff member's details."""
    staff = _editable(session, actor, staff_id)
    before = audit.snapshot(staff)
    _apply(session, actor, staff, form)
    _save(session, actor, staff, action='update_staff', before=before)
    return staff


def set_active(session: Session, *, actor: Staff, staff_id: int, active: bool) -> Staff:
    """Deactivate (ending their sessions) or reactivate a staff member; nobody deactivates themselves."""
    if staff_id == actor.id:
        raise ValidationError('active', '不能停用自己的账号')
    staff = _editable(session, actor, staff_id)
    before = audit.snapshot(staff)
    staff.active = active
    staff.session_epoch += 1
    _save(session, actor, staff, action='activate_staff' if active else 'deactivate_staff', before=before)
    return staff


def reset_password(session: Session, *, actor: Staff, staff_id: int) -> str:
    """Give a staff member a new one-time password (they must change it); ends their sessions."""
    staff = _editable(session, actor, staff_id)
    password = security.random_password()
    staff.password_hash = security.hash_password(password)
    staff.must_change_password = True
    staff.session_epoch += 1
    _save(session, actor, staff, action='reset_password', before=None)
    return password


def _editable(session: Session, actor: Staff, staff_id: int) -> Staff:
    staff = get_staff(session, actor=actor, staff_id=staff_id)
    if actor.role != Role.ADMIN and staff.role != Role.SALESPERSON:
        raise PermissionDenied('只有集团管理员可以修改销售经理账号')
    return staff


def _apply(session: Session, actor: Staff, staff: Staff, form: StaffForm) -> None:
    authz.require(actor, authz.MANAGERS)
    role = _allowed_role(actor, form.role)
    site_id = authz.scope_site(actor, form.site_id) if actor.role == Role.ADMIN else actor.site_id
    if site_id is None or session.get(Site, site_id) is None:
        raise ValidationError('site_id', '请选择项目')
    staff.name = clean_text(form.name, field='name', max_length=40, required=True)
    staff.phone = normalise_phone(form.phone)
    staff.username = clean_username(form.username) if form.username.strip() else None
    staff.role, staff.site_id = role, site_id
    staff.joined_on = form.joined_on or staff.joined_on or date.today()
    staff.mentor_id = _mentor(session, staff, form.mentor_id)
    if staff.role == Role.SALESPERSON and staff.mentor_id is None and in_first_month(staff):
        raise ValidationError('mentor_id', '入职首月的置业顾问须指定带教师傅')


def in_first_month(staff: Staff, today: date | None = None) -> bool:
    """New staff never receive alone in their first month (manual, part 4 art. 7)."""
    return first_month(staff.joined_on, today)


def first_month(joined_on: date, today: date | None = None) -> bool:
    return (today or date.today()) - joined_on < timedelta(days=FIRST_MONTH_DAYS)


def _allowed_role(actor: Staff, role: str) -> str:
    if role not in (Role.SALESPERSON, Role.MANAGER):
        raise ValidationError('role', '角色不正确')
    if role == Role.MANAGER and actor.role != Role.ADMIN:
        raise PermissionDenied('只有集团管理员可以设置销售经理')
    return role


def _mentor(session: Session, staff: Staff, mentor_id: int | None) -> int | None:
    if mentor_id is None:
        return None
    mentor = session.get(Staff, mentor_id)
    if mentor is None or mentor.id == staff.id or mentor.site_id != staff.site_id or not mentor.active:
        raise ValidationError('mentor_id', '带教师傅须是本项目在职的同事')
    return mentor.id


def _save(session: Session, actor: Staff, staff: Staff, *, action: str, before: dict | None) -> None:
    session.add(staff)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ValidationError('phone', '该手机号或用户名已被其他账号使用') from None
    audit.record(
        session,
        actor=actor,
        action=action,
        entity='staff',
        entity_id=staff.id,
        site_id=staff.site_id,
        before=before,
        after=audit.snapshot(staff),
    )
    session.commit()
    events.emit(events.staff_changed, staff.site_id)


def set_own_language(session: Session, *, actor: Staff, language: str) -> None:
    """Remember the language a staff member chose."""
    if language not in ('zh-CN', 'en'):
        raise ValidationError('language', '不支持该语言')
    staff = session.get(Staff, actor.id)
    if staff is not None:
        staff.language = language
        session.commit()
