"""profiles: profile document, child rows and the waiting pool

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:31:52.351620

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pool_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_reason_code", sa.String(length=64), nullable=True),
        sa.Column("last_reason_text", sa.String(length=500), nullable=True),
        sa.Column("last_round_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_pool_entries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_entries")),
        sa.UniqueConstraint("user_id", name=op.f("uq_pool_entries_user_id")),
    )
    op.create_table(
        "profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column(
            "talk_style",
            sa.Enum("listen_first", "share_some", "talk_freely", name="talk_style"),
            nullable=True,
        ),
        sa.Column("max_group_size", sa.Integer(), nullable=True),
        sa.Column("pace", sa.Enum("live", "slow", name="pace"), nullable=True),
        sa.Column(
            "support_style",
            sa.Enum("just_listen", "open_to_advice", name="support_style"),
            nullable=True,
        ),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column(
            "age_band",
            sa.Enum("18-24", "25-34", "35-49", "50-64", "65+", name="age_band"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "max_group_size IS NULL OR (max_group_size >= 3 AND max_group_size <= 6)",
            name=op.f("ck_profiles_group_size_range"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_profiles")),
    )
    op.create_table(
        "profile_availability",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "slot",
            sa.Enum(
                "weekday_morning",
                "weekday_afternoon",
                "weekday_evening",
                "weekend_morning",
                "weekend_afternoon",
                "weekend_evening",
                name="availability_slot",
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["profiles.user_id"],
            name=op.f("fk_profile_availability_user_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "slot", name=op.f("pk_profile_availability")),
    )
    op.create_table(
        "profile_avoided_topics",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["profiles.user_id"],
            name=op.f("fk_profile_avoided_topics_user_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "slug", name=op.f("pk_profile_avoided_topics")),
    )
    op.create_table(
        "profile_interests",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["profiles.user_id"],
            name=op.f("fk_profile_interests_user_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "slug", name=op.f("pk_profile_interests")),
    )
    op.create_table(
        "profile_languages",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["profiles.user_id"],
            name=op.f("fk_profile_languages_user_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "code", name=op.f("pk_profile_languages")),
    )
    op.create_table(
        "profile_reasons",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["profiles.user_id"],
            name=op.f("fk_profile_reasons_user_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "slug", name=op.f("pk_profile_reasons")),
    )


def downgrade():
    op.drop_table("profile_reasons")
    op.drop_table("profile_languages")
    op.drop_table("profile_interests")
    op.drop_table("profile_avoided_topics")
    op.drop_table("profile_availability")
    op.drop_table("profiles")
    op.drop_table("pool_entries")
    # PostgreSQL keeps enum types after their tables are gone.
    for name in ("availability_slot", "age_band", "support_style", "pace", "talk_style"):
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
