"""Moderators' decisions become screening labels with no extra clicks, and the
"this was a crisis" mark records a miss and gets the person care."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from accounts.models import User
from db import db, utcnow
from moderation import labels
from moderation.models import QueueItem, QueueKind, QueueStatus, ScreeningLabel, ScreeningModel
from rooms.models import Message, MessageKind
from tests.conftest import DEFAULT_PASSWORD, csrf_token_for
from tests.moderation.conftest import Chat, ModConsole, audit_rows, open_checkin, post_json

CRISIS = "I don't want to be alive anymore"
ORDINARY = "The bakery on my street remembered my order today"


def _labels(app: Flask) -> list[ScreeningLabel]:
    with app.app_context():
        return list(db.session.scalars(select(ScreeningLabel).order_by(ScreeningLabel.id)))


def _items(app: Flask, message_id: int) -> list[QueueItem]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(QueueItem).where(QueueItem.message_id == message_id).order_by(QueueItem.id)
            )
        )


@pytest.fixture
def scene(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
) -> dict[str, Any]:
    """tern posted crisis language (a crisis item) and an ordinary line; wren is in
    the room; keeper is a moderator with a console open."""
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    moderator = make_user("keeper", role="moderator")
    mod = console(moderator)
    tern_chat, wren_chat = chat(tern), chat(wren)
    assert tern_chat.join(room_id)["ok"]
    assert wren_chat.join(room_id)["ok"]
    crisis_id = tern_chat.send(room_id, CRISIS)["message"]["id"]
    ordinary_id = tern_chat.send(room_id, ORDINARY)["message"]["id"]
    [item] = _items(app, crisis_id)
    assert item.kind == QueueKind.CRISIS
    assert _items(app, ordinary_id) == []
    mod.received()
    return {
        "tern": tern,
        "wren": wren,
        "moderator": moderator,
        "room_id": room_id,
        "mod": mod,
        "tern_chat": tern_chat,
        "wren_chat": wren_chat,
        "crisis_id": crisis_id,
        "ordinary_id": ordinary_id,
        "item_id": item.id,
    }


# -- closing outcomes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "positive"),
    [
        ("actioned", True),
        ("followed_up", True),
        ("no_reply", True),
        ("referred", True),
        ("no_action", False),
    ],
)
def test_resolving_a_crisis_item_records_its_label(
    app: Flask, scene: dict[str, Any], outcome: str, positive: bool
) -> None:
    response = post_json(
        scene["mod"].http, f"/api/v1/mod/queue/{scene['item_id']}/resolve", {"outcome": outcome}
    )
    assert response.status_code == 200, response.get_json()
    [label] = _labels(app)
    assert label.message_id == scene["crisis_id"]
    assert label.author_id == scene["tern"].id
    assert label.text == CRISIS
    assert label.positive is positive
    assert label.source == "outcome"
    assert label.screener_flagged is True
    assert label.language == "en"
    assert label.queue_item_id == scene["item_id"]
    assert label.labelled_by_id == scene["moderator"].id
    # The resolve entry is the audit record of the label too: no second row.
    assert [row.action for row in audit_rows(app)] == ["resolve_item"]


def test_closing_the_care_room_labels_the_item_it_was_opened_from(
    app: Flask, scene: dict[str, Any]
) -> None:
    mod = scene["mod"]
    room_id = open_checkin(mod, scene["item_id"], "Hi, how are you?")
    # What the person says inside the check-in raises its own item, kept with the room.
    inside = scene["tern_chat"].send(room_id, "honestly I want to end my life")["message"]["id"]
    [inside_item] = _items(app, inside)
    assert inside_item.care_room_id == room_id
    response = post_json(mod.http, f"/api/v1/rooms/{room_id}/close", {"outcome": "referred"})
    assert response.status_code == 200, response.get_json()
    # The outcome labels the message the check-in was opened for, not what was said in it.
    [label] = _labels(app)
    assert (label.message_id, label.positive, label.source) == (scene["crisis_id"], True, "outcome")
    [closed] = _items(app, inside)
    assert (closed.status, closed.outcome) == (QueueStatus.RESOLVED, "referred")


def test_removing_a_crisis_message_labels_it_a_crisis(app: Flask, scene: dict[str, Any]) -> None:
    response = scene["mod"].act(
        {
            "kind": "remove_message",
            "target": {"message_id": scene["crisis_id"]},
            "reason": "method details",
        }
    )
    assert response.status_code == 200, response.get_json()
    [label] = _labels(app)
    assert (label.positive, label.source, label.text) == (True, "outcome", CRISIS)


def test_the_console_form_records_the_label_too(app: Flask, scene: dict[str, Any]) -> None:
    http = scene["mod"].http
    response = http.post(
        f"/mod/items/{scene['item_id']}/resolve",
        data={"outcome": "no_action", "csrf_token": csrf_token_for(http)},
    )
    assert response.status_code == 302
    [label] = _labels(app)
    assert label.positive is False


def test_reports_of_abuse_filter_items_and_concerns_record_nothing(
    app: Flask, scene: dict[str, Any]
) -> None:
    wren_chat, mod = scene["wren_chat"], scene["mod"]
    reported = wren_chat.call(
        "report", {"message_id": scene["ordinary_id"], "reason": "harassment"}
    )
    assert reported["ok"], reported
    concern = wren_chat.call("concern", {"room_id": scene["room_id"], "note": "worried"})
    assert concern["ok"], concern
    with app.app_context():
        items = list(
            db.session.scalars(
                select(QueueItem).where(QueueItem.kind.in_((QueueKind.REPORT, QueueKind.CONCERN)))
            )
        )
    assert sorted(i.kind.value for i in items) == ["concern", "report"]
    for item in items:
        response = post_json(
            mod.http, f"/api/v1/mod/queue/{item.id}/resolve", {"outcome": "actioned"}
        )
        assert response.status_code == 200, response.get_json()
    assert _labels(app) == []


def test_a_later_decision_replaces_the_earlier_label(app: Flask, scene: dict[str, Any]) -> None:
    mod = scene["mod"]
    post_json(mod.http, f"/api/v1/mod/queue/{scene['item_id']}/resolve", {"outcome": "no_action"})
    assert [(lb.positive, lb.source) for lb in _labels(app)] == [(False, "outcome")]

    marked = post_json(
        mod.http, f"/api/v1/mod/messages/{scene['crisis_id']}/crisis-label", {"crisis": True}
    )
    assert marked.status_code == 200, marked.get_json()
    [label] = _labels(app)
    # The screener did flag it: the mark keeps that, it only changes the verdict.
    assert (label.positive, label.source, label.screener_flagged) == (True, "marked", True)

    reopened = marked.get_json()["queue_item"]
    assert reopened["id"] != scene["item_id"]
    post_json(mod.http, f"/api/v1/mod/queue/{reopened['id']}/resolve", {"outcome": "followed_up"})
    [label] = _labels(app)
    assert (label.positive, label.source, label.queue_item_id) == (True, "outcome", reopened["id"])


# -- "this was a crisis" ---------------------------------------------------------------


def test_marking_a_missed_crisis_labels_it_and_opens_a_crisis_item(
    app: Flask, scene: dict[str, Any]
) -> None:
    mod = scene["mod"]
    response = post_json(
        mod.http, f"/api/v1/mod/messages/{scene['ordinary_id']}/crisis-label", {"crisis": True}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["crisis"] is True
    assert body["audit"]["action"] == "label_message"
    [item] = _items(app, scene["ordinary_id"])
    assert body["queue_item"]["id"] == item.id
    assert (item.kind, item.status, item.severity) == (QueueKind.CRISIS, QueueStatus.OPEN, 3)
    # Every open console hears of the new item, so the person gets care.
    assert [i["id"] for i in mod.received("queue_item")] == [item.id]

    [label] = _labels(app)
    assert label.message_id == scene["ordinary_id"]
    assert (label.positive, label.source, label.screener_flagged) == (True, "marked", False)
    assert label.queue_item_id == item.id
    assert label.labelled_by_id == scene["moderator"].id

    [entry] = audit_rows(app)
    assert (entry.action, entry.target_type, entry.target_id) == (
        "label_message",
        "message",
        scene["ordinary_id"],
    )
    assert entry.actor_id == scene["moderator"].id


def test_marking_raises_the_open_item_on_the_message_to_a_crisis(
    app: Flask, scene: dict[str, Any]
) -> None:
    wren_chat, mod = scene["wren_chat"], scene["mod"]
    assert wren_chat.call("report", {"message_id": scene["ordinary_id"], "reason": "spam"})["ok"]
    [report_item] = _items(app, scene["ordinary_id"])
    assert report_item.kind == QueueKind.REPORT
    response = post_json(
        mod.http, f"/api/v1/mod/messages/{scene['ordinary_id']}/crisis-label", {"crisis": True}
    )
    assert response.status_code == 200, response.get_json()
    [item] = _items(app, scene["ordinary_id"])
    assert item.id == report_item.id
    assert (item.kind, item.severity) == (QueueKind.CRISIS, 3)


def test_marking_not_a_crisis_records_a_negative_and_opens_nothing(
    app: Flask, scene: dict[str, Any]
) -> None:
    response = post_json(
        scene["mod"].http,
        f"/api/v1/mod/messages/{scene['crisis_id']}/crisis-label",
        {"crisis": False},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["queue_item"] is None
    [label] = _labels(app)
    assert (label.positive, label.source, label.screener_flagged) == (False, "marked", True)
    # The screener's crisis item stays open: a label never closes anyone's care.
    [item] = _items(app, scene["crisis_id"])
    assert item.status == QueueStatus.OPEN


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (None, None),
        ([True], None),
        ({}, "crisis"),
        ({"crisis": "yes"}, "crisis"),
        ({"crisis": 1}, "crisis"),
        ({"crisis": None}, "crisis"),
    ],
)
def test_mark_refuses_a_bad_body_and_stores_nothing(
    app: Flask, scene: dict[str, Any], body: Any, field: str | None
) -> None:
    response = post_json(
        scene["mod"].http, f"/api/v1/mod/messages/{scene['ordinary_id']}/crisis-label", body
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    if field:
        assert field in error["fields"]
    assert _labels(app) == []
    assert _items(app, scene["ordinary_id"]) == []
    assert audit_rows(app) == []


def test_mark_unknown_message_is_404_and_members_are_refused(
    app: Flask, scene: dict[str, Any]
) -> None:
    missing = post_json(
        scene["mod"].http, "/api/v1/mod/messages/999999/crisis-label", {"crisis": True}
    )
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"
    member = post_json(
        scene["wren_chat"].http,
        f"/api/v1/mod/messages/{scene['ordinary_id']}/crisis-label",
        {"crisis": True},
    )
    assert member.status_code == 403
    form = scene["wren_chat"].http.post(
        f"/mod/messages/{scene['ordinary_id']}/crisis-label",
        data={"crisis": "yes", "csrf_token": csrf_token_for(scene["wren_chat"].http)},
    )
    assert form.status_code == 403
    assert _labels(app) == []


def test_only_members_own_messages_can_be_marked(app: Flask, scene: dict[str, Any]) -> None:
    mod = scene["mod"]
    posted = post_json(
        mod.http, f"/api/v1/mod/rooms/{scene['room_id']}/messages", {"body": "Hello all"}
    )
    moderators_line = posted.get_json()["message_id"]
    response = post_json(
        mod.http, f"/api/v1/mod/messages/{moderators_line}/crisis-label", {"crisis": True}
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "not_labellable"
    assert _labels(app) == []
    with app.app_context():
        line = db.session.get(Message, moderators_line)
        assert line is not None
        assert line.kind == MessageKind.MODERATOR


def test_a_message_in_a_care_room_can_be_marked(app: Flask, scene: dict[str, Any]) -> None:
    mod, tern_chat = scene["mod"], scene["tern_chat"]
    care_room = open_checkin(mod, scene["item_id"], "Hi, how are you?")
    assert tern_chat.join(care_room)["ok"]
    said = tern_chat.send(care_room, "thanks, I will manage somehow")["message"]["id"]
    response = post_json(mod.http, f"/api/v1/mod/messages/{said}/crisis-label", {"crisis": True})
    assert response.status_code == 200, response.get_json()
    [item] = _items(app, said)
    assert item.kind == QueueKind.CRISIS
    assert item.care_room_id == care_room
    assert [lb.message_id for lb in _labels(app)] == [said]


def test_the_member_page_form_marks_and_a_bad_answer_is_refused_kindly(
    app: Flask, scene: dict[str, Any]
) -> None:
    http = scene["mod"].http
    url = f"/mod/messages/{scene['ordinary_id']}/crisis-label"
    back = f"/mod/members/{scene['tern'].id}"
    bad = http.post(url, data={"crisis": "maybe", "next": back, "csrf_token": csrf_token_for(http)})
    assert bad.status_code == 302
    assert "choose whether" in http.get(back).get_data(as_text=True)
    assert _labels(app) == []
    good = http.post(url, data={"crisis": "yes", "next": back, "csrf_token": csrf_token_for(http)})
    assert good.status_code == 302
    assert good.headers["Location"].endswith(back)
    [label] = _labels(app)
    assert (label.positive, label.source) == (True, "marked")
    page = http.get(back).get_data(as_text=True)
    assert "Marked as a crisis" in page
    assert "Not a crisis after all" in page


# -- pages ------------------------------------------------------------------------------


def test_member_page_offers_the_mark_on_each_recent_message(scene: dict[str, Any]) -> None:
    http = scene["mod"].http
    page = http.get(f"/mod/members/{scene['tern'].id}").get_data(as_text=True)
    assert 'data-testid="recent-messages"' in page
    for message_id in (scene["crisis_id"], scene["ordinary_id"]):
        assert f'action="/mod/messages/{message_id}/crisis-label"' in page
    assert page.count('name="crisis" value="yes"') == 2
    assert "This was a crisis" in page
    assert 'name="csrf_token"' in page


def test_room_watch_page_carries_the_mark_template(scene: dict[str, Any]) -> None:
    page = scene["mod"].http.get(f"/mod/rooms/{scene['room_id']}").get_data(as_text=True)
    start = page.index('<template id="crisis-label-template">')
    template = page[start : page.index("</template>", start)]
    assert "data-crisis-label-form" in template
    assert 'name="crisis" value="yes"' in template
    assert 'name="csrf_token"' in template
    assert "This was a crisis" in template


# -- deletion, export, status -----------------------------------------------------------


def test_deleting_an_account_removes_the_labels_on_their_messages(
    app: Flask, scene: dict[str, Any]
) -> None:
    mod, tern_chat, wren_chat = scene["mod"], scene["tern_chat"], scene["wren_chat"]
    wren_said = wren_chat.send(scene["room_id"], ORDINARY)["message"]["id"]
    for message_id in (scene["ordinary_id"], wren_said):
        marked = post_json(
            mod.http, f"/api/v1/mod/messages/{message_id}/crisis-label", {"crisis": True}
        )
        assert marked.status_code == 200
    post_json(mod.http, f"/api/v1/mod/queue/{scene['item_id']}/resolve", {"outcome": "actioned"})
    assert len(_labels(app)) == 3

    with app.app_context():  # a learned model trained on these labels, and an older one
        db.session.add_all(
            [
                ScreeningModel(version="learned-1", trained_at=utcnow(), blob=b"old"),
                ScreeningModel(version="learned-2", trained_at=utcnow(), active=True, blob=b"new"),
            ]
        )
        db.session.commit()

    export = tern_chat.http.get("/account/export").get_json()
    assert export["moderation"]["messages_labelled_for_screening"] == 2
    assert "keeper" not in str(export["moderation"])  # never who decided

    response = tern_chat.http.post(
        "/account/delete",
        data={"password": DEFAULT_PASSWORD, "csrf_token": csrf_token_for(tern_chat.http)},
    )
    assert response.status_code == 302
    assert [lb.message_id for lb in _labels(app)] == [wren_said]
    with app.app_context():
        texts = [row.text for row in labels.training_labels(db.session())]
        # Their words may be in the learned models' vocabulary: none is used or kept.
        models = db.session.scalars(select(ScreeningModel)).all()
        assert [(m.active, m.blob) for m in models] == [(False, None), (False, None)]
    assert CRISIS not in texts
    assert [row.action for row in audit_rows(app)].count("retire_screening_models") == 1

    # The crisis item opened by the mark is still open; closing it now records nothing.
    [item] = _items(app, scene["ordinary_id"])
    post_json(mod.http, f"/api/v1/mod/queue/{item.id}/resolve", {"outcome": "followed_up"})
    assert [lb.message_id for lb in _labels(app)] == [wren_said]
    refused = post_json(
        mod.http, f"/api/v1/mod/messages/{scene['crisis_id']}/crisis-label", {"crisis": True}
    )
    assert refused.status_code == 409


def test_status_prints_the_real_label_count(
    app: Flask, scene: dict[str, Any], runner: FlaskCliRunner
) -> None:
    mod = scene["mod"]
    post_json(mod.http, f"/api/v1/mod/queue/{scene['item_id']}/resolve", {"outcome": "actioned"})
    post_json(
        mod.http,
        f"/api/v1/mod/messages/{scene['ordinary_id']}/crisis-label",
        {"crisis": False},
    )
    result = runner.invoke(args=["screening", "status"])
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("labels: ")]
    assert line.startswith("labels: 2 (1 crisis, 1 not")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ScreeningLabel)) == 2


def test_anonymous_visitors_cannot_mark(client: FlaskClient, scene: dict[str, Any]) -> None:
    response = client.post(
        f"/api/v1/mod/messages/{scene['ordinary_id']}/crisis-label",
        json={"crisis": True},
        headers={"X-CSRFToken": csrf_token_for(client)},
    )
    assert response.status_code in (401, 302)


def test_mark_errors_speak_the_moderators_language(scene: dict[str, Any]) -> None:
    http = scene["mod"].http
    response = http.post(
        f"/api/v1/mod/messages/{scene['ordinary_id']}/crisis-label",
        json={"crisis": "ja"},
        headers={"X-CSRFToken": csrf_token_for(http), "Accept-Language": "de"},
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith("Gib an, ob es eine Krise war")
    assert error["fields"] == {"crisis": "true oder false."}
