"""Check the sample corpus and its labelled questions.

    .venv/bin/python data/check_sample_corpus.py

Asserts that every file parses, no PDF page (or slide) is empty, sidecars are well formed,
question ids are unique, every ``doc_name`` is an existing file stem, every evidence text
occurs (whitespace-normalised) in the named document -- on the named zero-based page for
PDFs and slide for PPTX -- that acronym/synonym questions use a term absent from their
gold document, and that the per-type counts meet the corpus brief. Exits non-zero on the
first list of failures.

Needs: pypdfium2, python-docx, python-pptx.
"""

from __future__ import annotations

import email
import html
import json
import re
import sys
from collections import Counter
from email import policy
from html.parser import HTMLParser
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "sample_corpus"
DOC_SUFFIXES = {".pdf", ".docx", ".pptx", ".html", ".md", ".txt", ".eml"}
PAGED = {".pdf", ".pptx"}
GROUPS = {"compliance", "equity-research", "private-banking"}
TYPES = {"lookup", "table", "exact_number", "multi_doc", "acronym", "synonym", "not_in_corpus",
         "off_topic", "action", "small_talk", "restricted"}
BEHAVIOURS = {"answer", "refuse", "escalate"}

# For acronym/synonym questions: the term used by the question, which must not occur in
# the gold document (word-boundary, case-insensitive match).
ABSENT_TERMS: dict[str, list[str]] = {
    "What is the TER of": [r"\bTER\b"],
    "What EBITDA does": [r"\bEBITDA\b"],
    "What earnings before interest, taxes": [r"earnings before interest"],
    "junk bonds": [r"\bjunk\b"],
    "GTC order": [r"\bGTC\b"],
    "Which MTF": [r"\bMTF\b"],
    "know-your-customer": [r"know[- ]your[- ]customer"],
    "knock-in": [r"knock[- ]in"],
    "forward P/E": [r"P/E\b", r"\bPE ratio"],
}


def norm(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\ufffe", "").replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag in {"style", "script", "title"}:
            self._skip += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script", "title"}:
            self._skip -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def pages_of(path: Path) -> list[str]:
    """Text of the document, one string per page (PDF), slide (PPTX) or one for the rest."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        finally:
            pdf.close()
    if suffix == ".pptx":
        from pptx import Presentation

        slides = []
        for slide in Presentation(str(path)).slides:
            parts = []
            for shape in slide.shapes:
                if shape.has_text_frame:
                    parts.append(shape.text_frame.text)
                if getattr(shape, "has_table", False) and shape.has_table:
                    for row in shape.table.rows:
                        parts.append(" ".join(cell.text for cell in row.cells))
            slides.append("\n".join(parts))
        return slides
    if suffix == ".docx":
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
        parts = []
        for block in document.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                parts.append(Paragraph(block, document).text)
            elif tag == "tbl":
                for row in Table(block, document).rows:
                    parts.append(" ".join(cell.text for cell in row.cells))
        return ["\n".join(parts)]
    raw = path.read_text(encoding="utf-8")
    if suffix == ".html":
        parser = _TextOnly()
        parser.feed(raw)
        return [html.unescape("".join(parser.parts))]
    if suffix == ".eml":
        msg = email.message_from_string(raw, policy=policy.default)
        body = msg.get_body(preferencelist=("plain",))
        return [f"{msg['Subject']}\n{body.get_content() if body else ''}"]
    return [raw]


def main() -> int:
    errors: list[str] = []
    docs = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in DOC_SUFFIXES)
    stems: dict[str, Path] = {}
    texts: dict[str, list[str]] = {}
    total_size = 0
    for path in docs:
        total_size += path.stat().st_size
        if path.stem in stems:
            errors.append(f"duplicate stem {path.stem}")
        stems[path.stem] = path
        try:
            pages = pages_of(path)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"{path.name}: does not parse ({exc!r})")
            continue
        texts[path.stem] = [norm(p) for p in pages]
        for i, page in enumerate(texts[path.stem]):
            if len(page) < 40:
                errors.append(f"{path.name}: page/slide {i} has (almost) no text")
        if path.suffix == ".pdf":
            if not 3 <= len(pages) <= 8:
                errors.append(f"{path.name}: {len(pages)} pages, expected 3-8")
            if path.stat().st_size > 60_000:
                errors.append(f"{path.name}: larger than 60 KB")

    # Sidecars.
    restricted: dict[str, list[str]] = {}
    for meta_path in sorted(CORPUS.glob("*.meta.json")):
        target = CORPUS / meta_path.name[: -len(".meta.json")]
        if not target.exists():
            errors.append(f"{meta_path.name}: no such document")
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or not {"tags", "date", "author"} <= meta.keys():
            errors.append(f"{meta_path.name}: needs tags, date and author")
        groups = meta.get("allowed_groups")
        if groups:
            if not set(groups) <= GROUPS:
                errors.append(f"{meta_path.name}: unknown groups {groups}")
            restricted[target.stem] = groups

    # Questions.
    seen: set[str] = set()
    types: Counter[str] = Counter()
    behaviours: Counter[str] = Counter()
    multi = 0
    lines = (CORPUS / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, start=1):
        item = json.loads(line)
        qid = item["id"]
        where = f"questions.jsonl:{n} ({qid})"
        if qid in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(qid)
        qtype, behaviour = item["question_type"], item["expected_behavior"]
        types[qtype] += 1
        behaviours[behaviour] += 1
        if qtype not in TYPES or behaviour not in BEHAVIOURS:
            errors.append(f"{where}: bad type or behaviour")
        if not item["question"].strip():
            errors.append(f"{where}: empty question")
        evidence = item["evidence"]
        if behaviour == "answer":
            if not item["answer"] or not evidence or item["doc_name"] not in stems:
                errors.append(f"{where}: answerable needs answer, evidence and a known doc_name")
        elif item["answer"] is not None or evidence or item["doc_name"] is not None:
            errors.append(f"{where}: {behaviour} must have null answer/doc_name, no evidence")
        if len({e["doc_name"] for e in evidence}) >= 2:
            multi += 1
        needed: set[str] = set()
        for e in evidence:
            doc = e["doc_name"]
            if doc not in stems:
                errors.append(f"{where}: unknown doc_name {doc}")
                continue
            needed.update(restricted.get(doc, []))
            pages = texts.get(doc, [])
            wanted = norm(e["text"])
            if stems[doc].suffix in PAGED:
                page = e["page"]
                if not isinstance(page, int) or not 0 <= page < len(pages):
                    errors.append(f"{where}: bad page {page} for {doc}")
                    continue
                if wanted not in pages[page]:
                    hit = [i for i, p in enumerate(pages) if wanted in p]
                    errors.append(f"{where}: evidence not on page {page} of {doc} "
                                  f"(found on {hit}): {wanted[:70]!r}")
            else:
                if e["page"] is not None:
                    errors.append(f"{where}: page must be null for {doc}")
                if wanted not in pages[0]:
                    errors.append(f"{where}: evidence not in {doc}: {wanted[:70]!r}")
            section = e.get("section")
            if section and norm(section) not in " ".join(pages):
                errors.append(f"{where}: section {section!r} not found in {doc}")
        if needed:
            if sorted(item.get("groups", [])) != sorted(needed):
                errors.append(f"{where}: groups should be {sorted(needed)}")
            if qtype != "restricted":
                errors.append(f"{where}: evidence in a restricted doc but type {qtype}")
        elif "groups" in item:
            errors.append(f"{where}: groups given but no restricted evidence")
        if qtype in {"acronym", "synonym"}:
            gold = " ".join(texts.get(item["doc_name"], []))
            matched = [k for k in ABSENT_TERMS if k in item["question"]]
            if not matched:
                errors.append(f"{where}: no ABSENT_TERMS entry for this {qtype} question")
            for key in matched:
                for pattern in ABSENT_TERMS[key]:
                    if re.search(pattern, gold, re.IGNORECASE):
                        errors.append(f"{where}: term {pattern!r} occurs in {item['doc_name']}")

    minimums = {"table": 6, "exact_number": 6, "restricted": 4, "not_in_corpus": 8,
                "off_topic": 6, "action": 8, "small_talk": 2}
    for qtype, least in minimums.items():
        if types[qtype] < least:
            errors.append(f"only {types[qtype]} {qtype} questions, need {least}")
    if types["acronym"] + types["synonym"] < 6:
        errors.append("need at least 6 acronym/synonym questions")
    if multi < 4:
        errors.append(f"only {multi} questions with evidence from two documents, need 4")
    if len(lines) < 64:
        errors.append(f"only {len(lines)} questions, need 64")
    if len(docs) < 22:
        errors.append(f"only {len(docs)} documents, need 22")
    if total_size > 2_000_000:
        errors.append(f"corpus is {total_size} bytes, over 2 MB")

    for err in errors:
        print("FAIL", err)  # noqa: T201
    print(f"{len(docs)} documents ({total_size} bytes), {len(restricted)} restricted, "  # noqa: T201
          f"{len(lines)} questions; types {dict(sorted(types.items()))}; "
          f"behaviours {dict(sorted(behaviours.items()))}; two-document questions {multi}")
    print("OK" if not errors else f"{len(errors)} problem(s)")  # noqa: T201
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
