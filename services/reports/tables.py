"""What a report is made of: sections of titled tables, plain values only (they are kept as JSON when filed)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

NONE_GIVEN = '未填'


@dataclass
class Table:
    title: str
    columns: list[str]  # the first names the rows; the others hold numbers (or text where a chart says so)
    rows: list[list[Any]]
    chart: str = 'column'  # column / bar / line / pie / '' (none)
    chart_columns: list[int] = field(default_factory=list)  # which value columns are charted; empty: all numeric


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    text: str = ''  # the manager's written part
    note: str = ''  # what the figures are made of


def to_json(sections: list[Section]) -> list[dict[str, Any]]:
    return [asdict(s) for s in sections]


def from_json(data: list[dict[str, Any]]) -> list[Section]:
    return [Section(**{**s, 'tables': [Table(**t) for t in s['tables']]}) for s in data]


def fill(template: str, **values: Any) -> str:
    """A document line from its template (the Chinese of the report, kept whole for translation)."""
    return template.format(**values)


def counted(title: str, label: str, counter: Counter[str], *, chart: str = 'bar', top: int | None = None) -> Table:
    """A one-column count table, largest first."""
    items = counter.most_common(top)
    return Table(title, [label, '数量'], [[k or NONE_GIVEN, v] for k, v in items], chart)


def crossed(
    title: str, label: str, rows: Iterable[str], columns: list[str], cells: Counter[tuple[str, str]], *, chart: str
) -> Table:
    """Rows × columns of counts with a total column."""
    body = []
    for row in rows:
        values = [cells[(row, c)] for c in columns]
        body.append([row, *values, sum(values)])
    return Table(
        title, [label, *[c or NONE_GIVEN for c in columns], '合计'], body, chart, list(range(1, len(columns) + 1))
    )


def ratio(part: float, whole: float) -> float:
    """A percentage with one decimal; 0 when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else 0.0


def numeric_columns(table: Table) -> list[int]:
    """The value columns a chart can draw: those given, else every column whose values are all numbers."""
    if table.chart_columns:
        return table.chart_columns
    return [
        i
        for i in range(1, len(table.columns))
        if table.rows and all(isinstance(r[i], int | float) and not isinstance(r[i], bool) for r in table.rows)
    ]
