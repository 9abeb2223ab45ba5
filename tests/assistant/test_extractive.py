"""The extractive answerer's table handling: rows with headers, the period asked, synonyms."""

from __future__ import annotations

import dataclasses

import pytest

from assistant import extractive
from assistant.extractive import best_quotes, expansions, names_measure
from ingest.tables import CELL_SEP
from retrieval.types import Passage


def passage(number: int, text: str, title: str = "Fund fact sheet") -> Passage:
    return Passage(f"c{number}", "d", title, "f.pdf", 1, 1, "", text, 0.5)


def test_the_row_with_headers_replaces_its_flattened_copy() -> None:
    page = passage(1, "Fees\nTotal expense ratio 0.85% 0.55%\nOther text about the fund.")
    table = passage(2, "Fees and expenses\nTotal expense ratio | Class A: 0.85% | Class I: 0.55%")
    (quote,) = best_quotes("What is the TER of the Class I shares?", [page, table], limit=1)
    assert (quote.passage, quote.text) == (
        1,
        "Total expense ratio | Class A: 0.85% | Class I: 0.55%",
    )


def test_a_heading_is_never_quoted_though_its_words_are_asked() -> None:
    page = passage(
        1,
        "Consolidated Statements of Cash Flows\n"
        "Net cash provided by operating activities 1,824 3,252\n"
        "Other text about the filing.",
    )
    quotes = best_quotes("Which activities brought in the most cash flow in FY2023?", [page])
    assert [q.text for q in quotes] == ["Net cash provided by operating activities 1,824 3,252"]


def test_acronyms_and_bound_words_reach_the_sentence_that_spells_them_out() -> None:
    assert expansions("What is the TER?") == " total expense ratio"
    assert expansions("Nothing to expand") == ""
    policy = passage(
        1,
        "Harbor Point Wealth | Version 5.0 | Owner: Chief Information Security Officer\n"
        "Passwords must be at least 14 characters long and must not be reused.\n"
        "Use the approved password manager to store them.",
    )
    question = "What is the minimum password length required by the information security policy?"
    (quote,) = best_quotes(question, [policy], limit=1)
    assert quote.text == "Passwords must be at least 14 characters long and must not be reused."


def test_instruction_words_do_not_choose_the_quote() -> None:
    statement = passage(
        1,
        "All information stated in these statements of income is presented in USD millions."
        "\nCost of revenue 32,780 33,038\nNet income 16,798 12,193",
    )
    question = (
        "What is the FY2016 cost of revenue for Acme? Please state the answer in USD "
        "millions, using the information stated in the statement of income."
    )
    (quote,) = best_quotes(question, [statement], limit=1)
    assert quote.text == "Cost of revenue 32,780 33,038"


def test_a_how_many_question_quotes_what_it_counts() -> None:
    sources = [
        passage(1, "In fiscal 2023, NIKE Brand apparel was made by 55 contract manufacturers, "
                   "many of which operate multiple factories."),
        passage(2, "As of May 31, 2023, we had approximately 83,700 employees worldwide."),
    ]  # fmt: skip
    best = best_quotes("How many employees did Nike have in fiscal 2023?", sources, 1)
    assert best[0].text.startswith("As of May 31, 2023")
    # A count a source writes as a symbol need not be spelled out in the quote.
    guidance = [
        passage(1, "Management points to fiscal 2023 guidance."),
        passage(2, "We raise fiscal 2023 EPS growth guidance to 9% from 8%."),
    ]
    asked = "By how many percentage points did the company raise fiscal 2023 EPS growth guidance?"
    assert best_quotes(asked, guidance, 1)[0].passage == 1
    # "How many times" asks a multiple or a ratio: its operands are quoted, counting nothing.
    turnover = [passage(1, "Cost of products sold 31,089 29,855"), passage(2, "Inventories 12,483")]
    asked = "How many times did Acme turn over its inventory in 2022?"
    assert [q.text for q in best_quotes(asked, turnover, 2)] == ["Inventories 12,483"]
    # What is counted comes before a modal verb as before any other.
    rule = [passage(1, "Passwords must be at least 14 characters long.")]
    assert best_quotes("How many characters must a password have?", rule, 1)[0].passage == 0


def test_a_how_many_question_quotes_only_sentences_that_count_what_it_asks() -> None:
    procedure = [
        passage(1, "Compliance decides whether the complaint is reportable under FINRA Rule 4530 "
                   "and files the quarterly statistical report by the 15th day of the month."),
        passage(2, "Log the complaint in the register | Deadline: Within 1 business day"),
        passage(3, "Holding letter if the complaint is not resolved | Deadline: By day 30"),
        passage(4, "Complaints that allege a loss above $25,000 must be escalated."),
        passage(5, "Northwind reported fourth-quarter revenue of $2.41 billion, 312 stores."),
    ]  # fmt: skip
    asked = "How many complaints were received in Q4 2025?"
    assert best_quotes(asked, procedure, 2) == []  # nothing counts complaints
    report = [*procedure, passage(6, "Complaints received in Q4 2025: 47 (Q3 2025: 39).")]
    assert [q.text for q in best_quotes(asked, report, 2)] == [
        "Complaints received in Q4 2025: 47 (Q3 2025: 39)."
    ]


def test_column_headers_and_dates_are_not_figures() -> None:
    sources = [
        passage(1, "BEST BUY CO., INC.\nFORM 10-Q FOR THE QUARTER ENDED JULY 29, 2023\n"
                   "July 29, 2023 July 30, 2022\n(MILLIONS, EXCEPT PER SHARE DATA) 2023 2022"),
        passage(2, "Cash and cash equivalents were $1,093 million on July 29, 2023."),
    ]  # fmt: skip
    quotes = best_quotes("What was the cash as of July 29, 2023?", sources, limit=3)
    # A header names periods, not what happened in them: never quoted.
    assert all("July 30, 2022" not in q.text and "PER SHARE" not in q.text for q in quotes)
    assert quotes[0].passage == 1  # the sentence stating the figure, over the cover line


def test_a_filing_s_running_header_or_footer_is_never_quoted() -> None:
    sources = [
        passage(1, "2023 FORM 10-K 19\n57 Verizon 2022 Annual Report on Form 10-K"),
        passage(2, "Capital expenditures were $23.1 billion in 2022."),
    ]
    quotes = best_quotes("What were Verizon's capital expenditures in 2022?", sources, limit=3)
    assert [q.text for q in quotes] == ["Capital expenditures were $23.1 billion in 2022."]
    # A sentence that names the report is no footer.
    cited = passage(1, "See page 54 of the 2022 Annual Report on Form 10-K for our capital plan 12")
    assert best_quotes("What is in the Annual Report on Form 10-K?", [cited], limit=1)


def test_a_sentence_two_chunks_of_one_page_share_is_no_page_furniture() -> None:
    shared = "Jane Roe, chief executive officer."
    first = Passage("c1", "d", "Release", "r.pdf", 1, 1, "", f"{shared} Sales rose 5%.", 0.9)
    overlap = Passage("c2", "d", "Release", "r.pdf", 1, 1, "", f"{shared} Margins fell.", 0.8)
    quotes = best_quotes("Who is the CEO?", [first, overlap], limit=1)
    assert [q.text for q in quotes] == [shared]
    # Repeated on another page it is a running line, never quoted.
    other_page = Passage("c3", "d", "Release", "r.pdf", 2, 2, "", f"{shared} Margins fell.", 0.8)
    assert [q.text for q in best_quotes("Who is the CEO?", [first, other_page], limit=1)] != [
        shared
    ]


SWEEP = (
    "BANK DEPOSIT SWEEP RATES (annual percentage yield)\n"
    "Under $100,000 | APY from 2 Mar 2026: 0.45% | APY from 1 Dec 2025: 0.50%\n"
    "$100,000 to $999,999 | APY from 2 Mar 2026: 1.20% | APY from 1 Dec 2025: 1.30%\n"
    "$1,000,000 to $4,999,999 | APY from 2 Mar 2026: 2.05% | APY from 1 Dec 2025: 2.15%\n"
    "$5,000,000 and above | APY from 2 Mar 2026: 2.60% | APY from 1 Dec 2025: 2.70%"
)
FEES = (
    "Annual advisory fee\n"
    "First $1,000,000 | Annual fee rate: 1.00%\n"
    "Next $4,000,000 (from $1,000,001 to $5,000,000) | Annual fee rate: 0.80%\n"
    "Above $5,000,000 | Annual fee rate: 0.45%"
)
TALK = (
    "Client talking points - Cash yields will drift lower through 2026; clients with large "
    "cash balances should review the cash sweep rates and consider short-term bonds."
)


def test_the_tier_row_holding_the_amount_asked_is_quoted() -> None:
    filler = [
        passage(
            n, f"Models added {n}% to Japanese equities, funded from cash. Duration is neutral."
        )
        for n in range(4, 8)
    ]
    sources = [passage(1, SWEEP), passage(3, FEES), *filler, passage(2, TALK)]
    quotes = best_quotes("What is the cash sweep rate for balances over $1 million?", sources)
    assert quotes[0].text.startswith("$1,000,000 to $4,999,999 | APY")
    quotes = best_quotes("What advisory fee applies to a $3 million account?", sources)
    assert (
        quotes[0].text == "Next $4,000,000 (from $1,000,001 to $5,000,000) | Annual fee rate: 0.80%"
    )
    quotes = best_quotes("What advisory fee applies to a $250,000 account?", sources)
    assert quotes[0].text == "First $1,000,000 | Annual fee rate: 1.00%"


def test_a_row_is_read_under_its_table_s_caption() -> None:
    holdings = passage(1, "Top 10 holdings\nVantage Cloud Systems | Ticker: VCSY | Weight: 6.8%")
    other = passage(2, "Top holdings are reviewed each quarter by weight.")
    question = "What is the weight of Vantage in the top holdings?"
    quotes = best_quotes(question, [other, holdings], 1)
    assert quotes[0].text.startswith("Vantage Cloud Systems")
    # A long line over a table is prose, not its caption.
    prose = " ".join(["word"] * 25) + " top holdings"
    under_prose = passage(1, f"{prose}\nVantage Cloud Systems | Ticker: VCSY | Weight: 6.8%")
    row_score = {q.text: q.score for q in best_quotes(question, [other, holdings], 3)}
    prose_score = {q.text: q.score for q in best_quotes(question, [other, under_prose], 3)}
    assert prose_score[quotes[0].text] < row_score[quotes[0].text]


def test_how_quickly_asks_for_a_figure() -> None:
    deadline = passage(
        1, "Written acknowledgement to the client | Deadline: Within 2 business days"
    )
    rule = passage(2, "Advisors never ask a client to withdraw a complaint.")
    quotes = best_quotes("How quickly must a complaint be acknowledged?", [rule, deadline], 1)
    assert quotes[0].text.startswith("Written acknowledgement")


def test_a_rare_caption_word_does_not_outweigh_a_row_s_own_words() -> None:
    fund = passage(
        1,
        "Asset allocation\nInvestment grade bonds | Weight: 34%\n"
        "Emerging market debt | Weight: 8%\nDividend equities | Weight: 31%",
    )
    model = passage(
        2,
        "Balanced model detail\nUS equities | Vehicle: S&P 500 index ETF | Weight: 12%\n"
        "Japanese equities | Vehicle: TOPIX index ETF | Weight: 4%\n"
        "Emerging market equities | Vehicle: HPW Emerging Markets Equity Fund | Weight: 8%",
    )
    filler = [
        passage(n, f"The committee met on {n} March. Duration is neutral. Gold is a hedge.")
        for n in range(3, 8)
    ]
    question = "Recommended allocation to emerging markets equities"
    quotes = best_quotes(question, [model, fund, *filler])
    assert quotes[0].text.startswith("Emerging market equities |")


def test_the_name_a_document_is_about_does_not_choose_its_sentence() -> None:
    sheet = Passage(
        "c1",
        "d",
        "HPW Global Income Fund Fact Sheet",
        "f.pdf",
        1,
        1,
        "",
        "HPW Global Income Fund - Data as of 28 February 2026\n"
        "Its largest holding is US Treasury 4.25% 2034, at 3.8% of assets.",
        0.5,
    )
    question = "What is the largest holding of the HPW Global Income Fund?"
    assert best_quotes(question, [sheet], 1)[0].text.startswith("Its largest holding")
    # Named in a document about something else, below no heading of its name, the name
    # still tells its sentence apart.
    outlook = dataclasses.replace(
        sheet,
        title="Market outlook",
        text="Markets were calm in February.\n"
        "The Acme Bond Fund's largest holding is US Treasury 4.25% 2034.\n"
        "The HPW Global Income Fund's largest holding is a 2035 Bund.",
    )
    assert best_quotes(question, [outlook], 1)[0].text.startswith("The HPW Global Income Fund")


HOLDINGS = (
    "Top 10 holdings\n"
    "Atlas Power & Light (APLX) | Weight: 2.1%\n"
    "US Treasury 4.25% 15 Nov 2034 | Weight: 3.8%\n"
    "Redwood Towers REIT (RWTR) | Weight: 1.1%\n"
    "Total | Weight: 7.0%\n"
    "The top 10 holdings are 18.0% of net assets. The fund has 412 holdings."
)


@pytest.mark.parametrize(
    ("question", "row"),
    [
        ("What is the largest holding?", "US Treasury 4.25% 15 Nov 2034 |"),
        ("Which holding is the biggest?", "US Treasury 4.25% 15 Nov 2034 |"),
        ("What is the smallest of the top holdings?", "Redwood Towers REIT (RWTR) |"),
    ],
)
def test_a_superlative_is_covered_by_the_row_with_the_extreme_value(
    question: str, row: str
) -> None:
    assert best_quotes(question, [passage(1, HOLDINGS)], 1)[0].text.startswith(row)


def test_a_heading_name_covers_its_own_section_only() -> None:
    note = passage(
        1,
        "Alder Power (ALDP): Outperform, price target $98\n\n"
        "We expect dividend growth of 6% a year.\n\n"
        "Birch Energy (BRCE): Market Perform, price target $64\n\n"
        "Birch offers the highest dividend yield in our coverage at 4.1%.",
    )
    table = passage(2, "Alder Power | Rating: Outperform | Dividend yield: 3.4%")
    quotes = best_quotes("What is the dividend yield of Alder Power?", [note, table], 2)
    assert quotes[0].text.startswith("Alder Power | Rating")
    assert all("Birch offers" not in q.text for q in quotes)
    # Under its own heading, the name still covers every sentence of the section.
    alone = best_quotes("What dividend growth do you expect for Alder Power?", [note], 1)
    assert alone[0].text == "We expect dividend growth of 6% a year."


def test_a_name_heading_the_passage_does_not_choose_its_sentence() -> None:
    segment = dataclasses.replace(
        passage(1, "GREATER CHINA\nApparel 1,666 1,938\nTOTAL REVENUES $ 7,248 $ 7,547"),
        title="NIKE Form 10-K",
    )
    growth = dataclasses.replace(
        passage(2, "Greater China revenues increased 4% on a currency-neutral basis."),
        title="NIKE Form 10-K",
    )
    question = "What was Nike's revenue in Greater China in fiscal 2023?"
    assert best_quotes(question, [segment, growth], 1)[0].text.startswith("TOTAL REVENUES")


def test_a_line_names_a_measure_by_its_words_or_an_equivalent() -> None:
    assert names_measure("TOTAL REVENUES $ 7,248", "revenue")
    assert names_measure("Sam's Club had net sales of $58.8 billion", "net sales")
    assert not names_measure("Sam's Club had net income of $1.2 billion", "net sales")
    assert not names_measure("", "revenue")


def test_a_second_quote_must_say_what_the_first_does_not() -> None:
    policy = passage(
        1,
        "Information Security Policy for Staff\n\n"
        "Harbor Point Wealth | Version 5.0 | Owner: Grace Mbeki, Chief Information Security "
        "Officer\n\n1. Passwords\n\nPasswords must be at least 14 characters long.",
        title="Information Security Policy for Staff",
    )
    asked = "What is the minimum password length in the information security policy?"
    # The banner repeats only the words that name the policy: no second quote.
    assert [q.text for q in best_quotes(asked, [policy], 2)] == [
        "Passwords must be at least 14 characters long."
    ]
    # Asked for its owner, the banner is the answer; another policy's sentence on "a
    # security" adds nothing the banner does not cover.
    other = passage(
        2,
        "This policy sets the minimum standards every advisor must follow before "
        "recommending a security.",
        title="Client Suitability Policy",
    )
    owner = best_quotes("Who owns the information security policy?", [policy, other], 2)
    assert [q.text[:35] for q in owner] == ["Harbor Point Wealth | Version 5.0 |"]


def test_a_second_quote_stating_the_figure_the_first_lacks_is_kept() -> None:
    sheet = [
        passage(1, "The total expense ratio is deducted from fund assets."),
        passage(2, "Total expense ratio | Class A: 0.85% | Class I: 0.55%"),
    ]
    asked = "What total expense ratio is deducted from fund assets?"
    assert [q.text for q in best_quotes(asked, sheet, 2)] == [
        "The total expense ratio is deducted from fund assets.",
        "Total expense ratio | Class A: 0.85% | Class I: 0.55%",
    ]


def test_a_weaker_quote_is_not_sought_for_a_word_the_first_lacks() -> None:
    sources = [
        passage(1, "Net interest margin was 2.4% in 2023."),
        passage(2, "Net interest margin was 2.4% in 2023, as reported."),
        passage(3, "The bank opened two branches."),
    ]
    asked = "What was the bank's net interest margin in 2023?"
    # The runner-up adds nothing; the sentence naming the bank is weaker still, and off
    # the point: one quote.
    assert [q.passage for q in best_quotes(asked, sources, 2)] == [0]


def test_words_the_question_shares_with_the_title_as_a_phrase_do_not_choose_the_byline() -> None:
    outlook = passage(
        1,
        "Fixed Income Outlook 2026\n"
        "Harbor Point Wealth | Published 12 January 2026 | Marcus Oyelaran, Head of Fixed "
        "Income Strategy\n"
        "We keep duration neutral: our model portfolios target a duration of 6.0 years.",
        title="Fixed Income Outlook 2026",
    )
    (quote,) = best_quotes("What duration does the fixed income team recommend?", [outlook], 1)
    assert quote.text.startswith("We keep duration neutral")


def test_period_words_and_numbers_of_a_title_still_choose_sentences() -> None:
    filing = passage(
        1,
        "Revenue in the fourth quarter was $2.5 billion.\n"
        "Revenue for the fiscal year was $9.1 billion.",
        title="ACME INC. Form 10-K for the fiscal year ended December 31, 2022",
    )
    (quote,) = best_quotes("What was revenue for the fiscal year ended 2022?", [filing], 1)
    assert quote.text == "Revenue for the fiscal year was $9.1 billion."


def test_a_when_question_is_answered_only_by_a_sentence_stating_a_time() -> None:
    policy = passage(
        1,
        "Restricted | Examples: Restricted List, Watch List | Handling: Named individuals only\n"
        "The Restricted List names the securities advisors may not recommend.",
    )
    assert best_quotes("When is the restricted list updated?", [policy], 2) == []
    dated = passage(2, "Compliance updates the Restricted List every business day at 8:00 am.")
    (quote,) = best_quotes("When is the restricted list updated?", [policy, dated], 2)
    assert quote.passage == 1


def test_the_title_restated_on_the_page_is_no_quote_and_how_large_asks_a_figure() -> None:
    sheet = passage(
        1,
        "HPW Global Income Fund - Fact Sheet\n"
        "Data as of 28 February 2026 | Harbor Point Wealth Funds\n"
        "Key facts\n"
        "Inception date | Detail: 2 June 2014\n"
        "Fund assets | Detail: $1.84 billion",
        title="HPW Global Income Fund Fact Sheet",
    )
    (quote,) = best_quotes("How large is the HPW Global Income Fund?", [sheet], 1)
    assert quote.text == "Fund assets | Detail: $1.84 billion"


STATEMENT = (
    "Consolidated Statements of Income\n"
    "Interest (income) expense, net (4,378) (0.1%) 467 0.1%\n"
    "Total current assets 8,304 8,802\n"
    "Net income $ 340,751 10.6% $ 289,366 10.6%\n"
    "Total assets $ 15,318 $ 15,803"
)


def test_the_row_of_the_line_item_asked_outranks_rows_sharing_its_words() -> None:
    statement = passage(1, STATEMENT, title="Retailer results")
    best = best_quotes("What was the net income in fiscal 2022?", [statement], limit=1)
    assert best[0].text.startswith("Net income $ 340,751")
    best = best_quotes("What were the total assets?", [statement], limit=1)
    assert best[0].text.startswith("Total assets $ 15,318")


@pytest.mark.parametrize(
    "question",
    [
        "Why did net income fall?",  # a reason
        "What is the net income to total assets ratio?",  # a ratio no definition knows
        "What was the change in total assets?",  # a change, computed elsewhere
    ],
)
def test_questions_asking_no_single_figure_rank_rows_by_their_words(
    question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    statement = passage(1, STATEMENT, title="Retailer results")
    ranked = best_quotes(question, [statement], limit=2)
    monkeypatch.setattr(extractive, "ASKED_ROW_WEIGHT", 1.0)
    monkeypatch.setattr(extractive, "OTHER_ROW_WEIGHT", 1.0)
    assert best_quotes(question, [statement], limit=2) == ranked
    # Where a figure is asked, the same weights decide.
    assert best_quotes("What were the total assets?", [statement], limit=1)[0].text.startswith(
        "Total current assets"
    )


def test_a_reason_asked_prefers_the_sentence_giving_one() -> None:
    # Both sentences hold every word asked; the one first on the page gives no reason.
    text = (
        "Merchandise inventories showed an increase to $1.6 billion at year end.\n"
        "The increase in merchandise inventories was primarily due to 47 new stores."
    )
    source = passage(1, text, title="Retailer results")
    (best,) = best_quotes("What drove the increase in merchandise inventories?", [source], 1)
    assert best.text.startswith("The increase in merchandise inventories was primarily")
    # Asked for the figure, the first stays first.
    (best,) = best_quotes("What was the increase in merchandise inventories?", [source], 1)
    assert best.text.startswith("Merchandise inventories showed")


def test_a_workforce_counted_in_people_answers_how_many_employees() -> None:
    source = passage(
        1,
        "Employee benefits 1,594 (178) 1,981\n"
        "As of year end, we employed approximately 79,000 people worldwide.",
        title="Annual report",
    )
    (best,) = best_quotes("How many employees does the company have?", [source], 1)
    assert best.text.startswith("As of year end, we employed approximately 79,000 people")
    # People counted are no employees' benefits, nor are 79,000 anything but people.
    assert best_quotes("How many stores does the company have?", [source], 1) == []


def test_a_name_standing_alone_is_never_quoted() -> None:
    note = passage(
        1,
        "Northwind Logistics Inc.\nA freight recovery could slip into 2027, the main risk.",
        title="Company note",
    )
    quotes = best_quotes("What are the main risks to Northwind Logistics?", [note], 2)
    assert [q.text for q in quotes] == ["A freight recovery could slip into 2027, the main risk."]


def test_the_publisher_a_byline_names_does_not_choose_the_sentence() -> None:
    first = passage(
        1,
        "Northwind Logistics - Results Review\n"
        "Harbor Point Wealth Equity Research | 6 February 2026 | Tom Keller, Senior Analyst\n"
        "Rating: Market Perform (unchanged).",
        title="Northwind Logistics - Results Review",
    )
    later = passage(
        2,
        "Valuation\nThe total return is within 10 percentage points of the market, so we "
        "keep our rating.",
        title="Northwind Logistics - Results Review",
    )
    quotes = best_quotes("What is Harbor Point's rating on Northwind Logistics?", [first, later], 2)
    assert quotes[0].text == "Rating: Market Perform (unchanged)."


def test_any_acronym_of_a_lexicon_group_is_spelled_out() -> None:
    assert "property, plant and equipment" in expansions("Did it grow its PPNE in FY21?")
    assert "property, plant and equipment" in expansions("What was PP&E at year end?")


def test_a_sentence_that_says_nothing_asked_beyond_the_names_is_no_quote() -> None:
    sheet = passage(
        1,
        "Acme Growth Fund\nThe fund seeks long-term capital appreciation.\n"
        "It is managed by Jane Doe since 2011.",
        title="Acme Growth Fund fact sheet",
    )
    quotes = best_quotes("Who manages the Acme Growth Fund?", [sheet], 2)
    assert [q.text for q in quotes] == ["It is managed by Jane Doe since 2011."]
    assert best_quotes("What is the Acme Growth Fund's custodian bank?", [sheet], 2) == []


def test_a_document_writing_none_of_the_names_asked_is_not_quoted_when_another_does() -> None:
    note = dataclasses.replace(
        passage(1, "Bayview Water Co. (BYWW): Underperform. Its rate case is due in 2026."),
        document_id="note",
        title="US Utilities",
    )
    policy = dataclasses.replace(
        passage(2, "Zentrix Quantum Corp is not covered by our research analysts."),
        document_id="policy",
        title="Security policy",
    )
    assert best_quotes("Which analyst covers Bayview Water?", [note, policy], 2) == []
    # A passage of the same document as one that writes the name speaks of it too.
    terms = dataclasses.replace(
        passage(3, "The note pays a coupon of $21.00 per $1,000 note each quarter."),
        document_id="note",
        title="US Utilities",
    )
    quotes = best_quotes("What coupon does Bayview Water pay?", [policy, note, terms], 1)
    assert [q.text for q in quotes] == [
        "The note pays a coupon of $21.00 per $1,000 note each quarter."
    ]


def test_a_place_abbreviated_in_the_question_is_its_spelled_out_row() -> None:
    assert expansions("What is the 2026 inflation forecast for the US?") == " United States"
    assert expansions("Can you tell us about it?") == ""  # "us" the word is no place
    table = passage(
        1,
        "Rates\nUS 2-year Treasury yield | End-2026 forecast: 3.20%\n"
        "Growth and inflation\nUnited States | 2026 forecast: 2.1% | 2026 CPI inflation: 2.6%",
    )
    (quote,) = best_quotes("What is the 2026 inflation forecast for the US?", [table], 1)
    assert quote.text.startswith("United States |")


def test_a_section_label_in_sentence_case_is_no_quote() -> None:
    procedure = passage(
        1,
        "7. Record keeping\nComplaint files are retained for at least six years from the date "
        "of the final response.",
        title="Complaints Handling Procedure",
    )
    (quote,) = best_quotes("How long do we keep client complaint records?", [procedure], 1)
    assert quote.text.startswith("Complaint files are retained")


def test_a_line_naming_what_follows_is_no_quote() -> None:
    sheet = passage(
        1,
        "Performance\n\nTotal returns are net of fees.\n\nTop 10 holdings\n\n"
        "Top 10 holdings: 36.5% of net assets.",
        title="Acme Fund fact sheet",
    )
    (quote,) = best_quotes("What are the top holdings of the Acme Fund?", [sheet], 1)
    assert quote.text == "Top 10 holdings: 36.5% of net assets."
    table = passage(2, "Top 10 holdings\nMicrosoft | Weight: 7.2%\nApple | Weight: 6.1%")
    quotes = best_quotes("What are the top holdings of the fund?", [table], 2)
    assert all(CELL_SEP in q.text for q in quotes)


@pytest.mark.parametrize(
    "ask", ["What's the fund's minimum investment?", "What is the fund's minimum investment?"]
)
def test_what_s_the_asks_for_a_figure(ask: str) -> None:
    sheet = passage(
        1,
        "The fund's minimum investment applies to each account holding the fund.\n"
        "Minimum investment | Class A: $2,500",
        title="Acme Fund fact sheet",
    )
    quotes = best_quotes(ask, [sheet], 2)
    assert any("$2,500" in q.text for q in quotes)


def test_how_long_asks_a_duration_not_a_length() -> None:
    procedure = passage(
        1,
        "Written acknowledgement to the client | Deadline: Within 2 business days of receipt",
        title="Complaints procedure",
    )
    policy = passage(
        2, "Passwords must be at least 14 characters long and not be reused.", title="IT policy"
    )
    quotes = best_quotes("How long do we have to acknowledge a complaint?", [procedure, policy])
    assert [q.passage for q in quotes] == [0]


def test_what_a_document_says_about_a_name_quotes_the_sentence_naming_it() -> None:
    brief = passage(
        1,
        "Brent ($ per barrel) | 2026: 68 | 2027: 70\n"
        "OPEC+ is gradually returning its production cuts to the market, which caps the price.",
        title="OIL & GAS SECTOR BRIEF - MARCH 2026",
    )
    (quote,) = best_quotes("What does the oil and gas brief say about OPEC?", [brief], 1)
    assert quote.text.startswith("OPEC+ is gradually")


def test_who_covers_a_company_is_its_analyst() -> None:
    note = passage(
        1,
        "Meridian Semiconductor Corp. (MRDS): Initiating at Outperform\n"
        "Power chips | Acme Equity Research | 17 February 2026 | Priya\n"
        "Raman, CFA, Senior Analyst, Semiconductors\n"
        "We believe the market underestimates the data center opportunity.",
        title="Meridian Semiconductor (MRDS) Initiation",
    )
    for ask in ("Who covers Meridian Semiconductor?", "Which analyst wrote the initiation?"):
        (quote,) = best_quotes(ask, [note], 1)
        assert quote.text.endswith("Priya Raman, CFA, Senior Analyst, Semiconductors")


def test_the_top_holding_is_the_largest_the_top_holdings_a_list() -> None:
    sheet = passage(
        1,
        "Top 10 holdings\nOrion Digital | Weight: 6.1%\nVantage Cloud | Weight: 6.8%\n"
        "Helix Therapeutics | Weight: 4.0%\n\nTop 10 holdings: 36.5% of net assets.",
        title="Acme Fund fact sheet",
    )
    (top,) = best_quotes("What is the top holding of the Acme Fund?", [sheet], 1)
    assert top.text == "Vantage Cloud | Weight: 6.8%"
    (listed,) = best_quotes("What are the top holdings of the Acme Fund?", [sheet], 1)
    assert listed.text == "Top 10 holdings: 36.5% of net assets."


def test_the_firm_whose_library_it_is_is_no_word_asked() -> None:
    fees = passage(1, "Full account transfer to another firm | Fee: $95", title="Fee schedule")
    models = passage(
        2, "Gold | Vehicle: Physical gold ETF | Weight: 3%", title="Model portfolios March 2026"
    )
    (quote,) = best_quotes("How much does the firm recommend in gold?", [fees, models], 1)
    assert quote.text.startswith("Gold |")


def test_a_valuations_basis_answers_why_a_target_changed() -> None:
    note = passage(
        1,
        "Rating: Market Perform (unchanged). Price target: $64 (from $70).\n"
        "We lower our price target to $64 from $70, based on 17x our 2026E EPS of $3.75.",
        title="Northwind Logistics - Q4 2025 Results Review",
    )
    (quote,) = best_quotes("Why did Northwind's price target fall?", [note], 1)
    assert quote.text.startswith("We lower our price target")
