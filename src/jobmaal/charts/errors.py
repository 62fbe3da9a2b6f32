"""Errors of chart building."""


class ChartInputError(ValueError):
    """The data handed to a chart function cannot be drawn; the message says which item and why."""
