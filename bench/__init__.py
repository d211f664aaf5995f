"""Benchmarks: `python -m bench` runs every figure (see `bench/__main__.py`); `bench.pictures` and
`bench.triage` print the detailed picture and triage tables."""
