"""The demo site's complaints, one in every state and one overdue, made through the real services."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

import config
from models import Role, Staff, utcnow
from services.complaints import deadlines as complaint_deadlines
from services.complaints import handling as complaints
from services.complaints import intake as complaint_intake
from services.demo.duty import scene
from services.photos import store as photo_store

# (surname, title, phone, channel, category, severity, what happened, what they want, hours ago, steps, against)
DEMO = [
    (
        '孙',
        '先生',
        '13922220001',
        '来访',
        'attitude',
        'serious',
        '上周六来访时置业顾问一直看手机，问户型也答不上来',
        '换一位置业顾问，并要一个说法',
        0.2,
        [],
        True,
    ),
    (
        '周',
        '女士',
        '13922220002',
        '来电',
        'delivery',
        'urgent',
        '合同写明本月底交房，至今没有收到任何通知',
        '书面说明交房时间',
        1.5,
        [],
        False,
    ),
    (
        '吴',
        '先生',
        '13922220003',
        '来访',
        'product',
        'normal',
        '样板间卫生间地砖有裂缝，担心交付质量',
        '交付时同样问题要免费更换',
        5,
        ['acknowledge'],
        False,
    ),
    (
        '郑',
        '女士',
        '13922220004',
        '微信',
        'payment',
        'serious',
        '首付分期的说法与合同附件不一致',
        '按当初的说法执行',
        26,
        ['acknowledge', 'handle'],
        False,
    ),
    (
        '王',
        '先生',
        '13922220005',
        '来电',
        'property',
        'normal',
        '看房停车被收了 20 元停车费',
        '退还停车费',
        50,
        ['acknowledge', 'handle', 'resolve'],
        False,
    ),
    (
        '冯',
        '女士',
        '13922220006',
        '来访',
        'contract',
        'normal',
        '认购书的补充条款没有解释清楚',
        '重新解释并给书面说明',
        120,
        ['acknowledge', 'handle', 'resolve', 'follow_up'],
        False,
    ),
    (
        '陈',
        '先生',
        '13922220007',
        '来电',
        'other',
        'normal',
        '周末售楼处电话一直占线',
        '增加接听人手',
        240,
        ['acknowledge', 'handle', 'resolve', 'follow_up', 'close'],
        False,
    ),
]
SAID = {
    'acknowledge': '',
    'handle': '已约客户面谈，工程部一同到场',
    'resolve': '当面致歉并书面答复，客户接受',
    'follow_up': '客户表示满意，感谢及时处理',
    'close': '',
}


def demo_complaints(session: Session, *, site_id: int, now: datetime | None = None, root: Path | None = None) -> None:
    """Seven complaints: new (one about 张伟, with a photo), new and overdue (escalated), acknowledged, handling,
    resolved, followed up and closed."""
    now, root = now or utcnow(), root or config.load_settings().photos_dir
    people = list(session.exec(select(Staff).where(Staff.site_id == site_id).order_by(col(Staff.id))))
    manager = next(p for p in people if p.role == Role.MANAGER)
    sales = [p for p in people if p.role == Role.SALESPERSON]
    for n, (surname, title, phone, channel, category, severity, what, wants, hours, steps, against) in enumerate(DEMO):
        taker = sales[n % 3]
        at = now - timedelta(hours=hours)
        photos = []
        if n == 0:
            subject = photo_store.Subject('投诉', complaint=True)
            photos.append(
                photo_store.add_photo(session, actor=taker, data=scene(900), subject=subject, root=root, now=at).id or 0
            )
        form = complaint_intake.ComplaintForm(
            channel=channel,
            category=category,
            severity=severity,
            what_happened=what,
            wants=wants,
            surname=surname,
            title=title,
            phone=phone,
            against_staff_id=sales[1].id if against else None,
            photo_ids=photos,
        )
        complaint = complaint_intake.file(session, actor=taker, form=form, now=at)
        for k, action in enumerate(steps):
            actor = taker if action == 'follow_up' else manager
            complaints.take_step(
                session,
                actor=actor,
                complaint_id=complaint.id or 0,
                action=action,
                text=SAID[action],
                satisfaction=4 if action == 'follow_up' else None,
                now=at + timedelta(minutes=10 + 90 * k),
            )
    complaint_deadlines.escalate_overdue(session, now=now)  # 周女士's: urgent, not acknowledged for 90 minutes
