"""Demo population for a new installation (``flask seed-demo``).

It sits above the domain packages, like app.py, and fills each through its own
service so demo data obeys the same rules as real data. Nothing here is real
people's words.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from demo.cli import seed_demo_command, welcome_command

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(welcome_command)
