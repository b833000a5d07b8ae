"""Photo proof on a phone: the camera button (an upload that opens the camera), thumbnails, tap to enlarge."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import events, ui

from models import Photo
from services.core.i18n import t

from .frame import page_dialog

# The uploader as one thumb-sized bar: its file input covers the whole header, the queue list is hidden.
CAPTURE_CSS = """
.ac-capture { min-height: 0; max-height: none; box-shadow: none; }
.ac-capture .q-uploader__header { position: relative; min-height: 48px; }
.ac-capture .q-uploader__header .q-btn { position: static; }
.ac-capture .q-uploader__subtitle, .ac-capture .q-uploader__list { display: none; }
.ac-capture .q-uploader__title { font-size: 16px; line-height: 32px; }
"""
MAX_UPLOAD_BYTES = 15 * 1024 * 1024  # the pipeline's own limit; the phone refuses bigger files before sending


def photo_url(photo_id: int, *, thumb: bool = False) -> str:
    return f'/duty/photo/{photo_id}' + ('?thumb=1' if thumb else '')


def capture_button(
    *, camera_only: bool, on_photo: Callable[[bytes], Awaitable[None]], mark: str, label: str = '拍照'
) -> ui.upload:
    """A thumb-sized button that opens the camera (or also the gallery); each photo goes to `on_photo` at once."""

    async def received(e: events.UploadEventArguments) -> None:
        await on_photo(await e.file.read())

    ui.add_css(CAPTURE_CSS)
    upload = ui.upload(
        label=t(label), auto_upload=True, multiple=True, max_file_size=MAX_UPLOAD_BYTES, on_upload=received
    )
    upload.on_rejected(lambda: ui.notify(t('照片太大（最大 {mb} MB）', mb='15'), type='negative'))
    accept = 'accept="image/*" capture=environment' if camera_only else 'accept="image/*"'
    upload.props(f'{accept} flat bordered color=teal-8 no-thumbnails').classes('ac-capture w-full').mark(mark)
    return upload


def photo_strip(
    photos: list[Photo], *, size: int = 72, on_remove: Callable[[int], Awaitable[None]] | None = None
) -> None:
    """Thumbnails side by side; a tap shows the photo full size; near-copies of earlier photos are flagged."""
    if not photos:
        return
    with ui.row().classes('gap-2 w-full'):
        for photo in photos:
            with ui.column().classes('gap-0 items-center relative').mark(f'photo-{photo.id}'):
                ui.image(photo_url(photo.id or 0, thumb=True)).classes('rounded cursor-pointer').style(
                    f'width:{size}px;height:{size}px'
                ).props('fit=cover').on('click', lambda p=photo: enlarge(p, on_remove))
                if photo.near_copy_of_id:
                    ui.badge(t('疑似重复'), color='red-7').classes('text-xs').mark(f'near-copy-{photo.id}')


def photo_grid(photos: list[tuple[Photo, str]]) -> None:
    """A checklist's photos side by side, three to a row, each captioned with its item; a tap enlarges."""
    if not photos:
        return
    with ui.grid(columns=3).classes('w-full gap-2'):
        for photo, caption in photos:
            with ui.column().classes('gap-0 min-w-0').mark(f'photo-{photo.id}'):
                ui.image(photo_url(photo.id or 0, thumb=True)).classes('w-full rounded cursor-pointer').props(
                    'ratio=1 fit=cover'
                ).on('click', lambda p=photo: enlarge(p))
                ui.label(caption).classes('text-xs truncate w-full')
                if photo.near_copy_of_id:
                    ui.badge(t('疑似重复'), color='red-7').classes('text-xs').mark(f'near-copy-{photo.id}')


def enlarge(photo: Photo, on_remove: Callable[[int], Awaitable[None]] | None = None) -> None:
    with page_dialog().props('maximized') as dialog, ui.card().classes('w-full h-full bg-black items-center gap-2 p-2'):
        ui.image(photo_url(photo.id or 0)).props('fit=contain').classes('w-full flex-1')
        if photo.near_copy_of_id:
            ui.label(t('这张照片与之前的一张几乎相同')).classes('text-red-300')
        with ui.row().classes('w-full justify-center gap-2'):
            if on_remove is not None:

                async def remove() -> None:
                    dialog.close()
                    await on_remove(photo.id or 0)

                ui.button(t('删除照片'), icon='delete', on_click=remove).props('outline color=red-4').classes(
                    'ac-big-btn'
                )
            ui.button(t('关闭'), on_click=dialog.close).props('unelevated color=white text-color=black').classes(
                'ac-big-btn'
            )
    dialog.open()
