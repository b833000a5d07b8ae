"""main.py's runtime settings that change how NiceGUI itself runs."""

from nicegui import helpers

import main


class Handlers:
    def takes_one(self, event: object) -> None: ...

    def takes_none(self) -> None: ...

    def takes_any(self, *args: object) -> None: ...


def test_handler_signatures_remembered_give_the_answers_inspect_gives() -> None:
    main.remember_handler_signatures()
    remembering = helpers.expects_arguments
    main.remember_handler_signatures()  # main.py runs again for every page test: wrapped once
    assert helpers.expects_arguments is remembering
    a, b = Handlers(), Handlers()
    for _ in range(2):  # asked, then remembered
        assert helpers.expects_arguments(a.takes_one) and helpers.expects_arguments(b.takes_one)
        assert not helpers.expects_arguments(a.takes_none)
        assert not helpers.expects_arguments(b.takes_any)
    assert helpers.expects_arguments(lambda e: None)  # not a bound method: asked each time
    assert not helpers.expects_arguments(lambda: None)
