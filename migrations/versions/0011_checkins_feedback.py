"""wellbeing: loneliness check-ins, their reminder settings, after-meeting feedback

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

meet_again = sa.Enum("yes", "not_sure", "no", name="meet_again")


def upgrade():
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("companionship", sa.SmallInteger(), nullable=False),
        sa.Column("left_out", sa.SmallInteger(), nullable=False),
        sa.Column("isolated", sa.SmallInteger(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "companionship BETWEEN 1 AND 3", name=op.f("ck_checkins_companionship_range")
        ),
        sa.CheckConstraint("left_out BETWEEN 1 AND 3", name=op.f("ck_checkins_left_out_range")),
        sa.CheckConstraint("isolated BETWEEN 1 AND 3", name=op.f("ck_checkins_isolated_range")),
        sa.CheckConstraint("score BETWEEN 3 AND 9", name=op.f("ck_checkins_score_range")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_checkins_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    op.create_index("ix_checkins_user_id_at", "checkins", ["user_id", "at"], unique=False)
    op.create_table(
        "checkin_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_checkin_settings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_checkin_settings")),
    )
    op.create_table(
        "room_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("at_ease", sa.SmallInteger(), nullable=False),
        sa.Column("meet_again", meet_again, nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.CheckConstraint("at_ease BETWEEN 1 AND 5", name=op.f("ck_room_feedback_at_ease_range")),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["rooms.id"],
            name=op.f("fk_room_feedback_room_id_rooms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_room_feedback_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_feedback")),
        sa.UniqueConstraint(
            "user_id", "room_id", "week_start", name=op.f("uq_room_feedback_user_id")
        ),
    )
    op.create_index("ix_room_feedback_room_id", "room_feedback", ["room_id"], unique=False)
    op.create_index("ix_room_feedback_week_start", "room_feedback", ["week_start"], unique=False)


def downgrade():
    op.drop_index("ix_room_feedback_week_start", table_name="room_feedback")
    op.drop_index("ix_room_feedback_room_id", table_name="room_feedback")
    op.drop_table("room_feedback")
    meet_again.drop(op.get_bind(), checkfirst=True)
    op.drop_table("checkin_settings")
    op.drop_index("ix_checkins_user_id_at", table_name="checkins")
    op.drop_table("checkins")
