"""Storage: the only package that imports SQLAlchemy. Opens projects and hands out units of work."""

from workbench.store.opening import create_store, open_store
from workbench.store.project_store import ProjectStore
from workbench.store.projectfile import ProjectFile
from workbench.store.unit_of_work import UnitOfWork

__all__ = ["ProjectFile", "ProjectStore", "UnitOfWork", "create_store", "open_store"]
