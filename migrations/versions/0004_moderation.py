"""moderation: reports, concerns, the queue, sanctions, audit log, outcome notices

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:34:08.467358

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_entries_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_entries_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("about_user_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bad_faith", sa.Boolean(), nullable=False),
        sa.CheckConstraint("length(note) <= 500", name=op.f("ck_concerns_note_length")),
        sa.ForeignKeyConstraint(
            ["about_user_id"], ["users.id"], name=op.f("fk_concerns_about_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name=op.f("fk_concerns_reporter_id_users")
        ),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_concerns_room_id_rooms")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concerns")),
    )
    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_concerns_about_user_id"), ["about_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_concerns_reporter_id"), ["reporter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_concerns_room_id"), ["room_id"], unique=False)

    op.create_table(
        "sanctions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("warn", "mute", "ban", "remove_from_room", name="sanction_kind"),
            nullable=False,
        ),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "ends_at IS NULL OR ends_at > starts_at", name=op.f("ck_sanctions_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_sanctions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"], ["users.id"], name=op.f("fk_sanctions_lifted_by_id_users")
        ),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_sanctions_room_id_rooms")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sanctions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions")),
    )
    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sanctions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "queue_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("crisis", "report", "concern", "filter", name="queue_kind"),
            nullable=False,
        ),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("target_key", sa.String(length=64), nullable=False),
        sa.Column("excerpt", sa.String(length=300), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "acknowledged", "resolved", "dismissed", name="queue_status"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("realerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.CheckConstraint("report_count >= 0", name=op.f("ck_queue_items_report_count_positive")),
        sa.CheckConstraint("severity BETWEEN 1 AND 4", name=op.f("ck_queue_items_severity_range")),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["users.id"],
            name=op.f("fk_queue_items_acknowledged_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to_id"], ["users.id"], name=op.f("fk_queue_items_assigned_to_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_queue_items_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["users.id"], name=op.f("fk_queue_items_resolved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_queue_items_room_id_rooms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_items")),
    )
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_queue_items_message_id"), ["message_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_queue_items_room_id"), ["room_id"], unique=False)
        batch_op.create_index(
            "ix_queue_items_status_severity", ["status", "severity"], unique=False
        )
        batch_op.create_index(
            "uq_queue_items_open_target",
            ["target_key"],
            unique=True,
            sqlite_where=sa.text("status IN ('open', 'acknowledged')"),
            postgresql_where=sa.text("status IN ('open', 'acknowledged')"),
        )

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome", sa.Enum("actioned", "no_action", name="report_outcome"), nullable=True
        ),
        sa.CheckConstraint(
            "reason IN ('harassment', 'hate', 'sexual_content', 'contact_details', 'spam', 'self_harm_risk', 'other')",
            name=op.f("ck_reports_reason_known"),
        ),
        sa.CheckConstraint("length(note) <= 500", name=op.f("ck_reports_note_length")),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_reports_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name=op.f("fk_reports_reporter_id_users")
        ),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_reports_room_id_rooms")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_message_id"), ["message_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_reporter_id"), ["reporter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_room_id"), ["room_id"], unique=False)

    op.create_table(
        "outcome_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_outcome_notices_report_id_reports")
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_outcome_notices_room_id_rooms")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_outcome_notices_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_notices")),
    )
    with op.batch_alter_table("outcome_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_notices_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("outcome_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_notices_user_id"))

    op.drop_table("outcome_notices")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_room_id"))
        batch_op.drop_index(batch_op.f("ix_reports_reporter_id"))
        batch_op.drop_index(batch_op.f("ix_reports_message_id"))

    op.drop_table("reports")
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_queue_items_open_target",
            sqlite_where=sa.text("status IN ('open', 'acknowledged')"),
            postgresql_where=sa.text("status IN ('open', 'acknowledged')"),
        )
        batch_op.drop_index("ix_queue_items_status_severity")
        batch_op.drop_index(batch_op.f("ix_queue_items_room_id"))
        batch_op.drop_index(batch_op.f("ix_queue_items_message_id"))

    op.drop_table("queue_items")
    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanctions_user_id"))

    op.drop_table("sanctions")
    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concerns_room_id"))
        batch_op.drop_index(batch_op.f("ix_concerns_reporter_id"))
        batch_op.drop_index(batch_op.f("ix_concerns_about_user_id"))

    op.drop_table("concerns")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entries_created_at"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_action"))

    op.drop_table("audit_entries")
    # PostgreSQL keeps enum types after their tables are gone.
    for name in ("report_outcome", "queue_status", "queue_kind", "sanction_kind"):
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
