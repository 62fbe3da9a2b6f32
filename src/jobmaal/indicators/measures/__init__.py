"""The register measures, one module and one SQL file each. Add a measure by adding both and
listing it here."""

from jobmaal.indicators.measures import goal4, mm10, mm13, mm17, rekrut, ukraine
from jobmaal.indicators.measures.base import Dimension, Measure, NumeratorVariant

MEASURES: tuple[Measure, ...] = (
    mm17.MEASURE,
    mm13.MM13,
    mm13.MM13_190,
    mm13.MM13_SELV,
    ukraine.UKR_BESK,
    ukraine.UKR_RAADIG,
    rekrut.MEASURE,
    mm10.MEASURE,
    goal4.LOK_FLEXJOB,
    goal4.LOK_LEDYD_FLEX,
    goal4.LOK_LEDYD,
)

__all__ = ["MEASURES", "Dimension", "Measure", "NumeratorVariant"]
