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


class GeneratorError(ResearchDeskError):
    """A language model the query pipeline depends on failed or answered unusably.

    ``retryable`` says whether trying again later may succeed (timeouts, rate limits,
    server errors) or a person must fix something first (bad key, unknown model); the HTTP
    service maps the former to 503 with a retry hint.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable

    def __reduce__(self) -> tuple[type[GeneratorError], tuple[str], dict[str, bool]]:
        # Keep ``retryable`` when the error crosses a process boundary.
        return (type(self), (str(self),), {"retryable": self.retryable})
