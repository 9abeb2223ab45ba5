"""Loading labelled question sets: the real FinanceBench file and every malformed case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.errors import ResearchDeskError
from experiments.datasets import (
    MAX_LINE_BYTES,
    DatasetError,
    Evidence,
    LabelledQuestion,
    load_questions,
)

FINANCEBENCH = Path(__file__).parents[2].parent / "shared" / "benchmarks" / "financebench"


def _write(tmp_path: Path, *lines: str | dict[str, Any], name: str = "set.jsonl") -> Path:
    path = tmp_path / name
    text = [line if isinstance(line, str) else json.dumps(line) for line in lines]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def _q(qid: str = "q1", **fields: Any) -> dict[str, Any]:
    return {"id": qid, "question": "What was revenue?", **fields}


def test_loads_financebench_dev_as_it_is() -> None:
    dev = FINANCEBENCH / "dev.jsonl"
    if not dev.is_file():
        pytest.skip(f"FinanceBench sample not present at {dev}")
    docs = [json.loads(line)["doc_name"] for line in (FINANCEBENCH / "docs.jsonl").open()]
    qset = load_questions(dev, known_docs=docs)
    assert qset.name == "dev"
    assert len(qset) == 78
    assert len({q.id for q in qset}) == 78
    assert sum(len(q.evidence) for q in qset) == 104
    assert {q.expected_behavior for q in qset} == {"answer"}
    assert {q.question_type for q in qset} == {
        "metrics-generated",
        "domain-relevant",
        "novel-generated",
    }
    first = qset.questions[0]
    assert first.id == "financebench_id_00070"
    assert first.doc_name == "AMERICANWATERWORKS_2022_10K"
    assert first.answer is not None and "-$1561M" in first.answer
    assert first.evidence[0].page == 80  # zero-based, as stored
    assert first.evidence[0].text is not None
    assert ("AMERICANWATERWORKS_2022_10K", 80, None) in first.gold()


def test_generic_fields_and_defaults(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _q("a", doc_name="D1", evidence=[{"page": 0}, {"doc_name": "D2", "page": None}]),
        "",
        "   ",
        _q(
            "b",
            expected_behavior="refuse",
            groups=["finance", "legal"],
            evidence=[{"doc_name": "WEB", "section": "Pricing", "text": "..."}],
        ),
        {"id": 7, "question": "Escalate me", "expected_behavior": "escalate"},
        name="mine.jsonl",
    )
    qset = load_questions(path, known_docs={"D1", "D2", "WEB"})
    assert qset.name == "mine"
    a, b, c = qset.questions
    assert a == LabelledQuestion(
        id="a",
        question="What was revenue?",
        doc_name="D1",
        evidence=(Evidence("D1", 0), Evidence("D2", None)),
    )
    assert b.expected_behavior == "refuse"
    assert b.groups == ("finance", "legal")
    assert b.gold() == {("WEB", None, "Pricing")}
    assert (c.id, c.expected_behavior, c.answer, c.evidence) == ("7", "escalate", None, ())


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_q()).encode() + b"\n")
    assert load_questions(path).questions[0].id == "q1"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([_q("a"), '{"id": "b", "question": '], r"set\.jsonl line 2: malformed JSON"),
        ([_q("a"), "[1, 2]"], r"line 2: expected a JSON object, got list"),
        ([{"question": "no id"}], r"line 1: missing or empty 'id'"),
        ([{"id": "", "question": "x"}], r"line 1: missing or empty 'id'"),
        ([{"id": "a"}], r"line 1: missing or empty 'question'"),
        ([_q("a"), "", _q("a")], r"line 3: duplicate id 'a' \(first used on line 1\)"),
        ([_q(expected_behavior="ignore")], r"line 1: unknown expected_behavior 'ignore'"),
        ([_q(doc_name="D", evidence=[{"page": -1}])], r"line 1, evidence\[0\]: 'page' must"),
        ([_q(doc_name="D", evidence=[{"page": 2.5}])], r"'page' must be a zero-based"),
        ([_q(doc_name="D", evidence=[{"page": "3"}])], r"'page' must be a zero-based"),
        ([_q(doc_name="D", evidence=[{"page": True}])], r"'page' must be a zero-based"),
        ([_q(evidence=[{"page": 1}])], r"evidence\[0\]: no 'doc_name'"),
        ([_q(evidence={"page": 1})], r"'evidence' must be a list"),
        ([_q(evidence=["D"])], r"evidence\[0\]: expected an object, got str"),
        ([_q(groups="finance")], r"'groups' must be a list of strings"),
        ([_q(answer=12)], r"'answer' must be a string or null"),
        (["", "  "], r"set\.jsonl: no questions found"),
    ],
)
def test_malformed_records_name_file_and_line(
    tmp_path: Path, lines: list[str | dict[str, Any]], message: str
) -> None:
    with pytest.raises(DatasetError, match=message):
        load_questions(_write(tmp_path, *lines))


def test_unknown_evidence_document(tmp_path: Path) -> None:
    path = _write(tmp_path, _q(evidence=[{"doc_name": "GHOST_2022_10K", "page": 3}]))
    with pytest.raises(DatasetError, match=r"line 1, evidence\[0\]: unknown document 'GHOST"):
        load_questions(path, known_docs={"REAL_2022_10K"})
    assert load_questions(path).questions[0].evidence[0].doc_name == "GHOST_2022_10K"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    with pytest.raises(DatasetError, match=r"empty\.jsonl: no questions found"):
        load_questions(path)


def test_missing_file_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="cannot read question set"):
        load_questions(tmp_path / "nope.jsonl")


def test_huge_line(tmp_path: Path) -> None:
    path = _write(tmp_path, _q("a"), _q("b", answer="x" * MAX_LINE_BYTES), _q("c"))
    with pytest.raises(DatasetError, match=r"line 2: line longer than 1048576 bytes"):
        load_questions(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(
        json.dumps(_q("a")).encode() + b"\n" + '{"id": "b", "question": "café"}'.encode("latin-1")
    )
    with pytest.raises(DatasetError, match=r"latin1\.jsonl line 2: not UTF-8"):
        load_questions(path)
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_text(json.dumps(_q()) + "\n", encoding="utf-16")
    with pytest.raises(DatasetError, match="not UTF-8"):
        load_questions(utf16)


def test_dataset_error_is_a_researchdesk_error() -> None:
    assert issubclass(DatasetError, ResearchDeskError)
