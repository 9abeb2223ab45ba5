"""The LLM client over real HTTP, against a fake OpenAI-compatible server on loopback."""

from __future__ import annotations

import hashlib
import pickle
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import ConfigError, GeneratorError
from core.llm import PLACEHOLDER_KEY, LLMClient, Message
from core.prompts import available_prompts, load_prompt
from core.settings import Settings
from core.usage import Prices, Usage
from tests.fake_openai import FakeOpenAI

MESSAGES = [Message("system", "Be brief."), Message("user", "What is the margin?")]
REPLY = "Net interest margin was 2.4% in 2023 [1]. Deposits grew 5% [2]."


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def client(fake: FakeOpenAI, *, timeout_s: float = 2.0, max_retries: int = 0) -> LLMClient:
    return LLMClient(
        "fake-model",
        base_url=fake.base_url,
        timeout_s=timeout_s,
        max_retries=max_retries,
        prices=Prices(2.5, 10.0),
    )


def test_complete_returns_the_text_usage_and_exact_cost(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = lambda request: REPLY
    result = client(fake_openai).complete(MESSAGES)
    assert result.text == REPLY
    assert result.finish_reason == "stop"
    # 12 * 2.5 + 5 * 10 = 80 dollars per million tokens.
    assert result.usage == Usage(12, 5, 8e-05, "fake-model")
    (request,) = fake_openai.requests
    assert request["model"] == "fake-model"
    assert request["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "What is the margin?"},
    ]
    assert request["temperature"] == 0
    assert "max_tokens" not in request
    assert not request.get("stream")


def test_max_tokens_is_sent_only_when_set(fake_openai: FakeOpenAI) -> None:
    client(fake_openai).complete(MESSAGES, max_tokens=64, temperature=0.5)
    assert fake_openai.requests[0]["max_tokens"] == 64
    assert fake_openai.requests[0]["temperature"] == 0.5
    with pytest.raises(ValueError, match="max_tokens must be positive"):
        client(fake_openai).complete(MESSAGES, max_tokens=0)
    with pytest.raises(ValueError, match="at least one message"):
        client(fake_openai).complete([])


def test_stream_deltas_join_to_the_full_text_and_usage_follows(fake_openai: FakeOpenAI) -> None:
    fake_openai.reply = lambda request: REPLY
    stream = client(fake_openai).stream(MESSAGES)
    with pytest.raises(RuntimeError, match="read the stream to its end"):
        _ = stream.usage
    deltas = list(stream)
    assert len(deltas) == len(REPLY.split())
    assert "".join(deltas) == REPLY == stream.text
    assert stream.usage == Usage(12, 5, 8e-05, "fake-model")
    assert stream.finish_reason == "stop"
    assert stream.completion().text == REPLY
    (request,) = fake_openai.requests
    assert request["stream"] is True
    assert request["stream_options"] == {"include_usage": True}


def test_usage_the_server_does_not_send_is_unknown_not_invented(fake_openai: FakeOpenAI) -> None:
    fake_openai.mode = "no_usage"
    assert client(fake_openai).complete(MESSAGES).usage is None
    stream = client(fake_openai).stream(MESSAGES)
    assert "".join(stream) == fake_openai.reply(fake_openai.requests[-1])
    assert stream.usage is None


def test_cost_is_zero_without_prices(fake_openai: FakeOpenAI) -> None:
    unpriced = LLMClient("m", base_url=fake_openai.base_url, max_retries=0)
    assert unpriced.complete(MESSAGES).usage == Usage(12, 5, 0.0, "m")


def test_usage_arithmetic_and_json() -> None:
    a = Usage(100, 20, 0.5, "gpt-a")
    assert a + Usage(1, 2, 0.25, "gpt-a") == Usage(101, 22, 0.75, "gpt-a")
    both = a + Usage(3, 4, 0.25, "gpt-b") + Usage(1, 1, 0.0, "gpt-a")
    assert both == Usage(104, 25, 0.75, "gpt-a+gpt-b")
    assert a.to_json() == {
        "model": "gpt-a",
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "total_tokens": 120,
        "cost_usd": 0.5,
    }
    assert Prices(0.15, 0.6).cost(1_000_000, 500_000) == 0.45


FAILURES = [
    ("error_500", False, "HTTP 500: fake upstream failure"),
    ("error_500", True, "HTTP 500: fake upstream failure"),
    ("rate_limit", False, "rate-limiting requests \\(HTTP 429\\)"),
    ("rate_limit", True, "rate-limiting requests \\(HTTP 429\\)"),
    ("slow", False, "did not answer within 0.5s"),
    ("slow", True, "did not answer within 0.5s"),
    ("stall_mid_stream", True, "did not answer within 0.5s"),
    ("malformed", False, "not a valid chat completion"),
    ("malformed", True, "not a valid chat completion"),
    ("drop_mid_stream", False, "could not reach the language model 'fake-model'"),
    ("drop_mid_stream", True, "could not reach the language model 'fake-model'"),
    ("truncated_stream", True, "ended before the model finished"),
]


@pytest.mark.parametrize(("mode", "streaming", "message"), FAILURES)
def test_each_failure_is_a_retryable_generator_error_without_hanging(
    fake_openai: FakeOpenAI, mode: str, streaming: bool, message: str
) -> None:
    fake_openai.mode = mode  # type: ignore[assignment]
    llm = client(fake_openai, timeout_s=0.5)
    started = time.monotonic()
    with pytest.raises(GeneratorError, match=message) as caught:
        if streaming:
            list(llm.stream(MESSAGES))
        else:
            llm.complete(MESSAGES)
    assert time.monotonic() - started < 2.0
    assert caught.value.retryable
    assert fake_openai.base_url in str(caught.value) or mode == "truncated_stream"


def test_a_refused_key_is_not_retryable(fake_openai: FakeOpenAI) -> None:
    fake_openai.mode = "unauthorized"
    with pytest.raises(GeneratorError, match=r"refused the API key.*check OPENAI_API_KEY") as e:
        client(fake_openai).complete(MESSAGES)
    assert not e.value.retryable
    assert not pickle.loads(pickle.dumps(e.value)).retryable


def test_transient_errors_are_retried_as_configured(fake_openai: FakeOpenAI) -> None:
    fake_openai.mode = "error_500"
    with pytest.raises(GeneratorError):
        client(fake_openai, max_retries=1).complete(MESSAGES)
    assert len(fake_openai.requests) == 2


def test_a_server_that_is_not_running_is_reported() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    llm = LLMClient("m", base_url=f"http://127.0.0.1:{port}/v1", timeout_s=1, max_retries=0)
    with pytest.raises(GeneratorError, match=r"could not reach .*check OPENAI_BASE_URL"):
        llm.complete(MESSAGES)


def test_from_settings_needs_a_key_or_a_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert not settings.llm_configured
    with pytest.raises(ConfigError, match=r"set OPENAI_API_KEY .* or OPENAI_BASE_URL"):
        LLMClient.from_settings(settings)
    monkeypatch.setenv("OPENAI_API_KEY", "  ")
    assert not Settings().llm_configured


def test_from_settings_uses_a_placeholder_key_for_a_local_server(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("RESEARCHDESK_LLM_MODEL", "local-llama")
    monkeypatch.setenv("RESEARCHDESK_LLM_PRICE_PROMPT_PER_MTOK", "1")
    settings = Settings()
    assert settings.llm_configured
    llm = LLMClient.from_settings(settings, max_retries=0)
    assert llm.complete(MESSAGES).usage == Usage(12, 5, 1.2e-05, "local-llama")
    assert fake_openai.headers[0]["authorization"] == f"Bearer {PLACEHOLDER_KEY}"
    assert fake_openai.requests[0]["model"] == "local-llama"


def test_from_settings_sends_the_configured_key(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-123")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    llm = LLMClient.from_settings(Settings())
    assert "sk-test" not in repr(llm)
    llm.complete(MESSAGES)
    assert fake_openai.headers[0]["authorization"] == "Bearer sk-test-123"
    assert llm.model == "gpt-4o-mini"
    assert llm.timeout_s == 30


def test_prompts_are_versioned_files_with_a_checked_id() -> None:
    assert available_prompts("assistant") == [
        "answer-local-v1",
        "answer-local-v2",
        "answer-v1",
        "answer-v2",
        "answer-v3",
    ]
    assert available_prompts("retrieval") == [
        "classify-v1",
        "expand-hyde-v1",
        "expand-multi-v1",
        "expand-rewrite-v1",
        "rerank-v1",
        "rewrite-followup-v1",
    ]
    prompt = load_prompt("retrieval", "rerank-v1")
    path = Path(__file__).parents[2] / "retrieval" / "prompts" / "rerank-v1.md"
    assert prompt.text.startswith("id: rerank-v1\n")
    assert prompt.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert prompt.placeholders() == {"question", "passages"}
    assert [role for role, _ in prompt.sections()] == ["system", "user"]


def test_unknown_prompt_id_lists_the_available_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown prompt 'rerank-v9'.*available: .*rerank-v1"):
        load_prompt("retrieval", "rerank-v9")
    with pytest.raises(ConfigError, match=r"unknown prompt '\.\./assistant/prompts/answer-v1'"):
        load_prompt("retrieval", "../assistant/prompts/answer-v1")
    with pytest.raises(ConfigError, match="no package named 'nope'"):
        load_prompt("nope", "x")


def test_a_copied_prompt_file_must_carry_its_own_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "fakeprompts"
    (package / "prompts").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "prompts" / "ask-v2.md").write_text("id: ask-v1\n\n## user\n{{question}}\n")
    (package / "prompts" / "ask-v3.md").write_text("id: ask-v3\n\nno sections\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ConfigError, match="must start with the line 'id: ask-v2'"):
        load_prompt("fakeprompts", "ask-v2")
    with pytest.raises(ConfigError, match="no '## system' or '## user' section"):
        load_prompt("fakeprompts", "ask-v3")


def test_render_fills_placeholders_once_and_checks_names() -> None:
    prompt = load_prompt("retrieval", "rerank-v1")
    system, user = prompt.render(question="Q {{passages}}", passages="[1] A: text")
    assert system.role == "system" and "{{" not in system.content
    assert user == Message(
        "user", "Question: Q {{passages}}\n\n<passages>\n[1] A: text\n</passages>"
    )
    with pytest.raises(ValueError, match=r"missing values \['passages'\], unknown values \['x'\]"):
        prompt.render(question="q", x="y")


def test_metered_sums_the_calls_of_this_context_only() -> None:
    from core.usage import metered, total_usage

    with FakeOpenAI() as fake:
        client = LLMClient("fake-model", api_key="k", base_url=fake.base_url, max_retries=0)
        messages = [Message("user", "hi")]
        client.complete(messages)  # outside: counted nowhere
        with metered() as calls:
            client.complete(messages)
            stream = client.stream(messages)
            list(stream)
        assert len(calls) == 2
        total = total_usage(calls)
        assert total is not None and total.total_tokens == 34
        assert total_usage([]) is None
