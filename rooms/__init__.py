"""Rooms: small moderated group rooms, the /chat namespace and the chat page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from extensions import socketio
    from rooms import cli, receivers, routes
    from rooms.events import ChatNamespace

    app.register_blueprint(routes.bp)
    cli.init_cli(app)
    receivers.connect()
    if "/chat" not in socketio.server.namespace_handlers:
        socketio.on_namespace(ChatNamespace("/chat"))
