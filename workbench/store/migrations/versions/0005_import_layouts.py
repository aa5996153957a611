"""import layouts: remembered column mappings move from JSON values in meta to a table of their own

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen here: the meta key prefixes the program used up to revision 0004, and the kind each one served.
PREFIXES = (("import.requests.mapping.", "requests"), ("import.mapping.", "controls"))


def upgrade() -> None:
    op.create_table(
        "import_layouts",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("header", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "signature", "field", name="pk_import_layouts"),
    )
    bind = op.get_bind()
    layouts = sa.table("import_layouts", sa.column("kind"), sa.column("signature"), sa.column("field"),
                       sa.column("header"))
    meta = sa.table("meta", sa.column("key"), sa.column("value"))
    rows = bind.execute(sa.select(meta.c.key, meta.c.value).where(meta.c.key.like("import.%mapping.%"))).all()
    moved: list[dict[str, str]] = []
    for key, value in rows:
        kind_and_signature = next(((kind, key[len(prefix):]) for prefix, kind in PREFIXES if key.startswith(prefix)),
                                  None)
        if kind_and_signature is None:
            continue
        kind, signature = kind_and_signature
        try:
            mapping = json.loads(value)
        except ValueError:
            mapping = None  # a damaged remembered layout is forgotten: the next import guesses again
        if isinstance(mapping, dict):
            moved.extend({"kind": kind, "signature": signature, "field": str(field), "header": str(header)}
                         for field, header in mapping.items())
    if moved:
        op.bulk_insert(layouts, moved)
    bind.execute(sa.delete(meta).where(meta.c.key.like("import.mapping.%")))
    bind.execute(sa.delete(meta).where(meta.c.key.like("import.requests.mapping.%")))


def downgrade() -> None:
    bind = op.get_bind()
    layouts = sa.table("import_layouts", sa.column("kind"), sa.column("signature"), sa.column("field"),
                       sa.column("header"))
    meta = sa.table("meta", sa.column("key"), sa.column("value"))
    grouped: dict[tuple[str, str], dict[str, str]] = {}
    for kind, signature, field, header in bind.execute(sa.select(layouts)).all():
        grouped.setdefault((kind, signature), {})[field] = header
    prefix_of = {kind: prefix for prefix, kind in PREFIXES}
    for (kind, signature), mapping in grouped.items():
        if kind in prefix_of:
            bind.execute(sa.insert(meta).values(key=prefix_of[kind] + signature,
                                                value=json.dumps(mapping, sort_keys=True)))
    op.drop_table("import_layouts")
