"""Alembic migrations of the project schema (batch mode, so they also work on SQLite)."""
