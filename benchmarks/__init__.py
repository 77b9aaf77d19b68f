"""Benchmarks, run by ``make bench`` (``python -m benchmarks``). They print figures; nothing
here asserts on time."""
