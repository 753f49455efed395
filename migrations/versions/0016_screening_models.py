"""moderation: versioned learned screening models, the learning lease, system audit rows

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "screening_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_models")),
        sa.UniqueConstraint("version", name=op.f("uq_screening_models_version")),
    )
    op.create_index(
        "uq_screening_models_one_active",
        "screening_models",
        ["active"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    op.create_table(
        "screening_learn_lease",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_result", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_screening_learn_lease")),
    )
    # Hearth itself activates a model (the schedule, the command line): its audit
    # rows have no acting user.
    with op.batch_alter_table("audit_entries") as batch:
        batch.alter_column("actor_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM audit_entries WHERE actor_id IS NULL")
    with op.batch_alter_table("audit_entries") as batch:
        batch.alter_column("actor_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("screening_learn_lease")
    op.drop_index("uq_screening_models_one_active", table_name="screening_models")
    op.drop_table("screening_models")
