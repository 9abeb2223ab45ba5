"""Prometheus metrics of one app instance (its own registry, so tests can build many apps)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

if TYPE_CHECKING:
    from assistant.answer import Answer

_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "researchdesk_http_requests",
            "HTTP requests by route template, method and status.",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "researchdesk_http_request_seconds",
            "HTTP request latency by route template (streams: until the last event).",
            ["route", "method"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.stage = Histogram(
            "researchdesk_stage_seconds",
            "Latency of each query-pipeline stage (classify, search_*, generate, verify...).",
            ["stage"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.tokens = Counter(
            "researchdesk_llm_tokens", "LLM tokens used, by kind.", ["kind"], registry=r
        )
        self.cost = Counter("researchdesk_llm_cost_usd", "LLM cost in US dollars.", registry=r)
        self.outcomes = Counter(
            "researchdesk_answers",
            "Chat answers by outcome and risk tier.",
            ["outcome", "tier"],
            registry=r,
        )
        self.refusals = Counter(
            "researchdesk_refusals",
            "Answers refused (declined off-topic, or not found in the library).",
            ["outcome"],
            registry=r,
        )
        self.escalations = Counter(
            "researchdesk_escalations", "Requests to act queued for approval.", registry=r
        )
        self.guardrail_blocks = Counter(
            "researchdesk_guardrail_blocks",
            "Answers cancelled by a guardrail.",
            ["check"],
            registry=r,
        )
        self.rate_limited = Counter(
            "researchdesk_rate_limited", "Requests refused with 429.", registry=r
        )
        self.ready = Gauge(
            "researchdesk_ready", "1 when the index and models are loaded.", registry=r
        )

    def observe_answer(self, answer: Answer, tier: str) -> None:
        self.outcomes.labels(answer.outcome, tier).inc()
        if answer.outcome in ("declined", "not_found"):
            self.refusals.labels(answer.outcome).inc()
        if answer.outcome == "escalated":
            self.escalations.inc()
        for stage, ms in answer.timings_ms.items():
            self.stage.labels(stage).observe(ms / 1000.0)
        if answer.usage is not None:
            self.tokens.labels("prompt").inc(answer.usage.prompt_tokens)
            self.tokens.labels("completion").inc(answer.usage.completion_tokens)
            self.cost.inc(answer.usage.cost_usd)

    def render(self) -> bytes:
        return generate_latest(self.registry)
