"""rooms: the day the other members last got the peer guidance card

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 05:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("peer_guidance_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.drop_column("peer_guidance_on")
