"""ECharts options sized for a 360 px phone: few labels, large bars, legends on top, every chart tappable."""

from __future__ import annotations

from typing import Any

from services.core.i18n import t

TEAL, AMBER, SLATE, RED = '#0f766e', '#d97706', '#64748b', '#b91c1c'
GRADE_COLOURS = {'A': '#b91c1c', 'B': '#d97706', 'C': '#0f766e', 'D': '#64748b'}
BASE: dict[str, Any] = {
    'animation': False,
    'textStyle': {'fontSize': 12},
    'grid': {'left': 8, 'right': 12, 'top': 30, 'bottom': 4, 'containLabel': True},
    'tooltip': {'trigger': 'axis', 'confine': True},
}


def hours_chart(hours: list[tuple[int, int, int]]) -> dict[str, Any]:
    """Visits per hour, new and returning stacked."""
    return {
        **BASE,
        'legend': {'top': 0, 'itemWidth': 14, 'data': [t('新客'), t('老客')]},
        'xAxis': {'type': 'category', 'data': [f'{h}' for h, _, _ in hours], 'axisLabel': {'interval': 1}},
        'yAxis': {'type': 'value', 'minInterval': 1},
        'series': [
            {'name': t('新客'), 'type': 'bar', 'stack': 'v', 'data': [n for _, n, _ in hours], 'color': TEAL},
            {'name': t('老客'), 'type': 'bar', 'stack': 'v', 'data': [r for _, _, r in hours], 'color': AMBER},
        ],
    }


def people_chart(rows: list[tuple[str, int]]) -> dict[str, Any]:
    """Receptions per salesperson, one horizontal bar each."""
    rows = list(reversed(rows))  # ECharts draws the first category at the bottom
    return {
        **BASE,
        'grid': {**BASE['grid'], 'top': 4},
        'xAxis': {'type': 'value', 'minInterval': 1},
        'yAxis': {'type': 'category', 'data': [n for n, _ in rows]},
        'series': [
            {'type': 'bar', 'data': [v for _, v in rows], 'color': TEAL, 'label': {'show': True, 'position': 'right'}}
        ],
    }


def share_chart(rows: list[tuple[str, int]]) -> dict[str, Any]:
    """A ring of shares (channels), labels outside."""
    return {
        'animation': False,
        'tooltip': {'trigger': 'item', 'confine': True},
        'series': [
            {
                'type': 'pie',
                'radius': ['35%', '62%'],
                'data': [{'name': n, 'value': v} for n, v in rows],
                'label': {'formatter': '{b} {c}', 'fontSize': 12},
            }
        ],
    }


def grades_chart(grades: dict[str, int]) -> dict[str, Any]:
    return {
        **BASE,
        'grid': {**BASE['grid'], 'top': 10},
        'xAxis': {'type': 'category', 'data': list(grades)},
        'yAxis': {'type': 'value', 'minInterval': 1},
        'series': [
            {
                'type': 'bar',
                'data': [{'value': v, 'itemStyle': {'color': GRADE_COLOURS.get(g, SLATE)}} for g, v in grades.items()],
                'label': {'show': True, 'position': 'top'},
            }
        ],
    }


def group_chart(names: list[str], visits: list[int], deals: list[int]) -> dict[str, Any]:
    """Every site's visits today and deals this month, side by side."""
    return {
        **BASE,
        'legend': {'top': 0, 'data': [t('今日来访'), t('本月成交')]},
        'xAxis': {'type': 'value', 'minInterval': 1},
        'yAxis': {'type': 'category', 'data': names, 'axisLabel': {'width': 90, 'overflow': 'truncate'}},
        'series': [
            {'name': t('今日来访'), 'type': 'bar', 'data': visits, 'color': TEAL},
            {'name': t('本月成交'), 'type': 'bar', 'data': deals, 'color': AMBER},
        ],
    }
