"""Photo proof on a phone: the camera button (an upload that opens the camera), thumbnails, tap to enlarge."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import events, ui

from models import Photo
from services.core.i18n import t

from .frame import page_dialog

MAX_UPLOAD_BYTES = 15 * 1024 * 1024  # the pipeline's own limit (a phone sends its photos shrunk, far below it)


class PhotoUpload(ui.upload, component='photo_capture.js'):
    """An upload drawn as one button: the phone shrinks each photo before sending it, and shows its progress
    (photo_capture.js); the server receives it as any upload."""


def photo_url(photo_id: int, *, thumb: bool = False) -> str:
    return f'/duty/photo/{photo_id}' + ('?thumb=1' if thumb else '')


def capture_button(
    *,
    camera_only: bool,
    on_photo: Callable[[bytes], Awaitable[None]],
    mark: str,
    label: str = '拍照',
    quiet: bool = False,
) -> ui.upload:
    """A thumb-sized button that opens the camera (or also the gallery); each photo goes to `on_photo` at once.
    `quiet`: an outlined button, for photos that are welcome but not required."""

    async def received(e: events.UploadEventArguments) -> None:
        await on_photo(await e.file.read())

    upload = PhotoUpload(
        label=t(label), auto_upload=True, multiple=True, max_file_size=MAX_UPLOAD_BYTES, on_upload=received
    )
    upload._props['icon'] = 'photo_camera'
    upload._props['camera'] = camera_only
    upload._props['quiet'] = quiet
    upload._props['texts'] = {
        'shrinking': t('正在压缩照片…'),
        'uploading': t('正在上传 {p}%'),
        'processing': t('已上传，正在保存…'),
        'failed': t('上传失败，照片仍在手机上'),
        'retry': t('重试'),
        'drop': t('放弃这张'),
    }
    return upload.classes('w-full').mark(mark)


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
