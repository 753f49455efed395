"""Site pages that belong to no single domain: landing, help, guidelines, health."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from pages import routes

    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def navigation() -> dict[str, object]:
        # Templates link to a page only once its package is installed in the app.
        return {"url_rules": app.view_functions}

    app.register_blueprint(routes.bp)
