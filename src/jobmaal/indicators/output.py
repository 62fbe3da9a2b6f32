"""Writing a computation to its OUT folder: facts.parquet and manifest.json, atomically."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from jobmaal import __version__
from jobmaal.atomic import replace_folder
from jobmaal.catalogue import load_catalogue
from jobmaal.indicators.engine import EngineSettings, compute_facts
from jobmaal.indicators.measures import MEASURES
from jobmaal.registers.contract import table_path
from jobmaal.registers.validate import check_required_rows, data_end

FACTS_FILE = "facts.parquet"
FRAMEWORK_FILE = "framework.parquet"  # the framework conditions, for the expected-level model
MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1


class CatalogueMismatchError(ValueError):
    """The engine's measures and the year's catalogue disagree."""


def check_measures_against_catalogue(year: int) -> None:
    """Every register measure must be in the year's catalogue with the same shape."""
    catalogue = load_catalogue(year)
    for m in MEASURES:
        try:
            entry = catalogue.indicator(m.id)
        except KeyError:
            raise CatalogueMismatchError(f"{m.id} is not in the {year} catalogue") from None
        if entry.periodicity != m.native_period:
            raise CatalogueMismatchError(
                f"{m.id}: catalogue says {entry.periodicity}, engine computes {m.native_period}")
        if tuple(b.id for b in entry.breakdowns) != m.breakdowns:
            raise CatalogueMismatchError(f"{m.id}: breakdowns differ from the catalogue")


def run_compute(registers: str | Path, year: int, out: str | Path,
                settings: EngineSettings | None = None) -> dict:
    """Compute `year` from a register folder into OUT; returns the manifest.

    Nothing is written unless the whole computation succeeds; OUT is then replaced whole.
    Required tables without rows are refused; `manifest["warnings"]` says what looks wrong
    without being an error (data ending before the year asked for).
    """
    registers = Path(registers).resolve()
    settings = settings or EngineSettings()
    check_measures_against_catalogue(year)
    _generator_info(registers)  # a broken synth.json is refused before minutes of computing
    # The staging folder is made first, so an OUT that cannot be written is said at once.
    with replace_folder(out) as staging:
        facts = compute_facts(registers, year, settings)
        check_required_rows(registers)
        facts_path = staging / FACTS_FILE
        pq.write_table(facts, facts_path, compression="zstd")
        framework = pq.read_table(table_path(registers, "framework"))
        pq.write_table(framework, staging / FRAMEWORK_FILE, compression="zstd")
        manifest = build_manifest(facts, facts_path, registers, year, settings)
        manifest["framework_variables"] = framework_variables(registers, framework)
        manifest["warnings"] = data_warnings(registers, year)
        (staging / MANIFEST_FILE).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def data_warnings(registers: Path, year: int) -> list[str]:
    """What a user should know about the data before trusting the figures (in Danish)."""
    end = data_end(registers)
    if end is not None and end.year < year:
        return [f"Dataene slutter i {end:%Y-%m}, før {year}, som der er beregnet for: tallene for "
                f"{year} mangler eller er foreløbige."]
    return []


def build_manifest(facts: pa.Table, facts_path: Path, registers: Path, year: int,
                   settings: EngineSettings) -> dict:
    generated = _generator_info(registers)
    per_indicator = Counter(facts.column("indicator").to_pylist())
    periods = sorted(set(facts.column("period").to_pylist()))
    return {
        "format": MANIFEST_FORMAT,
        "kind": "computed",
        "year": year,
        "catalogue_year": year,
        "periods": periods,
        "source": {
            "type": "registers",
            "folder": str(registers),
            "synthetic": generated is not None,
            "seed": generated.get("seed") if generated else None,
            "scale": generated.get("scale") if generated else None,
        },
        "settings": {
            "suppression_threshold": settings.suppression_threshold,
            "provisional_months": settings.provisional_months,
        },
        "engine_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "row_counts": {"total": facts.num_rows, **dict(sorted(per_indicator.items()))},
        "facts_sha256": sha256_file(facts_path),
    }


def framework_variables(registers: Path, framework: pa.Table) -> list[dict]:
    """Name, Danish and English text and unit of each framework variable.

    The generator documents its variables in synth.json; real data without such a file gets
    the bare names, which the web app shows as they are.
    """
    documented = {v["name"]: v for v in (_generator_info(registers) or {}).get("framework_variables", [])}
    names = sorted(set(framework.column("variable").to_pylist()))
    return [documented.get(n, {"name": n, "danish": n, "english": n, "unit": ""}) for n in names]


def _generator_info(registers: Path) -> dict | None:
    info = registers / "synth.json"
    if not info.is_file():
        return None
    try:
        described = json.loads(info.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{info}: not valid JSON ({exc})") from None
    variables = described.get("framework_variables", []) if isinstance(described, dict) else None
    if not isinstance(variables, list) or not all(isinstance(v, dict) and "name" in v for v in variables):
        raise ValueError(f"{info}: expected an object whose framework_variables is a list of objects "
                         "with a name (as `jobmaal synth` writes it)")
    return described


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_release(out: str | Path) -> tuple[pa.Table, dict]:
    """Read a computed folder back, checking the facts against the manifest's checksum."""
    out = Path(out)
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    if sha256_file(out / FACTS_FILE) != manifest["facts_sha256"]:
        raise ValueError(f"{out / FACTS_FILE} does not match its manifest checksum")
    return pq.read_table(out / FACTS_FILE), manifest
