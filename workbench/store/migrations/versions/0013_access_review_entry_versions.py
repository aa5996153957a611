"""access review entry versions: each account's decision is written on its own row with optimistic concurrency

Revision ID: 0013
Revises: 0012
Create Date: 2027-02-12
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_review_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("access_review_entries", schema=None) as batch_op:
        batch_op.drop_column("version")
