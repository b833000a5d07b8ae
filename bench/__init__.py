"""Benchmarks, each runnable as `python -m bench.<name>`, and the harness browser tests share."""
