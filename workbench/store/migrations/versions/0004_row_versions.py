"""row versions: a version column on every table people edit, for optimistic concurrency in team mode

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen here: the tables as they were when this revision was written, not as the schema module says today.
TABLES = (
    "project", "description_sections", "components", "subservices", "cuecs", "assessments", "controls", "tasks",
    "evidence", "engagement", "milestones", "requests", "reports", "report_exceptions", "distributions",
    "plan_tasks",
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
