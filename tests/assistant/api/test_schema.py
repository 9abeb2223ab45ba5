"""Property-based run over the OpenAPI schema: no 5xx, every response matches the schema.

Bounded (a few examples per operation) and against the ASGI app in-process: no network.
Authenticated as a principal holding every role, so each operation is reached.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

pytestmark = pytest.mark.slow

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402


def test_openapi_schema_is_complete(app: FastAPI) -> None:
    schema = app.openapi()
    paths = set(schema["paths"])
    assert {
        "/v1/chat",
        "/v1/search",
        "/v1/documents",
        "/v1/documents/{document_id}",
        "/v1/documents/{document_id}/pages/{number}",
        "/v1/ingest/jobs",
        "/v1/ingest/jobs/{job_id}",
        "/v1/feedback",
        "/v1/traces/{trace_id}",
        "/v1/audit",
        "/v1/approvals",
        "/v1/approvals/{approval_id}",
        "/healthz",
        "/readyz",
        "/metrics",
    } <= paths
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["type"] == "http"


def _explore(operation: Any, mode: Any, checks: list[Any], headers: dict[str, str]) -> None:
    from hypothesis import given

    @settings(
        max_examples=6,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks)

    run()


def test_schemathesis(app: FastAPI) -> None:
    from fastapi.testclient import TestClient
    from schemathesis import GenerationMode

    _, secret = app.state.service.keys.create(["advisor", "data", "reviewer", "admin"], [])
    headers = {"Authorization": f"Bearer {secret}"}
    # Unlimited rate for this run: it sends a few hundred requests with one key.
    app.state.service.limiter.burst = 1e9
    app.state.service.limiter.rate = 1e9
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    conformance = [
        schemathesis.checks.not_a_server_error,
        schemathesis.checks.status_code_conformance,
        schemathesis.checks.content_type_conformance,
        schemathesis.checks.response_schema_conformance,
    ]
    failures: list[str] = []
    with TestClient(app):  # runs the lifespan (pipeline warm-up)
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.path == "/v1/documents/{document_id}" and operation.method == "delete":
                continue  # would mutate the shared sample index; test_jobs covers it
            # Valid inputs must conform; invalid (negative) ones must never be a 5xx.
            for mode, checks in (
                (GenerationMode.POSITIVE, conformance),
                (GenerationMode.NEGATIVE, [schemathesis.checks.not_a_server_error]),
            ):
                try:
                    _explore(operation, mode, checks, headers)
                except Unsatisfiable:
                    assert mode is GenerationMode.NEGATIVE  # no input to make invalid
                except Exception as exc:
                    name = f"{operation.method.upper()} {operation.path} ({mode.value})"
                    failures.append(f"{name}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_every_place_a_citation_quotes_gets_its_page_link() -> None:
    from assistant.answer import Citation, CitedPlace
    from assistant.api.schemas.chat import citations_out

    citation = Citation(1, "c", "doc-1", "Report", "/lib/r.pdf", 3, 3, "Income",
                        "Gross profit 9,912", 1.0,
                        also=(CitedPlace(4, 4, "Income", "Revenue 46,298"),))  # fmt: skip
    (out,) = citations_out([citation.to_json()], None)
    assert out.link == "/v1/documents/doc-1/pages/3"
    assert [(p.quote, p.link) for p in out.also] == [
        ("Revenue 46,298", "/v1/documents/doc-1/pages/4")
    ]
    # A citation stored before places were recorded has none.
    old = {k: v for k, v in citation.to_json().items() if k != "also"}
    assert citations_out([old], None)[0].also == []
