"""moderation: screening labels from moderators' decisions

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "screening_labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), server_default="und", nullable=False),
        sa.Column("positive", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("screener_flagged", sa.Boolean(), nullable=False),
        sa.Column("queue_item_id", sa.Integer(), nullable=True),
        sa.Column("labelled_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "source IN ('outcome', 'marked')", name=op.f("ck_screening_labels_source_known")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_screening_labels_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["labelled_by_id"],
            ["users.id"],
            name=op.f("fk_screening_labels_labelled_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_screening_labels_message_id_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["queue_item_id"],
            ["queue_items.id"],
            name=op.f("fk_screening_labels_queue_item_id_queue_items"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_labels")),
        sa.UniqueConstraint("message_id", name=op.f("uq_screening_labels_message_id")),
    )
    with op.batch_alter_table("screening_labels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_screening_labels_author_id"), ["author_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("screening_labels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_labels_author_id"))
    op.drop_table("screening_labels")
