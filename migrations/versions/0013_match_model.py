"""matching: learned compatibility models, and the model each round used

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "match_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_name", sa.String(length=120), nullable=False),
        sa.Column("data_hash", sa.String(length=32), nullable=False),
        sa.Column("training_groups", sa.Integer(), nullable=False),
        sa.Column("training_pairs", sa.Integer(), nullable=False),
        sa.Column("held_back_groups", sa.Integer(), nullable=False),
        sa.Column("held_back_rho", sa.Float(), nullable=False),
        sa.Column("previous_rho", sa.Float(), nullable=True),
        sa.Column("cv_rho", sa.Float(), nullable=False),
        sa.Column("effects", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("decision", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_models")),
    )
    op.create_index(
        "uq_match_models_one_active",
        "match_models",
        ["active"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    with op.batch_alter_table("match_rounds") as batch:
        batch.add_column(sa.Column("model_version", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_match_rounds_model_version_match_models"),
            "match_models",
            ["model_version"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("match_rounds") as batch:
        batch.drop_constraint(
            op.f("fk_match_rounds_model_version_match_models"), type_="foreignkey"
        )
        batch.drop_column("model_version")
    op.drop_index("uq_match_models_one_active", table_name="match_models")
    op.drop_table("match_models")
