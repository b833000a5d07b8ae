"""Small moves on simulated phones that several page tests make."""

from nicegui.testing import User


def pick_grade(user: User, grade: str) -> None:
    """Tap a grade on the A/B/C/D toggle (the simulated user clicks radios, not toggles)."""
    for toggle in user.find(marker='grade').elements:
        toggle.set_value(grade)  # type: ignore[attr-defined]
