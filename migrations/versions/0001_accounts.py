"""accounts: pseudonymous users and roles

Revision ID: 0001
Revises:
Create Date: 2026-11-25 18:22:42.000779

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=24), nullable=True),
        sa.Column("handle_key", sa.String(length=24), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role", sa.Enum("member", "moderator", "admin", name="user_role"), nullable=False
        ),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("muted_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("banned_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(deleted_at IS NULL) = (handle IS NOT NULL)", name=op.f("ck_users_handle_iff_active")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("handle_key", name=op.f("uq_users_handle_key")),
    )


def downgrade():
    op.drop_table("users")
    # PostgreSQL keeps enum types after their table is gone.
    sa.Enum(name="user_role").drop(op.get_bind(), checkfirst=True)
