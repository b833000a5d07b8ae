"""可比楼盘调查: the site's comparable projects, each with its latest survey; salespeople add dated entries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from nicegui import APIRouter, run, ui

import config
import db
from components.actions import act
from components.duty_actions import act as photo_act
from components.frame import frame
from components.photo_capture import capture_button, photo_strip
from components.session import guard
from models import Competitor, Photo, Role, Staff, utcnow
from services import competitors
from services.core.i18n import t
from services.customers import contacts
from services.photos import store as photo_store

router = APIRouter()


@router.page('/reports/competitors')
async def competitors_page() -> None:
    me = guard(frozenset({Role.MANAGER, Role.SALESPERSON}))
    if me is None:
        return
    with frame('可比楼盘调查', me, active='/reports'):
        view = ui.refreshable(competitors_view)
        await view(me, view.refresh)


async def competitors_view(me: Staff, redraw: Callable[[], object]) -> None:
    found = await run.io_bound(_read, me)
    if found is None:
        return
    rivals, latest, today = found
    for x in latest:
        with ui.card().classes('w-full gap-0 p-3').mark(f'rival-{x.competitor}'):
            ui.label(x.competitor).classes('text-base font-semibold')
            if x.surveyed_on is None:
                ui.label(t('还没有调查记录')).classes('ac-muted text-sm')
                continue
            ui.label(t('{day} · {name}', day=x.surveyed_on.isoformat(), name=x.by)).classes('ac-muted text-sm')
            for label, value in (
                ('均价（元/㎡）', x.price_per_m2),
                ('优惠', x.offers),
                ('在售房源', x.stock),
                ('销售速度', x.pace),
                ('动态', x.moves),
            ):
                if value:
                    ui.label(f'{t(label)}：{value}').classes('text-sm')
            photo_strip(list(x.photos))
    if rivals:
        survey_form(rivals, today, redraw)
    if me.role == Role.MANAGER:
        add_rival_form(redraw)


def _read(me: Staff) -> tuple[list[Competitor], list[competitors.Latest], date]:
    with db.session() as s:
        site = contacts.site_of(s, me)
        today = contacts.local_today(site, utcnow())
        return competitors.competitors_of(s, actor=me), competitors.latest(s, site_id=site.id or 0, until=today), today


def survey_form(rivals: list[Competitor], today: date, redraw: Callable[[], object]) -> None:
    with ui.card().classes('w-full gap-2 p-3').mark('survey-form'):
        ui.label(t('新增调查')).classes('text-base font-semibold')
        rival = ui.select({c.id: c.name for c in rivals}, label=t('楼盘'), value=rivals[0].id).props('outlined dense')
        rival.mark('survey-rival')
        day = ui.input(t('调查日期'), value=today.isoformat()).props('outlined dense type=date')
        price = ui.input(t('均价（元/㎡）')).props('outlined dense inputmode=numeric').mark('survey-price')
        fields = {
            k: ui.input(t(label)).props('outlined dense').mark(f'survey-{k}')
            for k, label in (('offers', '优惠'), ('stock', '在售房源'), ('pace', '销售速度'), ('moves', '动态'))
        }
        photos: list[Photo] = []  # taken on this form, linked to the entry when it is saved

        @ui.refreshable
        def strip() -> None:
            photo_strip(photos, on_remove=remove_photo)

        async def take(data: bytes) -> None:
            root = config.current().photos_dir
            photo = await photo_act(lambda s, a: competitors.take_photo(s, actor=a, data=data, root=root))
            if photo is not None:
                photos.append(photo)
                strip.refresh()

        async def remove_photo(photo_id: int) -> None:
            if await photo_act(lambda s, a: photo_store.remove_photo(s, actor=a, photo_id=photo_id)) is not None:
                photos[:] = [p for p in photos if p.id != photo_id]
                strip.refresh()

        strip()
        capture_button(
            camera_only=False, on_photo=take, mark='survey-photo', label='拍照（价格表、优惠海报）', quiet=True
        )

        async def save() -> None:
            form = competitors.SurveyForm(
                competitor_id=rival.value or 0,
                surveyed_on=date.fromisoformat(day.value) if day.value else today,
                price_per_m2=price.value or None,
                **{k: f.value or '' for k, f in fields.items()},
                photo_ids=[p.id or 0 for p in photos],
            )
            if await act(lambda s, a: competitors.add_survey(s, actor=a, form=form)):
                ui.notify(t('已保存'), type='positive')
                redraw()

        ui.button(t('保存调查'), on_click=save).props('unelevated color=teal-8').classes('w-full').mark('save-survey')


def add_rival_form(redraw: Callable[[], object]) -> None:
    with ui.card().classes('w-full gap-2 p-3'):
        name = ui.input(t('新增可比楼盘')).props('outlined dense').mark('rival-name')

        async def add() -> None:
            if await act(lambda s, a: competitors.add_competitor(s, actor=a, name=name.value or '')):
                redraw()

        ui.button(t('添加楼盘'), icon='add', on_click=add).props('outline color=teal-8').mark('add-rival')
