"""rooms: the msgid and values of a line Hearth wrote, to show it in each reader's language

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 14:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable, no default: a plain ADD COLUMN, so SQLite does not rebuild messages.
    op.add_column("messages", sa.Column("body_i18n", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("body_i18n")
