"""policies: each policy's draft and metadata, its frozen published versions, and who acknowledged which version

Revision ID: 0010
Revises: 0009
Create Date: 2027-02-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_REFUSAL = "a published policy version cannot be changed"


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("review_months", sa.Integer(), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("template_key", sa.Text(), nullable=False),
        sa.Column("draft_body", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_policies"),
        sa.UniqueConstraint("key", name="uq_policies_key"),
    )
    op.create_table(
        "policy_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("approver", sa.Text(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("published_at", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name="fk_policy_versions_policy_id_policies",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_policy_versions"),
        sa.UniqueConstraint("policy_id", "number", name="uq_policy_versions_policy_id"),
    )
    op.create_table(
        "acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=False),
        sa.Column("person", sa.Text(), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name="fk_acknowledgements_policy_id_policies",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_acknowledgements"),
    )
    op.create_index("ix_acknowledgements_policy_id", "acknowledgements", ["policy_id"])
    _freeze_versions()


def _freeze_versions() -> None:
    """Refuse, in the database itself, any change to a published version's text or hash (its dates may move)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TRIGGER policy_versions_frozen BEFORE UPDATE OF body, sha256, number, policy_id "
                   f"ON policy_versions BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION policy_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$")
        op.execute("CREATE TRIGGER policy_versions_frozen BEFORE UPDATE OF body, sha256, number, policy_id "
                   "ON policy_versions FOR EACH ROW EXECUTE FUNCTION policy_versions_frozen()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS policy_versions_frozen ON policy_versions")
        op.execute("DROP FUNCTION IF EXISTS policy_versions_frozen()")
    op.drop_index("ix_acknowledgements_policy_id", "acknowledgements")
    op.drop_table("acknowledgements")
    op.drop_table("policy_versions")
    op.drop_table("policies")
