"""Load labelled question sets (FinanceBench and our own) from JSONL into typed records.

Format: one JSON object per line; blank lines are skipped; UTF-8 (a leading BOM is
allowed); each line at most 1 MiB. FinanceBench's ``dev.jsonl`` loads as it is. Fields:

- ``id`` (required): non-empty string (an integer is accepted and turned into a string);
  unique within the file.
- ``question`` (required): non-empty string.
- ``expected_behavior``: "answer" (default), "refuse" or "escalate".
- ``answer``, ``doc_name``, ``question_type``: string or null.
- ``groups``: list of strings (access groups the asker belongs to), default empty.
- ``evidence``: list of objects ``{doc_name, page, section, text}``, default empty.
  ``doc_name`` defaults to the question's ``doc_name`` and is a file stem
  (e.g. "AMERICANWATERWORKS_2022_10K"); ``page`` is a ZERO-based integer page index as
  FinanceBench stores it, or null for page-less formats; ``section`` is the heading that
  holds the evidence (useful for page-less formats); ``text`` is the evidence passage.

Any other field (FinanceBench's justification, company, page_text...) is ignored. Every
problem raises ``DatasetError`` naming the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from core.errors import ResearchDeskError

Behaviour = Literal["answer", "refuse", "escalate"]
BEHAVIOURS: tuple[Behaviour, ...] = ("answer", "refuse", "escalate")
MAX_LINE_BYTES = 1 << 20


class DatasetError(ResearchDeskError):
    """A question set file is missing, unreadable or holds an invalid record."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a gold answer is found; ``page`` is ZERO-based, None for page-less formats."""

    doc_name: str
    page: int | None = None
    section: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    """One question with the behaviour and evidence a correct assistant should show."""

    id: str
    question: str
    expected_behavior: Behaviour = "answer"
    answer: str | None = None
    doc_name: str | None = None
    evidence: tuple[Evidence, ...] = ()
    question_type: str | None = None
    groups: tuple[str, ...] = ()

    def gold(self) -> frozenset[tuple[str, int | None, str | None]]:
        """Evidence as ``(doc_name, zero-based page, section)``, the form metrics take."""
        return frozenset((e.doc_name, e.page, e.section) for e in self.evidence)


@dataclass(frozen=True, slots=True)
class QuestionSet:
    """A named, ordered set of labelled questions (name = file stem)."""

    name: str
    questions: tuple[LabelledQuestion, ...]

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[LabelledQuestion]:
        return iter(self.questions)


def load_questions(path: Path, known_docs: Collection[str] | None = None) -> QuestionSet:
    """Read a JSONL question set; with ``known_docs``, every evidence document must be in it."""
    known = None if known_docs is None else frozenset(known_docs)
    questions: list[LabelledQuestion] = []
    first_line: dict[str, int] = {}
    for lineno, record in _records(path):
        where = f"{path.name} line {lineno}"
        question = _question(record, where, known)
        if question.id in first_line:
            raise DatasetError(
                f"{where}: duplicate id {question.id!r} (first used on line "
                f"{first_line[question.id]}); ids must be unique"
            )
        first_line[question.id] = lineno
        questions.append(question)
    if not questions:
        raise DatasetError(f"{path.name}: no questions found; expected one JSON object per line")
    return QuestionSet(path.stem, tuple(questions))


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` for each non-blank line, checking size and encoding."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise DatasetError(f"cannot read question set {path}: {exc.strerror or exc}") from exc
    with handle:
        lineno = 0
        while raw := handle.readline(MAX_LINE_BYTES + 2):
            lineno += 1
            where = f"{path.name} line {lineno}"
            if len(raw.rstrip(b"\r\n")) > MAX_LINE_BYTES:
                raise DatasetError(f"{where}: line longer than {MAX_LINE_BYTES} bytes")
            try:
                text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise DatasetError(
                    f"{where}: not UTF-8 (byte {exc.start + 1}); save the file as UTF-8"
                ) from exc
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DatasetError(
                    f"{where}: malformed JSON at column {exc.colno}: {exc.msg}"
                ) from exc
            if not isinstance(record, dict):
                raise DatasetError(f"{where}: expected a JSON object, got {type(record).__name__}")
            yield lineno, record


def _question(
    record: Mapping[str, Any], where: str, known: frozenset[str] | None
) -> LabelledQuestion:
    raw_id = record.get("id")
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise DatasetError(f"{where}: missing or empty 'id' (a non-empty string)")
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise DatasetError(f"{where}: missing or empty 'question' (a non-empty string)")
    behaviour = record.get("expected_behavior", "answer")
    if behaviour not in BEHAVIOURS:
        raise DatasetError(
            f"{where}: unknown expected_behavior {behaviour!r}; valid: {', '.join(BEHAVIOURS)}"
        )
    doc_name = _optional_str(record, "doc_name", where)
    evidence = record.get("evidence") or []
    if not isinstance(evidence, list):
        raise DatasetError(f"{where}: 'evidence' must be a list of objects")
    groups = record.get("groups") or []
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise DatasetError(f"{where}: 'groups' must be a list of strings")
    return LabelledQuestion(
        id=raw_id,
        question=question,
        expected_behavior=cast(Behaviour, behaviour),
        answer=_optional_str(record, "answer", where),
        doc_name=doc_name,
        evidence=tuple(
            _evidence(item, doc_name, f"{where}, evidence[{i}]", known)
            for i, item in enumerate(evidence)
        ),
        question_type=_optional_str(record, "question_type", where),
        groups=tuple(groups),
    )


def _evidence(
    item: Any, default_doc: str | None, where: str, known: frozenset[str] | None
) -> Evidence:
    if not isinstance(item, dict):
        raise DatasetError(f"{where}: expected an object, got {type(item).__name__}")
    doc_name = _optional_str(item, "doc_name", where) or default_doc
    if doc_name is None:
        raise DatasetError(f"{where}: no 'doc_name' here or on the question")
    if known is not None and doc_name not in known:
        raise DatasetError(
            f"{where}: unknown document {doc_name!r}; it is not among the "
            f"{len(known)} known documents (check the name is the file stem)"
        )
    page = item.get("page")
    if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 0):
        raise DatasetError(
            f"{where}: 'page' must be a zero-based non-negative integer or null, got {page!r}"
        )
    return Evidence(
        doc_name=doc_name,
        page=page,
        section=_optional_str(item, "section", where),
        text=_optional_str(item, "text", where),
    )


def _optional_str(record: Mapping[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise DatasetError(f"{where}: {key!r} must be a string or null, got {value!r}")
    return value
