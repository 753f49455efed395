"""Moderation: screening, reports, the queue, sanctions and the audit log.

`screening` is pure so that rooms, benchmarks and evaluators can import it
without Flask or a database.
"""
