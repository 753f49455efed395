"""Signals that let packages react to each other without importing each other.

Receivers run synchronously inside the sender's transaction: they may add rows
through the session but must not commit; the route or handler that fired the
signal commits once.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sender: the acting user; kwargs: user. Each receiver returns
#: ``(section_name, json_serialisable_data)`` for the account export.
collect_export = _signals.signal("collect-export")

#: sender: None. Each receiver returns an ``accounts.export_view.ExportWords`` for its
#: own sections of the readable export page (/account/export/view): names for its keys,
#: words for the identifiers it stores, so accounts never imports the other packages.
describe_export = _signals.signal("describe-export")

#: sender: the user being deleted; kwargs: user. Receivers remove their personal data
#: for that user.
account_deleting = _signals.signal("account-deleting")

#: sender: the user whose sessions ended (logout, deletion, ban); kwargs: user, and
#: session_key (the one login that ended) or None for all of them.
sessions_ended = _signals.signal("sessions-ended")

#: sender: the profiles service; kwargs: user_id. The profile became complete or changed.
profile_changed = _signals.signal("profile-changed")

#: sender: the app (matching service); kwargs: proposal_id, name, member_ids,
#: opening_prompt (an ``i18n.StoredText``, shown in each member's language, or a str).
#: Receivers (rooms) open a room and return its id.
group_confirmed = _signals.signal("group-confirmed")

#: sender: the app (matching service); kwargs: room_id, member_id. A member accepted a
#: proposal after its room opened; rooms seats them.
group_member_accepted = _signals.signal("group-member-accepted")

#: sender: the app (rooms service); kwargs: message_id, room_id, author_id, verdict
#: (the screening Verdict). Moderation queues it; crisis verdicts rank first.
message_flagged = _signals.signal("message-flagged")

#: sender: the app (rooms service); kwargs: reporter_id, message_id, room_id, reason,
#: note. Moderation stores the report and returns its id (None from every receiver
#: means it could not be stored, and the member is told so).
report_filed = _signals.signal("report-filed")

#: sender: the app (rooms service); kwargs: reporter_id, room_id, about_user_id (or
#: None), note. Moderation stores the concern and returns its id. Never a sanction.
concern_raised = _signals.signal("concern-raised")

#: sender: None (sent after commit); kwargs: user_id, kind, room_id (or None), until
#: (or None), reason, text (the calm sentence for the person). Rooms tells and
#: disconnects as the kind requires.
member_sanctioned = _signals.signal("member-sanctioned")

#: sender: the Random in use; kwargs: members (list of User), moderators (list of User).
#: Packages add demo content (profiles, rooms) and may return a one-line note.
demo_population_created = _signals.signal("demo-population-created")

#: sender: the user whose rooms are listed (the /groups page). Each receiver returns a
#: list of ``{"id", "name", "status", "unread"}``.
collect_member_rooms = _signals.signal("collect-member-rooms")

#: sender: anyone (rooms, pages). Moderation answers with the number of moderators
#: who have the console open (this process's view); no receiver or 0 means nobody
#: is on shift, and rooms say so calmly. Receivers must not change state.
moderators_online = _signals.signal("moderators-online")

#: sender: the app (rooms.care); kwargs: room_id, moderator_id. A moderator joined a
#: care room; moderation writes the audit row in the same transaction.
care_room_joined = _signals.signal("care-room-joined")

#: sender: the app; kwargs: now. Rooms returns a list of
#: {"room_id", "name", "opened_at", "active_member_ids", "member_ids"} for open rooms,
#: at least a week old, with fewer than three members who are still taking part.
collect_rooms_below_quorum = _signals.signal("collect-rooms-below-quorum")

#: sender: the user; kwargs: user. Rooms returns [{"room_id", "name", "opened_at"}]
#: for the user's open rooms, so matching can ask the meet-again question.
collect_room_ages = _signals.signal("collect-room-ages")

#: sender: the acting moderator (User); kwargs: action, target_type, target_id, details
#: (a JSON-serialisable dict). For moderator actions taken outside moderation (e.g.
#: "Run a round now" in matching's console panel): moderation appends the audit entry
#: in the sender's transaction.
moderator_acted = _signals.signal("moderator-acted")

#: sender: the app (rooms service); kwargs: room_id, name, user_id (who left),
#: remaining_member_ids (members still in the room), kind ("group" or "care"). Sent
#: inside the leaving transaction: matching tells the others and offers backfill
#: below three members.
member_left_room = _signals.signal("member-left-room")

#: sender: the app; kwargs: now. Sent by each serving process's periodic loop (the
#: matching schedule) after its tick; receivers do small periodic work in their own
#: transaction and commit it (wellbeing: check-in reminders).
periodic_work = _signals.signal("periodic-work")

#: sender: the moderator viewing a room in the console; kwargs: room_id. Wellbeing
#: returns ``[{"week_start", "note", "updated_at"}]``: the private notes members left
#: for moderators on the after-meeting card, newest first, without who wrote them.
collect_feedback_notes = _signals.signal("collect-feedback-notes")

#: sender: the user; kwargs: user, since (aware datetime). Moderation answers True when
#: the person's own messages raised crisis language since then, so their private
#: check-in page can offer the crisis lines too. Receivers must not change state, and
#: nothing about the check-in ever goes the other way.
recent_crisis_language = _signals.signal("recent-crisis-language")
