"""Benchmarks: each prints a table with ratios against its baselines (see DESIGN.md)."""
