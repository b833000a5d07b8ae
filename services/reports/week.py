"""A week's figures in the words of the weekly meeting (周例会) and the morning meeting (晨会): lines, pre-filled."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlmodel import Session, col, select

from models import Customer, FollowUp, MonthlyReport, Site, VisitStatus
from services import competitors

from . import facts as f
from .period import Period, period
from .tables import NONE_GIVEN, fill

SELLING = [  # part 4 art. 4 §2: a project on sale
    '一周工作完成情况及销售指标完成情况分析',
    '成交、未成交客户原因分析与统一销售说词',
    '销售难点汇总与统一解释口径',
    '一周来访客户统计分析与宣传效果评价',
    '现存意向客户分析与回访计划',
    '市场可比楼盘动态及趋势分析',
    '实战经验互动培训',
    '集团或公司相关信息通报与部门协作',
    '下周工作安排及销售目标分解',
]
PRESALE = [  # part 4 art. 4 §3: not yet open
    '一周工作完成情况及意向客户积累情况',
    '一周来访客户统计分析与营销宣传效果评价',
    '意向客户关注重点分析与统一销售说词',
    '客户积累难点汇总与统一解释口径',
    '意向客户联系与回访计划',
    '可比楼盘调查与市场切入点分析',
    '实战经验互动培训',
    '集团或公司相关信息通报与部门协作',
    '下周重点工作计划与安排',
]


COMPETITOR_ITEM = 6  # the agenda's item on competitors (numbered from 1), at either stage


def agenda(site: Site) -> list[str]:
    """The nine items for the site's stage (a site setting: 'presale' before opening, else on sale)."""
    return PRESALE if site.settings.get('stage') == 'presale' else SELLING


def prefill(session: Session, site: Site, week: Period) -> list[dict[str, object]]:
    """The nine agenda items, each with the week's figures as lines and room for the meeting's notes."""
    found = f.load(session, site, week)
    lines = _lines(session, site, week, found)
    keys = ['done', 'reasons', 'difficult', 'visits', 'intent', 'competitors', 'training', 'group', 'next']
    if site.settings.get('stage') == 'presale':
        keys = ['done', 'visits', 'reasons', 'difficult', 'intent', 'competitors', 'training', 'group', 'next']
    return [
        {'title': title, 'data': lines.get(k, []), 'notes': ''} for title, k in zip(agenda(site), keys, strict=True)
    ]


def _lines(session: Session, site: Site, week: Period, found: f.Facts) -> dict[str, list[str]]:
    new = sum(not v.returning for v in found.visits)
    returning = len(found.visits) - new
    valid = sum(v.status == VisitStatus.ENDED for v in found.visits)
    amount = round(sum(c.deal_amount_wan or 0 for c in found.deals), 1)
    target = _week_target(session, site, week)
    done = [
        fill(
            '来访 {n} 组（新客 {new}、老客 {r}），有效接待 {valid} 组，来电 {calls} 个',
            n=len(found.visits),
            new=new,
            r=returning,
            valid=valid,
            calls=len(found.calls),
        ),
        fill('成交 {n} 套，{amount} 万元', n=len(found.deals), amount=f'{amount:g}')
        + (fill('；本周目标 {n} 套', n=f'{target:g}') if target else ''),
    ]
    reasons = [
        fill(
            '成交：{who} {unit} {amount} 万',
            who=f'{c.surname}{c.title}',
            unit=c.deal_unit,
            amount=f'{c.deal_amount_wan or 0:g}',
        )
        for c in found.deals
    ]
    reasons += [
        fill('未成交：{reason} {n} 组', reason=k, n=n)
        for k, n in Counter(c.lost_reason for c in found.lost).most_common()
    ]
    objections = Counter(o for r in found.records for o in r.objections)
    difficult = [fill('{objection}：{n} 组客户提出', objection=k, n=n) for k, n in objections.most_common(5)]
    channels = Counter(v.channel or NONE_GIVEN for v in found.visits)
    visits = [fill('{channel} {n} 组', channel=k, n=n) for k, n in channels.most_common()]
    return {
        'done': done,
        'reasons': reasons or ['本周无成交或未成交记录'],
        'difficult': difficult or ['本周接待记录中没有抗性'],
        'visits': visits or ['本周无来访'],
        'intent': _intent(session, site, week.last) or ['暂无 A/B 级意向客户'],
        'competitors': _competitors(session, site, week.last) or ['暂无调查记录'],
        'next': _people(found) or ['暂无接待记录'],
    }


def _intent(session: Session, site: Site, day: date) -> list[str]:
    """Open A and B customers with their next follow-up (the plan to talk over)."""
    query = (
        select(Customer)
        .where(Customer.site_id == site.id, col(Customer.grade).in_(('A', 'B')), Customer.outcome == '')
        .order_by(col(Customer.grade), col(Customer.last_contact_at).desc())
        .limit(30)
    )
    customers = list(session.exec(query))
    due: dict[int, FollowUp] = {}
    if customers:
        tasks = select(FollowUp).where(
            col(FollowUp.customer_id).in_([c.id for c in customers]),
            col(FollowUp.done_at).is_(None),
            col(FollowUp.cancelled).is_(False),
        )
        due = {t.customer_id: t for t in session.exec(tasks)}
    out = []
    for c in customers:
        task = due.get(c.id or 0)
        plan = (
            f'{task.method} {task.due_on:%m-%d}' + ('（已逾期）' if task.due_on < day else '') if task else '未定追访'
        )
        out.append(fill('{grade} 级 {who}：{plan}', grade=c.grade, who=f'{c.surname}{c.title}', plan=plan))
    return out


def _competitors(session: Session, site: Site, day: date) -> list[str]:
    out = []
    for x in competitors.latest(session, site_id=site.id or 0, until=day):
        if x.surveyed_on is None:
            continue
        parts = [fill('均价 {price} 元/㎡', price=x.price_per_m2) if x.price_per_m2 else '', x.offers, x.pace, x.moves]
        out.append(f'{x.competitor}（{x.surveyed_on:%m-%d}）：' + '；'.join(p for p in parts if p))
    return out


def _people(found: f.Facts) -> list[str]:
    visits = Counter(found.names.get(v.staff_id or 0, NONE_GIVEN) for v in found.visits)
    deals = Counter(found.names.get(c.owner_id or 0, NONE_GIVEN) for c in found.deals)
    return [
        fill('{name}：本周接待 {n} 组、成交 {d} 套；下周目标：', name=name, n=n, d=deals[name])
        for name, n in visits.most_common()
    ]


def _week_target(session: Session, site: Site, week: Period) -> float:
    """The month's deal target (set on the monthly report) spread over its days, for this week."""
    month = week.last.strftime('%Y-%m')
    report = session.exec(
        select(MonthlyReport).where(MonthlyReport.site_id == site.id, MonthlyReport.month == month)
    ).first()
    target = float((report.targets if report else {}).get('deals') or 0)
    days_in_month = ((week.last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day
    return round(target * 7 / days_in_month, 1)


def day_figures(session: Session, site: Site, day: date) -> dict[str, int | float]:
    """One day's figures, as the morning meeting reads yesterday's."""
    found = f.load(session, site, period(site, day, day))
    return {
        'new': sum(not v.returning for v in found.visits),
        'returning': sum(v.returning for v in found.visits),
        'valid': sum(v.status == VisitStatus.ENDED for v in found.visits),
        'invalid': found.invalid,
        'calls': len(found.calls),
        'deals': len(found.deals),
        'amount': round(sum(c.deal_amount_wan or 0 for c in found.deals), 1),
        'grades_ab': sum(r.grade in ('A', 'B') for r in found.records),
    }


def prefill_morning(session: Session, site: Site, day: date) -> dict[str, list[str]]:
    """The morning's pre-filled points: the competitors' latest, and today's follow-ups and A/B customers."""
    query = select(col(FollowUp.due_on)).where(
        FollowUp.site_id == site.id,
        col(FollowUp.done_at).is_(None),
        col(FollowUp.cancelled).is_(False),
        FollowUp.due_on <= day,
    )
    dues = list(session.exec(query))
    due_today, overdue = sum(d == day for d in dues), sum(d < day for d in dues)
    focus = [fill('今日到期追访 {n} 个，逾期 {late} 个', n=due_today, late=overdue), *_intent(session, site, day)[:8]]
    return {'competitors': _competitors(session, site, day), 'focus': focus}
