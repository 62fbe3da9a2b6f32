"""Register microdata: the contract the indicator engine reads, its validation, and the
synthetic generator that writes it (see shared/spec/registers.md)."""
