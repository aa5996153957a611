"""system description on DC1-DC9: the nine sections move under the DC keys, CSOCs become records, CSOCs and CUECs
get criteria, and the engagement gets its representation-letter and subsequent-events checklist

Revision ID: 0011
Revises: 0010
Create Date: 2027-02-04

The sections keep their stored value as it is (only the key changes), so an encrypted text stays readable: its
associated data names the column, not the row. Each non-empty line of a subservice organisation's complementary
controls becomes one CSOC record with the line's exact text, in the order written.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# old section key -> its DC key (DC3's five parts are "dc3.<part>")
MOVES = {
    "services": "dc1",
    "commitments": "dc2",
    "infrastructure": "dc3.infrastructure",
    "software": "dc3.software",
    "people": "dc3.people",
    "procedures": "dc3.procedures",
    "data": "dc3.data",
    "incidents": "dc4",
    "changes": "dc9",
}


def _version() -> sa.Column:
    return sa.Column("version", sa.Integer(), server_default="1", nullable=False)


def _criteria_link(table: str, owner: str, owner_table: str) -> None:
    op.create_table(
        table,
        sa.Column(owner, sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint([owner], [f"{owner_table}.id"], name=f"fk_{table}_{owner}_{owner_table}",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["criterion_id"], ["criteria.id"], name=f"fk_{table}_criterion_id_criteria"),
        sa.PrimaryKeyConstraint(owner, "criterion_id", name=f"pk_{table}"),
    )


def _csoc_lines(text: str | None) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def upgrade() -> None:
    op.create_table(
        "csocs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subservice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _version(),
        sa.ForeignKeyConstraint(["subservice_id"], ["subservices.id"], name="fk_csocs_subservice_id_subservices",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_csocs"),
    )
    op.create_index("ix_csocs_subservice_id", "csocs", ["subservice_id"])
    _criteria_link("csoc_criteria", "csoc_id", "csocs")
    _criteria_link("cuec_criteria", "cuec_id", "cuecs")
    op.create_table(
        "engagement_checks",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sa.Text(), nullable=False),
        _version(),
        sa.PrimaryKeyConstraint("key", name="pk_engagement_checks"),
    )

    bind = op.get_bind()
    sections = sa.table("description_sections", sa.column("key", sa.String))
    for old, new in MOVES.items():
        bind.execute(sa.update(sections).where(sections.c.key == old).values(key=new))

    subservices = sa.table("subservices", sa.column("id", sa.Integer), sa.column("complementary_controls", sa.Text))
    csocs = sa.table("csocs", sa.column("subservice_id", sa.Integer), sa.column("position", sa.Integer),
                     sa.column("text", sa.Text))
    rows = bind.execute(sa.select(subservices.c.id, subservices.c.complementary_controls)
                        .order_by(subservices.c.id)).all()
    for subservice_id, text in rows:
        lines = _csoc_lines(text)
        if lines:
            bind.execute(sa.insert(csocs), [{"subservice_id": subservice_id, "position": n, "text": line}
                                            for n, line in enumerate(lines)])
    with op.batch_alter_table("subservices") as batch:
        batch.drop_column("complementary_controls")


def downgrade() -> None:
    with op.batch_alter_table("subservices") as batch:
        batch.add_column(sa.Column("complementary_controls", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    subservices = sa.table("subservices", sa.column("id", sa.Integer), sa.column("complementary_controls", sa.Text))
    csocs = sa.table("csocs", sa.column("subservice_id", sa.Integer), sa.column("position", sa.Integer),
                     sa.column("text", sa.Text))
    joined: dict[int, list[str]] = {}
    for subservice_id, text in bind.execute(sa.select(csocs.c.subservice_id, csocs.c.text)
                                            .order_by(csocs.c.subservice_id, csocs.c.position)).all():
        joined.setdefault(subservice_id, []).append(text)
    for subservice_id, lines in joined.items():
        bind.execute(sa.update(subservices).where(subservices.c.id == subservice_id)
                     .values(complementary_controls="\n".join(lines)))
    sections = sa.table("description_sections", sa.column("key", sa.String))
    bind.execute(sa.delete(sections).where(sections.c.key.not_in(list(MOVES.values()))))
    for old, new in MOVES.items():
        bind.execute(sa.update(sections).where(sections.c.key == new).values(key=old))
    op.drop_table("engagement_checks")
    op.drop_table("cuec_criteria")
    op.drop_table("csoc_criteria")
    op.drop_index("ix_csocs_subservice_id", "csocs")
    op.drop_table("csocs")
