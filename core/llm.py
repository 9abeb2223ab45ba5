"""A thin client for OpenAI-compatible chat models, shared by the generator and the reranker.

It exists so the rest of the pipeline sees one small typed surface (``complete``,
``stream``, ``Usage``) and one error type (``GeneratorError``) whichever server sits behind
``OPENAI_BASE_URL``: OpenAI itself, vLLM, llama.cpp, Ollama... The ``openai`` package is
imported only when the first request is made. What calls cost is ``core.usage``.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import SecretStr

from core.errors import ConfigError, GeneratorError, MissingDependencyError
from core.settings import Settings
from core.usage import Prices, Usage, record

if TYPE_CHECKING:
    import openai
    from openai import Omit
    from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam

OPENAI_URL = "https://api.openai.com/v1"
# Local OpenAI-compatible servers accept any key, but the client refuses to start without one.
PLACEHOLDER_KEY = "not-needed"
Role = Literal["system", "user", "assistant"]
# How a JSON schema reaches the server: "openai" is the standard structured-output field
# (OpenAI, vLLM, Ollama, recent llama.cpp); "llama-cpp" is llama-cpp-python's older
# ``{"type": "json_object", "schema": ...}`` (llama_cpp.server 0.2.x turns it into a grammar);
# "off" sends none and relies on the prompt and the strict parsers alone.
JsonMode = Literal["off", "openai", "llama-cpp"]
JSON_MODES: tuple[JsonMode, ...] = ("off", "openai", "llama-cpp")


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    content: str


class JsonSchema(NamedTuple):
    """A reply shape a caller asks for; the parsers still check every reply strictly."""

    name: str  # [a-zA-Z0-9_-]{1,64}, as OpenAI requires
    schema: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Completion:
    text: str
    usage: Usage | None  # None: the server did not report usage (never guessed)
    finish_reason: str | None = None  # "stop", "length" (cut off by max_tokens)...


class LLMClient:
    """One model on one OpenAI-compatible server; construction does no I/O."""

    def __init__(
        self,
        model: str,
        *,
        api_key: SecretStr | str | None = None,
        base_url: str | None = None,
        timeout_s: float = 30.0,
        max_retries: int = 2,
        prices: Prices | None = None,
        json_mode: JsonMode = "off",
    ) -> None:
        if not model:
            raise ConfigError("no LLM model given; set RESEARCHDESK_LLM_MODEL (e.g. gpt-4o-mini)")
        if timeout_s <= 0 or max_retries < 0:
            raise ConfigError(
                f"LLM timeout must be > 0 and max_retries >= 0, got {timeout_s}s and "
                f"{max_retries}; fix RESEARCHDESK_LLM_TIMEOUT_S"
            )
        if api_key is None and base_url is None:
            raise ConfigError(_NOT_CONFIGURED)
        if json_mode not in JSON_MODES:
            raise ConfigError(
                f"unknown LLM JSON mode {json_mode!r}; valid: {', '.join(JSON_MODES)} "
                "(RESEARCHDESK_LLM_JSON_MODE)"
            )
        key = api_key if isinstance(api_key, SecretStr) else SecretStr(api_key or PLACEHOLDER_KEY)
        self.model = model
        self.base_url = base_url or OPENAI_URL
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.prices = prices or Prices()
        self.json_mode = json_mode
        self._api_key = key
        self._client: openai.OpenAI | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, max_retries: int = 2) -> LLMClient:
        """The client the deployment configured; ConfigError says how to configure one."""
        if not settings.llm_configured:
            raise ConfigError(_NOT_CONFIGURED)
        key = settings.openai_api_key
        return cls(
            settings.llm_model,
            api_key=key if key is not None and key.get_secret_value().strip() else None,
            base_url=settings.openai_base_url,
            timeout_s=settings.llm_timeout_s,
            max_retries=max_retries,
            prices=Prices(
                settings.llm_price_prompt_per_mtok, settings.llm_price_completion_per_mtok
            ),
            json_mode=settings.llm_json_mode,
        )

    def __repr__(self) -> str:
        return f"LLMClient(model={self.model!r}, base_url={self.base_url!r})"

    def complete(
        self,
        messages: Sequence[Message],
        *,
        temperature: float = 0.0,
        max_tokens: int | None = None,
        schema: JsonSchema | None = None,
    ) -> Completion:
        """The whole reply at once; ``schema`` constrains it where ``json_mode`` allows."""
        with self._errors():
            response = self._openai().chat.completions.create(
                model=self.model,
                messages=_to_openai(messages),
                temperature=temperature,
                max_tokens=_limit(max_tokens),
                response_format=response_format(self.json_mode, schema),
            )
        if not response.choices:
            raise GeneratorError(f"{self._where()} returned no choices; retry the request")
        choice = response.choices[0]
        if choice.message.content is None:
            raise GeneratorError(
                f"{self._where()} returned no text (finish_reason={choice.finish_reason!r})"
            )
        usage = response.usage
        counted = self._usage(usage.prompt_tokens, usage.completion_tokens) if usage else None
        record(counted)
        return Completion(choice.message.content, counted, choice.finish_reason)

    def stream(
        self,
        messages: Sequence[Message],
        *,
        temperature: float = 0.0,
        max_tokens: int | None = None,
    ) -> CompletionStream:
        """Text deltas as the model writes them; ``usage`` is readable once they are spent.

        The request is sent here, so a refused request fails before any delta is yielded.
        """
        with self._errors():
            chunks = self._openai().chat.completions.create(
                model=self.model,
                messages=_to_openai(messages),
                temperature=temperature,
                max_tokens=_limit(max_tokens),
                stream=True,
                stream_options={"include_usage": True},
            )
        return CompletionStream(self, chunks)

    def _openai(self) -> openai.OpenAI:
        if self._client is None:
            self._client = _import_openai().OpenAI(
                api_key=self._api_key.get_secret_value(),
                base_url=self.base_url,
                timeout=self.timeout_s,
                max_retries=self.max_retries,
            )
        return self._client

    def _usage(self, prompt_tokens: int, completion_tokens: int) -> Usage:
        cost = self.prices.cost(prompt_tokens, completion_tokens)
        return Usage(prompt_tokens, completion_tokens, cost, self.model)

    def _where(self) -> str:
        return f"the language model {self.model!r} at {self.base_url}"

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn whatever the openai client raises into a GeneratorError a person can act on."""
        openai = _import_openai()
        try:
            yield
        except openai.APITimeoutError as err:
            raise GeneratorError(
                f"{self._where()} did not answer within {self.timeout_s:g}s; retry later, or "
                "raise RESEARCHDESK_LLM_TIMEOUT_S if the server is just slow"
            ) from err
        except openai.APIConnectionError as err:
            cause = f" ({err.__cause__})" if err.__cause__ else ""
            raise GeneratorError(
                f"could not reach {self._where()}{cause}; check OPENAI_BASE_URL and that the "
                "server is running"
            ) from err
        except openai.APIStatusError as err:
            raise _status_error(self._where(), err) from err
        except (openai.APIError, json.JSONDecodeError) as err:
            raise GeneratorError(
                f"{self._where()} sent a response that is not a valid chat completion ({err}); "
                "check that OPENAI_BASE_URL points at an OpenAI-compatible /v1 endpoint"
            ) from err


class CompletionStream(Iterator[str]):
    """Iterate for text deltas; afterwards ``text``, ``usage`` and ``finish_reason`` are set."""

    def __init__(self, client: LLMClient, chunks: openai.Stream[ChatCompletionChunk]) -> None:
        self._client = client
        self._chunks = chunks
        self._deltas = self._read(chunks)
        self._parts: list[str] = []
        self._usage: Usage | None = None
        self._finish_reason: str | None = None
        self._done = False

    def __iter__(self) -> CompletionStream:
        return self

    def __next__(self) -> str:
        return next(self._deltas)

    def close(self) -> None:
        """Stop reading early and release the connection."""
        self._deltas.close()
        self._chunks.close()

    @property
    def text(self) -> str:
        self._check_done()
        return "".join(self._parts)

    @property
    def usage(self) -> Usage | None:
        """What the server reported; None when it sent no usage (it is never estimated)."""
        self._check_done()
        return self._usage

    @property
    def finish_reason(self) -> str | None:
        self._check_done()
        return self._finish_reason

    def completion(self) -> Completion:
        """The finished stream as one Completion."""
        return Completion(self.text, self.usage, self.finish_reason)

    def _check_done(self) -> None:
        if not self._done:
            raise RuntimeError("read the stream to its end before asking for its text or usage")

    def _read(self, chunks: openai.Stream[ChatCompletionChunk]) -> Generator[str, None, None]:
        client = self._client
        with client._errors():
            for chunk in chunks:
                if chunk.usage is not None:
                    usage = chunk.usage
                    self._usage = client._usage(usage.prompt_tokens, usage.completion_tokens)
                for choice in chunk.choices[:1]:
                    if choice.finish_reason is not None:
                        self._finish_reason = choice.finish_reason
                    if choice.delta.content:
                        self._parts.append(choice.delta.content)
                        yield choice.delta.content
        if self._finish_reason is None:
            raise GeneratorError(
                f"the stream from {client._where()} ended before the model finished its "
                "answer; retry the request"
            )
        self._done = True
        record(self._usage)


def client_for(stage: str, client: LLMClient | None, settings: Settings | None) -> LLMClient:
    """``client``, else the one ``settings`` configure: how registries build an LLM stage.

    Neither given is a ConfigError naming ``stage`` and the settings to set, so a config
    that picks an LLM back-end without a model fails at start-up with a fix, not a TypeError.
    """
    if client is not None:
        return client
    if settings is None:
        raise ConfigError(f"{stage} needs a language model; {_NOT_CONFIGURED}")
    return LLMClient.from_settings(settings)


_NOT_CONFIGURED = (
    "no language model is configured: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for "
    "an OpenAI-compatible server (e.g. http://localhost:8000/v1), and RESEARCHDESK_LLM_MODEL"
)


def _import_openai() -> Any:
    """The openai module, imported on first use: it is slow to import and only this needs it."""
    try:
        import openai
    except ImportError as err:
        raise MissingDependencyError("the openai package", "pip install 'openai>=1.40'") from err
    return openai


def _status_error(where: str, err: openai.APIStatusError) -> GeneratorError:
    """An HTTP error status as a GeneratorError; only transient ones are retryable."""
    status, body = err.status_code, err.body
    # The server's own words when it sent an OpenAI-style error body, not the SDK's wrapper.
    message = body.get("message") if isinstance(body, dict) else None
    detail = message if isinstance(message, str) and message else err.message
    if status == 429:
        return GeneratorError(f"{where} is rate-limiting requests (HTTP 429); retry in a minute")
    if status in (401, 403):
        return GeneratorError(
            f"{where} refused the API key (HTTP {status}); check OPENAI_API_KEY",
            retryable=False,
        )
    if status == 404:
        return GeneratorError(
            f"{where} does not know this model or endpoint (HTTP 404: {detail}); check "
            "RESEARCHDESK_LLM_MODEL and OPENAI_BASE_URL",
            retryable=False,
        )
    if status >= 500 or status in (408, 409):
        return GeneratorError(f"{where} failed (HTTP {status}: {detail}); retry later")
    return GeneratorError(
        f"{where} rejected the request (HTTP {status}: {detail})", retryable=False
    )


def response_format(mode: JsonMode, schema: JsonSchema | None) -> Any:
    """The request's ``response_format`` for ``schema`` in ``mode``; omitted when none applies."""
    if schema is None or mode == "off":
        omit: Omit = _import_openai().omit
        return omit
    if mode == "llama-cpp":
        return {"type": "json_object", "schema": schema.schema}
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.name, "schema": schema.schema, "strict": True},
    }


def _limit(max_tokens: int | None) -> int | Omit:
    """``max_tokens`` only when set: some compatible servers reject an explicit null."""
    if max_tokens is None:
        omit: Omit = _import_openai().omit
        return omit
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be positive, got {max_tokens}")
    return max_tokens


def _to_openai(messages: Sequence[Message]) -> list[ChatCompletionMessageParam]:
    if not messages:
        raise ValueError("a chat request needs at least one message")
    out: list[ChatCompletionMessageParam] = []
    for m in messages:
        if m.role == "system":
            out.append({"role": "system", "content": m.content})
        elif m.role == "user":
            out.append({"role": "user", "content": m.content})
        else:
            out.append({"role": "assistant", "content": m.content})
    return out
