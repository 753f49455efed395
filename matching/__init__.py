"""Matching: forms small, compatible groups from the waiting pool.

`features` and `grouping` are pure (numpy/scikit-learn only) so that benchmarks
and evaluators can import them without Flask or a database.
"""
