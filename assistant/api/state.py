"""Everything one app instance holds: settings, database, pipeline, job runner, limits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from assistant.api.holder import PipelineHolder
from assistant.api.jobs import JobRunner
from assistant.api.metrics import Metrics
from assistant.api.ratelimit import RateLimiter
from assistant.approvals import ApprovalQueue
from assistant.audit import AuditLog
from assistant.conversations import Conversations
from assistant.keys import KeyStore
from core.settings import Settings
from ingest.catalog import Catalog


@dataclass
class ServiceState:
    settings: Settings
    engine: Engine
    holder: PipelineHolder
    keys: KeyStore
    audit: AuditLog
    approvals: ApprovalQueue
    conversations: Conversations
    catalog: Catalog
    jobs: JobRunner
    limiter: RateLimiter
    metrics: Metrics
    auth_failures: RateLimiter  # per client address: invalid keys it may still try
