"""Sites (项目/案场) and their settings; only the group admin creates and edits them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import Role, Site, Staff
from services.core import audit, authz, events
from services.core.errors import NotFound, ValidationError
from services.core.validation import clean_text

DEFAULT_SETTINGS: dict[str, Any] = {
    'protection_days': 30,  # 客户保护期: ownership lapses this long after the last contact
    'hold_out_overdue_followups': False,  # 追访逾期者暂停接待
    'signin_window_minutes': 0,  # 0: the poster's QR is valid during the opening hours of its day
    'poster_margin_minutes': 30,  # the poster's code works this long before opening and after closing
    'retention_years': 2,  # PIPL: a visitor who never came back is anonymised this long after the last contact
    'on_behalf_uses_turn': False,  # 代接 uses the colleague's turn (default: they keep their place)
    'greet_timeout_s': 60,  # an alert not answered in this time passes to the next colleague
    'greet_reminder_s': 20,  # … after a reminder at this time
    'channels': ['路过', '朋友介绍', '网络', '户外广告', '报纸', '电台', '老客户推荐', '其他'],
}


@dataclass
class SiteForm:
    name: str
    code: str
    address: str = ''
    opens_at: time = time(9, 0)
    closes_at: time = time(18, 0)


def setting(site: Site, key: str) -> Any:
    """A site's setting, or the default when the site has not set it."""
    return site.settings.get(key, DEFAULT_SETTINGS.get(key))


def change_setting(session: Session, *, actor: Staff, site: Site, key: str, value: Any, action: str) -> Site:
    """One setting of the site changed by its manager: audited, committed, and every open page told."""
    before = dict(site.settings)
    site.settings = {**site.settings, key: value}
    audit.record(
        session,
        actor=actor,
        action=action,
        entity='site',
        entity_id=site.id,
        site_id=site.id,
        before=before,
        after=site.settings,
    )
    session.commit()
    events.emit(events.site_changed, site.id or 0)
    return site


def list_sites(session: Session, *, actor: Staff) -> list[Site]:
    """All sites for the admin; the actor's own site for everyone else."""
    query = select(Site).order_by(col(Site.id))
    if actor.role != Role.ADMIN:
        query = query.where(Site.id == actor.site_id)
    return list(session.exec(query))


def get_site(session: Session, *, actor: Staff, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None or not authz.allowed(actor, site_id=site_id):
        raise NotFound()
    return site


def create_site(session: Session, *, actor: Staff | None, form: SiteForm) -> Site:
    """A new site (the admin, or the first-run set-up when `actor` is None)."""
    if actor is not None:
        authz.require(actor, frozenset({Role.ADMIN}))
    site = Site(name='', code='')
    return _save(session, actor, site, form, action='create_site', before=None)


def update_site(session: Session, *, actor: Staff, site_id: int, form: SiteForm) -> Site:
    authz.require(actor, frozenset({Role.ADMIN}))
    site = get_site(session, actor=actor, site_id=site_id)
    return _save(session, actor, site, form, action='update_site', before=audit.snapshot(site))


def _save(
    session: Session, actor: Staff | None, site: Site, form: SiteForm, *, action: str, before: dict | None
) -> Site:
    site.name = clean_text(form.name, field='name', max_length=60, required=True)
    site.code = clean_text(form.code, field='code', max_length=20, required=True).upper()
    site.address = clean_text(form.address, field='address', max_length=200)
    if form.opens_at >= form.closes_at:
        raise ValidationError('closes_at', '闭场时间须晚于开场时间')
    site.opens_at, site.closes_at = form.opens_at, form.closes_at
    session.add(site)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ValidationError('code', '项目编号已存在') from None
    audit.record(
        session,
        actor=actor,
        action=action,
        entity='site',
        entity_id=site.id,
        site_id=site.id,
        before=before,
        after=audit.snapshot(site),
    )
    session.commit()
    assert site.id is not None
    events.emit(events.site_changed, site.id)
    return site
