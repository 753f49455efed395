"""accounts: the interface language a person chose (NULL: follow the browser)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 09:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (nullable, no default): SQLite does it in place, so the
    # users table is not rebuilt and nothing cascades.
    op.add_column("users", sa.Column("locale", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locale")
