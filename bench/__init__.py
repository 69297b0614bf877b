"""Benchmarks of Alur (issue 13): ``python -m bench [--size tiny|full] [--only NAME ...]``.

See :mod:`bench.core` for how a benchmark is written and :mod:`bench.registry` for the list.
"""
