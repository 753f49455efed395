"""matching: each proposal's "why this group" as msgids and values, to show it in each reader's language

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 15:15:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable, no default: a plain ADD COLUMN, so SQLite does not rebuild proposals.
    op.add_column("proposals", sa.Column("summary_i18n", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("summary_i18n")
