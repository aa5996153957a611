"""Errors a user can cause; each names what went wrong and why, in one line."""

from __future__ import annotations


class WorkbenchError(Exception):
    """A problem the user can cause and fix: a bad file, a bad argument, a refused action."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what} : {why}")
        self.what = what
        self.why = why

    def __str__(self) -> str:
        return f"{self.what} : {self.why}"


class ProjectFileError(WorkbenchError):
    """The project file is missing, not ours, damaged, from a newer version, or cannot be written."""


class ProjectLockedError(ProjectFileError):
    """Another window or process has the project open."""


class CatalogError(WorkbenchError):
    """The criteria catalog is malformed."""


class ValidationError(WorkbenchError):
    """A value given for a field is not acceptable."""


class NotFoundError(WorkbenchError):
    """A record the user named does not exist."""


class DuplicateError(WorkbenchError):
    """A record with the same identifying value already exists."""


class ConflictError(WorkbenchError):
    """Someone else changed the record since it was read: the edit was refused and `fresh` holds what is there now."""

    def __init__(self, what: str, why: str, fresh: object | None = None) -> None:
        super().__init__(what, why)
        self.fresh = fresh
