"""registers: risks and risk assessments, vendors and their reports, incidents, continuity tests

Revision ID: 0007
Revises: 0006
Create Date: 2027-01-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _version() -> sa.Column:
    return sa.Column("version", sa.Integer(), server_default="1", nullable=False)


def _control(table: str) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    return (sa.Column("control_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(["control_id"], ["controls.id"], name=f"fk_{table}_control_id_controls",
                                    ondelete="SET NULL"))


def upgrade() -> None:
    op.create_table(
        "risk_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("signed_by", sa.Text(), nullable=False),
        *_control("risk_assessments"),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        _version(),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name="fk_risk_assessments_evidence_id_evidence",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_risk_assessments"),
    )
    op.create_table(
        "risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("scenario", sa.Text(), nullable=False),
        sa.Column("asset", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("fraud", sa.Boolean(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=True),
        sa.Column("impact", sa.Integer(), nullable=True),
        sa.Column("inherent_given", sa.Integer(), nullable=True),
        sa.Column("treatment", sa.String(16), nullable=True),
        sa.Column("treatment_text", sa.Text(), nullable=False),
        sa.Column("control_refs", sa.Text(), nullable=False),
        sa.Column("residual_likelihood", sa.Integer(), nullable=True),
        sa.Column("residual_impact", sa.Integer(), nullable=True),
        sa.Column("residual_given", sa.Integer(), nullable=True),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        _version(),
        sa.ForeignKeyConstraint(["assessment_id"], ["risk_assessments.id"],
                                name="fk_risks_assessment_id_risk_assessments", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_risks"),
        sa.UniqueConstraint("assessment_id", "ref", name="uq_risks_assessment_id"),
    )
    op.create_index("ix_risks_assessment_id", "risks", ["assessment_id"])
    op.create_table(
        "vendors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("data_access", sa.String(16), nullable=True),
        sa.Column("stops_service", sa.Boolean(), nullable=True),
        sa.Column("subservice", sa.String(16), nullable=True),
        sa.Column("criticality", sa.String(16), nullable=True),
        sa.Column("contract_terms", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("next_review", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("id", name="pk_vendors"),
        sa.UniqueConstraint("ref", name="uq_vendors_ref"),
    )
    op.create_table(
        "vendor_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("report_type", sa.String(16), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("opinion", sa.String(32), nullable=True),
        sa.Column("exceptions", sa.Text(), nullable=False),
        sa.Column("bridge_letter", sa.Text(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("reviewed_by", sa.Text(), nullable=False),
        *_control("vendor_reports"),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        _version(),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendors.id"], name="fk_vendor_reports_vendor_id_vendors",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name="fk_vendor_reports_evidence_id_evidence",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_vendor_reports"),
        sa.UniqueConstraint("ref", name="uq_vendor_reports_ref"),
    )
    op.create_index("ix_vendor_reports_vendor_id", "vendor_reports", ["vendor_id"])
    op.create_table(
        "vendor_user_controls",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_control("vendor_user_controls"),
        sa.ForeignKeyConstraint(["report_id"], ["vendor_reports.id"],
                                name="fk_vendor_user_controls_report_id_vendor_reports", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id", "position", name="pk_vendor_user_controls"),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("detected_on", sa.Date(), nullable=True),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(16), nullable=True),
        sa.Column("security", sa.Boolean(), nullable=True),
        sa.Column("contained_on", sa.Date(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("customers_notified", sa.Boolean(), nullable=True),
        sa.Column("regulators_notified", sa.Boolean(), nullable=True),
        sa.Column("root_cause", sa.Text(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=False),
        *_control("incidents"),
        _version(),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
        sa.UniqueConstraint("ref", name="uq_incidents_ref"),
    )
    op.create_table(
        "continuity_tests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("scenario", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("performed_on", sa.Date(), nullable=True),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("rto_target", sa.Integer(), nullable=True),
        sa.Column("rto_achieved", sa.Integer(), nullable=True),
        sa.Column("rpo_target", sa.Integer(), nullable=True),
        sa.Column("rpo_achieved", sa.Integer(), nullable=True),
        sa.Column("issues", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=False),
        *_control("continuity_tests"),
        _version(),
        sa.PrimaryKeyConstraint("id", name="pk_continuity_tests"),
        sa.UniqueConstraint("ref", name="uq_continuity_tests_ref"),
    )


def downgrade() -> None:
    for table in ("continuity_tests", "incidents", "vendor_user_controls", "vendor_reports", "vendors", "risks",
                  "risk_assessments"):
        op.drop_table(table)
