"""type II period: controls' implemented-since and retired dates, populations and their items, samples

Revision ID: 0006
Revises: 0005
Create Date: 2027-01-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("controls") as batch:
        batch.add_column(sa.Column("implemented_since", sa.Date(), nullable=True))
        batch.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
    op.create_table(
        "populations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("control_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("generated_at", sa.Date(), nullable=True),
        sa.Column("generated_by", sa.Text(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("out_of_period", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["control_id"], ["controls.id"], name="fk_populations_control_id_controls",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_populations"),
        sa.UniqueConstraint("control_id", name="uq_populations_control_id"),
    )
    op.create_table(
        "population_items",
        sa.Column("population_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("in_period", sa.Boolean(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["population_id"], ["populations.id"],
                                name="fk_population_items_population_id_populations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("population_id", "position", name="pk_population_items"),
    )
    op.create_table(
        "population_evidence",
        sa.Column("population_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["population_id"], ["populations.id"],
                                name="fk_population_evidence_population_id_populations", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name="fk_population_evidence_evidence_id_evidence",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("population_id", "evidence_id", name="pk_population_evidence"),
    )
    op.create_table(
        "samples",
        sa.Column("control_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("basis", sa.String(16), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("from_file", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["control_id"], ["controls.id"], name="fk_samples_control_id_controls",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("control_id", name="pk_samples"),
    )
    op.create_table(
        "sample_items",
        sa.Column("control_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("result", sa.String(16), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("exception_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["control_id"], ["samples.control_id"], name="fk_sample_items_control_id_samples",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name="fk_sample_items_evidence_id_evidence",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["exception_id"], ["report_exceptions.id"],
                                name="fk_sample_items_exception_id_report_exceptions", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("control_id", "position", name="pk_sample_items"),
    )


def downgrade() -> None:
    for table in ("sample_items", "samples", "population_evidence", "population_items", "populations"):
        op.drop_table(table)
    with op.batch_alter_table("controls") as batch:
        batch.drop_column("retired_on")
        batch.drop_column("implemented_since")
