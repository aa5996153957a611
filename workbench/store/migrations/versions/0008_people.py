"""people: the roster with joiner and leaver checks, and the stated time to remove a leaver's access

Revision ID: 0008
Revises: 0007
Create Date: 2027-02-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_DATES = ("start_date", "end_date", "background_check_on", "conduct_acknowledged_on", "training_at_hire_on",
          "training_yearly_on", "access_granted_on", "access_removed_on", "equipment_returned_on")


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("worker_type", sa.String(16), nullable=True),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("manager", sa.Text(), nullable=False),
        *(sa.Column(name, sa.Date(), nullable=True) for name in _DATES),
        sa.Column("background_check_result", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.UniqueConstraint("ref", name="uq_people_ref"),
    )
    op.create_table(
        "people_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("removal_days", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people_policy"),
    )


def downgrade() -> None:
    op.drop_table("people_policy")
    op.drop_table("people")
