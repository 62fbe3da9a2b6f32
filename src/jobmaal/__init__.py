"""Jobmål: follow-up of the Danish employment-policy goals for all 98 municipalities."""

__version__ = "0.1.0"
