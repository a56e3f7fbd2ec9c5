"""lockstep's exceptions. The CLI turns every LockstepError into one clear message and exit code 2."""

from __future__ import annotations

__all__ = [
    "LockstepError",
    "MappingError",
    "UnknownFormatError",
    "UnreadableFileError",
    "WorkspaceError",
    "WorkspaceInUseError",
]


class LockstepError(Exception):
    """Base of the errors lockstep reports to a user as a message, not a traceback."""

    exit_code = 2


class UnreadableFileError(LockstepError):
    """A file is missing, not readable, or not decodable at all."""


class UnknownFormatError(LockstepError):
    """No reader recognised a file, or ``--format`` named a reader that does not exist."""


class MappingError(LockstepError):
    """A ``--map SRC=FIELD`` mapping names a column that is not in the file, or an unknown field."""


class WorkspaceError(LockstepError):
    """The workspace is missing, from an incompatible version, or damaged."""


class WorkspaceInUseError(WorkspaceError):
    """Another lockstep process holds the workspace."""
