"""Alembic environment: always runs on a connection handed over by workbench.store.migrate."""

from alembic import context

from workbench.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
