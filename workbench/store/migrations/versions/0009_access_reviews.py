"""access reviews: campaigns over a system's user list, their accounts and the reviewer's decisions

Revision ID: 0009
Revises: 0008
Create Date: 2027-02-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("system", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("reviewer", sa.Text(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("control_id", sa.Integer(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["control_id"], ["controls.id"], name="fk_access_reviews_control_id_controls",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name="fk_access_reviews_evidence_id_evidence",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_access_reviews"),
        sa.UniqueConstraint("ref", name="uq_access_reviews_ref"),
    )
    op.create_table(
        "access_review_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("login", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("admin", sa.Boolean(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("last_login", sa.Date(), nullable=True),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["review_id"], ["access_reviews.id"],
                                name="fk_access_review_entries_review_id_access_reviews", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name="fk_access_review_entries_task_id_tasks",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_access_review_entries"),
    )
    op.create_index("ix_access_review_entries_review_id", "access_review_entries", ["review_id"])


def downgrade() -> None:
    op.drop_index("ix_access_review_entries_review_id", "access_review_entries")
    op.drop_table("access_review_entries")
    op.drop_table("access_reviews")
