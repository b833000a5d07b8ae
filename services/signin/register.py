"""Walk-in sign-in (到访登记): a visitor's own form from the entrance QR, or a salesperson's "客户进门"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models import Customer, PhoneCall, RateCounter, Site, Staff, Visit, VisitStatus, utcnow
from services import notify
from services.accounts import sites
from services.core import ratelimit
from services.core.errors import DomainError, NotFound, ValidationError
from services.core.events import VisitorAlert, emit_rotation
from services.core.validation import clean_text, normalise_phone
from services.customers import calls
from services.rotation import reception, roster
from services.signin import qr

TITLES = ('先生', '女士')
CONSENT_VERSION = 'v2'  # v2: says what happens when the retention ends, and that a copy can be had
CONSENT_TEXT = (  # the two years are the sites' default retention (services/sites.py 'retention_years')
    '我们会保存您填写的姓氏、称呼、手机号、来访人数、了解渠道和购房意向，以及每次到访的时间，'
    '仅用于本项目安排置业顾问接待您、为您介绍房源和后续回访，不会提供给本项目以外的任何人。'
    '信息保存至您最后一次与我们联系后两年，期满自动匿名处理，只留下不含个人信息的统计；'
    '您可随时请销售经理查询、导出、更正或删除您的信息。'
)
# What the forms offer for the optional purchase interests (the visitor's QR form, the desk's 客户进门 form)
INTEREST_CHOICES: dict[str, tuple[str, ...]] = {
    'unit_type': ('两房', '三房', '四房及以上'),
    'area': ('90㎡以下', '90–120㎡', '120–144㎡', '144㎡以上'),
    'budget': ('200万以下', '200–300万', '300–500万', '500万以上'),
}
SURNAME = re.compile(r"[^\W\d_][^\W\d_·'\- ]{0,9}")
DUPLICATE_WINDOW = timedelta(minutes=30)
# One address is often many phones (the sales centre's Wi-Fi, a carrier's NAT): the client limit only stops floods.
PER_CLIENT, PER_PHONE, RATE_WINDOW = 300, 5, timedelta(minutes=10)


@dataclass
class SignInForm:
    surname: str
    title: str
    phone: str
    party_size: int | str | None = 1
    first_visit: bool = True
    channel: str = ''
    interests: dict[str, str] = field(default_factory=dict)
    consent: bool = False


@dataclass(frozen=True)
class SignInResult:
    visit_id: int
    consultant: str | None  # None: everyone is busy, the visitor waits a moment
    consultant_photo: str | None
    duplicate: bool


@dataclass(frozen=True)
class SignInRequest:
    """One submitted form and where it came from (a request key makes a repeated submit find the first)."""

    form: SignInForm
    source: str
    client: str
    request_key: str | None = None
    registered_by: Staff | None = None


def sign_in(
    session: Session,
    *,
    site_id: int,
    form: SignInForm,
    source: str,
    client: str,
    request_key: str | None = None,
    registered_by: Staff | None = None,
    now: datetime | None = None,
) -> SignInResult:
    """Record a visit and route it; a repeated submit returns the first visit instead of making a second."""
    request = SignInRequest(form, source, client, request_key, registered_by)
    outcome = sign_in_group(session, site_id=site_id, requests=[request], now=now)[0]
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def sign_in_group(
    session: Session,
    *,
    site_id: int,
    requests: list[SignInRequest],
    now: datetime | None = None,
    code: str | None = None,
) -> list[SignInResult | DomainError]:
    """Sign-ins that arrived together, in order, in one transaction (group commit): one lock, one roster read and
    one commit for them all. Each has its own outcome; a refused one (a bad field, too many tries) stops no other.
    `code`: the site code the visitors' token names, checked on the site locked (InvalidToken, as display.site_by_code
    would say, if the site is closed or no longer has it): the queue need not read the site once more per group."""
    site = roster.lock_site(session, site_id)
    if not site.active or (code is not None and site.code != code):
        session.rollback()  # the lock goes with it
        raise qr.InvalidToken() if code is not None else NotFound()
    day: roster.Roster | None = None  # read once, when the first new visit is routed
    alerts: list[VisitorAlert] = []
    outcomes: list[tuple[Visit, bool] | DomainError] = []
    known = _Known.read(session, site, requests, now or utcnow())
    for request in requests:
        at = now or utcnow()
        try:
            visit, customer = _admit(session, site, request, at, known)
        except DomainError as e:
            outcomes.append(e)
            continue
        if customer is not None:
            day = day or roster.load(session, site, at)
            alerts += reception.route(session, day, visit, customer, at)
        outcomes.append((visit, customer is None))
    session.add_all(known.counters.values())  # every count stands, allowed or not
    if day is not None:
        roster.save(session, day, now or utcnow())
        # the outbox rows commit with the assignment; every alert is of a visit made here, so none was sent before
        notify.enqueue_visitor_alerts(session, alerts, now=now, new_visits=True)
    session.commit()  # only now may any visitor be told: a crash before this loses what nobody was promised
    if day is not None:
        emit_rotation(site_id, alerts)
    receivers = {o[0].assigned_id for o in outcomes if not isinstance(o, DomainError) and o[0].assigned_id}
    consultants = day.people if day is not None else {}  # the roster has them (a repeated form's: read here)
    if unknown := receivers - consultants.keys():
        query = select(Staff.id, Staff.name, Staff.photo).where(col(Staff.id).in_(unknown))
        consultants = consultants | {i or 0: (name, photo) for i, name, photo in session.exec(query)}
    return [o if isinstance(o, DomainError) else _result(o[0], consultants, duplicate=o[1]) for o in outcomes]


def _admit(
    session: Session, site: Site, request: SignInRequest, now: datetime, known: _Known
) -> tuple[Visit, Customer | None]:
    """The new visit and its customer, or (customer None) the visit this form already made; DomainError if refused."""
    form = validate(request.form, site)
    if request.request_key and (same := known.forms.get(request.request_key)) is not None:
        return same, None
    customer = known.customer(session, form.phone)
    if customer is not None and (recent := known.open_visit(session, customer, now)) is not None:
        return recent, None  # the same phone within half an hour, still open: a second tap, a reload, another form
    if request.registered_by is None and not known.allowed(request.client, form.phone, now):
        raise DomainError('提交太频繁，请稍后再试，或请现场工作人员帮您登记')  # the counts stand all the same
    visit, customer = _record(session, site, form, customer, request, now, known)
    known.forms[request.request_key or ''] = visit
    known.open_visits[customer.id or 0] = visit
    return visit, customer


class _Known:
    """What a group of sign-ins needs to know beforehand, read in one query each for the whole group — the forms
    already sent, the customers of these phones, the rate counters, calls waiting for these callers — and kept up to
    date as the group adds visits and customers (two forms of one phone in one group find each other). A query per
    sign-in would be a round trip each, and each would flush the group's pending inserts one by one."""

    def __init__(self) -> None:
        self.forms: dict[str, Visit] = {}
        self.customers: dict[str, Customer] = {}
        self.open_visits: dict[int, Visit] = {}  # customer id → an open visit made by this group
        self.counters: dict[str, RateCounter] = {}
        self.calls: dict[str, list[PhoneCall]] = {}

    @classmethod
    def read(cls, session: Session, site: Site, requests: list[SignInRequest], now: datetime) -> _Known:
        known = cls()
        keys = [r.request_key for r in requests if r.request_key]
        if keys:
            sent = select(Visit).where(Visit.site_id == site.id, col(Visit.request_key).in_(keys))
            known.forms = {v.request_key or '': v for v in session.exec(sent)}
        phones = {_phone_of(r.form) for r in requests} - {''}
        if phones:
            theirs = select(Customer).where(Customer.site_id == site.id, col(Customer.phone).in_(phones))
            known.customers = {c.phone: c for c in session.exec(theirs)}
            known.calls = calls.waiting_calls(session, site_id=site.id or 0, phones=phones)
        limits = [_limits(r.client, _phone_of(r.form)) for r in requests if r.registered_by is None]
        known.counters = ratelimit.counters(session, [key for limit in limits for key in limit])
        return known

    def customer(self, session: Session, phone: str) -> Customer | None:
        customer = self.customers.get(phone)
        while customer is not None and customer.merged_into_id:
            customer = session.get(Customer, customer.merged_into_id)
        return customer

    def open_visit(self, session: Session, customer: Customer, now: datetime) -> Visit | None:
        return self.open_visits.get(customer.id or 0) or _open_visit(session, customer, now)

    def allowed(self, client: str, phone: str, now: datetime) -> bool:
        return ratelimit.count(self.counters, _limits(client, phone), window=RATE_WINDOW, now=now)


def _phone_of(form: SignInForm) -> str:
    """The form's phone as it is stored, or '' if it is not one (validate() then refuses the form)."""
    try:
        return normalise_phone(form.phone)
    except ValidationError:
        return ''


def validate(form: SignInForm, site: Site) -> SignInForm:
    """The form with every field checked and cleaned; ValidationError names the first bad field."""
    surname = clean_text(form.surname, field='surname', max_length=10_000)
    if not surname or (len(surname) <= 10 and not SURNAME.fullmatch(surname)) or re.search(r'[<>&"\d]', surname):
        raise ValidationError('surname', '请填写您的姓氏（中文或字母）')
    if len(surname) > 10:
        raise ValidationError('surname', '不能超过 {n} 个字', n=10)
    if form.title not in TITLES:
        raise ValidationError('title', '请选择先生或女士')
    channels = sites.setting(site, 'channels')
    if form.channel and form.channel not in channels:
        raise ValidationError('channel', '请从列表中选择了解渠道')
    if not form.consent:
        raise ValidationError('consent', '请阅读并同意个人信息使用说明')
    interests = _interests(form.interests)
    return SignInForm(
        surname=surname,
        title=form.title,
        phone=normalise_phone(form.phone),
        party_size=_party_size(form.party_size),
        first_visit=bool(form.first_visit),
        channel=form.channel,
        interests=interests,
        consent=True,
    )


def _interests(given: dict[str, str]) -> dict[str, str]:
    """Only the interests the forms offer, each one of its offered choices; an empty one is left out."""
    kept = {}
    for key, value in given.items():
        text = str(value or '').strip()
        if not text:
            continue
        if text not in INTEREST_CHOICES.get(key, ()):
            raise ValidationError('interests', '请从选项中选择')
        kept[key] = text
    return kept


def _party_size(raw: int | str | None) -> int:
    try:
        size = int(str(raw if raw is not None else '').strip() or 1)
    except ValueError:
        raise ValidationError('party_size', '来访人数请填 1–20 的数字') from None
    if not 1 <= size <= 20:
        raise ValidationError('party_size', '来访人数请填 1–20 的数字')
    return size


def _open_visit(session: Session, customer: Customer, now: datetime) -> Visit | None:
    """The customer's visit of the last half hour that is still open."""
    query = select(Visit).where(
        Visit.customer_id == customer.id,
        Visit.arrived_at > now - DUPLICATE_WINDOW,
        col(Visit.status).in_([VisitStatus.WAITING, VisitStatus.ASSIGNED, VisitStatus.RECEIVING]),
    )
    return session.exec(query).first()


def _limits(client: str, phone: str) -> dict[str, int]:
    return {f'signin:client:{client}': PER_CLIENT, f'signin:phone:{phone}': PER_PHONE}


def _record(
    session: Session,
    site: Site,
    form: SignInForm,
    customer: Customer | None,
    request: SignInRequest,
    now: datetime,
    known: _Known,
) -> tuple[Visit, Customer]:
    returning = customer is not None
    if customer is None:
        customer = Customer(
            site_id=site.id or 0, surname=form.surname, title=form.title, phone=form.phone, channel=form.channel
        )
    customer.interests = customer.interests | form.interests
    customer.consent_at, customer.consent_version = now, CONSENT_VERSION
    session.add(customer)
    session.flush()
    if not returning:
        known.customers[customer.phone] = customer
        calls.link_calls(session, customer, known.calls.pop(customer.phone, []))  # a caller now at the door
    visit = Visit(
        site_id=site.id or 0,
        day=roster.local_day(site, now),
        customer_id=customer.id or 0,
        arrived_at=now,
        party_size=int(form.party_size or 1),
        first_visit=form.first_visit,
        returning_customer=returning,
        source=request.source,
        request_key=request.request_key,
        registered_by_id=request.registered_by.id if request.registered_by else None,
        signed_as=f'{form.surname}{form.title}' if request.registered_by is None else None,
    )
    session.add(visit)
    session.flush()
    return visit, customer


def _result(visit: Visit, consultants: dict[int, tuple[str, str | None]], *, duplicate: bool) -> SignInResult:
    name, photo = consultants.get(visit.assigned_id or 0, (None, None))
    return SignInResult(visit_id=visit.id or 0, consultant=name, consultant_photo=photo, duplicate=duplicate)
