"""Acme billing worker: turns ``order.created`` events into invoices."""

__version__ = "0.7.1"
