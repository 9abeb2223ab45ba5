from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.ingest.helpers import write_corpus

runner = CliRunner()


def _json(output: str) -> object:
    return json.loads(output)


@pytest.mark.slow
def test_ingest_documents_and_jobs_json(tmp_path: Path, data_dir: Path) -> None:
    write_corpus(tmp_path / "c", files=2)
    (tmp_path / "c" / "bad.xyz").write_text("?")
    args = [
        "ingest",
        str(tmp_path / "c"),
        "--workers",
        "1",
        "--json",
        "--chunk-size",
        "64",
        "--chunk-overlap",
        "8",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output  # one file failed
    report = _json(result.stdout)
    assert isinstance(report, dict)
    assert {k: report[k] for k in ("added", "updated", "unchanged", "deleted")} == {
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
    }
    assert report["chunks"] > 0
    assert [Path(f["path"]).name for f in report["failed"]] == ["bad.xyz"]
    assert "unsupported" in report["failed"][0]["reason"]

    docs = _json(runner.invoke(app, ["documents", "--json"]).stdout)
    assert isinstance(docs, list) and len(docs) == 2
    assert set(docs[0]) >= {"id", "source", "title", "pages", "chunks"}
    assert sum(d["chunks"] for d in docs) == report["chunks"]

    jobs = _json(runner.invoke(app, ["jobs", "--json"]).stdout)
    assert isinstance(jobs, list) and jobs[0]["id"] == report["job_id"]
    assert jobs[0]["status"] == "completed_with_errors"
    shown = runner.invoke(app, ["jobs", "show", report["job_id"], "--json"])
    assert shown.exit_code == 0
    files = _json(shown.stdout)["files"]  # type: ignore[index]
    assert sorted(f["status"] for f in files) == ["added", "added", "failed"]

    (tmp_path / "c" / "bad.xyz").unlink()
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert _json(again.stdout)["unchanged"] == 2  # type: ignore[index]


def test_unknown_job_and_bad_settings_exit_3(tmp_path: Path) -> None:
    result = runner.invoke(app, ["jobs", "show", "nope"])
    assert result.exit_code == 3 and "no job 'nope'" in result.output
    result = runner.invoke(
        app, ["ingest", str(tmp_path), "--chunk-size", "32", "--chunk-overlap", "40"]
    )
    assert result.exit_code == 3 and "chunk_overlap" in result.output
    result = runner.invoke(app, ["ingest", str(tmp_path / "missing")])
    assert result.exit_code == 3 and "missing" in result.output


def test_invalid_env_setting_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESEARCHDESK_WORKERS", "many")
    result = runner.invoke(app, ["documents"])
    assert result.exit_code == 3 and "workers" in result.output


def test_no_index_says_where_it_looked_and_creates_nothing(data_dir: Path) -> None:
    for command in (["documents"], ["documents", "--json"], ["search", "fees"], ["ask", "fees?"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 3, (command, result.output)
        assert str(data_dir.resolve()) in " ".join(result.output.split())
        assert "researchdesk ingest PATH" in " ".join(result.output.split())
    assert not data_dir.exists()


def test_empty_index_lists_nothing_and_says_how_to_fill_it(data_dir: Path) -> None:
    from core.settings import Settings
    from ingest.db import connect

    connect(Settings().resolved_database_url).dispose()  # an index database, no documents
    result = runner.invoke(app, ["documents", "--json"])
    assert result.exit_code == 0 and _json(result.stdout) == []
    assert runner.invoke(app, ["jobs", "--json"]).stdout.strip() == "[]"
    shown = runner.invoke(app, ["documents"])
    assert shown.exit_code == 0
    assert f"0 documents in index 'default' at {data_dir.resolve()}" in shown.stderr
    assert "researchdesk ingest PATH" in shown.stderr
    assert shown.stdout.splitlines() == ["title\tfile\tformat\tpages\tunread\tchunks\tgroups"]


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "jobs", "documents"):
        assert command in result.stdout


def test_a_key_without_groups_says_what_it_cannot_see() -> None:
    bare = runner.invoke(app, ["keys", "create", "--role", "advisor", "--name", "t"])
    assert bare.exit_code == 0 and "has no groups" in bare.stderr
    assert "--groups" in bare.stderr
    grouped = runner.invoke(app, ["keys", "create", "--role", "advisor", "--groups", "compliance"])
    assert grouped.exit_code == 0 and "has no groups" not in grouped.stderr
    assert "groups: compliance" in grouped.stdout


@pytest.mark.slow
def test_ask_says_why_nothing_was_found(
    sample_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "index"
    shutil.copytree(sample_index, copy, ignore=shutil.ignore_patterns("*.lock", "locks"))
    monkeypatch.setenv("RESEARCHDESK_DATA_DIR", str(copy))
    result = runner.invoke(app, ["ask", "What was Apple's revenue in fiscal 2019?"])
    assert result.exit_code == 0, result.output
    assert "I could not find this in the research library." in result.stdout
    assert "Why: nothing in the library mentions Apple" in result.stdout
    assert "Closest documents:" in result.stdout


@pytest.mark.slow
def test_ask_says_why_when_an_answer_leaves_a_compared_company_out(
    sample_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "index"
    shutil.copytree(sample_index, copy, ignore=shutil.ignore_patterns("*.lock", "locks"))
    monkeypatch.setenv("RESEARCHDESK_DATA_DIR", str(copy))
    question = "Compare the FY2026 revenue forecasts for Meridian Semiconductor and Apple."
    result = runner.invoke(app, ["ask", question])
    assert result.exit_code == 0, result.output
    assert "[1]" in result.stdout  # answered, with citations
    assert "Why: answered from the cited passages; nothing in the library mentions Apple" in (
        result.stdout
    )
    plain = runner.invoke(
        app, ["ask", "What is Harbor Point's year-end 2026 target for the S&P 500?"]
    )
    assert plain.exit_code == 0 and "Why:" not in plain.stdout


def test_pages_that_cannot_be_read_are_reported_for_the_file_and_the_rest_is_indexed(
    tmp_path: Path, data_dir: Path
) -> None:
    from tests.ingest.loaders.test_pdf import SCAN, make_scanned_pdf

    corpus = tmp_path / "c"
    corpus.mkdir()
    lines = ["Harbor Point expects global equities to return 7 percent in 2026."]
    make_scanned_pdf(corpus / "partly_scanned.pdf", [lines, SCAN, SCAN, lines, SCAN, []])
    args = ["ingest", str(corpus), "--workers", "1", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output  # indexed, with a warning, not failed
    report = _json(result.stdout)
    assert isinstance(report, dict) and report["added"] == 1 and report["failed"] == []
    (warning,) = report["warnings"]
    assert Path(warning["path"]).name == "partly_scanned.pdf"
    assert warning["warning"].startswith("3 of 6 pages could not be read as text")
    assert ": 2-3, 5; they are not searchable (OCR is not configured)" in warning["warning"]
    shown = _json(runner.invoke(app, ["jobs", "show", report["job_id"], "--json"]).stdout)
    assert shown["files"][0]["reason"] == warning["warning"]  # type: ignore[index]
    assert shown["counts"]["warned"] == 1  # type: ignore[index]
    listed = runner.invoke(app, ["jobs"])
    assert "warned" in listed.output
    # The catalogue keeps them with the document.
    (doc,) = _json(runner.invoke(app, ["documents", "--json"]).stdout)  # type: ignore[misc]
    assert doc["unread_pages"] == [2, 3, 5]
    table = runner.invoke(app, ["documents"]).stdout.splitlines()
    assert table[0].split("\t")[4] == "unread" and table[1].split("\t")[4] == "3"
    # The human summary says it too; a re-run finds the file unchanged and says nothing.
    (corpus / "partly_scanned.pdf").touch()
    again = runner.invoke(app, ["ingest", str(corpus), "--workers", "1"])
    assert again.exit_code == 0 and "warning" not in again.output


def test_a_clean_file_gets_no_warning(tmp_path: Path, data_dir: Path) -> None:
    from tests.ingest.loaders.test_pdf import make_pdf

    write_corpus(tmp_path / "c", files=1)
    make_pdf(tmp_path / "c" / "blank_page.pdf", [["Outlook for 2026."], []])  # blank: fine
    result = runner.invoke(app, ["ingest", str(tmp_path / "c"), "--workers", "1", "--json"])
    assert result.exit_code == 0, result.output
    assert _json(result.stdout)["warnings"] == []  # type: ignore[index]
