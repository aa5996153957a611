"""first schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_key", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entries")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entries_hash")),
    )
    op.create_table(
        "components",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("in_scope", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_components")),
    )
    op.create_table(
        "controls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=128), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("frequency", sa.String(length=32), nullable=True),
        sa.Column("nature", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_controls")),
        sa.UniqueConstraint("ref", name=op.f("uq_controls_ref")),
    )
    op.create_table(
        "criteria",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("series", sa.String(length=8), nullable=False),
        sa.Column("series_title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criteria")),
    )
    op.create_table(
        "cuecs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cuecs")),
    )
    op.create_table(
        "description_sections",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_description_sections")),
    )
    op.create_table(
        "engagement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm", sa.Text(), nullable=False),
        sa.Column("lead_auditor", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement")),
    )
    op.create_table(
        "evidence_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=128), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_evidence_blobs")),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
    )
    op.create_table(
        "plan_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("milestone", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_tasks")),
        sa.UniqueConstraint("key", name=op.f("uq_plan_tasks_key")),
    )
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization", sa.Text(), nullable=False),
        sa.Column("system_name", sa.Text(), nullable=False),
        sa.Column("report_type", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("catalog_name", sa.Text(), nullable=False),
        sa.Column("catalog_version", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
    )
    op.create_table(
        "scope_categories",
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_scope_categories")),
    )
    op.create_table(
        "subservices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("soc_report", sa.Text(), nullable=False),
        sa.Column("complementary_controls", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subservices")),
    )
    op.create_table(
        "assessments",
        sa.Column("criterion_id", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["criterion_id"], ["criteria.id"], name=op.f("fk_assessments_criterion_id_criteria")),
        sa.PrimaryKeyConstraint("criterion_id", name=op.f("pk_assessments")),
    )
    op.create_table(
        "control_criteria",
        sa.Column("control_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["control_id"], ["controls.id"], name=op.f("fk_control_criteria_control_id_controls"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"], ["criteria.id"], name=op.f("fk_control_criteria_criterion_id_criteria")
        ),
        sa.PrimaryKeyConstraint("control_id", "criterion_id", name=op.f("pk_control_criteria")),
    )
    with op.batch_alter_table("control_criteria", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_control_criteria_criterion_id"), ["criterion_id"], unique=False)

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("control_id", sa.Integer(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("collected_on", sa.Date(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("added_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_sha256"], ["evidence_blobs.sha256"], name=op.f("fk_evidence_blob_sha256_evidence_blobs")
        ),
        sa.ForeignKeyConstraint(
            ["control_id"], ["controls.id"], name=op.f("fk_evidence_control_id_controls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_blob_sha256"), ["blob_sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_control_id"), ["control_id"], unique=False)

    op.create_table(
        "evidence_chunks",
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_sha256"],
            ["evidence_blobs.sha256"],
            name=op.f("fk_evidence_chunks_blob_sha256_evidence_blobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("blob_sha256", "seq", name=op.f("pk_evidence_chunks")),
    )
    op.create_table(
        "plan_dependencies",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("depends_on_id", sa.Integer(), nullable=False),
        sa.Column("lag_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["depends_on_id"],
            ["plan_tasks.id"],
            name=op.f("fk_plan_dependencies_depends_on_id_plan_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["plan_tasks.id"], name=op.f("fk_plan_dependencies_task_id_plan_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", "depends_on_id", name=op.f("pk_plan_dependencies")),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_type", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("opinion", sa.String(length=32), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("auditor", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["blob_sha256"], ["evidence_blobs.sha256"], name=op.f("fk_reports_blob_sha256_evidence_blobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    op.create_table(
        "requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=128), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tsc_refs", sa.Text(), nullable=False),
        sa.Column("control_id", sa.Integer(), nullable=True),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("auditor_status", sa.Text(), nullable=False),
        sa.Column("priority", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["control_id"], ["controls.id"], name=op.f("fk_requests_control_id_controls"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requests")),
        sa.UniqueConstraint("ref", name=op.f("uq_requests_ref")),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("criterion_id", sa.String(length=16), nullable=True),
        sa.Column("control_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["control_id"], ["controls.id"], name=op.f("fk_tasks_control_id_controls"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["criterion_id"], ["criteria.id"], name=op.f("fk_tasks_criterion_id_criteria")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_table(
        "distributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("organization", sa.Text(), nullable=False),
        sa.Column("nda_reference", sa.Text(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_distributions_report_id_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distributions")),
    )
    with op.batch_alter_table("distributions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_distributions_report_id"), ["report_id"], unique=False)

    op.create_table(
        "report_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("management_response", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_exceptions_report_id_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_exceptions")),
    )
    with op.batch_alter_table("report_exceptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_exceptions_report_id"), ["report_id"], unique=False)

    op.create_table(
        "request_evidence",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_request_evidence_evidence_id_evidence"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name=op.f("fk_request_evidence_request_id_requests"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("request_id", "evidence_id", name=op.f("pk_request_evidence")),
    )


def downgrade() -> None:
    op.drop_table("request_evidence")
    with op.batch_alter_table("report_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_exceptions_report_id"))

    op.drop_table("report_exceptions")
    with op.batch_alter_table("distributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_distributions_report_id"))

    op.drop_table("distributions")
    op.drop_table("tasks")
    op.drop_table("requests")
    op.drop_table("reports")
    op.drop_table("plan_dependencies")
    op.drop_table("evidence_chunks")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_control_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_blob_sha256"))

    op.drop_table("evidence")
    with op.batch_alter_table("control_criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_control_criteria_criterion_id"))

    op.drop_table("control_criteria")
    op.drop_table("assessments")
    op.drop_table("subservices")
    op.drop_table("scope_categories")
    op.drop_table("project")
    op.drop_table("plan_tasks")
    op.drop_table("milestones")
    op.drop_table("meta")
    op.drop_table("evidence_blobs")
    op.drop_table("engagement")
    op.drop_table("description_sections")
    op.drop_table("cuecs")
    op.drop_table("criteria")
    op.drop_table("controls")
    op.drop_table("components")
    op.drop_table("audit_entries")
