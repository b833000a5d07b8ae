"""Customers' rights under PIPL: retention, one customer's data export, anonymisation on request or when due."""

from .anonymise import ANONYMOUS, anonymise_customer, anonymise_expired, retention_cutoff
from .export import customer_for_manager, export_customer, export_json
from .job import RETENTION_SWEEP_SECONDS, run_retention_sweep, start_retention_job

__all__ = [
    'ANONYMOUS',
    'RETENTION_SWEEP_SECONDS',
    'anonymise_customer',
    'anonymise_expired',
    'customer_for_manager',
    'export_customer',
    'export_json',
    'retention_cutoff',
    'run_retention_sweep',
    'start_retention_job',
]
