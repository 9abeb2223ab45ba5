"""The ``researchdesk`` command line: one typer app, the one edge that may import every package.

Each command module (``cli.index``, ``cli.query``, ``cli.service``, ``cli.experiment``,
``cli.llm``) defines its commands beside the others of its kind and imports its heavy
parts lazily; ``cli.base`` holds the one error policy they share.

Exit codes: 0 done; 1 the command ran but some files failed; 2 bad usage; 3 it could not
run at all (configuration, store or database error; the message says what to do).
"""

from __future__ import annotations

import os
import sys

# Before any library import: no telemetry, no model-hub downloads (models ship in packages).
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import typer

from cli import experiment, index, llm, query, service

app = typer.Typer(
    name="researchdesk",
    help="ResearchDesk: a grounded knowledge assistant over a research library.",
    no_args_is_help=True,
    add_completion=False,
)

# Registration order is the order ``researchdesk --help`` lists the commands in.
index.register(app)
query.register(app)
service.register(app)
experiment.register(app)
llm.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
