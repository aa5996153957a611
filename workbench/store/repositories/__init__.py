"""Repositories: read and write one kind of record, returning domain objects, never ORM rows."""
