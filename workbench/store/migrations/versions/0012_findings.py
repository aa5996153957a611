"""tool findings: runs of security tools (the report kept as evidence) and the findings each run holds

Revision ID: 0012
Revises: 0011
Create Date: 2027-02-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tool_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tool", sa.Text(), nullable=False),
        sa.Column("tool_version", sa.Text(), nullable=False),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("reflects_at", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("control_id", sa.Integer(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["control_id"], ["controls.id"], name="fk_tool_runs_control_id_controls",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name="fk_tool_runs_evidence_id_evidence",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_tool_runs"),
    )
    op.create_table(
        "findings",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("check_id", sa.Text(), nullable=False),
        sa.Column("check_title", sa.Text(), nullable=False),
        sa.Column("resource", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["tool_runs.id"], name="fk_findings_run_id_tool_runs",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "position", name="pk_findings"),
    )


def downgrade() -> None:
    op.drop_table("findings")
    op.drop_table("tool_runs")
