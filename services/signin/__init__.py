"""Walk-in sign-in (到访登记): the signed entrance and TV tokens, the QR poster, the form and its per-site writer.

This package is the area's public face: other areas and the pages import the modules named in `__all__`."""

from . import display, poster, qr, queue, register

__all__ = ['display', 'poster', 'qr', 'queue', 'register']
