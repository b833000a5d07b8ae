"""值班: today's duty, doing a checklist, the manager's review and the plan."""

from . import checklist, discipline_form, plan, review, today

__all__ = ['checklist', 'discipline_form', 'plan', 'review', 'today']
