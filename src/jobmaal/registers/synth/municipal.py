"""Municipal drivers: the framework conditions (rammevilkår) and the hidden job-centre effect.

Each municipality gets two latent traits, urbanisation and deprivation, from its population
and region plus noise. The published framework variables are functions of those traits; the
outcome probabilities of the microdata (refugee employment, upskilling, collaboration) are
linear in the standardised framework variables, plus a per-job-centre effect drawn
independently of everything else, plus municipal noise. So an expected-level model fitted on
the framework variables can recover the framework part, and the job-centre effect is the
ground truth of what is left.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jobmaal.geography.areas import Geography
from jobmaal.registers.synth.common import stream, zscore


@dataclass(frozen=True)
class FrameworkVariable:
    name: str
    danish: str
    english: str
    unit: str


FRAMEWORK_VARIABLES: tuple[FrameworkVariable, ...] = (
    FrameworkVariable("andel_ikke_vestlige", "Andel indvandrere og efterkommere fra ikke-vestlige "
                      "lande af de 16-66-årige", "Share of non-western immigrants and descendants "
                      "among persons aged 16-66", "percent"),
    FrameworkVariable("andel_flygtninge", "Andel flygtninge og familiesammenførte til flygtninge "
                      "af de 18-66-årige", "Share of refugees and family-reunified to refugees "
                      "among persons aged 18-66", "percent"),
    FrameworkVariable("andel_offentligt_forsoergede", "Andel af de 16-66-årige på offentlig "
                      "forsørgelse (fuldtidspersoner)", "Share of persons aged 16-66 on public "
                      "benefits (full-time equivalents)", "percent"),
    FrameworkVariable("ledighedsprocent", "Bruttoledighed i procent af arbejdsstyrken",
                      "Gross unemployment rate of the labour force", "percent"),
    FrameworkVariable("beskaeftigelsesfrekvens", "Andel beskæftigede af de 16-66-årige",
                      "Employment rate of persons aged 16-66", "percent"),
    FrameworkVariable("andel_uden_erhvervsuddannelse", "Andel 25-64-årige uden "
                      "erhvervskompetencegivende uddannelse", "Share of persons aged 25-64 "
                      "without vocational or higher education", "percent"),
    FrameworkVariable("log_befolkningstaethed", "Naturlig logaritme til indbyggere pr. km²",
                      "Natural log of inhabitants per square kilometre", "log(persons/km²)"),
    FrameworkVariable("gennemsnitsindkomst", "Gennemsnitlig disponibel indkomst pr. voksen",
                      "Average disposable income per adult", "1000 DKK per year"),
)

# Affluent suburbs and peripheral islands/outskirts: known structure the noise alone would miss.
_AFFLUENT = {147, 157, 173, 190, 201, 223, 230, 240}
_PERIPHERAL = {360, 376, 400, 482, 492, 741, 773, 825, 563, 787, 849}

# How strongly the job-centre effect shifts each outcome on the logit scale (per unit effect).
EFFECT_SCALE = {"refugee_employment": 0.30, "upskilling": 0.30, "collaboration": 0.30}

# Logit coefficients of the standardised framework variables in each outcome.
OUTCOME_COEFFICIENTS: dict[str, dict[str, float]] = {
    "refugee_employment": {"ledighedsprocent": -0.18, "beskaeftigelsesfrekvens": 0.15,
                           "andel_ikke_vestlige": -0.08, "andel_flygtninge": -0.06},
    "upskilling": {"andel_uden_erhvervsuddannelse": 0.15, "log_befolkningstaethed": 0.10,
                   "ledighedsprocent": -0.08},
    "collaboration": {"log_befolkningstaethed": -0.15, "ledighedsprocent": 0.10,
                      "gennemsnitsindkomst": -0.08},
}
_OUTCOME_NOISE = {"refugee_employment": 0.10, "upskilling": 0.12, "collaboration": 0.10}


@dataclass(frozen=True)
class Municipal:
    """Everything the later stages need about the 98 municipalities, indexed in geography order."""

    codes: np.ndarray  # int64, DST codes
    jobcentre: np.ndarray  # int64, lead municipality of the job centre
    region: np.ndarray  # int8 index of region
    rar: np.ndarray  # int8 index into rar_names
    rar_names: tuple[str, ...]
    population: np.ndarray  # float, 2020 population
    urban: np.ndarray  # standardised urbanisation
    deprivation: np.ndarray  # standardised deprivation
    framework: dict[tuple[str, int], np.ndarray]  # (variable, year) → value per municipality
    effect: np.ndarray  # hidden job-centre effect of each municipality's job centre
    outcome: dict[str, np.ndarray]  # outcome → municipal logit shift (framework + effect + noise)


def build_municipal(geo: Geography, seed: int, years: list[int]) -> Municipal:
    ms = geo.municipalities
    rng = stream(seed, "municipal")
    codes = np.array([m.code for m in ms], dtype=np.int64)
    pop = np.array([m.population_2020 for m in ms], dtype=float)
    regions = sorted({m.region_code for m in ms})
    rar_names = tuple(sorted({m.rar for m in ms}))
    capital = np.array([m.rar == "Hovedstaden" for m in ms])
    affluent = np.isin(codes, list(_AFFLUENT))
    peripheral = np.isin(codes, list(_PERIPHERAL))
    n = len(ms)

    urban = zscore(0.7 * zscore(np.log(pop)) + 0.9 * capital + 0.4 * rng.standard_normal(n))
    deprivation = zscore(0.25 * urban + 1.2 * peripheral - 1.6 * affluent
                         + 0.8 * rng.standard_normal(n))

    framework: dict[tuple[str, int], np.ndarray] = {}
    base = {
        "andel_ikke_vestlige": np.clip(9.5 * np.exp(0.45 * urban + 0.35 * deprivation
                                                    + 0.2 * rng.standard_normal(n)), 2, 40),
        "andel_flygtninge": np.clip(2.3 * np.exp(0.15 * urban + 0.25 * deprivation
                                                 + 0.25 * rng.standard_normal(n)), 0.6, 8),
        "andel_offentligt_forsoergede": np.clip(17 + 3.5 * deprivation - 1.0 * urban
                                                + 0.8 * rng.standard_normal(n), 9, 30),
        "ledighedsprocent": np.clip(3.3 + 0.8 * deprivation + 0.25 * urban
                                    + 0.3 * rng.standard_normal(n), 1.5, 8),
        "beskaeftigelsesfrekvens": np.clip(75 - 3.0 * deprivation + 0.5 * urban
                                           + 1.0 * rng.standard_normal(n), 60, 85),
        "andel_uden_erhvervsuddannelse": np.clip(23 + 3.0 * deprivation - 2.5 * urban
                                                 + 1.2 * rng.standard_normal(n), 10, 40),
        "log_befolkningstaethed": np.clip(4.6 + 1.3 * urban + 0.35 * rng.standard_normal(n),
                                          2.5, 9.3),
        "gennemsnitsindkomst": np.clip(235 + 12 * urban - 18 * deprivation
                                       + 6 * rng.standard_normal(n), 180, 400),
    }
    # Year-on-year: the 2021-2023 boom lowers unemployment and benefits, raises employment.
    drift = {"ledighedsprocent": (-0.6, -0.4), "andel_offentligt_forsoergede": (-0.6, -0.3),
             "beskaeftigelsesfrekvens": (0.9, 0.4), "andel_flygtninge": (0.05, 0.05),
             "andel_ikke_vestlige": (0.3, 0.3), "gennemsnitsindkomst": (6.0, 8.0),
             "andel_uden_erhvervsuddannelse": (-0.3, -0.3), "log_befolkningstaethed": (0.004, 0.004)}
    for var, value in base.items():
        current = value.copy()
        for i, year in enumerate(years):
            if i:
                step = drift[var][min(i - 1, 1)]
                current = current + step + 0.05 * abs(step) * rng.standard_normal(n)
            framework[(var, year)] = np.round(current, 4)

    effect = jobcentre_effect(geo, seed)
    first = years[0]
    outcome = {}
    for name, coefs in OUTCOME_COEFFICIENTS.items():
        shift = sum(c * zscore(framework[(v, first)]) for v, c in coefs.items())
        shift = shift + EFFECT_SCALE[name] * effect + _OUTCOME_NOISE[name] * rng.standard_normal(n)
        outcome[name] = shift
    return Municipal(
        codes=codes,
        jobcentre=np.array([m.jobcentre_code for m in ms], dtype=np.int64),
        region=np.array([regions.index(m.region_code) for m in ms], dtype=np.int8),
        rar=np.array([rar_names.index(m.rar) for m in ms], dtype=np.int8),
        rar_names=rar_names,
        population=pop,
        urban=urban,
        deprivation=deprivation,
        framework=framework,
        effect=effect,
        outcome=outcome,
    )


def jobcentre_effect(geo: Geography, seed: int) -> np.ndarray:
    """One standard-normal value per job centre, shared by its municipalities.

    Drawn from its own stream and nothing else, so it cannot be derived from the framework.
    """
    centres = sorted({m.jobcentre_code for m in geo.municipalities})
    draws = stream(seed, "jobcentre").standard_normal(len(centres))
    by_centre = dict(zip(centres, draws, strict=True))
    return np.array([by_centre[m.jobcentre_code] for m in geo.municipalities])


def framework_columns(mun: Municipal, years: list[int]) -> dict[str, list]:
    rows: dict[str, list] = {"municipality_code": [], "year": [], "variable": [], "value": []}
    for year in years:
        for var in FRAMEWORK_VARIABLES:
            values = mun.framework[(var.name, year)]
            rows["municipality_code"] += mun.codes.tolist()
            rows["year"] += [year] * len(values)
            rows["variable"] += [var.name] * len(values)
            rows["value"] += values.tolist()
    return rows
