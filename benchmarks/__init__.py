"""Benchmarks of the workshop recipes; run them as modules, for example `python -m benchmarks.time_to_quality`."""
