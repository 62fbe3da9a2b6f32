"""Shared checks for chart specs."""

from __future__ import annotations

import json
from functools import cache

import altair as alt
import jsonschema


@cache
def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(alt.vegalite.v6.schema.core.load_schema())


def assert_valid_vega_lite(spec: dict) -> None:
    errors = list(_validator().iter_errors(spec))
    assert not errors, "\n".join(e.message[:300] for e in errors[:5])
    assert spec["$schema"].endswith(f"/{alt.SCHEMA_VERSION}.json")


def inline_rows(spec: dict) -> list[dict]:
    """Every record in every inline dataset of the spec, wherever it sits."""
    found: list[dict] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("values"), list):
                found.extend(v for v in node["values"] if isinstance(v, dict))
            for key, value in node.items():
                if key == "datasets":
                    for rows in value.values():
                        if isinstance(rows, list):
                            found.extend(r for r in rows if isinstance(r, dict))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return found


def spec_text(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False)
