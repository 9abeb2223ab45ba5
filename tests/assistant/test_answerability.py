from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from assistant.answerability import (
    MISSING_NAME_FACTOR,
    PERIOD_MISS_FACTOR,
    Library,
    assess,
    parts_first,
)
from ingest.catalog import CatalogEntry
from retrieval.routing import without_names
from retrieval.types import Passage


def _entry(doc_id: str, title: str, profile: dict[str, Any] | None = None) -> CatalogEntry:
    meta: dict[str, Any] = {"allowed_groups": [], "tags": []}
    if profile is not None:
        meta["profile"] = {"version": 1, **profile}
    return CatalogEntry(
        doc_id, f"/lib/{doc_id}.pdf", title, "pdf", "0", "v", 1, 0.0, 5, 2, meta, "j", 0.0
    )


ENTRIES = [
    _entry(
        "mmm18",
        "3M Company Form 10-K",
        {
            "issuer": "3M Company",
            "doc_type": "10-K",
            "fiscal_year": 2018,
            "years": [2016, 2017, 2018],
        },
    ),
    # A filing whose cover name was not read: its card still says whose it is.
    _entry("sq16", "Annual report 2016", {"doc_type": "10-K", "fiscal_year": 2016}),
    _entry("note", "Utilities note: grid capex"),
    _entry("ops", "Trading Desk Procedures Manual"),
]
LIBRARY = Library.of(ENTRIES)


def _p(doc: str, text: str) -> Passage:
    return Passage(f"{doc}-c", doc, doc, f"/lib/{doc}.pdf", 1, 1, "", text, 0.9)


CAPEX = _p("mmm18", "Capital expenditures: purchases of PP&E (1,577) (1,373) in 2018")
NO_MENTIONS: Any = lambda name: []  # noqa: E731


def _assess(question: str, sources: Sequence[Passage], mentioning: Any = NO_MENTIONS) -> Any:
    return assess(question, sources, 0.95, LIBRARY, mentioning)


def test_named_company_the_sources_are_about_is_covered() -> None:
    check = _assess("What is the FY2018 capital expenditure amount for 3M?", [CAPEX])
    assert check.covered == ("3M",) and not check.missing
    assert check.period_ok is True
    assert check.score == pytest.approx(0.95)
    assert not check.refuse_names


def test_company_nothing_in_the_library_mentions_is_refused_with_its_reason() -> None:
    check = _assess("What is the FY2018 capital expenditure amount for Honeywell?", [CAPEX])
    assert check.unknown == ("Honeywell",) and check.refuse_names
    assert "nothing in the library mentions Honeywell" in check.reasons


def test_company_named_only_inside_another_issuers_filing_is_not_covered() -> None:
    # A competitor list in 3M's filing is not the competitor's figures.
    inside = _p("mmm18", "We compete with Honeywell and others. Capital expenditure 1,577")
    check = _assess(
        "What is Honeywell's FY2018 capital expenditure?", [inside], lambda n: [inside.text]
    )
    assert check.missing == ("Honeywell",) and not check.unknown and not check.refuse_names
    assert check.score == pytest.approx(0.95 * MISSING_NAME_FACTOR)
    assert "the passages found are not about Honeywell" in check.reasons


def test_a_filing_whose_issuer_was_not_read_is_still_not_about_a_competitor_it_names() -> None:
    inside = _p("sq16", "We compete with Visa and Mastercard networks for card volume.")
    check = _assess(
        "Who are the primary customers of Mastercard as of FY2016?",
        [inside],
        lambda n: [inside.text],
    )
    assert check.missing == ("Mastercard",) and not check.covered
    assert "the passages found are not about Mastercard" in check.reasons


def test_a_research_note_is_about_the_companies_its_text_names() -> None:
    row = _p("note", "Atlas Power & Light | 2026E EBITDA | 1,234")
    check = _assess("What EBITDA is forecast for Atlas Power & Light in 2026?", [row])
    assert check.covered == ("Atlas Power & Light",) and check.period_ok


def test_comparison_answers_for_what_the_library_covers() -> None:
    check = _assess("Compare the FY2018 capex of 3M versus Honeywell", [CAPEX])
    assert check.covered == ("3M",) and check.unknown == ("Honeywell",)
    assert check.comparison and not check.refuse_names


def test_qualifier_beside_a_covered_name_costs_nothing() -> None:
    check = _assess(
        "Can 3M's FY2018 capex plan suit a Balanced profile?",
        [CAPEX],
        lambda n: ["the Balanced profile"],
    )
    assert check.missing == ("Balanced",) and check.score > 0.95 * MISSING_NAME_FACTOR * 2


def test_a_missing_name_in_the_possessive_is_whose_figure_is_asked() -> None:
    # Goldman Sachs is named in the library (a director's career), not what it is about.
    mentions = lambda n: ["he was a VP at Goldman Sachs"]  # noqa: E731
    check = _assess("What is Goldman Sachs' FY2018 capex estimate for 3M?", [CAPEX], mentions)
    assert check.missing == ("Goldman Sachs",) and check.covered == ("3M",)
    assert check.score == pytest.approx(0.95 * MISSING_NAME_FACTOR)
    # Without the possessive it may qualify; in a comparison it is what is missing.
    plain = _assess("What was 3M's FY2018 capex, per Goldman Sachs?", [CAPEX], mentions)
    assert plain.score > 0.95 * MISSING_NAME_FACTOR * 2
    compared = _assess("Compare 3M's and Goldman Sachs' FY2018 capex", [CAPEX], mentions)
    assert compared.comparison and compared.score > 0.95 * MISSING_NAME_FACTOR * 2


def test_a_company_figure_qualified_by_a_missing_name_is_not_the_company_figure() -> None:
    # The sources hold 3M's capex, not the capex of a segment or region asked.
    for question in (
        "What was 3M's FY2018 capex in Europe?",
        "What was 3M's FY2018 capex for Scotchgard?",
        "What was 3M's FY2018 Scotchgard capex?",
        "What was 3M's FY2018 Scotchgard segment capex?",  # two words may stand between
        "How much capex did 3M's Scotchgard business have in FY2018?",  # owned by 3M
    ):
        check = _assess(question, [CAPEX])
        assert check.covered == ("3M",) and len(check.missing) == 1, question
        assert check.score <= 0.95 * MISSING_NAME_FACTOR, question
    # A name elsewhere in the question does not qualify the figure.
    assert _assess("What was 3M's FY2018 capex, said Scotchgard?", [CAPEX]).score > (
        0.95 * MISSING_NAME_FACTOR * 2
    )


def test_a_part_a_source_names_is_the_qualifier_the_answer_must_be_about() -> None:
    europe = _p("mmm18", "GEOGRAPHIC AREAS\nEurope, Middle East and Africa capex 312 298")
    mentions = lambda n: [europe.text]  # noqa: E731
    check = _assess("What was 3M's FY2018 capex in Europe?", [CAPEX, europe], mentions)
    assert check.qualifiers == ("Europe",) and check.missing == () and check.covered == ("3M",)
    assert check.score > 0.95 * MISSING_NAME_FACTOR * 2
    assert not any("Europe" in r for r in check.reasons)
    # Named in no source, it still costs what a missing name costs.
    alone = _assess("What was 3M's FY2018 capex in Europe?", [CAPEX], mentions)
    assert alone.qualifiers == () and alone.missing == ("Europe",)


def test_acronym_spelled_out_in_a_source_is_covered() -> None:
    gtc = _p("ops", "Good-til-cancelled order: remains open for up to 90 calendar days")
    assert _assess("How long does a GTC order stay open?", [gtc]).covered == ("GTC",)


def test_demonym_matches_the_country() -> None:
    india = _p("note", "India: forward P/E 22.0x")
    assert _assess("What is the forward P/E of Indian equities?", [india]).covered == ("Indian",)


def test_asked_year_no_source_reports_scales_the_score() -> None:
    check = _assess("What is the FY2031 capital expenditure amount for 3M?", [CAPEX])
    assert check.period_ok is False
    assert check.score == pytest.approx(0.95 * PERIOD_MISS_FACTOR)
    assert "no source reports 2031" in check.reasons


@pytest.mark.parametrize("question", ["", "   ", "12345", "数字是多少", "x" * 100_000])
def test_hostile_questions_give_a_score_not_a_crash(question: str) -> None:
    check = _assess(question, [CAPEX])
    assert 0.0 <= check.score <= 0.95


def test_no_sources() -> None:
    check = _assess("What is 3M's FY2018 capex?", [])
    assert check.missing == ("3M",) and check.period_ok is False


def test_whether_the_library_mentions_a_name_never_reveals_restricted_documents() -> None:
    library = Library.of(
        [
            _entry("memo", "Project Falcon acquisition memo", None),
            _entry("ops", "Trading Desk Procedures Manual"),
        ]
    )
    library.groups["memo"] = frozenset({"deals"})
    question = "What does the Project Falcon memo say?"
    outsider = assess(question, [], 0.9, library, NO_MENTIONS, groups=())
    insider = assess(question, [], 0.9, library, NO_MENTIONS, groups=("deals",))
    assert outsider.unknown == ("Project Falcon",)
    assert "nothing in the library mentions Project Falcon" in outsider.reasons
    assert insider.unknown == () and insider.missing == ("Project Falcon",)


POLICIES = Library.of(
    [
        _entry("itsec", "Information Security Policy", {"doc_type": "policy"}),
        _entry("outlook", "2026 Global Market Outlook", {"doc_type": "research note"}),
    ]
)
PHISHING = _p("itsec", "A fake e-mail asked staff to recommend buying Zentrix Quantum Corp.")


def test_a_view_on_a_security_a_policy_only_names_is_not_covered() -> None:
    question = "Should I recommend buying Zentrix Quantum Corp to my clients?"
    view = assess(question, [PHISHING], 0.99, POLICIES, NO_MENTIONS, advice=True)
    assert view.missing == ("Zentrix Quantum Corp",) and not view.covered
    assert view.score == pytest.approx(0.99 * MISSING_NAME_FACTOR)
    assert "Zentrix Quantum Corp is named only in policies, which give no view on it" in (
        view.reasons
    )
    # Asked what the policy says about it, the policy is the source.
    fact = assess(
        "What does the e-mail about Zentrix Quantum Corp ask?",
        [PHISHING],
        0.99,
        POLICIES,
        NO_MENTIONS,
    )
    assert fact.covered == ("Zentrix Quantum Corp",) and fact.score == pytest.approx(0.99)


def test_a_year_the_note_writes_for_another_figure_is_not_the_asked_period() -> None:
    bullet = _p(
        "outlook",
        "Our year-end 2026 target for the S&P 500 is 7,250, based on 2027 earnings per share.",
    )
    later = assess(
        "What is the S&P 500 target for the end of 2027?", [bullet], 0.9, POLICIES, NO_MENTIONS
    )
    assert later.period_ok is False and "no source reports 2027" in later.reasons
    asked = assess(
        "What is the year-end 2026 S&P 500 target?", [bullet], 0.9, POLICIES, NO_MENTIONS
    )
    assert asked.period_ok is True and asked.score == pytest.approx(0.9)


def test_a_company_figure_asked_without_saying_whose_is_refused_with_its_reason() -> None:
    check = _assess("What was revenue in 2018?", [CAPEX])
    assert check.whose == "revenue" and check.refuse_names
    assert "the question asks for revenue but names no company, fund or product: say whose" in (
        check.reasons
    )
    named = _assess("What was 3M's revenue in 2018?", [CAPEX])
    assert named.whose is None and not named.refuse_names
    ranked = _assess("Which of our funds has the highest expense ratio?", [CAPEX])
    assert ranked.whose == "expense ratio" and ranked.refuse_names
    assert ranked.reasons[0] == (
        "the question asks which fund ranks first by expense ratio: name the ones to "
        "compare, and each one's expense ratio is quoted"
    )
    companies = _assess("Which companies had the highest revenue in 2018?", [CAPEX])
    assert companies.reasons[0].startswith("the question asks which company ranks first")


@pytest.mark.parametrize(
    "question",
    [
        "And a year earlier?",
        "How does that compare with 2021?",
        "Tell me more.",
        "What about it?",
        "Which one is cheaper?",  # a comparison of nothing named
        "Is it better?",
    ],
)
def test_a_question_that_says_nothing_of_what_it_is_about_is_refused(question: str) -> None:
    check = _assess(question, [CAPEX])
    assert check.vague and check.refuse_names
    assert any("does not say what it is about" in r for r in check.reasons)


@pytest.mark.parametrize(
    "question",
    [
        "What is the outlook?",
        "What is 3M's capex?",
        "Who is the CEO?",
        "What is MMM?",
        "What is the highest dividend yield?",
    ],
)
def test_a_question_about_something_is_not_vague(question: str) -> None:
    assert not _assess(question, [CAPEX]).vague


def test_a_ticker_that_is_a_word_must_be_written_in_capitals_in_a_source() -> None:
    # "on" is in every text; only "ON" in capitals names the ticker.
    prose = _p("note", "Our outlook: utilities rely on the grid; capex rose on demand.")
    check = _assess("What is the outlook for ON?", [prose])
    assert check.missing == ("ON",) and not check.covered
    assert "the passages found do not mention ON" in check.reasons
    assert check.score == pytest.approx(0.95 * MISSING_NAME_FACTOR)
    listed = _p("note", "ON | Rating: Buy | Price target: $80")
    assert _assess("What is the outlook for ON?", [listed]).covered == ("ON",)


def test_without_names_leaves_what_is_asked_of_the_one_left() -> None:
    question = "Compare 3M's and Amazon's revenue in FY2017."
    assert without_names(question, ["Amazon"]) == "Compare 3M's and revenue in FY2017."
    assert without_names(question, ["3M", "Amazon"]) == "Compare and revenue in FY2017."
    # A name inside a longer word is not taken out.
    assert without_names("Amazonian 3M revenue", ["Amazon"]) == "Amazonian 3M revenue"


def test_a_compared_name_whose_sources_do_not_report_the_period_has_no_answer_for_it() -> None:
    honeywell = {"issuer": "Honeywell International Inc.", "doc_type": "10-K"}
    library = Library.of(
        [
            *ENTRIES,
            _entry("hon16", "Honeywell 10-K", {**honeywell, "fiscal_year": 2016,
                                               "years": [2014, 2015, 2016]}),
        ]
    )  # fmt: skip
    older = _p("hon16", "Honeywell capital expenditures (1,095) (1,073) in 2016")
    question = "Compare 3M's and Honeywell's capital expenditure in FY2018"
    check = assess(question, [CAPEX, older], 0.95, library, NO_MENTIONS)
    assert check.comparison and check.period_ok is True
    assert check.covered == ("3M",) and check.missing == ("Honeywell",)
    assert "no source reports 2018 for Honeywell" in check.reasons
    assert check.score == pytest.approx(0.95)  # 3M's figure is there to answer
    # When no compared name's sources report it, the question lacks the period.
    both_old = assess(question.replace("2018", "2019"), [CAPEX, older], 0.95, library, NO_MENTIONS)
    assert both_old.period_ok is False and both_old.covered == ("3M", "Honeywell")
    assert both_old.score == pytest.approx(0.95 * PERIOD_MISS_FACTOR)


def test_a_ticker_the_issuer_s_filings_list_is_covered() -> None:
    listed = [
        *ENTRIES[:1],
        _entry("mmm22", "3M Company Form 10-K", {"issuer": "3M Company", "doc_type": "10-K",
                                                 "fiscal_year": 2022, "tickers": ["MMM"]}),
    ]  # fmt: skip
    library = Library.of(listed)
    check = assess("What was MMM's net income in 2018?", [CAPEX], 0.95, library, NO_MENTIONS)
    assert check.covered == ("MMM",) and not check.missing
    unlisted = assess("What was MMM's net income in 2018?", [CAPEX], 0.95, LIBRARY, NO_MENTIONS)
    assert unlisted.missing == ("MMM",)


def test_passages_below_the_sources_naming_the_part_asked_come_first() -> None:
    question = "What was 3M's FY2018 Scotchgard capex?"
    segment = _p("mmm18", "Capital expenditures:\nScotchgard 212 198\nOther 1,365 1,175")
    passages = [CAPEX, _p("mmm18", "Cash flows from investing activities 2018"), segment]
    check = _assess(question, passages[:2])
    assert check.missing == ("Scotchgard",)
    first = parts_first(question, passages, check, count=2)
    assert first is not None and first[0] is segment and len(first) == 3
    assert _assess(question, first[:2]).qualifiers == ("Scotchgard",)
    # None below the sources names it; or the name is no part of the figure asked (a
    # company named alone, perhaps in another's competitor list): nothing is reordered.
    assert parts_first(question, passages[:2], check, count=2) is None
    alone = "What did Scotchgard report as FY2018 capex?"
    assert parts_first(alone, passages, _assess(alone, passages[:2]), count=2) is None
