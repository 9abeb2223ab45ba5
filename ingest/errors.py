"""One exception tree for the whole project.

Library code raises these; only the edges (CLI, HTTP app) turn them into exit codes or
HTTP statuses. Every message should tell a person what to do next.
"""

from __future__ import annotations


class ResearchDeskError(Exception):
    """Base class for every error ResearchDesk raises on purpose."""


class ConfigError(ResearchDeskError):
    """A setting is missing, malformed or contradicts another."""


class MissingDependencyError(ResearchDeskError):
    """An optional package or a model is not installed; the message says how to install it."""

    def __init__(self, what: str, hint: str) -> None:
        super().__init__(f"{what} is not available: {hint}")
        self.what = what
        self.hint = hint

    def __reduce__(self) -> tuple[type[MissingDependencyError], tuple[str, str]]:
        # Raised inside extraction worker processes: it must survive pickling.
        return (type(self), (self.what, self.hint))


class LoaderError(ResearchDeskError):
    """A file could not be turned into text (corrupt, encrypted, empty, unsupported...)."""


class UnsupportedFormatError(LoaderError):
    """No loader handles this file type."""


class StoreError(ResearchDeskError):
    """The vector store refused or failed an operation."""


class CatalogError(ResearchDeskError):
    """The job and document database failed or holds unexpected data."""


class NotFoundError(ResearchDeskError):
    """A document, job or other record does not exist (or is not visible to the caller)."""
