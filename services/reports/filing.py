"""The monthly report's life: a draft from the 1st, the manager's written parts, filing (kept as filed), lateness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from models import MonthlyReport, ReportFiling, Role, Site, Staff, utcnow
from services.core import audit, authz
from services.core.errors import NotFound, ValidationError
from services.core.validation import clean_text
from services.customers import contacts

from . import monthly, pdf, xlsx
from .period import local_date, parse_month, previous_month
from .tables import from_json, to_json

DUE_DAY = 5  # part 4 art. 5: by the 5th of the month after
TEXT_LIMIT = 4000


@dataclass
class Draft:
    report: MonthlyReport
    built: monthly.Report
    site: Site


@dataclass(frozen=True)
class SiteStatus:
    site_id: int
    site: str
    month: str
    filed_version: int
    filed_at: datetime | None
    signer: str
    late: bool  # past the 5th and not filed


def report_month(site: Site, now: datetime) -> str:
    """The month a site reports on now: last month (the draft is built on the 1st)."""
    return previous_month(local_date(site, now).strftime('%Y-%m'))


def draft(
    session: Session, *, actor: Staff, month: str | None = None, site_id: int | None = None, now: datetime | None = None
) -> Draft:
    """The month's report as it stands: the stored written parts with figures counted now."""
    site = _site(session, actor, site_id)
    month = month or report_month(site, now or utcnow())
    parse_month(month)
    report = _row(session, site, month)
    built = monthly.build(session, site, month, texts=report.texts, spend=report.spend, targets=report.targets)
    return Draft(report, built, site)


def save_parts(
    session: Session, *, actor: Staff, month: str, texts: dict[str, str], spend: dict[str, Any], targets: dict[str, Any]
) -> MonthlyReport:
    """The manager's written parts, channel spend (元) and targets."""
    authz.require(actor, frozenset({Role.MANAGER}))
    site = contacts.site_of(session, actor)
    report = _row(session, site, month)
    report.texts = {k: clean_text(texts.get(k, ''), field=k, max_length=TEXT_LIMIT) for k in monthly.TEXT_KEYS}
    report.spend = {str(k)[:40]: _number(v, 'spend') for k, v in spend.items() if str(v).strip()}
    report.targets = {k: _number(v, 'targets') for k, v in targets.items() if str(v).strip()}
    report.updated_at = utcnow()
    session.commit()
    return report


def file(session: Session, *, actor: Staff, month: str, now: datetime | None = None) -> ReportFiling:
    """Files the report: its figures and texts are kept as they are now, with a new version and the signer."""
    authz.require(actor, frozenset({Role.MANAGER}))
    now = now or utcnow()
    current = draft(session, actor=actor, month=month, now=now)
    if not current.report.texts.get('analysis'):
        raise ValidationError('analysis', '请先填写本月销售分析')
    report = current.report
    report.filed_version += 1
    report.filed_at = now
    filing = ReportFiling(
        report_id=report.id or 0,
        site_id=report.site_id,
        month=month,
        version=report.filed_version,
        data={'site': current.site.name, 'sections': to_json(current.built.sections), 'signer': actor.name},
        filed_by_id=actor.id or 0,
        filed_at=now,
    )
    session.add(filing)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action='report_file',
        entity='report_filing',
        entity_id=filing.id,
        site_id=report.site_id,
        after={'month': month, 'version': filing.version},
    )
    session.commit()
    return filing


def filings(session: Session, *, actor: Staff, month: str, site_id: int | None = None) -> list[ReportFiling]:
    site = _site(session, actor, site_id)
    query = select(ReportFiling).where(ReportFiling.site_id == site.id, ReportFiling.month == month)
    return list(session.exec(query.order_by(col(ReportFiling.version).desc())))


def filed(session: Session, *, actor: Staff, filing_id: int) -> tuple[ReportFiling, monthly.Report]:
    """A filed version exactly as it was filed."""
    found = session.get(ReportFiling, filing_id)
    if found is None:
        raise NotFound()
    authz.require(actor, authz.MANAGERS, site_id=found.site_id)
    return found, monthly.Report(found.data['site'], found.month, from_json(found.data['sections']))


def cover(report: monthly.Report, filing: ReportFiling | None) -> list[tuple[str, str]]:
    """The cover lines of the files: site, month, and for a filed one its version, signer and time."""
    lines = [('项目', report.site_name), ('报告月份', report.month)]
    if filing is None:
        return [*lines, ('状态', '草稿（未上报）')]
    when = filing.filed_at.strftime('%Y-%m-%d %H:%M UTC')
    return [
        *lines,
        ('版本', '第 {n} 版'.format_map({'n': filing.version})),
        ('签发人', filing.data.get('signer', '')),
        ('上报时间', when),
    ]


def exports(report: monthly.Report, filing: ReportFiling | None) -> tuple[bytes, bytes]:
    """(xlsx, pdf) bytes of a report."""
    lines = cover(report, filing)
    title = '{site} {month} 月度销售分析报告'.format_map({'site': report.site_name, 'month': report.month})
    return xlsx.workbook(report, cover=lines), pdf.sections_pdf(title, lines, report.sections)


def group_status(session: Session, *, actor: Staff, now: datetime | None = None) -> list[SiteStatus]:
    """Every active site's report for last month: filed (version, signer) or not, and late after the 5th."""
    authz.require(actor, frozenset({Role.ADMIN}))
    now = now or utcnow()
    sites = list(session.exec(select(Site).where(col(Site.active).is_(True)).order_by(col(Site.id))))
    if not sites:
        return []
    months = {s.id: report_month(s, now) for s in sites}
    rows = session.exec(select(MonthlyReport).where(col(MonthlyReport.month).in_(set(months.values()))))
    reports = {(r.site_id, r.month): r for r in rows}
    signers = _signers(session, [r.id or 0 for r in reports.values() if r.filed_version])
    out = []
    for s in sites:
        r = reports.get((s.id or 0, months[s.id]))
        version = r.filed_version if r else 0
        late = not version and local_date(s, now).day > DUE_DAY
        out.append(
            SiteStatus(
                s.id or 0,
                s.name,
                months[s.id],
                version,
                r.filed_at if r else None,
                signers.get(r.id or 0, '') if r else '',
                late,
            )
        )
    return out


def is_late(site: Site, report: MonthlyReport | None, now: datetime) -> bool:
    return not (report and report.filed_version) and local_date(site, now).day > DUE_DAY


def due_on(month: str) -> date:
    first = parse_month(month)
    return date(first.year + first.month // 12, first.month % 12 + 1, DUE_DAY)


def _signers(session: Session, report_ids: list[int]) -> dict[int, str]:
    if not report_ids:
        return {}
    query = (
        select(ReportFiling.report_id, Staff.name)
        .join(Staff, col(Staff.id) == ReportFiling.filed_by_id)
        .where(col(ReportFiling.report_id).in_(report_ids))
        .order_by(col(ReportFiling.version))
    )
    return dict(session.exec(query).all())


def _row(session: Session, site: Site, month: str) -> MonthlyReport:
    found = session.exec(
        select(MonthlyReport).where(MonthlyReport.site_id == site.id, MonthlyReport.month == month)
    ).first()
    if found is None:
        found = MonthlyReport(site_id=site.id or 0, month=month)
        session.add(found)
        session.commit()
    return found


def _site(session: Session, actor: Staff, site_id: int | None) -> Site:
    if actor.role == Role.ADMIN:
        authz.require(actor, frozenset({Role.ADMIN}))
        site = session.get(Site, site_id) if site_id else None
        if site is None:
            raise NotFound()
        return site
    authz.require(actor, frozenset({Role.MANAGER}))
    return contacts.site_of(session, actor)


def _number(raw: Any, key: str) -> float:
    try:
        value = float(str(raw).replace(',', '').strip())
    except ValueError as e:
        raise ValidationError(key, '请填写数字') from e
    if not 0 <= value <= 1e9:
        raise ValidationError(key, '数字超出范围')
    return value


def file_stem(name: str, month: str, version: int | None) -> str:
    """The files' name: the site, the month, and the version filed (or 草稿, a draft)."""
    if version:
        return '{name}-{month}-月度销售分析报告-v{version}'.format_map(
            {'name': name, 'month': month, 'version': version}
        )
    return '{name}-{month}-月度销售分析报告-草稿'.format_map({'name': name, 'month': month})


def export_site(session: Session, *, site_code: str, month: str) -> tuple[str, bytes, bytes]:
    """For the command line (the server's operator): the latest filed version, else the draft; (stem, xlsx, pdf)."""
    parse_month(month)
    site = session.exec(select(Site).where(Site.code == site_code)).first()
    if site is None:
        raise NotFound()
    report = session.exec(
        select(MonthlyReport).where(MonthlyReport.site_id == site.id, MonthlyReport.month == month)
    ).first()
    filing = None
    if report is not None and report.filed_version:
        filing = session.exec(
            select(ReportFiling).where(
                ReportFiling.report_id == report.id, ReportFiling.version == report.filed_version
            )
        ).one()
        built = monthly.Report(filing.data['site'], month, from_json(filing.data['sections']))
    else:
        texts = report.texts if report else {}
        built = monthly.build(
            session,
            site,
            month,
            texts=texts,
            spend=report.spend if report else {},
            targets=report.targets if report else {},
        )
    stem = file_stem(site.code, month, filing.version if filing else None)
    return (stem, *exports(built, filing))
