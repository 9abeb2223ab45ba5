"""The one settings object, read from the environment (``RESEARCHDESK_*``) and ``.env``.

Settings are read at the edges (CLI, HTTP app, experiment runner) and passed down as plain
arguments; library code never reads the environment itself. Qdrant and OpenAI keep their
conventional variable names (``QDRANT_URL``, ``OPENAI_API_KEY``...) so existing
deployments' variables work unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ChunkStrategy = Literal["recursive", "token", "page", "section"]
StoreBackend = Literal["auto", "edge", "local", "memory", "remote"]

DEFAULT_EMBEDDING_MODEL = "bundled:all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Every knob of an ingestion (and later query) deployment, with safe local defaults."""

    model_config = SettingsConfigDict(
        env_prefix="RESEARCHDESK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="forbid",
    )

    data_dir: Path = Path(".researchdesk")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL for jobs and the catalogue; default SQLite in data_dir.",
    )
    index: str = Field(default="default", pattern=r"^[A-Za-z0-9_-]{1,64}$")

    # Vector store.
    store: StoreBackend = "auto"
    qdrant_url: str | None = Field(
        default=None, validation_alias=AliasChoices("QDRANT_URL", "RESEARCHDESK_QDRANT_URL")
    )
    qdrant_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("QDRANT_API_KEY", "RESEARCHDESK_QDRANT_API_KEY"),
    )

    # Embedding.
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_batch_size: int | None = Field(
        default=None,
        ge=1,
        le=4096,
        description="Texts per forward pass; unset: 32 on a CPU, 256 on a GPU.",
    )
    embedding_precision: Literal["auto", "fp32", "bf16", "fp16"] = Field(
        default="auto",
        description="auto: fp16 on a GPU, bf16 on CPUs with native bf16, else fp32.",
    )
    embedding_device: Literal["auto", "cpu", "cuda"] = Field(
        default="auto", description="auto: a CUDA GPU when torch sees one, else the CPU."
    )
    embed_group: int = Field(
        default=1024,
        ge=1,
        le=100_000,
        description="Documents are embedded together until this many chunks (fewer padded "
        "batches); 1 embeds each document on its own.",
    )

    # Chunking.
    chunk_strategy: ChunkStrategy = "recursive"
    chunk_size: int = Field(default=256, ge=16, le=8192)
    chunk_overlap: int = Field(default=32, ge=0, le=4096)
    contextual_header: bool = True

    # Loading.
    workers: int = Field(default=2, ge=1, le=64, description="Extraction processes.")
    max_file_mb: float = Field(default=200.0, gt=0)
    pdf_tables: bool = Field(
        default=False,
        description="Also read PDFs' ruled tables as rows with headers (pdfplumber; about "
        "60x slower extraction). Off by default so large filing corpora stay fast.",
    )

    # Execution engine (docs/scaling.md): this machine's processes, or a Ray cluster.
    engine: Literal["local", "ray"] = "local"
    ray_address: str | None = Field(
        default=None,
        validation_alias=AliasChoices("RAY_ADDRESS", "RESEARCHDESK_RAY_ADDRESS"),
        description="Ray cluster (host:port or ray://host:10001); unset starts a local Ray.",
    )
    ray_embed_actors: int = Field(
        default=0, ge=0, le=4096, description="Embedding actors; 0 = one per CPU slot but one."
    )
    ray_actor_threads: int = Field(
        default=0,
        ge=0,
        le=4096,
        description="Torch threads per CPU embedding actor; 0 = the cluster's CPUs shared "
        "among the actors (at least 1, at most the CPUs of the actor's node).",
    )

    # Qdrant server/cluster collection layout (used when a collection is created remotely).
    qdrant_shard_number: int | None = Field(default=None, ge=1, le=1024)
    qdrant_replication_factor: int | None = Field(default=None, ge=1, le=16)
    qdrant_write_consistency_factor: int | None = Field(default=None, ge=1, le=16)
    qdrant_on_disk: bool = Field(default=False, description="Dense vectors on disk (mmap).")
    qdrant_quantization: Literal["none", "int8"] = Field(
        default="none", description="int8 scalar quantization (kept in RAM), rescored."
    )
    qdrant_hnsw_m: int | None = Field(default=None, ge=4, le=128)
    qdrant_hnsw_ef_construct: int | None = Field(default=None, ge=4, le=2048)

    # Generation (used by the query pipeline).
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_API_KEY", "RESEARCHDESK_OPENAI_API_KEY"),
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_BASE_URL", "RESEARCHDESK_OPENAI_BASE_URL"),
    )
    llm_model: str = Field(default="gpt-4o-mini", min_length=1)
    llm_timeout_s: float = Field(default=30.0, gt=0, description="Per request, in seconds.")
    # How JSON replies are constrained (core.llm.JsonMode): off, openai, llama-cpp.
    llm_json_mode: Literal["off", "openai", "llama-cpp"] = "off"
    # US dollars per million tokens; 0 (the default) reports every call as costing 0.
    llm_price_prompt_per_mtok: float = Field(default=0.0, ge=0)
    llm_price_completion_per_mtok: float = Field(default=0.0, ge=0)

    # HTTP service (assistant.api); limits apply per process.
    api_max_body_bytes: int = Field(
        default=65536, ge=1024, le=16 * 1024 * 1024, description="Larger request bodies: 413."
    )
    api_rate_per_minute: float = Field(
        default=120.0, gt=0, description="Sustained requests per minute per API key (429 above)."
    )
    api_rate_burst: int = Field(default=30, ge=1, description="Requests a key may send at once.")
    api_auth_failures_per_minute: float = Field(
        default=10.0,
        gt=0,
        description="Invalid keys a client address may send per minute (as a burst too); past "
        "that every key from it gets 429 until the bucket refills.",
    )
    api_private_docs: bool = Field(
        default=False,
        description="Require an API key (any role) for /metrics, /docs, /redoc, /openapi.json.",
    )
    api_history_turns: int = Field(
        default=10, ge=0, le=100, description="Earlier questions of a conversation passed on."
    )
    api_retry_after_s: int = Field(
        default=10, ge=1, le=3600, description="Retry-After sent with 503 when a back-end is down."
    )
    api_ingest_root: Path | None = Field(
        default=None,
        description="Folder that POST /v1/ingest/jobs may read; unset turns HTTP ingestion off.",
    )
    api_disclaimer: str = Field(
        default=(
            "This is general research from the firm's library, not a personal recommendation. "
            "Check suitability for your client under the firm's suitability policy before "
            "acting on it."
        ),
        min_length=1,
        description="Added to answers that read as advice for a specific client (medium risk).",
    )

    @field_validator("qdrant_url", "openai_base_url", "database_url", "ray_address")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError(
                f"chunk_overlap ({self.chunk_overlap}) must be smaller than "
                f"chunk_size ({self.chunk_size})"
            )
        if self.store == "remote" and not self.qdrant_url:
            raise ValueError("store=remote needs QDRANT_URL (e.g. http://localhost:6333)")
        return self

    @property
    def resolved_store(self) -> StoreBackend:
        """The back-end actually used: a configured QDRANT_URL wins over 'auto'."""
        if self.store == "auto":
            return "remote" if self.qdrant_url else "edge"
        return self.store

    @property
    def llm_configured(self) -> bool:
        """True when an OpenAI key or an OpenAI-compatible base URL is set."""
        key = self.openai_api_key.get_secret_value().strip() if self.openai_api_key else ""
        return bool(key) or self.openai_base_url is not None

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'researchdesk.sqlite3').as_posix()}"

    def index_settings(self) -> dict[str, object]:
        """The settings that shape the index's content; changing any re-indexes documents."""
        return {
            "embedding_model": self.embedding_model,
            "chunk_strategy": self.chunk_strategy,
            "chunk_size": self.chunk_size,
            "chunk_overlap": self.chunk_overlap,
            "contextual_header": self.contextual_header,
            # Only when on, so indexes built before the setting existed keep their versions.
            **({"pdf_tables": True} if self.pdf_tables else {}),
        }
