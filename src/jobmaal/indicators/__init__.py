"""The indicator engine: register measures computed in DuckDB into the facts table."""
