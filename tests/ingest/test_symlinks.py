"""Symbolic links cannot carry a job outside its roots, and a link keeps its own sidecar."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest.discover import OUTSIDE_ROOT, scan
from ingest.loaders import load_document
from ingest.models import document_id_for

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks")


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """``root`` with one real file; ``elsewhere`` holds a secret and a secret folder."""
    root, elsewhere = tmp_path / "root", tmp_path / "elsewhere"
    (root / "sub").mkdir(parents=True)
    (elsewhere / "folder").mkdir(parents=True)
    (root / "sub" / "real.txt").write_text("public note", encoding="utf-8")
    (elsewhere / "secret.txt").write_text("secret", encoding="utf-8")
    (elsewhere / "folder" / "deep.txt").write_text("deeper secret", encoding="utf-8")
    return root, elsewhere


def test_links_leading_outside_the_root_are_refused_with_a_reason(
    layout: tuple[Path, Path],
) -> None:
    root, elsewhere = layout
    (root / "sub" / "x.txt").symlink_to(elsewhere / "secret.txt")
    (root / "linked").symlink_to(elsewhere / "folder", target_is_directory=True)
    (root / "passwd.txt").symlink_to("/etc/passwd")
    found = scan([root])
    base = root.resolve()
    assert found.files == [base / "sub" / "real.txt"]
    refused = {r.path.relative_to(base).as_posix(): r.reason for r in found.refused}
    assert refused == dict.fromkeys(["linked", "passwd.txt", "sub/x.txt"], OUTSIDE_ROOT)
    assert all(not str(f).startswith(str(elsewhere.resolve())) for f in found.files)


def test_follow_symlinks_indexes_them_under_the_links_name(layout: tuple[Path, Path]) -> None:
    root, elsewhere = layout
    (root / "sub" / "x.txt").symlink_to(elsewhere / "secret.txt")
    (root / "linked").symlink_to(elsewhere / "folder", target_is_directory=True)
    found = scan([root], follow_symlinks=True)
    base = root.resolve()
    assert [f.relative_to(base).as_posix() for f in found.files] == [
        "linked/deep.txt",
        "sub/real.txt",
        "sub/x.txt",
    ]
    assert found.refused == []


def test_a_link_inside_the_root_is_kept_once_under_the_real_name(
    layout: tuple[Path, Path],
) -> None:
    root, _ = layout
    (root / "alias.txt").symlink_to(root / "sub" / "real.txt")
    found = scan([root])
    assert found.files == [root.resolve() / "sub" / "real.txt"] and found.refused == []


def test_a_linked_file_reads_the_sidecar_beside_the_link(layout: tuple[Path, Path]) -> None:
    root, elsewhere = layout
    (root / "sub2").mkdir()
    (elsewhere / "board_minutes.txt").write_text("Board minutes: confidential.", encoding="utf-8")
    link = root / "sub2" / "board_minutes.txt"
    link.symlink_to(elsewhere / "board_minutes.txt")
    link.with_name("board_minutes.txt.meta.json").write_text(
        json.dumps({"allowed_groups": ["compliance"]}), encoding="utf-8"
    )
    [path] = scan([root], follow_symlinks=True, include=["*minutes*"]).files
    assert path == root.resolve() / "sub2" / "board_minutes.txt"
    meta = load_document(path).meta
    assert meta.allowed_groups == ("compliance",)
    assert meta.source == str(path) and meta.id == document_id_for(path)
    assert meta.id != document_id_for(elsewhere / "board_minutes.txt")


def test_a_file_named_directly_keeps_its_name(layout: tuple[Path, Path]) -> None:
    root, elsewhere = layout
    link = root / "named.txt"
    link.symlink_to(elsewhere / "secret.txt")
    assert scan([link]).files == [root.resolve() / "named.txt"]
