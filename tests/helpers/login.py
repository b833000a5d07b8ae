"""Logging a simulated phone in, as a person does: the login page, the fields, the button."""

from nicegui import ui
from nicegui.testing import User

from tests.helpers.factories import PASSWORD


async def log_in(user: User, login: str = 'wangjing', password: str = PASSWORD) -> None:
    await user.open('/login')
    user.find('手机号或用户名').type(login)
    user.find('密码').type(password)
    user.find(kind=ui.button, content='登录').click()
