"""A customer's data rights, for managers: export one customer's data, anonymise it on request."""

from .customer_data import router

__all__ = ['router']
