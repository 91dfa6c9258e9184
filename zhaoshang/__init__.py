"""Zhaoshang (招商): the investment-promotion ledger and assessment system."""

__version__ = "0.1.0"
