"""``load_document``: file checks, metadata, error wrapping, pickling, and no network."""

from __future__ import annotations

import os
import pickle
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import ingest.loaders as loaders
from core.errors import LoaderError, MissingDependencyError, UnsupportedFormatError
from ingest.loaders import SUPPORTED_SUFFIXES, load_document
from ingest.loaders.base import Extracted, clean_text
from ingest.models import Element, document_id_for, sha256_bytes
from tests.ingest.loaders.test_pdf import pdf_bytes
from tests.ingest.loaders.test_unstructured import (
    make_docx,
    make_email,
    make_html,
    make_markdown,
    make_pptx,
    make_text,
    unstructured_ready,  # noqa: F401 - a fixture, used by name below
)

REPO = Path(__file__).resolve().parents[3]


def every_format(folder: Path) -> list[Path]:
    """One small, valid file of every supported format."""
    pdf = folder / "a.pdf"
    pdf.write_bytes(pdf_bytes([["A PDF page with text."]]))
    return [
        pdf,
        make_docx(folder / "b.docx"),
        make_pptx(folder / "c.pptx"),
        make_html(folder / "d.html"),
        make_markdown(folder / "e.md"),
        make_text(folder / "f.txt"),
        make_email(folder / "g.eml"),
    ]


def test_supported_suffixes() -> None:
    assert {".pdf", ".docx", ".pptx", ".html", ".htm", ".md", ".txt", ".eml"} <= SUPPORTED_SUFFIXES


def test_metadata_of_a_loaded_document(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    data = pdf_bytes([["Heading line", "Body."], ["Page two."]], title="The Report")
    path.write_bytes(data)
    meta = load_document(path).meta
    assert meta.id == document_id_for(path)
    assert meta.source == str(path.resolve())
    assert (meta.title, meta.format, meta.pages) == ("The Report", "pdf", 2)
    assert (meta.sha256, meta.size) == (sha256_bytes(data), len(data))
    assert meta.modified == path.stat().st_mtime
    assert (meta.allowed_groups, meta.tags, meta.date, meta.author, meta.extra) == (
        (),
        (),
        None,
        None,
        {},
    )


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "SCAN.PDF"
    path.write_bytes(pdf_bytes([["Upper case suffix"]]))
    assert load_document(path).meta.format == "pdf"


def test_loaded_document_survives_pickling(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes([["Text"]]))
    document = load_document(path)
    assert pickle.loads(pickle.dumps(document)) == document


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.touch()
    with pytest.raises(LoaderError, match=r"^empty file$"):
        load_document(path)


def test_unsupported_type_lists_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(UnsupportedFormatError, match=r"^unsupported file type \.xlsx; supported: "):
        load_document(path)
    with pytest.raises(UnsupportedFormatError, match=r"unsupported file type \(no extension\)"):
        load_document(tmp_path / "README")


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * (3 * 1024 * 1024 + 1))
    with pytest.raises(LoaderError) as caught:
        load_document(path, max_bytes=2 * 1024 * 1024)
    assert str(caught.value) == (
        "file is 3.0 MB, over the limit of 2 MB (RESEARCHDESK_MAX_FILE_MB)"
    )


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(LoaderError, match=r"^file not found$"):
        load_document(tmp_path / "gone.pdf")
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    with pytest.raises(LoaderError, match=r"^not a regular file$"):
        load_document(folder)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads chmod 000 files")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(pdf_bytes([["Secret"]]))
    path.chmod(0)
    try:
        with pytest.raises(LoaderError, match=r"^permission denied$"):
            load_document(path)
    finally:
        path.chmod(0o600)


def test_permission_error_on_open(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The same case simulated, so it also runs as root."""
    path = tmp_path / "locked.pdf"
    path.write_bytes(pdf_bytes([["Secret"]]))

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(LoaderError, match=r"^permission denied$"):
        load_document(path)


def test_unexpected_loader_exception_is_wrapped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def explode(path: Path, data: bytes) -> Extracted:
        raise ValueError("boom")

    monkeypatch.setitem(loaders.LOADERS, ".txt", explode)
    path = tmp_path / "a.txt"
    path.write_text("text", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"^ValueError: boom$"):
        load_document(path)


def test_missing_dependency_is_not_hidden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def missing(path: Path, data: bytes) -> Extracted:
        raise MissingDependencyError("unstructured", "pip install unstructured")

    monkeypatch.setitem(loaders.LOADERS, ".txt", missing)
    path = tmp_path / "a.txt"
    path.write_text("text", encoding="utf-8")
    with pytest.raises(MissingDependencyError):
        load_document(path)


def test_clean_text() -> None:
    assert clean_text(" a \r\nb\rc\x00d\x1b\x85\ufffe\te \f\n") == "a\nb\ncd\te"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every connection attempt and DNS lookup fail, recording what was tried."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[1:] if args and isinstance(args[0], socket.socket) else args))
        raise OSError("network access is blocked in this test")

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.mark.usefixtures("unstructured_ready")
def test_every_format_loads_without_network(tmp_path: Path, no_network: list[str]) -> None:
    """Partitioning is offline; the slow test below also covers import time."""
    for path in every_format(tmp_path):
        document = load_document(path)
        assert document.elements, path
    assert no_network == []


_CHILD = textwrap.dedent(
    """
    import socket, sys
    from pathlib import Path

    def refuse(*args, **kwargs):
        print("NETWORK", args[1:], file=sys.stderr)
        raise OSError("network access is blocked")

    socket.socket.connect = socket.socket.connect_ex = refuse
    socket.create_connection = socket.getaddrinfo = refuse

    from ingest.loaders import load_document

    for name in sys.argv[1:]:
        assert load_document(Path(name)).elements, name
    print("OK")
    """
)


@pytest.mark.slow
def test_fresh_process_with_network_blocked(tmp_path: Path) -> None:
    """Covers import time too: unstructured's telemetry and spaCy set-up run fresh here."""
    files = [str(p) for p in every_format(tmp_path)]
    env = {k: v for k, v in os.environ.items() if k not in ("DO_NOT_TRACK", "SCARF_NO_ANALYTICS")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *files],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "NETWORK" not in done.stderr
    assert done.stdout.strip().endswith("OK")


def test_extracted_elements_are_plain_dataclasses(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes([["Only page"]]))
    assert load_document(path).elements == (Element("Only page", "text", 1, ()),)
