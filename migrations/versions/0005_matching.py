"""matching: rounds, proposals, cool-downs, meet-again answers, the round lock

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 18:38:21.342169

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "match_locks",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_match_locks")),
    )
    op.create_table(
        "match_cooldowns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_low_id", sa.Integer(), nullable=False),
        sa.Column("user_high_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "user_low_id < user_high_id", name=op.f("ck_match_cooldowns_ordered_pair")
        ),
        sa.ForeignKeyConstraint(
            ["user_high_id"],
            ["users.id"],
            name=op.f("fk_match_cooldowns_user_high_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_low_id"],
            ["users.id"],
            name=op.f("fk_match_cooldowns_user_low_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_cooldowns")),
        sa.UniqueConstraint(
            "user_low_id", "user_high_id", name=op.f("uq_match_cooldowns_user_low_id")
        ),
    )
    op.create_table(
        "match_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("pool_size", sa.Integer(), nullable=False),
        sa.Column("groups_formed", sa.Integer(), nullable=False),
        sa.Column("people_grouped", sa.Integer(), nullable=False),
        sa.Column("people_waiting", sa.Integer(), nullable=False),
        sa.Column("mean_score", sa.Float(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["users.id"],
            name=op.f("fk_match_rounds_started_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_rounds")),
    )
    op.create_table(
        "meet_again_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("comfort", sa.Integer(), nullable=True),
        sa.Column("meet_again", sa.Boolean(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "comfort IS NULL OR (comfort BETWEEN 1 AND 5)",
            name=op.f("ck_meet_again_answers_comfort_range"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_meet_again_answers_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meet_again_answers")),
        sa.UniqueConstraint("room_id", "user_id", name=op.f("uq_meet_again_answers_room_id")),
    )
    with op.batch_alter_table("meet_again_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meet_again_answers_room_id"), ["room_id"], unique=False
        )

    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.Enum("new_group", "backfill", name="proposal_kind"), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "confirmed", "cancelled", "expired", name="proposal_status"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("shared_interests", sa.Text(), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["match_rounds.id"],
            name=op.f("fk_proposals_round_id_match_rounds"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index("ix_proposals_status_expires", ["status", "expires_at"], unique=False)

    op.create_table(
        "proposal_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "response",
            sa.Enum("pending", "accepted", "declined", "expired", name="proposal_response"),
            nullable=False,
        ),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_existing_member", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_members_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_proposal_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_members")),
        sa.UniqueConstraint("proposal_id", "user_id", name=op.f("uq_proposal_members_proposal_id")),
    )
    with op.batch_alter_table("proposal_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_members_proposal_id"), ["proposal_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proposal_members_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("proposal_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_members_proposal_id"))

    op.drop_table("proposal_members")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_proposals_status_expires")

    op.drop_table("proposals")
    with op.batch_alter_table("meet_again_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meet_again_answers_room_id"))

    op.drop_table("meet_again_answers")
    op.drop_table("match_rounds")
    op.drop_table("match_cooldowns")
    op.drop_table("match_locks")
    # PostgreSQL keeps enum types after their tables are gone.
    for name in ("proposal_response", "proposal_status", "proposal_kind"):
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
