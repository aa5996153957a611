"""Storage: the only package that imports SQLAlchemy. Opens project files and hands out units of work."""

from workbench.store.projectfile import ProjectFile
from workbench.store.unit_of_work import UnitOfWork

__all__ = ["ProjectFile", "UnitOfWork"]
