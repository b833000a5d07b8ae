"""提醒: the manager's alert log and channel settings, my own reach, Web Push subscription, the demo receiver."""

from . import channels, log, me, receiver

ROUTERS = [log.router, channels.router, me.router, receiver.router]
