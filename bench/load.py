"""Bounded load test of the HTTP service on loopback, as JSON.

    python bench/load.py [--data-dir DIR] [--clients 20] [--seconds 60] [--port 8765]

Starts ``researchdesk serve`` as a separate process over ``DIR`` (the sample corpus is
ingested there first if the index is empty), creates one advisor key per client, then
``--clients`` concurrent clients ask the sample-corpus questions (in a fixed shuffled
order, POST /v1/chat) for ``--seconds``. Prints throughput, p50/p95/p99 latency and the
errors (any non-200). The per-key rate limit is raised for the run: it measures the
service, not the limiter.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from experiments.metrics import percentile  # noqa: E402

CORPUS = REPO / "data" / "sample_corpus"


def _questions() -> list[str]:
    lines = (CORPUS / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    random.Random(7).shuffle(questions)
    return questions


def _prepare(data_dir: Path, env: dict[str, str], clients: int) -> list[str]:
    """Ingest the sample corpus if needed; one key per client."""
    cli = [sys.executable, "-m", "cli"]
    subprocess.run(
        [*cli, "ingest", str(CORPUS), "--exclude", "*.jsonl", "--json"],
        env=env,
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    keys = []
    for _ in range(clients):
        out = subprocess.run(
            [*cli, "keys", "create", "--role", "advisor", "--name", "load-test", "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        keys.append(json.loads(out.stdout)["key"])
    return keys


async def _client(
    base: str,
    key: str,
    questions: list[str],
    offset: int,
    until: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as client:
        i = offset
        while time.monotonic() < until:
            question = questions[i % len(questions)]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.post("/v1/chat", json={"message": question})
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors.append(f"{response.status_code}: {response.text[:200]}")


async def _run(base: str, keys: list[str], seconds: float) -> dict[str, object]:
    questions = _questions()
    latencies: list[float] = []
    errors: list[str] = []
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        *(
            _client(base, key, questions, n * 3, until, latencies, errors)
            for n, key in enumerate(keys)
        )
    )
    elapsed = time.monotonic() - started
    ms = sorted(x * 1000 for x in latencies)
    return {
        "clients": len(keys),
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "throughput_rps": round(len(latencies) / elapsed, 2),
        "p50_ms": round(percentile(ms, 50), 1) if ms else None,
        "p95_ms": round(percentile(ms, 95), 1) if ms else None,
        "p99_ms": round(percentile(ms, 99), 1) if ms else None,
        "max_ms": round(ms[-1], 1) if ms else None,
        "errors": len(errors),
        "error_samples": errors[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/researchdesk-load"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    env = {
        **os.environ,
        "RESEARCHDESK_DATA_DIR": str(args.data_dir),
        "RESEARCHDESK_API_RATE_PER_MINUTE": "100000",
        "RESEARCHDESK_API_RATE_BURST": "100000",
    }
    keys = _prepare(args.data_dir, env, args.clients)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli",
            "serve",
            "--port",
            str(args.port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not become ready")
            time.sleep(0.5)
        result = asyncio.run(_run(base, keys, args.seconds))
    finally:
        server.terminate()
        server.wait(30)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
