"""A fake OpenAI-compatible chat server on loopback, so the LLM path is tested offline.

It speaks just enough of ``POST /v1/chat/completions`` (plain JSON and server-sent events)
for the real ``openai`` client to talk to it over real HTTP, records every request body it
gets, answers with a scripted reply, and can be told to fail in the ways real servers do.
Only the standard library is used, so it runs wherever the tests run.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Mode = Literal[
    "ok",  # answer normally
    "error_500",  # HTTP 500 with an OpenAI-style error body
    "rate_limit",  # HTTP 429
    "unauthorized",  # HTTP 401, as for a wrong API key
    "slow",  # wait ``delay_s`` before sending anything
    "stall_mid_stream",  # stream the first delta, then wait ``delay_s``
    "malformed",  # a 200 whose JSON (or SSE data) does not parse
    "drop_mid_stream",  # send part of the body, then close the connection
    "truncated_stream",  # end the stream cleanly but without finish_reason or [DONE]
    "no_usage",  # answer normally but never report token usage
]

Reply = Callable[[dict[str, Any]], str]


def echo_last_user(request: dict[str, Any]) -> str:
    """The default scripted reply: a short cited sentence mentioning the question's length."""
    user = [m["content"] for m in request["messages"] if m["role"] == "user"]
    return f"The answer is in the first source [1]. ({len(user[-1]) if user else 0} chars)"


@dataclass
class FakeOpenAI:
    """The server's script and its record of what it was asked."""

    reply: Reply = echo_last_user
    mode: Mode = "ok"
    prompt_tokens: int = 12
    completion_tokens: int = 5
    delay_s: float = 3.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _release: threading.Event = field(default_factory=threading.Event)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> FakeOpenAI:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.block_on_close = False
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        threading.Thread(
            target=server.serve_forever, args=(0.05,), name="fake-openai", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._release.set()  # wake handlers sleeping in slow modes
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait(self) -> None:
        """Sleep ``delay_s``, or less if the server is stopping."""
        self._release.wait(self.delay_s)


def _deltas(text: str) -> list[str]:
    """Word-sized pieces that join back to exactly ``text``."""
    return re.findall(r"\S+\s*|\s+", text)


def _usage(fake: FakeOpenAI) -> dict[str, int]:
    return {
        "prompt_tokens": fake.prompt_tokens,
        "completion_tokens": fake.completion_tokens,
        "total_tokens": fake.prompt_tokens + fake.completion_tokens,
    }


def _chunk(model: str, delta: dict[str, str], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
        pass

    @property
    def fake(self) -> FakeOpenAI:
        return self.server.fake  # type: ignore[attr-defined,no-any-return]

    def do_POST(self) -> None:
        self.close_connection = True
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        fake = self.fake
        fake.requests.append(body)
        fake.headers.append({k.lower(): v for k, v in self.headers.items()})
        if self.path != "/v1/chat/completions":
            return self._json(404, {"error": {"message": f"no route {self.path}"}})
        # The client may give up first (its timeout): then there is nothing left to say.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer(fake, body)

    def _answer(self, fake: FakeOpenAI, body: dict[str, Any]) -> None:
        if fake.mode == "error_500":
            return self._json(
                500, {"error": {"message": "fake upstream failure", "type": "server"}}
            )
        if fake.mode == "rate_limit":
            return self._json(429, {"error": {"message": "slow down", "type": "rate_limit"}})
        if fake.mode == "unauthorized":
            return self._json(401, {"error": {"message": "bad key", "type": "invalid_api_key"}})
        if fake.mode == "slow":
            fake.wait()
        text = fake.reply(body)
        if body.get("stream"):
            return self._stream(fake, body, text)
        if fake.mode == "malformed":
            return self._raw(200, "application/json", b'{"id": "chatcmpl-fake", "choices": [')
        if fake.mode == "drop_mid_stream":
            return self._drop(b'{"id": "chatcmpl-fake", "choices": [')
        payload: dict[str, Any] = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
        }
        if fake.mode != "no_usage":
            payload["usage"] = _usage(fake)
        return self._json(200, payload)

    def _stream(self, fake: FakeOpenAI, body: dict[str, Any], text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        model = body["model"]
        self._event(_chunk(model, {"role": "assistant", "content": ""}))
        pieces = _deltas(text)
        for number, piece in enumerate(pieces):
            if number == 1 and fake.mode == "stall_mid_stream":
                fake.wait()
            if number == 1 and fake.mode == "malformed":
                self._send_chunk(b"data: {not json\n\n")
                return self._end_chunks()
            if number == 1 and fake.mode == "drop_mid_stream":
                return self._drop(b"")
            self._event(_chunk(model, {"content": piece}))
        if fake.mode == "truncated_stream":
            return self._end_chunks()
        self._event(_chunk(model, {}, "stop"))
        wants_usage = (body.get("stream_options") or {}).get("include_usage")
        if wants_usage and fake.mode != "no_usage":
            self._event({**_chunk(model, {}), "choices": [], "usage": _usage(fake)})
        self._send_chunk(b"data: [DONE]\n\n")
        self._end_chunks()

    def _event(self, data: dict[str, Any]) -> None:
        self._send_chunk(f"data: {json.dumps(data)}\n\n".encode())

    def _send_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end_chunks(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _drop(self, partial: bytes) -> None:
        """Send part of a body, then reset the connection as a crashed server would."""
        if partial:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(partial) + 1000))
            self.end_headers()
            self.wfile.write(partial)
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        self._raw(status, "application/json", json.dumps(payload).encode())

    def _raw(self, status: int, content_type: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
