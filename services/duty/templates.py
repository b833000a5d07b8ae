"""Checklist templates per site (开场, 值班巡检, 闭场), with the manual's defaults, edited by the manager."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from db import begin_write
from models import Anchor, ChecklistKind, ChecklistTemplate, Staff, TemplateItem
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.events import emit_duty
from services.core.validation import clean_text

# (kind, name, anchor, minutes from the anchor, items as (title, photo required)) — manual part 3 art. 2, part 4 art. 2
DEFAULTS: list[tuple[str, str, str, int, list[tuple[str, bool]]]] = [
    (
        ChecklistKind.OPENING,
        '开场检查',
        Anchor.OPENS,
        -15,  # the duty officer comes 30 minutes early; the room is ready when colleagues arrive 15 minutes early
        [
            ('擦洗门窗', True),
            ('清洁地面', True),
            ('整理茶几、办公桌', False),
            ('清洗茶杯、烟灰缸', False),
            ('清洁楼盘模型、整理图纸资料', True),
        ],
    ),
    (
        ChecklistKind.PATROL,
        '值班巡检',
        Anchor.OPENS,
        120,
        [
            ('空调温度适宜', False),
            ('灯光按方案开启', False),
            ('背景音乐与音量', False),
            ('饮水机、咖啡机正常', False),
            ('水杯、茶叶、咖啡、饮料充足', False),
            ('展示架宣传资料齐全', True),
            ('报夹报纸保留连续 5 天', False),
            ('绿化整洁、已补水', True),
            ('销售道具完好整洁', False),
            ('办公设施运行正常', False),
            ('接待纪律', False),
        ],
    ),
    (
        ChecklistKind.CLOSING,
        '闭场检查',
        Anchor.CLOSES,
        10,  # the duty officer leaves 10 minutes after closing
        [
            ('协议、合同等文件锁入屉柜', True),
            ('关闭电灯', False),
            ('关闭空调及其他电器', False),
            ('锁门（或设防）', True),
        ],
    ),
]


@dataclass
class ItemForm:
    title: str
    hint: str = ''
    photo_required: bool = False
    camera_only: bool = True


@dataclass(frozen=True)
class TemplateView:
    template: ChecklistTemplate
    items: list[TemplateItem]


def ensure_defaults(session: Session, site_id: int) -> None:
    """Give a site without templates the manual's three."""
    if _has_templates(session, site_id):
        return
    begin_write(session)  # it read, now it writes: on SQLite a transaction begun as a reader may not write
    if _has_templates(session, site_id):  # another phone made them meanwhile
        return
    for position, (kind, name, anchor, offset, items) in enumerate(DEFAULTS):
        template = ChecklistTemplate(
            site_id=site_id, kind=kind, name=name, anchor=anchor, due_offset_minutes=offset, position=position
        )
        session.add(template)
        session.flush()
        for n, (title, photo) in enumerate(items):
            session.add(TemplateItem(template_id=template.id or 0, position=n, title=title, photo_required=photo))
    session.commit()


def _has_templates(session: Session, site_id: int) -> bool:
    query = select(ChecklistTemplate.id).where(ChecklistTemplate.site_id == site_id).limit(1)
    return session.exec(query).first() is not None


def active_templates(session: Session, site_id: int) -> list[ChecklistTemplate]:
    """The site's active templates; for a site that has none stored yet, the defaults (unsaved: a read only)."""
    rows = session.exec(select(ChecklistTemplate).where(ChecklistTemplate.site_id == site_id)).all()
    if rows:
        return [t for t in rows if t.active]
    return [
        ChecklistTemplate(id=-n - 1, site_id=site_id, kind=kind, name=name, anchor=anchor, due_offset_minutes=offset)
        for n, (kind, name, anchor, offset, _) in enumerate(DEFAULTS)
    ]


def list_templates(session: Session, *, actor: Staff) -> list[TemplateView]:
    """The site's templates with their active items, in order."""
    site_id = _site(actor)
    ensure_defaults(session, site_id)
    query = select(ChecklistTemplate).where(ChecklistTemplate.site_id == site_id)
    return [
        TemplateView(t, active_items(session, t.id or 0))
        for t in session.exec(query.order_by(col(ChecklistTemplate.position)))
    ]


def active_items(session: Session, template_id: int) -> list[TemplateItem]:
    query = select(TemplateItem).where(TemplateItem.template_id == template_id, TemplateItem.active)
    return list(session.exec(query.order_by(col(TemplateItem.position), col(TemplateItem.id))))


def update_template(
    session: Session, *, actor: Staff, template_id: int, name: str, anchor: str, due_offset_minutes: int, active: bool
) -> ChecklistTemplate:
    """Rename a template, move its due time (minutes from opening or closing), switch it on or off."""
    template = _template(session, actor, template_id)
    before = audit.snapshot(template)
    template.name = clean_text(name, field='name', max_length=40, required=True)
    if anchor not in set(Anchor) or not -720 <= due_offset_minutes <= 720:
        raise ValidationError('due', '截止时间须在开场或闭场前后 12 小时内')
    template.anchor, template.due_offset_minutes, template.active = anchor, due_offset_minutes, active
    _commit(session, actor, 'update_template', 'checklist_template', template.id, before, template)
    return template


def add_item(session: Session, *, actor: Staff, template_id: int, form: ItemForm) -> TemplateItem:
    """A new item at the end of a template."""
    template = _template(session, actor, template_id)
    last = max((i.position for i in active_items(session, template.id or 0)), default=-1)
    item = TemplateItem(template_id=template.id or 0, position=last + 1, title='')
    _apply(item, form)
    session.add(item)
    session.flush()
    _commit(session, actor, 'add_template_item', 'checklist_template_item', item.id, None, item)
    return item


def update_item(session: Session, *, actor: Staff, item_id: int, form: ItemForm) -> TemplateItem:
    item = _item(session, actor, item_id)
    before = audit.snapshot(item)
    _apply(item, form)
    _commit(session, actor, 'update_template_item', 'checklist_template_item', item.id, before, item)
    return item


def remove_item(session: Session, *, actor: Staff, item_id: int) -> None:
    """Take an item off its template; checklists already made keep it."""
    item = _item(session, actor, item_id)
    before = audit.snapshot(item)
    item.active = False
    _commit(session, actor, 'remove_template_item', 'checklist_template_item', item.id, before, item)


def move_item(session: Session, *, actor: Staff, item_id: int, up: bool) -> None:
    """Swap an item with its neighbour above (or below)."""
    item = _item(session, actor, item_id)
    items = active_items(session, item.template_id)
    for n, other in enumerate(items):
        other.position = n
    i = items.index(item)
    j = i - 1 if up else i + 1
    if 0 <= j < len(items):
        items[i].position, items[j].position = j, i
    _commit(session, actor, 'move_template_item', 'checklist_template_item', item.id, None, item)


def _apply(item: TemplateItem, form: ItemForm) -> None:
    item.title = clean_text(form.title, field='title', max_length=60, required=True)
    item.hint = clean_text(form.hint, field='hint', max_length=200)
    item.photo_required, item.camera_only = bool(form.photo_required), bool(form.camera_only)


def _site(actor: Staff) -> int:
    authz.require(actor)
    if actor.site_id is None:
        raise NotFound()
    return actor.site_id


def _template(session: Session, actor: Staff, template_id: int) -> ChecklistTemplate:
    authz.require(actor, authz.MANAGERS)
    template = session.get(ChecklistTemplate, template_id)
    if template is None or template.site_id != actor.site_id:
        raise NotFound()
    return template


def _item(session: Session, actor: Staff, item_id: int) -> TemplateItem:
    item = session.get(TemplateItem, item_id)
    if item is None or not item.active:
        raise NotFound()
    _template(session, actor, item.template_id)
    return item


def _commit(
    session: Session,
    actor: Staff,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict | None,
    row: ChecklistTemplate | TemplateItem,
) -> None:
    site_id = actor.site_id or 0
    audit.record(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        site_id=site_id,
        before=before,
        after=audit.snapshot(row),
    )
    session.commit()
    emit_duty(site_id)
