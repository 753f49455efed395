"""Concerns: moderators see them, the person flagged never hears of them, raising
them is rate-limited, and bad-faith flags are counted where moderators look."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import func, select

from accounts.models import User
from db import db
from moderation.models import Concern, QueueItem, QueueKind
from moderation.reports import CONCERN_LIMIT
from tests.moderation.conftest import Chat, ModConsole, audit_rows, everything_received


def test_concern_reaches_moderators_and_never_the_person(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
) -> None:
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    mod = console(make_user("keeper", role="moderator"))
    tern_chat, wren_chat = chat(tern), chat(wren)
    tern_chat.join(room_id), wren_chat.join(room_id)
    tern_chat.received(), wren_chat.received()
    ack = tern_chat.call(
        "concern", {"room_id": room_id, "about_handle": "wren", "note": "they seem very low today"}
    )
    assert ack["ok"], ack
    items = mod.received("queue_item")
    assert len(items) == 1
    assert items[0]["kind"] == "concern"
    assert items[0]["severity"] == 3
    assert everything_received(wren_chat, "/chat") == []  # nothing at all reaches wren
    with app.app_context():
        wren_row = db.session.get(User, wren.id)
        assert wren_row is not None
        assert not wren_row.is_muted()
        assert not wren_row.is_banned()
    assert audit_rows(app) == []


def test_live_concern_excerpt_is_in_each_moderators_language(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
) -> None:
    """The live card matches the server-rendered queue: Hearth's "Concern about …"
    reaches a German console in German and an English one in English, the note as
    written."""
    from flask_babel import force_locale, gettext

    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    german, english = make_user("hueter", role="moderator"), make_user("keeper", role="moderator")
    with app.app_context():
        row = db.session.get(User, german.id)
        assert row is not None
        row.locale = "de"
        db.session.commit()
    mods = {"de": console(german), "en": console(english)}
    tern_chat = chat(tern)
    tern_chat.join(room_id)
    ack = tern_chat.call("concern", {"room_id": room_id, "about_handle": "wren", "note": "zorro"})
    assert ack["ok"], ack
    with app.test_request_context(), force_locale("de"):
        german_words = gettext("Concern about %(name)s: %(note)s", name="wren", note="zorro")
    assert german_words != "Concern about wren: zorro"
    assert [item["excerpt"] for item in mods["de"].received("queue_item")] == [german_words]
    assert [item["excerpt"] for item in mods["en"].received("queue_item")] == [
        "Concern about wren: zorro"
    ]


def test_concerns_are_rate_limited_per_reporter(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
) -> None:
    tern = make_user("tern")
    room_id = make_room(tern, make_user("wren"))
    tern_chat = chat(tern)
    tern_chat.join(room_id)
    for n in range(CONCERN_LIMIT):
        assert tern_chat.call("concern", {"room_id": room_id, "note": f"worry {n}"})["ok"]
    ack = tern_chat.call("concern", {"room_id": room_id, "note": "one more"})
    assert ack["ok"] is False
    assert ack["error"]["code"] == "rate_limited"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Concern)) == 5
        item = db.session.scalars(select(QueueItem)).one()  # one open item for the room
        assert item.kind == QueueKind.CONCERN
        assert item.report_count == 5


def test_bad_faith_count_is_visible_on_member_page_and_queue(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
) -> None:
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    mod = console(make_user("keeper", role="moderator"))
    tern_chat = chat(tern)
    tern_chat.join(room_id)
    concern_id = tern_chat.call("concern", {"room_id": room_id, "about_handle": "wren"})[
        "concern_id"
    ]
    csrf = mod.http.get("/api/v1/csrf").get_json()["csrf_token"]
    response = mod.http.post(
        f"/api/v1/mod/concerns/{concern_id}/bad-faith",
        json={"reason": "keeps flagging wren after an argument"},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200, response.get_json()
    rows = audit_rows(app)
    assert len(rows) == 1
    assert rows[0].action == "mark_concern_bad_faith"
    assert (rows[0].target_type, rows[0].target_id) == ("concern", concern_id)

    page = mod.http.get(f"/mod/members/{tern.id}")
    assert page.status_code == 200
    assert "data-bad-faith-count>1<" in page.get_data(as_text=True)
    items = mod.http.get("/api/v1/mod/queue").get_json()["items"]
    assert items[0]["concerns"][0]["reporter_bad_faith_count"] == 1
    # Marking twice is refused and writes nothing more.
    again = mod.http.post(
        f"/api/v1/mod/concerns/{concern_id}/bad-faith",
        json={"reason": "again"},
        headers={"X-CSRFToken": csrf},
    )
    assert again.status_code == 409
    assert len(audit_rows(app)) == 1
