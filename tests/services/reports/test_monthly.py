"""Every figure of the monthly report against a query of its own, written here and not taken from the report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from models import Customer, Role, Visit
from services import reports
from services.reports import Report
from tests.helpers.factories import make_site, make_staff
from tests.services.reports.month_helpers import MONTH, local, october

START, END = datetime(2026, 9, 30, 16, tzinfo=UTC), datetime(2026, 10, 31, 16, tzinfo=UTC)  # October in Shanghai
FIRST, LAST = '2026-10-01', '2026-10-31'


def q(session: Session, sql: str, **params: Any) -> list[tuple]:
    return [tuple(r) for r in session.connection().execute(text(sql), params)]


def one(session: Session, sql: str, **params: Any) -> Any:
    return q(session, sql, **params)[0][0]


def table(report: Report, section: str, title: str) -> dict[str, list[Any]]:
    found = next(s for s in report.sections if s.key == section)
    rows = next(t for t in found.tables if t.title == title).rows
    return {r[0]: r[1:] for r in rows}


def built(session: Session) -> tuple[Report, int]:
    month = october(session)
    return reports.build(session, month.site, MONTH, spend={'网络': 3000}, targets={'deals': 2}), month.site.id or 0


def test_the_summary_counts_calls_visits_receptions_and_deals_of_the_local_month(session: Session) -> None:
    report, site = built(session)
    rows = table(report, 'summary', '本月与上月、目标对比')
    calls = one(
        session, 'SELECT count(*) FROM phone_call WHERE site_id=:s AND at >= :a AND at < :b', s=site, a=START, b=END
    )
    visits = "SELECT count(*) FROM visit WHERE site_id=:s AND day BETWEEN :f AND :l AND status <> 'invalid'"
    new = one(session, visits + ' AND returning_customer = :r', s=site, f=FIRST, l=LAST, r=False)
    returning = one(session, visits + ' AND returning_customer = :r', s=site, f=FIRST, l=LAST, r=True)
    valid = one(session, visits + " AND status = 'ended'", s=site, f=FIRST, l=LAST)
    deals = q(
        session,
        "SELECT count(*), sum(deal_amount_wan) FROM customer WHERE site_id=:s AND outcome='deal' AND "
        'outcome_on BETWEEN :f AND :l',
        s=site,
        f=FIRST,
        l=LAST,
    )[0]
    last_month = one(session, visits.replace(':f AND :l', "'2026-09-01' AND '2026-09-30'"), s=site)
    assert (calls, new, returning, valid, deals[0]) == (3, 5, 1, 5, 1)  # the fixture's month, as designed
    assert rows['来电'][0] == calls
    assert rows['新客来访'][:2] == [new, last_month]
    assert rows['老客来访'][0] == returning
    assert rows['有效接待'][0] == valid
    assert rows['成交套数'] == [deals[0], 0, 2.0, 50.0]
    assert rows['成交金额（万元）'][0] == deals[1] == 352.5


def test_calls_and_visits_by_channel_hour_and_salesperson(session: Session) -> None:
    report, site = built(session)
    by_channel = dict(
        q(
            session,
            'SELECT channel, count(*) FROM phone_call WHERE site_id=:s AND at >= :a AND at < :b GROUP BY channel',
            s=site,
            a=START,
            b=END,
        )
    )
    weeks = table(report, 'calls', '来电：按周与渠道')
    columns = next(t for t in report.sections[1].tables if t.title == '来电：按周与渠道').columns
    for channel, n in by_channel.items():
        assert sum(row[columns.index(channel) - 1] for row in weeks.values()) == n
    assert table(report, 'calls', '来电转来访')['来电后到访'] == [1]  # the call of Oct 2, then the visit of Oct 3
    visits = q(
        session,
        'SELECT c.channel, count(*) FROM visit v JOIN customer c ON c.id = v.customer_id '
        "WHERE v.site_id=:s AND v.day BETWEEN :f AND :l AND v.status <> 'invalid' GROUP BY c.channel",
        s=site,
        f=FIRST,
        l=LAST,
    )
    weeks = table(report, 'visits', '来访：按周与渠道')
    columns = next(t for t in report.sections[2].tables if t.title == '来访：按周与渠道').columns
    for channel, n in visits:
        assert sum(row[columns.index(channel) - 1] for row in weeks.values()) == n
    per_person = dict(
        q(
            session,
            'SELECT s.name, count(*) FROM visit v JOIN staff s ON s.id = v.assigned_id '
            "WHERE v.site_id=:s AND v.day BETWEEN :f AND :l AND v.status <> 'invalid' "
            'GROUP BY s.name',
            s=site,
            f=FIRST,
            l=LAST,
        )
    )
    assert {k: v[-1] for k, v in table(report, 'visits', '来访：按置业顾问').items()} == per_person
    hours = table(report, 'visits', '来访：按时段')
    assert hours['23:00'] == [1] and sum(v[0] for v in hours.values()) == sum(per_person.values())


def test_the_reception_record_tables_deals_funnel_and_no_deals(session: Session) -> None:
    report, site = built(session)
    records = (
        'SELECT {col}, count(*) FROM reception_record r JOIN visit v ON v.id = r.visit_id WHERE v.site_id=:s '
        'AND v.day BETWEEN :f AND :l GROUP BY {col}'
    )
    for title, column in [
        ('居住区域', 'residence'),
        ('年龄段', 'age_band'),
        ('置业目的', 'purpose'),
        ('意向户型', 'unit_type'),
    ]:
        expected = {k: n for k, n in q(session, records.format(col=column), s=site, f=FIRST, l=LAST)}
        assert {k: v[0] for k, v in table(report, 'visits', title).items()} == expected
    assert table(report, 'visits', '主要抗性')['价格高'] == [2]
    lost = dict(
        q(
            session,
            "SELECT lost_reason, count(*) FROM customer WHERE site_id=:s AND outcome='lost' AND "
            'outcome_on BETWEEN :f AND :l GROUP BY lost_reason',
            s=site,
            f=FIRST,
            l=LAST,
        )
    )
    assert {k: v[0] for k, v in table(report, 'no_deal', '未成交原因').items()} == lost == {'户型不合适': 1}
    deal_channel = dict(
        q(
            session,
            "SELECT channel, count(*) FROM customer WHERE site_id=:s AND outcome='deal' AND "
            'outcome_on BETWEEN :f AND :l GROUP BY channel',
            s=site,
            f=FIRST,
            l=LAST,
        )
    )
    assert {k: v[0] for k, v in table(report, 'deals', '成交：按渠道').items()} == deal_channel
    assert table(report, 'deals', '成交：按户型') == {'三房': [1]}
    assert table(report, 'deals', '成交：按总价段') == {'300-500万': [1]}
    assert table(report, 'deals', '成交：按付款方式') == {'商业贷款': [1]}
    cycle = table(report, 'deals', '首访至成交')
    assert cycle['平均天数'] == [17] and cycle['平均到访次数'] == [2]  # first visit Oct 3, deal Oct 20, two visits
    funnel = table(report, 'funnel', '按渠道：来电 → 来访 → A/B 级 → 成交')
    assert funnel['网络'] == [2, 3, 2, 1, 33.3]  # calls; visitors 王 李 杨; graded A/B 王 李; deals 王
    assert table(report, 'channel_cost', '渠道费用与效果')['网络'] == [3000.0, 3, 1, 1000.0, 3000.0]


def test_grade_stock_followups_service_and_competitors(session: Session) -> None:
    report, site = built(session)
    stock = table(report, 'grades', '意向客户存量与变动')
    assert stock['A 级'][:2] == [0, 1]  # 张 moved B → A; 王 (A) closed with a deal
    assert stock['B 级'][:2] == [2, 0]  # 张 and 李 at the start; 李 closed without a deal, 张 moved up
    assert stock['C 级'][:2] == [0, 1]
    follow = table(report, 'followups', '追访：按置业顾问')
    assert follow['李娜'][:4] == [2, 1, 1, 0] and follow['张伟'][:4] == [1, 0, 0, 1]
    complaints = dict(
        q(
            session,
            'SELECT category, count(*) FROM complaint WHERE site_id=:s AND created_at >= :a AND '
            'created_at < :b GROUP BY category',
            s=site,
            a=START,
            b=END,
        )
    )
    assert complaints == {'attitude': 1}
    assert table(report, 'service', '投诉：按类别') == {'服务态度': [1]}
    timing = table(report, 'service', '投诉处理时效与满意度')
    assert timing['平均受理用时（分钟）'] == [30.0] and timing['平均解决用时（小时）'] == [5.0]
    assert timing['平均满意度（5 分制）'] == [4]
    assert table(report, 'service', '开闭场与巡检') == {'按时完成': [1], '逾期完成': [1], '未完成': [1]}
    assert table(report, 'service', '违纪：按人员') == {'张伟': [1]}
    rival = table(report, 'competitors', '可比楼盘动态')['江南府']
    assert rival[0] == 41000 and rival[1] == '98折'  # the latest entry of October, not November's


def test_a_month_with_no_data_still_has_every_section_and_its_files(session: Session) -> None:
    site = make_site(session, name='新盘', code='NEW')
    report = reports.build(session, site, '2026-10')
    assert [s.key for s in report.sections] == [
        'summary',
        'calls',
        'visits',
        'deals',
        'funnel',
        'grades',
        'no_deal',
        'followups',
        'channel_cost',
        'competitors',
        'service',
        'work',
    ]
    assert table(report, 'summary', '本月与上月、目标对比')['新客来访'] == [0, 0, 0.0, 0.0]
    xlsx, pdf = reports.exports(report, None)
    assert xlsx[:2] == b'PK' and pdf[:5] == b'%PDF-'


def test_a_site_in_its_first_week_reports_its_few_days(session: Session) -> None:
    site = make_site(session, name='新开盘', code='FW')
    person = make_staff(session, site=site, role=Role.SALESPERSON, name='赵雪')
    customer = Customer(site_id=site.id or 0, surname='钱', title='女士', phone='13600000001', channel='网络')
    session.add(customer)
    session.flush()
    for n, day in enumerate([date(2026, 10, 29), date(2026, 10, 30)]):  # opened on the 29th
        session.add(
            Visit(
                site_id=site.id or 0,
                day=day,
                customer_id=customer.id or 0,
                arrived_at=local(day, 11),
                status='ended',
                assigned_id=person.id,
                returning_customer=n > 0,
                request_key=f'fw{n}',
            )
        )
    session.commit()
    report = reports.build(session, site, MONTH)
    weeks = table(report, 'visits', '来访：按周与渠道')
    assert list(weeks)[-1] == '第5周 10.26-10.31' and weeks['第5周 10.26-10.31'][-1] == 2
    assert sum(v[-1] for v in weeks.values()) == 2
    assert table(report, 'summary', '本月与上月、目标对比')['老客来访'][:2] == [1, 0]
    xlsx, pdf = reports.exports(report, None)
    assert xlsx and pdf
