from __future__ import annotations

import dataclasses

from ingest.catalog import CatalogEntry
from retrieval.routing import (
    DocumentRouter,
    card_for,
    initialisms,
    question_years,
    without_names,
)


def _entry(doc_id: str, title: str, source: str, groups: tuple[str, ...] = ()) -> CatalogEntry:
    return CatalogEntry(
        id=doc_id,
        source=source,
        title=title,
        format="pdf",
        sha256="0",
        version="v",
        size=1,
        modified=0.0,
        pages=10,
        chunks=5,
        meta={"allowed_groups": list(groups), "tags": []},
        job_id="j",
        indexed_at=0.0,
    )


ENTRIES = [
    _entry(
        "jnj22",
        "JOHNSON & JOHNSON Form 10-K for the fiscal year ended January 1, 2023",
        "/lib/JOHNSON_JOHNSON_2022_10K.pdf",
    ),
    _entry(
        "aww21",
        "AMERICAN WATER WORKS COMPANY, INC. Form 10-K for the fiscal year ended December 31, 2021",
        "/lib/AMERICANWATERWORKS_2021_10K.pdf",
    ),
    _entry(
        "aww22",
        "AMERICAN WATER WORKS COMPANY, INC. Form 10-K for the fiscal year ended December 31, 2022",
        "/lib/AMERICANWATERWORKS_2022_10K.pdf",
    ),
    _entry("secret", "Project Falcon acquisition memo 2022", "/lib/falcon.pdf", ("deals",)),
] + [_entry(f"other{i}", f"Issuer{i} Form 10-K", f"/lib/ISSUER{i}_2022_10K.pdf") for i in range(8)]


def test_question_years() -> None:
    assert question_years("What was FY2022 revenue versus 2021?") == {2021, 2022}
    assert question_years("FY22 capex") == {2022}
    assert question_years("no years here, 12345 is not one") == set()


def test_initialisms_skip_corporate_words() -> None:
    assert initialisms("JOHNSON & JOHNSON") == {"jj", "jnj"}
    assert initialisms("American Water Works Company, Inc.") == {"aww"}
    assert initialisms("Apple Inc.") == set()


def test_card_years_come_from_the_document_not_its_file_name() -> None:
    # Without a profile read at ingest only the title's years count: a file name is not
    # evidence of what a document reports (JOHNSON_JOHNSON_2022_10K.pdf says 2022).
    card = card_for(ENTRIES[0])
    assert card.years == frozenset({2023})
    assert card.terms["jnj"] == 1
    profiled = _entry("p", "Annual report", "/lib/x_1999.pdf")
    profiled.meta["profile"] = {"doc_type": "10-K", "fiscal_year": 2022, "years": [2021, 2022]}
    assert card_for(profiled).years == frozenset({2021, 2022})


def test_routes_by_issuer_and_year() -> None:
    router = DocumentRouter(ENTRIES)
    top = router.route(
        "Does American Water Works have positive working capital in FY2022?", groups=(), limit=3
    )
    assert top[0][0] == "aww22"
    assert "jnj22" not in [doc for doc, _ in top]
    assert router.route("What drove JnJ's FY2022 sales?", groups=(), limit=3)[0][0] == "jnj22"


def test_routing_never_reveals_restricted_documents() -> None:
    router = DocumentRouter(ENTRIES)
    question = "What does the Project Falcon acquisition memo say?"
    assert "secret" not in [d for d, _ in router.route(question, groups=(), limit=5)]
    assert router.route(question, groups=("deals",), limit=5)[0][0] == "secret"
    assert router.route(question, groups=None, limit=5)[0][0] == "secret"


def test_unmatched_question_routes_nowhere() -> None:
    assert DocumentRouter(ENTRIES).route("zzz qqq", groups=(), limit=3) == []
    # Generic words shared with a title do not route: only named things do.
    assert DocumentRouter(ENTRIES).route("what about the company water?", (), 3) == []
    # A name on many documents identifies none of them.
    assert DocumentRouter(ENTRIES[:3]).route("What did American Water Works say?", (), 3) == []
    assert DocumentRouter([]).route("American Water Works", groups=(), limit=3) == []


def _listed(doc_id: str, issuer: str, year: int, tickers: tuple[str, ...]) -> CatalogEntry:
    entry = _entry(doc_id, f"{issuer} Form 10-K", f"/lib/{doc_id}.pdf")
    profile = {"version": 13, "issuer": issuer, "doc_type": "10-K", "fiscal_year": year,
               "years": [year - 1, year], "tickers": list(tickers)}  # fmt: skip
    return dataclasses.replace(entry, meta={**entry.meta, "profile": profile})


def test_a_ticker_any_filing_lists_names_every_filing_of_its_issuer() -> None:
    entries = [
        _listed("mmm18", "3M COMPANY", 2018, ()),  # filed before covers listed symbols
        _listed("mmm22", "3M Company", 2022, ("MMM",)),
        *ENTRIES,
    ]
    router = DocumentRouter(entries)
    routed = [doc for doc, _ in router.route("What was MMM's net income in 2018?", None, 5)]
    assert routed[:1] == ["mmm18"]  # the year asked picks the filing that reports it
    assert "mmm" in next(c for c in router.cards if c.document_id == "mmm18").names
    assert router.route("What was ZZZ's net income?", None, 5) == []


def test_initials_joined_by_an_ampersand_name_their_issuer() -> None:
    router = DocumentRouter(ENTRIES)
    assert [doc for doc, _ in router.route("What was J&J's revenue?", None, 3)][:1] == ["jnj22"]


def test_routed_names_are_the_question_names_that_name_the_routed_documents() -> None:
    router = DocumentRouter(ENTRIES)
    question = "Does American Water Works have positive working capital versus Apple in FY2022?"
    assert router.routed_names(question, ["aww22"]) == ["American Water Works"]
    assert router.routed_names(question, []) == []
    # Inside its filings the name ranks nothing; what is asked of it stays.
    assert without_names(question, ["American Water Works"]) == (
        "Does have positive working capital versus Apple in FY2022?"
    )
    assert without_names("Acme's debt?", ["Acme"]) == "debt?"


def test_an_issuers_reports_are_documents_with_an_issuer_read_from_them() -> None:
    router = DocumentRouter([_listed("mmm22", "3M Company", 2022, ("MMM",)), *ENTRIES])
    assert router.issuers_reports(["mmm22", "secret"])
    # A memo and a fact sheet with no issuer read from them are no series of reports.
    assert not router.issuers_reports(["secret", "other1"])
    assert not router.issuers_reports([])
    assert not router.issuers_reports(["no-such-document"])
