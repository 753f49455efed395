"""care rooms: rooms.kind/care_for_id/care_outcome, queue item escalation and outcome

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

room_kind = sa.Enum("group", "care", name="room_kind")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # The moderators' escalation alert (issue 14). SQLite stores the enum as text.
        op.execute("ALTER TYPE notification_kind ADD VALUE IF NOT EXISTS 'crisis_overdue'")
    room_kind.create(op.get_bind(), checkfirst=True)
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", room_kind, server_default="group", nullable=False))
        batch_op.add_column(sa.Column("care_for_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("care_outcome", sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f("ix_rooms_care_for_id"), ["care_for_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_rooms_care_for_id_users"),
            "users",
            ["care_for_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("care_room_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_queue_items_care_room_id"), ["care_room_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_queue_items_care_room_id_rooms"), "rooms", ["care_room_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_queue_items_care_room_id_rooms"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_queue_items_care_room_id"))
        batch_op.drop_column("care_room_id")
        batch_op.drop_column("outcome")
        batch_op.drop_column("escalated_at")
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_rooms_care_for_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_rooms_care_for_id"))
        batch_op.drop_column("care_outcome")
        batch_op.drop_column("care_for_id")
        batch_op.drop_column("kind")
    room_kind.drop(op.get_bind(), checkfirst=True)
    # PostgreSQL cannot drop one value of an enum; the rows go and the unused value
    # stays until 0006's downgrade drops the type.
    op.execute("DELETE FROM notifications WHERE kind = 'crisis_overdue'")
