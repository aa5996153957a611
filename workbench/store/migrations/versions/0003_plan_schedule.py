"""plan schedule: durations, pins, actuals, progress, kind and baseline on plan tasks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _working_days(start: date, end: date) -> int:
    """Weekdays in [start, end] (the schedule's working days; no holidays were ever stored)."""
    if end < start:
        return 0
    weeks, extra = divmod((end - start).days + 1, 7)
    count = weeks * 5
    for offset in range(extra):
        if (start + timedelta(days=offset)).weekday() < 5:
            count += 1
    return count


def upgrade() -> None:
    with op.batch_alter_table("plan_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duration_days", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("fixed_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("fixed_end", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("actual_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("actual_finish", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("percent_complete", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("kind", sa.String(length=32), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("baseline_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("baseline_end", sa.Date(), nullable=True))
    tasks = sa.table("plan_tasks", sa.column("id", sa.Integer()), sa.column("start", sa.Date()),
                     sa.column("end", sa.Date()), sa.column("milestone", sa.Boolean()),
                     sa.column("duration_days", sa.Integer()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(tasks.c.id, tasks.c.start, tasks.c.end, tasks.c.milestone)).all()
    for task_id, start, end, milestone in rows:
        days = 0 if milestone else max(1, _working_days(start, end))
        connection.execute(sa.update(tasks).where(tasks.c.id == task_id).values(duration_days=days))


def downgrade() -> None:
    with op.batch_alter_table("plan_tasks", schema=None) as batch_op:
        for name in ("baseline_end", "baseline_start", "kind", "percent_complete", "actual_finish",
                     "actual_start", "fixed_end", "fixed_start", "duration_days"):
            batch_op.drop_column(name)
