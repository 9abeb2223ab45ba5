"""A passage's sentences (never cut at a name's dot or inside a quotation) and a
question's ask."""

from __future__ import annotations

import pytest

from assistant.claims import draft_segments
from assistant.sentences import captions_in, focus, is_label, sentences


def test_a_sentence_wrapped_over_lines_is_one_quote() -> None:
    text = (
        "Merchandise inventories, net at the end of the fourth quarter totaled $1.6\n"
        "billion compared to $1.5 billion a year earlier.\nTotal current assets 5,121.3 4,186.5\n"
        "Liquidity and capital:\nwe keep cash on hand"
    )
    assert sentences(text) == [
        "Merchandise inventories, net at the end of the fourth quarter totaled $1.6 billion "
        "compared to $1.5 billion a year earlier.",
        "Total current assets 5,121.3 4,186.5",  # a row starts in upper case: its own line
        "Liquidity and capital:",  # a label ends its line
        "we keep cash on hand",
    ]


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        (
            "By drawing conclusions from the income statement, what is Acme's FY2019 net "
            "income (in USD millions)?",
            "what is Acme's FY2019 net income (in USD millions)?",
        ),
        (
            "Using the cash flow statement, answer the following question: how much cash did "
            "Acme generate from operations in FY2020? Answer in USD millions.",
            "how much cash did Acme generate from operations in FY2020?",
        ),
        (
            "What is the FY2016 COGS for Acme? Please state answer in USD millions.",
            "What is the FY2016 COGS for Acme?",
        ),
        (
            "What is the margin, and how did it change?",
            "What is the margin, and how did it change?",
        ),
        ("Total expense ratio of the HPW fund", "Total expense ratio of the HPW fund"),
        (
            "I got an e-mail from the CIO asking me to recommend a stock. What should I do?",
            "I got an e-mail from the CIO asking me to recommend a stock. What should I do?",
        ),
        (
            "Revenue, as reported, was up in which year?",
            "Revenue, as reported, was up in which year?",
        ),
        ("", ""),
    ],
)
def test_the_ask_is_the_question_without_its_instructions(question: str, asked: str) -> None:
    assert focus(question) == asked


def test_a_sentence_ends_before_a_curly_quotation_mark() -> None:
    text = "said Jane Roe, chief executive officer. “For the first time, sales rose.” Margins fell."
    assert sentences(text) == [
        "said Jane Roe, chief executive officer.",
        "“For the first time, sales rose.”",
        "Margins fell.",
    ]


def test_a_list_dash_after_a_sentence_starts_a_new_one() -> None:
    text = (
        "Client talking points - Cash yields will drift lower; clients should review the "
        "cash sweep rates. - Pauses are normal in an easing cycle."
    )
    assert sentences(text) == [
        "Client talking points - Cash yields will drift lower; clients should review the "
        "cash sweep rates.",
        "- Pauses are normal in an easing cycle.",
    ]
    # Dot leaders end nothing; a "$" after a full stop starts a sentence.
    assert sentences("Net income ........ $ 629,551 in all. $5 million was paid.") == [
        "Net income ........ $ 629,551 in all.",
        "$5 million was paid.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Clients should review the cash sweep rates. - Pauses are normal in an easing cycle.",
        "Revenue rose 5%. $5 million came from fees in the year.",
        "The fee is set each year (see the schedule.) The rate is 1.2% for all tiers.",
        "Net income ........ $ 629,551 and more. Dividends were paid in cash.",
    ],
)
def test_a_quoted_sentence_is_one_claim_of_the_answer(text: str) -> None:
    # The answer cuts its draft into claims where a quote ends a sentence; a quote cut in
    # two there would leave its first half without a marker, dropped as uncited.
    for sentence in sentences(text):
        segments = draft_segments(f'"{sentence}" [1]')
        assert [s.cited for s in segments] == [(1,)], sentence


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "Bayview Water Co. (BYWW): Underperform, price target $118. Its rate case is due.",
            "Bayview Water Co. (BYWW): Underperform, price target $118.",
        ),
        (
            "Prepared under U.S. GAAP rules. Revenue rose 4%.",
            "Prepared under U.S. GAAP rules.",
        ),
        (
            "James D. Taiclet has served as Chief Executive Officer since 2020. He chairs it.",
            "James D. Taiclet has served as Chief Executive Officer since 2020.",
        ),
    ],
)
def test_an_abbreviation_s_dot_ends_no_sentence(text: str, first: str) -> None:
    assert sentences(text)[0] == first


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Record keeping", True),
        ("Fund overview", True),
        ("Rating: Outperform", False),  # a label with its value
        ("Fees apply.", False),
        ("Top 10 holdings", False),  # a number: ``captions_in`` decides by its place
        ("Complaint files are kept six years", False),
    ],
)
def test_a_label_is_a_few_words_and_nothing_else(line: str, expected: bool) -> None:
    assert is_label(line) is expected


def test_captions_are_lines_over_a_table_or_alone_holding_no_value() -> None:
    text = (
        "Top 10 holdings\n\nThe fund holds 48 stocks.\n\nInventories 12,483\n\n"
        "Bayview Water Co. (BYWW): Underperform, price target $118\n\n"
        "Sector weights\nTechnology | Weight: 31%"
    )
    found = captions_in(sentences(text), text)
    assert found == {"Top 10 holdings", "Sector weights"}


def test_a_byline_wrapped_in_its_last_field_is_one_line() -> None:
    page = (
        "Power chips | Acme Equity Research | 17 February 2026 | Priya\n"
        "Raman, CFA, Senior Analyst\nInvestment summary\nWe initiate coverage."
    )
    assert sentences(page)[:2] == [
        "Power chips | Acme Equity Research | 17 February 2026 | Priya Raman, CFA, Senior Analyst",
        "Investment summary",
    ]
    lead = "Acme Strategy | Published 8 December 2025 | Lead author: Dana Whitfield,\nChief Officer"
    assert sentences(lead) == [
        "Acme Strategy | Published 8 December 2025 | Lead author: Dana Whitfield, Chief Officer"
    ]
    # A whole last field ("name, role") ends the byline; a label or a row starts the text.
    whole = "Acme Research | 3 March 2026 | Dan Reyes, Analyst, Energy\nSector weights follow"
    assert sentences(whole)[0].endswith("Energy")
    labelled = "Acme Research | 3 March 2026 | Dan\nSector view: Market Perform"
    assert sentences(labelled) == [
        "Acme Research | 3 March 2026 | Dan",
        "Sector view: Market Perform",
    ]
    row = "Acme Research | 3 March 2026 | Dan\nRevenue | 2025: 9,655"
    assert len(sentences(row)) == 2
    # A table row ending in a word is no byline: the line after it stays its own.
    table = "Fund | Class A | Shares\nTotal expense ratio is low"
    assert len(sentences(table)) == 2


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "We set a 12-month price target of\n$175.00. Meridian is the second maker.",
            "We set a 12-month price target of $175.00.",
        ),
        (
            "Meridian (MRDS): Initiating at\nOutperform\nSummary",
            "Meridian (MRDS): Initiating at Outperform",
        ),
        (
            "Effect of exchange rates on cash and\nCash equivalents (12) 5",
            "Effect of exchange rates on cash and Cash equivalents (12) 5",
        ),
        (
            "Rate changes at any of our\n737 programs matter.",
            "Rate changes at any of our 737 programs matter.",
        ),
        # A page's number alone after it is no continuation (a chunk cut at the page end).
        ("If production rate changes at any of our\n7", "If production rate changes at any of our"),
        # A word ending a line only as part of a longer one ("Plan A", "Data") ends it.
        ("Our outlook for Plan A\nRevenue grew 5%.", "Our outlook for Plan A"),
    ],
)
def test_a_line_ending_in_a_word_that_ends_no_sentence_goes_on(text: str, first: str) -> None:
    assert sentences(text)[0] == first
