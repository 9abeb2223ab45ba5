"""The HTTP service (FastAPI): ``create_app(settings, pipeline_factory=...)``."""

from assistant.api.app import create_app

__all__ = ["create_app"]
