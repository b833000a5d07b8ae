"""The monthly report's later sections: grade stock, no-deal reasons, follow-ups, channel cost, service and site."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from models import ChecklistStatus, Site
from services import competitors
from services.complaints import rules as complaint_rules

from . import facts as f
from .period import Period, local_date
from .tables import NONE_GIVEN, Section, Table, counted, ratio

GRADES = ('A', 'B', 'C', 'D')


def grades(session: Session, site: Site, p: Period) -> Section:
    """The grade stock at the start and the end of the month, from the timeline's grade lines."""
    before = _stock(f.grades_at(session, site, p.start), f.closed_by(session, site, p.first - timedelta(days=1)))
    after_all = f.grades_at(session, site, p.end)
    after = _stock(after_all, f.closed_by(session, site, p.last))
    start_all = f.grades_at(session, site, p.start)
    up, down = Counter[str](), Counter[str]()
    for customer_id, grade in after_all.items():
        old = start_all.get(customer_id)
        if old and old != grade:
            (up if grade < old else down)[grade] += 1
    rows = [['{g} 级'.format_map({'g': g}), before[g], after[g], after[g] - before[g], up[g], down[g]] for g in GRADES]
    table = Table(
        '意向客户存量与变动', ['等级', '月初', '月末', '增减', '本月升入', '本月降入'], rows, 'column', [1, 2]
    )
    return Section('grades', '意向客户等级', [table], note='已成交或未成交结案的客户不计入存量')


def _stock(found: dict[int, str], closed: set[int]) -> Counter[str]:
    return Counter(g for c, g in found.items() if c not in closed)


def no_deal(found: f.Facts) -> Section:
    return Section('no_deal', '未成交原因', [counted('未成交原因', '原因', Counter(c.lost_reason for c in found.lost))])


def followups(found: f.Facts) -> Section:
    """Per salesperson: follow-ups due this month, done on time, done late, not done."""
    rows: dict[str, list[int]] = {}
    for task in found.followups:
        row = rows.setdefault(found.names.get(task.staff_id, NONE_GIVEN), [0, 0, 0, 0])
        row[0] += 1
        if task.done_at is None:
            row[3] += 1
        elif local_date(found.site, task.done_at) <= task.due_on:
            row[1] += 1
        else:
            row[2] += 1
    body = [[k, *v, ratio(v[1], v[0])] for k, v in sorted(rows.items())]
    columns = ['置业顾问', '到期', '按时完成', '逾期完成', '未完成', '按时率（%）']
    return Section('followups', '追访执行', [Table('追访：按置业顾问', columns, body, 'column', [2, 3, 4])])


def channel_cost(found: f.Facts, spend: dict[str, Any]) -> Section:
    """What each channel cost per visit and per deal (the spend is entered by the manager)."""
    visitors: dict[str, set[int]] = {}
    for v in found.visits:
        visitors.setdefault(v.channel, set()).add(v.customer_id)
    deals = Counter(c.channel for c in found.deals)
    channels = sorted(set(visitors) | set(deals) | set(spend))
    rows = []
    for ch in channels:
        cost, n_visits, n_deals = float(spend.get(ch) or 0), len(visitors.get(ch, ())), deals[ch]
        rows.append([ch or NONE_GIVEN, cost, n_visits, n_deals, _per(cost, n_visits), _per(cost, n_deals)])
    columns = ['渠道', '费用（元）', '来访客户', '成交', '每来访成本（元）', '每成交成本（元）']
    return Section('channel_cost', '渠道费用', [Table('渠道费用与效果', columns, rows, 'column', [4, 5])])


def _per(cost: float, n: int) -> float:
    return round(cost / n, 1) if n and cost else 0.0


def service(found: f.Facts) -> Section:
    """Complaints, checklists and discipline records of the month."""
    complaints = found.complaints
    categories = Counter(complaint_rules.CATEGORIES.get(c.category, c.category) for c in complaints)
    severities = Counter(complaint_rules.SEVERITIES.get(c.severity, c.severity) for c in complaints)
    ack = [(c.acknowledged_at - c.created_at).total_seconds() / 60 for c in complaints if c.acknowledged_at]
    res = [(c.resolved_at - c.created_at).total_seconds() / 3600 for c in complaints if c.resolved_at]
    scores = [c.satisfaction for c in complaints if c.satisfaction]
    timing = Table(
        '投诉处理时效与满意度',
        ['指标', '数值'],
        [
            ['投诉件数', len(complaints)],
            ['平均受理用时（分钟）', round(statistics.mean(ack), 1) if ack else 0],
            ['平均解决用时（小时）', round(statistics.mean(res), 1) if res else 0],
            ['已回访', len(scores)],
            ['平均满意度（5 分制）', round(statistics.mean(scores), 2) if scores else 0],
        ],
        'bar',
    )
    on_time = sum(1 for c in found.checklists if c.submitted_at and c.submitted_at <= c.due_at)
    late = sum(1 for c in found.checklists if c.submitted_at and c.submitted_at > c.due_at)
    missing = sum(1 for c in found.checklists if c.status == ChecklistStatus.OPEN)
    checklists = Table(
        '开闭场与巡检', ['状态', '数量'], [['按时完成', on_time], ['逾期完成', late], ['未完成', missing]], 'pie'
    )
    rules = Counter(rule for _, rule in found.discipline)
    people = Counter(found.names.get(staff, NONE_GIVEN) for staff, _ in found.discipline)
    return Section(
        'service',
        '服务与现场管理',
        [
            counted('投诉：按类别', '类别', categories),
            counted('投诉：按严重程度', '严重程度', severities, chart='pie'),
            timing,
            checklists,
            counted('违纪：按规定', '规定', rules),
            counted('违纪：按人员', '人员', people),
        ],
    )


def report_section(session: Session, *, site_id: int, first: date, last: date) -> Section:
    """The report's competitor section: each competitor's latest entry of the period."""
    rows = [
        [
            x.competitor,
            x.price_per_m2 or 0,
            x.offers or '—',
            x.stock or '—',
            x.pace or '—',
            x.moves or '—',
            f'{x.surveyed_on:%m-%d} {x.by}' if x.surveyed_on else '本期未调查',
        ]
        for x in competitors.latest(session, site_id=site_id, until=last, since=first)
    ]
    columns = ['楼盘', '均价（元/㎡）', '优惠', '在售房源', '销售速度', '动态', '调查']
    return Section('competitors', '可比楼盘', [Table('可比楼盘动态', columns, rows, 'bar', [1])])
