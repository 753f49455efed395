"""Matching: forms small, compatible groups from the waiting pool.

`features` and `grouping` are pure (numpy/scikit-learn only) so that benchmarks
and evaluators can import them without Flask or a database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register the matching pages. Imports happen here so that importing the pure
    modules (``matching.grouping``) never loads Flask."""
    from matching import api, cli, panel, receivers, routes

    app.register_blueprint(routes.bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.match_cli)
    receivers.connect()
    # The console (moderation) includes matching/_console_panel.html, which calls this.
    app.add_template_global(panel.panel_data, "matching_console_panel")
