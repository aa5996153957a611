"""report follow-up: bridge letter date and next cycle start

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bridge_letter_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_cycle_start", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("next_cycle_start")
        batch_op.drop_column("bridge_letter_on")
