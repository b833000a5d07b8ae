"""The monthly sales analysis report (月度销售分析报告, part 4 art. 5): each section counted from stored records."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from models import Site, VisitStatus

from . import facts as f
from . import monthly_more
from .period import local_date, local_hour, month_of, month_weeks, previous_month
from .tables import NONE_GIVEN, Section, Table, counted, crossed, ratio

SUMMARY_ROWS = [
    ('calls', '来电'),
    ('new', '新客来访'),
    ('returning', '老客来访'),
    ('valid', '有效接待'),
    ('deals', '成交套数'),
    ('amount', '成交金额（万元）'),
]
TEXT_KEYS = ('analysis', 'last_month_work', 'this_month_plan')


@dataclass
class Report:
    site_name: str
    month: str
    sections: list[Section]


def build(
    session: Session,
    site: Site,
    month: str,
    *,
    texts: dict[str, str] | None = None,
    spend: dict[str, Any] | None = None,
    targets: dict[str, Any] | None = None,
) -> Report:
    """Every section of `month` for `site`, with the manager's written parts, spend and targets."""
    p = month_of(site, month)
    found = f.load(session, site, p)
    last = f.summary_counts(session, site, month_of(site, previous_month(month)))
    texts = texts or {}
    sections = [
        summary(found, last, targets or {}, texts.get('analysis', '')),
        calls(found),
        visits(found),
        deals(found, f.deal_paths(session, found.deals)),
        funnel(found),
        monthly_more.grades(session, site, p),
        monthly_more.no_deal(found),
        monthly_more.followups(found),
        monthly_more.channel_cost(found, spend or {}),
        monthly_more.report_section(session, site_id=site.id or 0, first=p.first, last=p.last),
        monthly_more.service(found),
        Section(
            'work',
            '上月工作总结与本月工作计划',
            text='\n\n'.join(x for x in (texts.get('last_month_work', ''), texts.get('this_month_plan', '')) if x),
        ),
    ]
    return Report(site.name, month, sections)


def summary(found: f.Facts, last: dict[str, Any], targets: dict[str, Any], text: str) -> Section:
    now = {
        'calls': len(found.calls),
        'new': sum(not v.returning for v in found.visits),
        'returning': sum(v.returning for v in found.visits),
        'valid': sum(v.status == VisitStatus.ENDED for v in found.visits),
        'deals': len(found.deals),
        'amount': round(sum(c.deal_amount_wan or 0 for c in found.deals), 1),
    }
    rows = [
        [label, now[k], last[k], _target(targets.get(k)), ratio(now[k], _target(targets.get(k)))]
        for k, label in SUMMARY_ROWS
    ]
    table = Table('本月与上月、目标对比', ['指标', '本月', '上月', '目标', '完成率（%）'], rows, 'column', [1, 2, 3])
    return Section(
        'summary', '概况', [table], text=text, note='无效接待 {n} 次未计入来访'.format_map({'n': found.invalid})
    )


def _target(raw: Any) -> float:
    try:
        return float(raw or 0)
    except (TypeError, ValueError):
        return 0.0


def calls(found: f.Facts) -> Section:
    weeks = month_weeks(found.period)
    channels = sorted({c for _, c, _ in found.calls})
    cells: Counter[tuple[str, str]] = Counter()
    for at, channel, _ in found.calls:
        cells[(_week_label(weeks, local_date(found.site, at)), channel)] += 1
    by_week = crossed('来电：按周与渠道', '周次', [w[0] for w in weeks], channels, cells, chart='column')
    visited = _callers_who_visited(found)
    linked = sum(1 for _, _, c in found.calls if c is not None)
    conversion = Table(
        '来电转来访',
        ['指标', '数值'],
        [
            ['来电', len(found.calls)],
            ['已关联客户', linked],
            ['来电后到访', visited],
            ['来电转到访率（%）', ratio(visited, len(found.calls))],
        ],
        'bar',
    )
    return Section('calls', '来电分析', [by_week, conversion])


def visits(found: f.Facts) -> Section:
    weeks = month_weeks(found.period)
    channels = sorted({v.channel for v in found.visits})
    cells: Counter[tuple[str, str]] = Counter()
    hours: Counter[int] = Counter()
    kinds: Counter[tuple[str, str]] = Counter()
    people: dict[str, Counter[str]] = {}
    for v in found.visits:
        week = _week_label(weeks, v.day)
        cells[(week, v.channel)] += 1
        hours[local_hour(found.site, v.arrived_at)] += 1
        kinds[(week, '老客' if v.returning else '新客')] += 1
        who = people.setdefault(found.names.get(v.staff_id or 0, NONE_GIVEN), Counter())
        who['老客' if v.returning else '新客'] += 1
    tables = [
        crossed('来访：按周与渠道', '周次', [w[0] for w in weeks], channels, cells, chart='column'),
        Table('来访：按时段', ['时段', '来访'], [[f'{h:02d}:00', hours[h]] for h in sorted(hours)], 'line'),
        crossed('来访：新客与老客', '周次', [w[0] for w in weeks], ['新客', '老客'], kinds, chart='column'),
        Table(
            '来访：按置业顾问',
            ['置业顾问', '新客', '老客', '合计'],
            [[n, c['新客'], c['老客'], c['新客'] + c['老客']] for n, c in sorted(people.items())],
            'bar',
            [1, 2],
        ),
    ]
    tables += _record_tables(found)
    return Section('visits', '来访分析', tables, note='客户信息资料表中的项目按当月到访的接待记录统计')


def _record_tables(found: f.Facts) -> list[Table]:
    records = found.records
    objections: Counter[str] = Counter(o for r in records for o in r.objections)
    return [
        counted('居住区域', '区域', Counter(r.residence for r in records), top=10),
        counted('年龄段', '年龄段', Counter(r.age_band for r in records), chart='pie'),
        counted('置业目的', '目的', Counter(r.purpose for r in records), chart='pie'),
        counted('意向户型', '户型', Counter(r.unit_type for r in records)),
        counted('意向面积', '面积', Counter(_band(r.area_wanted, AREA_BANDS, '㎡') for r in records)),
        counted('购房预算', '预算', Counter(_band(r.budget_wan, BUDGET_BANDS, '万') for r in records)),
        counted('主要抗性', '抗性', objections, top=10),
    ]


def deals(found: f.Facts, paths: dict[int, Any]) -> Section:
    unit, price, payment, channel, people = Counter(), Counter(), Counter(), Counter(), Counter()  # type: ignore[var-annotated]
    days, counts = [], []
    for c in found.deals:
        first, n_visits, record = paths.get(c.id or 0, (None, 0, None))
        unit[record.unit_type if record else ''] += 1
        payment[record.payment if record else ''] += 1
        price[_band(round(c.deal_amount_wan) if c.deal_amount_wan else None, PRICE_BANDS, '万')] += 1
        channel[c.channel] += 1
        people[found.names.get(c.owner_id or 0, NONE_GIVEN)] += 1
        if first and c.outcome_on:
            days.append((c.outcome_on - first).days)
            counts.append(n_visits)
    cycle = Table(
        '首访至成交',
        ['指标', '数值'],
        [
            ['成交套数', len(found.deals)],
            ['平均天数', round(statistics.mean(days), 1) if days else 0],
            ['中位天数', statistics.median(days) if days else 0],
            ['平均到访次数', round(statistics.mean(counts), 1) if counts else 0],
        ],
        'bar',
    )
    tables = [
        counted('成交：按户型', '户型', unit),
        counted('成交：按总价段', '总价段', price),
        counted('成交：按付款方式', '付款方式', payment, chart='pie'),
        counted('成交：按渠道', '渠道', channel),
        counted('成交：按置业顾问', '置业顾问', people),
        cycle,
    ]
    return Section('deals', '成交分析', tables)


def funnel(found: f.Facts) -> Section:
    graded = {r.customer_id for r in found.records if r.grade in ('A', 'B')}
    visitors: dict[int, f.VisitFact] = {}
    for v in found.visits:
        visitors.setdefault(v.customer_id, v)
    by_channel: dict[str, list[int]] = {}
    for _, channel, _ in found.calls:
        by_channel.setdefault(channel, [0, 0, 0, 0])[0] += 1
    for customer_id, v in visitors.items():
        row = by_channel.setdefault(v.channel, [0, 0, 0, 0])
        row[1] += 1
        row[2] += customer_id in graded
    for c in found.deals:
        by_channel.setdefault(c.channel, [0, 0, 0, 0])[3] += 1
    per_person: dict[str, list[int]] = {}
    for v in found.visits:
        per_person.setdefault(found.names.get(v.staff_id or 0, NONE_GIVEN), [0, 0, 0])[0] += 1
    for r in found.records:
        per_person.setdefault(found.names.get(r.staff_id, NONE_GIVEN), [0, 0, 0])[1] += r.grade in ('A', 'B')
    for c in found.deals:
        per_person.setdefault(found.names.get(c.owner_id or 0, NONE_GIVEN), [0, 0, 0])[2] += 1
    columns = ['渠道', '来电', '来访客户', 'A/B 级', '成交', '来访成交率（%）']
    rows = [[k or NONE_GIVEN, *v, ratio(v[3], v[1])] for k, v in sorted(by_channel.items())]
    people = [[k, *v, ratio(v[2], v[0])] for k, v in sorted(per_person.items())]
    return Section(
        'funnel',
        '转化漏斗',
        [
            Table('按渠道：来电 → 来访 → A/B 级 → 成交', columns, rows, 'column', [1, 2, 3, 4]),
            Table(
                '按置业顾问：接待 → A/B 级 → 成交',
                ['置业顾问', '接待', 'A/B 级', '成交', '接待成交率（%）'],
                people,
                'column',
                [1, 2, 3],
            ),
        ],
    )


AREA_BANDS = (90, 120, 144, 180)
BUDGET_BANDS = PRICE_BANDS = (200, 300, 500, 800)


def _band(value: int | None, bands: tuple[int, ...], unit: str) -> str:
    if value is None:
        return ''
    low = 0
    for high in bands:
        if value < high:
            return f'{low}-{high}{unit}' if low else '{high}{unit}以下'.format_map({'high': high, 'unit': unit})
        low = high
    return '{low}{unit}及以上'.format_map({'low': low, 'unit': unit})


def _week_label(weeks: list[tuple[str, Any, Any]], day: Any) -> str:
    return next(label for label, first, last in weeks if first <= day <= last)


def _callers_who_visited(found: f.Facts) -> int:
    came: dict[int, Any] = {}
    for v in found.visits:
        came[v.customer_id] = max(came.get(v.customer_id, v.arrived_at), v.arrived_at)
    return sum(1 for at, _, c in found.calls if c is not None and c in came and came[c] >= at)
