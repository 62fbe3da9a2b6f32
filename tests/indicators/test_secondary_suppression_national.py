"""Secondary suppression on a synthetic national release (scale 0.05): nothing hidden can be worked
out from what is shown, along areas, breakdowns or time."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pytest

from jobmaal.indicators.engine import compute_facts, suppression_links
from jobmaal.indicators.suppression import fact_equations, recoverable_cells
from jobmaal.registers.synth import generate


@pytest.mark.slow
def test_no_hidden_cell_of_a_scale_005_release_can_be_recovered(tmp_path):
    generate(tmp_path, scale=0.05, seed=1)
    facts = compute_facts(tmp_path, 2023, validate=False)
    links = suppression_links(facts, 2023)
    reason = facts.column("suppression").to_pylist()
    primary, secondary = reason.count("primary"), reason.count("secondary")
    assert primary > 10_000 and 0 < secondary <= primary
    hidden = facts.column("suppressed").to_numpy(zero_copy_only=False)
    # no sum has exactly one hidden cell (no single subtraction) ...
    equations = fact_equations(facts.select(["indicator", "period", "area_level", "area_code",
                                             "breakdown", "breakdown_value"]), links)
    per_sum = np.add.reduceat(hidden[equations.cells].astype(int), equations.start[:-1])
    assert equations.count > 100_000 and not (per_sum == 1).any()
    # ... and no chain or combination of subtractions determines one
    assert not recoverable_cells(facts, links).any()
    # the country totals stay shown
    country = pc.and_(pc.equal(facts.column("area_level"), "land"),
                      pc.equal(facts.column("breakdown"), "i_alt"))
    shown = pc.filter(facts.column("suppression"), country).to_pylist()
    assert "secondary" not in shown
