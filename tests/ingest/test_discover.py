"""File discovery: recursion, patterns, hidden files, sidecars, symlinks, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.errors import ConfigError
from ingest.discover import SUPPORTED_SUFFIXES, discover, matches


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    touch(
        root,
        "a.pdf",
        "a.pdf.meta.json",
        "notes.TXT",
        "sheet.xlsx",
        ".hidden.pdf",
        ".git/config.txt",
        "sub/b.docx",
        "sub/deeper/c.md",
        "drafts/d.pdf",
        "drafts/keep/e.pdf",
    )
    return root


def names(paths: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root.resolve()).as_posix() for p in paths]


def test_recursive_sorted_resolved(tree: Path) -> None:
    found = discover([tree])
    assert names(found, tree) == [
        "a.pdf",
        "drafts/d.pdf",
        "drafts/keep/e.pdf",
        "notes.TXT",
        "sheet.xlsx",  # unsupported files are returned so the job can report them
        "sub/b.docx",
        "sub/deeper/c.md",
    ]
    assert all(p.is_absolute() and p == p.resolve() for p in found)


def test_include_matches_name_at_any_depth(tree: Path) -> None:
    assert names(discover([tree], include=["*.pdf"]), tree) == [
        "a.pdf",
        "drafts/d.pdf",
        "drafts/keep/e.pdf",
    ]


def test_patterns_are_case_insensitive(tree: Path) -> None:
    assert names(discover([tree], include=["*.txt"]), tree) == ["notes.TXT"]


def test_include_relative_path_and_double_star(tree: Path) -> None:
    assert names(discover([tree], include=["sub/*"]), tree) == ["sub/b.docx", "sub/deeper/c.md"]
    assert names(discover([tree], include=["**/c.md"]), tree) == ["sub/deeper/c.md"]


def test_exclude_directory_prunes_it(tree: Path) -> None:
    found = names(discover([tree], exclude=["drafts", "*.xlsx"]), tree)
    assert found == ["a.pdf", "notes.TXT", "sub/b.docx", "sub/deeper/c.md"]


def test_exclude_wins_over_include(tree: Path) -> None:
    found = discover([tree], include=["*.pdf"], exclude=["drafts/keep/*"])
    assert names(found, tree) == ["a.pdf", "drafts/d.pdf"]


def test_file_paths_and_duplicates(tree: Path) -> None:
    found = discover([tree / "sub", tree / "sub" / "b.docx", tree / "sub" / ".." / "sub"])
    assert names(found, tree) == ["sub/b.docx", "sub/deeper/c.md"]


def test_an_explicit_hidden_file_is_kept_but_sidecars_never(tree: Path) -> None:
    found = discover([tree / ".hidden.pdf", tree / "a.pdf.meta.json"])
    assert names(found, tree) == [".hidden.pdf"]


def test_an_explicit_file_is_still_filtered(tree: Path) -> None:
    assert discover([tree / "sheet.xlsx"], exclude=["*.xlsx"]) == []


def test_missing_path_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(ConfigError, match=r"path does not exist: .*nowhere"):
        discover([missing])


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_loop_terminates_without_duplicates(tree: Path) -> None:
    (tree / "sub" / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "sub" / "self").symlink_to(tree / "sub", target_is_directory=True)
    found = discover([tree])
    assert len(found) == len(set(found)) == 7


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlinked_file_keeps_its_name_and_broken_link_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "outside.pdf"
    outside.write_text("x", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link.pdf").symlink_to(outside)
    (root / "broken.pdf").symlink_to(tmp_path / "does-not-exist.pdf")
    assert discover([root]) == []  # outside the root: refused by default
    assert discover([root], follow_symlinks=True) == [root.resolve() / "link.pdf"]


def test_matches_rule() -> None:
    assert matches("sub/deeper/c.md", ["*.md"])
    assert matches("sub/deeper/c.md", ["sub/*"])
    assert matches("sub/deeper/c.md", ["./sub/deeper/c.md"])
    assert not matches("sub/deeper/c.md", ["deeper"])  # files match on path or name only
    assert not matches("a.pdf", [])


def test_supported_suffixes_come_from_the_registry() -> None:
    assert ".pdf" in SUPPORTED_SUFFIXES
    assert ".xlsx" not in SUPPORTED_SUFFIXES
