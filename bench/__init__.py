"""Benchmarks for Jianfu: ``python -m bench`` (SQLite) or ``python -m bench --postgres``.

They print tables of figures against the targets of the issue; they are not tests and assert no timings.
"""
